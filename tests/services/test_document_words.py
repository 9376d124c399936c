"""What the documents say, read back from the PDFs: credit-note wording by payment state, the
Italian price notice, consistent German terms, plural forms instead of "(en)"/"(s)"/"/e"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from lehrer_licenses.services.billing import (
    credit_notes,
    dunning,
    issuing,
    payments,
    printing,
    vendor,
)
from lehrer_licenses.services.catalogue import add_price
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.season import letters

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}


@pytest.fixture
def desk(db):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    return db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)


def issued(desk, school) -> str:
    draft = order_seats(desk, school, 3, date(2026, 3, 10)).invoice.id
    return issuing.issue_invoice(desk, str(draft), date(2026, 3, 11)).number  # CHF 505.90


def credit_text(desk, number: str, amount: str) -> str:
    note = credit_notes.credit_invoice(
        desk, number, reason="Korrektur", amount=Decimal(amount), on=date(2026, 3, 20)
    )
    return text_of(printing.invoice_pdf(desk, note.record.number).pdf)


def test_a_credit_note_promises_a_refund_only_of_what_was_paid(desk, make_school):
    school = make_school("Schule Dvořák", **ADDRESS)
    unpaid = issued(desk, school)
    text = credit_text(desk, unpaid, "100.00")
    assert f"Der Betrag verringert den offenen Betrag der Rechnung {unpaid}." in text
    assert "zurückerstattet" not in text
    assert f"Korrektur zu Rechnung {unpaid}" in text  # the information block

    paid = issued(desk, school)
    payments.record_payment(desk, paid, Decimal("505.90"), date(2026, 3, 15))
    assert "Der Betrag wird Ihnen zurückerstattet." in credit_text(desk, paid, "100.00")

    part_paid = issued(desk, school)
    payments.record_payment(desk, part_paid, Decimal("450.00"), date(2026, 3, 15))
    text = credit_text(desk, part_paid, "100.00")
    assert "CHF 44.10 werden Ihnen zurückerstattet" in text
    assert f"der Rest verringert den offenen Betrag der Rechnung {part_paid}" in text


def test_the_italian_price_notice_names_the_subscription_in_one_sentence(desk, make_school):
    school = make_school("Scuola Ørsted", language="it", **ADDRESS)
    order_seats(desk, school, 2, date(2026, 3, 10))
    add_price(desk, "LO-LOCAL", "subscription", Decimal("46.00"), date(2027, 1, 1))
    run = letters.price_change_notices(desk, "LO-LOCAL", date(2027, 1, 1), date(2026, 6, 1))
    text = text_of(run.batch_pdf())
    assert "il prezzo dell'abbonamento agli aggiornamenti per licenza e anno" in text
    assert "di l'" not in text


def test_letters_to_germany_and_austria_are_spelt_with_sharp_s(desk, make_school):
    # the school's own name keeps its "ss": only the catalogue's words are respelled
    german = make_school(
        "Schule Grosse Strasse", country="DE", street="Grosse Strasse", house_number="1",
        postcode="80802", city="München",
    )  # fmt: skip
    austrian = make_school("Schule Gmunden", country="AT", postcode="4810", city="Gmunden")
    swiss = make_school("Schule Bern", **ADDRESS)
    for school in (german, austrian, swiss):
        draft = order_seats(desk, school, 3, date(2026, 3, 10)).invoice.id
        issuing.issue_invoice(desk, str(draft), date(2026, 3, 11))
    run = dunning.run_dunning(desk, date(2026, 4, 20))
    by_school = {
        name: next(page for page in pages_of(run.batch_pdf) if name in page)
        for name in ("Schule Grosse Strasse", "Schule Gmunden", "Schule Bern")
    }
    for name in ("Schule Grosse Strasse", "Schule Gmunden"):
        assert "Gemäß unserer Buchhaltung" in by_school[name]
        assert "Freundliche Grüße" in by_school[name]
    assert "Grosse Strasse 1" in by_school["Schule Grosse Strasse"]
    assert "Gemäss unserer Buchhaltung" in by_school["Schule Bern"]
    assert "Freundliche Grüsse" in by_school["Schule Bern"]


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]
