"""Letters read back: reminders (three levels, QR-bill / EPC QR decoded), renewal letters,
notice-period reminders, price-increase notices, in the school's language, names intact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from qrbill import QRBill

from lehrer_licenses.documents import Address, DocumentDataError
from lehrer_licenses.documents.letters import Letter, LetterRow, render_letter, render_letters
from lehrer_licenses.documents.samples import (
    DUTCH_SCHOOL,
    EURO_VENDOR,
    SWISS_SCHOOL,
    SWISS_VENDOR,
    make_lines,
)
from lehrer_licenses.services.season.letters import (
    dunning_letter,
    notice_reminder_letter,
    price_increase_letter,
    renewal_letter,
)

QR_REFERENCE = "000000000000000002026000172"


def flat(text: str) -> str:
    return " ".join(text.split())


def reminder(level: int = 1, language: str = "de", **changes) -> Letter:
    values = dict(
        vendor=SWISS_VENDOR,
        recipient=SWISS_SCHOOL,
        school_number="100001",
        language=language,
        currency="CHF",
        on=date(2026, 5, 20),
        level=level,
        invoice_number="2026-00017",
        invoice_date=date(2026, 3, 11),
        due_date=date(2026, 4, 10),
        payable=Decimal("505.90"),
        settled=Decimal("300.00"),
        fee=Decimal("0.00"),
        earlier_fees=Decimal("0.00"),
        pay_by=date(2026, 5, 30),
        previous_reminder=date(2026, 5, 1) if level > 1 else None,
        reference=QR_REFERENCE,
    )
    values.update(changes)
    return dunning_letter(**values)


@pytest.mark.parametrize(
    ("level", "language", "subject"),
    [
        (1, "de", "Zahlungserinnerung"),
        (2, "fr", "Deuxième rappel"),
        (3, "it", "Ultimo sollecito"),
        (1, "en", "Payment reminder"),
        (3, "nl", "Laatste aanmaning"),
    ],
)
def test_reminder_subject_and_language(level, language, subject, texts):
    text = flat(texts(render_letter(reminder(level, language)))[0])
    assert subject in text
    assert "Łukasz Żółć" in text and "Françoise Dvořák" in text


def test_reminder_amount_due_with_fees_and_qr_bill_payload(texts, qr_codes):
    letter = reminder(2, fee=Decimal("20.00"), earlier_fees=Decimal("5.00"))
    assert letter.payment_amount == Decimal("230.90")
    pdf = render_letter(letter)
    text = flat(texts(pdf)[0])
    assert "Trotz unserer Zahlungserinnerung vom 01.05.2026" in text
    assert len(texts(pdf)) == 1  # the QR-bill fits under the letter
    assert "Mahngebühr 20.00" in text and "Gebühren früherer Mahnungen 5.00" in text
    assert "Fälliger Betrag CHF 230.90" in text and "Bezahlt oder gutgeschrieben -300.00" in text
    codes = qr_codes(pdf)
    assert len(codes) == 1
    lines = codes[0].split("\r\n") if "\r\n" in codes[0] else codes[0].split("\n")
    assert lines[0] == "SPC" and "230.90" in lines and QR_REFERENCE in lines
    bill = QRBill(
        account=lines[3],
        creditor={"name": lines[5], "street": lines[6], "house_num": lines[7], "pcode": lines[8],
                  "city": lines[9], "country": lines[10]},
        amount=lines[18],
        currency=lines[19],
        reference_number=lines[28],
    )  # fmt: skip
    assert bill.ref_type == "QRR"


def test_eur_reminder_carries_an_epc_code(texts, qr_codes):
    letter = reminder(
        1, "nl", vendor=EURO_VENDOR, recipient=DUTCH_SCHOOL, currency="EUR",
        reference="RF18539007547034",
    )  # fmt: skip
    pdf = render_letter(letter)
    assert "Betalingsherinnering" in texts(pdf)[0]
    (payload,) = qr_codes(pdf)
    lines = payload.split("\n")
    assert lines[0] == "BCD" and "EUR205.9" in lines and "RF18539007547034" in lines


def test_renewal_notice_and_price_letters_in_two_languages(texts, qr_codes):
    common = dict(
        on=date(2026, 9, 1), vendor=SWISS_VENDOR, recipient=SWISS_SCHOOL, school_number="100001"
    )
    renewal = renewal_letter(
        language="fr", currency="CHF", product="LehrerOffice", quantity="5 licences",
        term_start=date(2027, 1, 1), term_end=date(2027, 12, 31), lines=make_lines(2),
        invoice_number="2027-00001", registration_code="LO1-ABCD-EFGH", **common,
    )  # fmt: skip
    notice = notice_reminder_letter(
        language="de", product="LehrerOffice", quantity="5 Lizenzen", renewal_on=date(2027, 1, 1),
        deadline=date(2026, 10, 31), **common,
    )  # fmt: skip
    price = price_increase_letter(
        language="it", currency="CHF", item="Abbonamento", old_price=Decimal("44.55"),
        new_price=Decimal("46.00"), valid_from=date(2027, 1, 1), renewal_on=date(2027, 1, 1),
        **common,
    )  # fmt: skip
    pdf = render_letters([renewal, notice, price])
    pages = [flat(t) for t in texts(pdf)]
    assert len(pages) == 3
    assert "Renouvellement de votre abonnement 1er janvier 2027 – 31 décembre 2027" in pages[0]
    assert "facture 2027-00001" in pages[0] and "CHF 468.00" in pages[0]
    assert qr_codes(pdf, page=1) == ["LO1-ABCD-EFGH"]
    assert "bis 31.10.2026 bei uns eintreffen" in pages[1] and "Seite 1 von 1" in pages[1]
    assert "da CHF 44.55 a CHF 46.00" in pages[2] and "Pagina 1 di 1" in pages[2]


def test_user_text_is_not_markup(texts):
    school = Address(name="<b>Schule</b> & Co", street="Weg", postcode="3000", city="Bern")
    text = texts(render_letter(reminder(recipient=school)))[0]
    assert "<b>Schule</b> & Co" in text


def test_letters_refuse_bad_data():
    with pytest.raises(KeyError):
        reminder(level=4)
    with pytest.raises(DocumentDataError):
        render_letters([])
    with pytest.raises(DocumentDataError):
        Letter(kind="memo", language="de", letter_date=date(2026, 1, 1), vendor=SWISS_VENDOR,
               recipient=SWISS_SCHOOL, school_number="1", subject="x", paragraphs=())  # fmt: skip
    with pytest.raises(TypeError):
        LetterRow(label="x", amount=1.5)
