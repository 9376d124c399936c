"""The payment QR codes are read back from pixels and checked field by field.

Swiss QR-bill: Swiss Implementation Guidelines v2.3, section 4 (data structure). EPC QR code:
EPC069-12 version 002 ("GiroCode").
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from qrbill import QRBill

from lehrer_licenses.documents import QRBillDataError, render_invoice
from lehrer_licenses.documents.model import DocumentDataError
from lehrer_licenses.documents.samples import (
    SAMPLE_CH_IBAN,
    SAMPLE_CREDITOR_REFERENCE,
    SAMPLE_QR_REFERENCE,
    SWISS_SCHOOL,
    SWISS_VENDOR,
    sample_document,
)
from lehrer_licenses.documents.swiss_qr_bill import format_reference

# Field positions in the QR-bill payload (IG v2.3, 4.3.3).
QR_TYPE, VERSION, CODING, ACCOUNT = 0, 1, 2, 3
CREDITOR = slice(4, 11)
ULTIMATE_CREDITOR = slice(11, 18)
AMOUNT, CURRENCY = 18, 19
DEBTOR = slice(20, 27)
REFERENCE_TYPE, REFERENCE, MESSAGE, TRAILER = 27, 28, 29, 30


def qr_bill_payload(codes: list[str]) -> list[str]:
    bills = [code for code in codes if code.startswith("SPC")]
    assert len(bills) == 1, codes
    return bills[0].split("\r\n")


def test_qr_bill_payload_read_back_line_by_line(qr_codes):
    doc = sample_document(language="fr")
    fields = qr_bill_payload(qr_codes(render_invoice(doc)))
    assert fields[QR_TYPE] == "SPC"
    assert fields[VERSION] == "0200"
    assert fields[CODING] == "1"
    assert fields[ACCOUNT] == "CH4431999123000889012"  # the QR-IBAN, for a QR reference
    assert fields[CREDITOR] == [
        "S",
        "Lehrer Lizenzen AG",
        "Bahnhofstrasse",
        "12",
        "8001",
        "Zürich",
        "CH",
    ]
    assert fields[ULTIMATE_CREDITOR] == [""] * 7
    assert fields[AMOUNT] == f"{doc.payable:.2f}" == "1007.10"
    assert fields[CURRENCY] == "CHF"
    assert fields[DEBTOR] == [
        "S",
        "Primarschule Łukasz Żółć",
        "Schulhausstrasse",
        "5",
        "3011",
        "Bern",
        "CH",
    ]
    assert fields[REFERENCE_TYPE] == "QRR"
    assert fields[REFERENCE] == SAMPLE_QR_REFERENCE
    assert fields[MESSAGE] == "Facture 2026-0001"
    assert fields[TRAILER] == "EPD"
    assert len(fields) == 31


def test_qr_bill_payload_is_exactly_what_qrbill_builds(qr_codes):
    doc = sample_document(language="de")
    (payload,) = [c for c in qr_codes(render_invoice(doc)) if c.startswith("SPC")]
    expected = QRBill(
        account="CH4431999123000889012",
        creditor={
            "name": "Lehrer Lizenzen AG",
            "street": "Bahnhofstrasse",
            "house_num": "12",
            "pcode": "8001",
            "city": "Zürich",
            "country": "CH",
        },
        debtor={
            "name": SWISS_SCHOOL.name,
            "street": SWISS_SCHOOL.street,
            "house_num": SWISS_SCHOOL.house_number,
            "pcode": SWISS_SCHOOL.postcode,
            "city": SWISS_SCHOOL.city,
            "country": "CH",
        },
        amount="1007.10",
        currency="CHF",
        reference_number=SAMPLE_QR_REFERENCE,
        additional_information="Rechnung 2026-0001",
    ).qr_data()
    assert payload == expected


def test_qr_bill_geometry_follows_the_style_guide(qr_boxes):
    """The Swiss QR code is 46 x 46 mm, 5 mm right of the receipt (62 mm) and 17 mm below the
    top of the 105 mm payment slip; the slip texts use the style guide's sizes."""
    pdf = render_invoice(sample_document(language="de"))
    ((_payload, (left, top, right, bottom)),) = [
        found for found in qr_boxes(pdf, dpi=300) if found[0].startswith("SPC")
    ]
    tolerance = 0.6  # the detector reports module centres give or take a module (0.6 mm)
    assert abs(left - 67) <= tolerance
    assert abs(top - (297 - 105 + 17)) <= tolerance
    assert abs((right - left) - 46) <= 2 * tolerance
    assert abs((bottom - top) - 46) <= 2 * tolerance

    sizes: dict[str, set[float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.setdefault(text.strip(), set()).add(round(size, 1))

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert sizes["Zahlteil"] == {11.0} and sizes["Empfangsschein"] == {11.0}
    assert sizes["Konto / Zahlbar an"] == {6.0, 8.0}  # receipt heading, payment part heading
    assert sizes["Annahmestelle"] == {6.0}
    assert 10.0 in sizes["Rechnung 2026-0001"]  # a value in the payment part
    assert sizes["Währung"] == {6.0, 8.0}


def test_creditor_reference_uses_the_ordinary_iban(qr_codes, texts):
    doc = sample_document(language="en", reference="RF18 5390 0754 7034")
    pdf = render_invoice(doc)
    fields = qr_bill_payload(qr_codes(pdf))
    assert fields[ACCOUNT] == SAMPLE_CH_IBAN.replace(" ", "")
    assert fields[REFERENCE_TYPE] == "SCOR"
    assert fields[REFERENCE] == SAMPLE_CREDITOR_REFERENCE
    assert "RF18 5390 0754 7034" in texts(pdf)[0]


def test_invoice_without_reference_pays_to_the_iban_with_type_non(qr_codes):
    doc = replace(sample_document(language="it"), reference=None)
    fields = qr_bill_payload(qr_codes(render_invoice(doc)))
    assert fields[ACCOUNT] == SAMPLE_CH_IBAN.replace(" ", "")
    assert fields[REFERENCE_TYPE] == "NON"
    assert fields[REFERENCE] == ""
    assert fields[MESSAGE] == "Fattura 2026-0001"


def test_qr_bill_texts_follow_the_official_wording(texts):
    expected = {
        "de": ("Zahlteil", "Empfangsschein", "Konto / Zahlbar an", "Annahmestelle", "Währung"),
        "fr": ("Section paiement", "Récépissé", "Compte / Payable à", "Point de dépôt"),
        "it": ("Sezione pagamento", "Ricevuta", "Conto / Pagabile a", "Punto di accettazione"),
        "en": ("Payment part", "Receipt", "Account / Payable to", "Acceptance point"),
        "nl": ("Payment part", "Receipt", "Account / Payable to", "Acceptance point"),
    }
    for language, headings in expected.items():
        (page,) = texts(render_invoice(sample_document(language=language)))
        for heading in headings:
            assert heading in page, (language, heading)
        assert "21 00000 00003 13947 14300 09017" in page
        assert "CH44 3199 9123 0008 8901 2" in page
        assert "1 007.10" in page


def test_registration_code_is_printed_and_scannable(qr_codes, texts):
    code = "LO1-7KQ2-MX4P-9ZRT-WW3A-B6CD"
    pdf = render_invoice(sample_document(registration_code=code, language="nl", currency="EUR"))
    assert code in qr_codes(pdf)
    page = texts(pdf)[0]
    assert code in "".join(page.split())  # printed in lines broken after a dash
    assert "LO1-7KQ2-" in page
    assert "Registratiecode" in page


def test_eur_invoice_has_an_epc_qr_code(qr_codes, texts):
    doc = sample_document(language="nl", currency="EUR")
    pdf = render_invoice(doc)
    epc = [code for code in qr_codes(pdf) if code.startswith("BCD")]
    assert len(epc) == 1
    fields = epc[0].split("\n")
    assert fields[0] == "BCD"
    assert fields[1] == "002"
    assert fields[2] in {"1", "2"}  # UTF-8 or ISO 8859-1
    assert fields[3] == "SCT"
    assert fields[4] == "COBADEFFXXX"
    assert fields[5] == "Lernplattform Süd GmbH"
    assert fields[6] == "DE89370400440532013000"
    assert Decimal(fields[7].removeprefix("EUR")) == doc.payable == Decimal("1108.66")
    assert fields[8] == ""
    assert fields[9] == SAMPLE_CREDITOR_REFERENCE
    page = texts(pdf)[0]
    assert "Betalen met uw bankapp" in page
    assert "DE89 3704 0044 0532 0130 00" in page
    assert "EUR 1.108,66" in page
    assert "Payment part" not in page


def test_epc_without_creditor_reference_carries_the_invoice_number_as_text(qr_codes):
    doc = sample_document(language="de", currency="EUR", reference="")
    (epc,) = [code for code in qr_codes(render_invoice(doc)) if code.startswith("BCD")]
    fields = epc.split("\n")
    assert fields[9] == ""
    assert fields[10] == "Rechnung 2026-0001"


def test_formatted_references():
    assert format_reference("QRR", SAMPLE_QR_REFERENCE) == "21 00000 00003 13947 14300 09017"
    assert format_reference("SCOR", SAMPLE_CREDITOR_REFERENCE) == "RF18 5390 0754 7034"


def _with_scor(**vendor_changes):
    doc = sample_document(reference=SAMPLE_CREDITOR_REFERENCE)
    return replace(doc, vendor=replace(SWISS_VENDOR, **vendor_changes))


INVALID = {
    "QR reference without QR-IBAN": (
        lambda: replace(sample_document(), vendor=replace(SWISS_VENDOR, qr_iban=None)),
        ["QR-IBAN", "none is set"],
    ),
    "IBAN with a wrong check digit": (
        lambda: _with_scor(iban="CH93 0076 2011 6238 5295 8"),
        ["IBAN", "not valid"],
    ),
    "IBAN outside CH/LI": (
        lambda: _with_scor(iban="DE89 3704 0044 0532 0130 00"),
        ["IBAN must start with"],
    ),
    "malformed creditor reference": (
        lambda: sample_document(reference="RF00 1234"),
        ["reference", "invalid"],
    ),
    "school without postcode": (
        lambda: sample_document(recipient=replace(SWISS_SCHOOL, postcode="")),
        ["school's billing address", "Postal code"],
    ),
    "Greek school name": (
        lambda: sample_document(recipient=replace(SWISS_SCHOOL, name="Σχολείο Ωμέγα")),
        ["school's name", "U+03A3"],
    ),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_qr_bill_data_is_refused_with_a_clear_message(case):
    make, words = INVALID[case]
    with pytest.raises(QRBillDataError) as caught:
        render_invoice(make())
    message = str(caught.value)
    assert "2026-0001" in message
    for word in words:
        assert word in message, message


def test_invalid_iban_for_the_epc_code_is_refused():
    doc = sample_document(currency="EUR", language="de")
    doc = replace(doc, vendor=replace(doc.vendor, iban="DE00 1234"))
    with pytest.raises(DocumentDataError, match="vendor IBAN"):
        render_invoice(doc)
