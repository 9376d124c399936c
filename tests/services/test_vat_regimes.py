"""VAT by place of supply, issued as a user issues it: the vendor declares per school country how
it bills (domestic VAT, a registration abroad with its own number, reverse charge, not taxable);
the invoice and its credit note carry the rate, the tax word, the vendor number and the legal
note of that regime, and their e-invoices pass the EN 16931 and XRechnung rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree as ET

import facturx
import pytest
from pypdf import PdfReader
from support.billing_schools import school_in

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.documents.einvoice import RAM
from lehrer_licenses.documents.einvoice_rules import findings
from lehrer_licenses.services.billing import credit_notes, issuing, printing, vat_regimes, vendor
from lehrer_licenses.services.billing.drafts import get_invoice
from lehrer_licenses.services.billing.einvoices import make_einvoice, set_leitweg_id
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.packages.activation import order_package
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import edit_school

NS = {"ram": RAM}
LEITWEG = "04011000-1234512345-06"
GERMAN_VENDOR = {
    "name": "Lernsoftware Muster GmbH", "street": "Leopoldstraße", "house_number": "40",
    "postcode": "80802", "city": "München", "country": "DE", "vat_id": "DE136695976",
    "iban": "DE89 3704 0044 0532 0130 00", "qr_iban": "", "email": "rechnung@muster.example",
    "phone": "+49 89 1234 567",
}  # fmt: skip
DUTCH_VENDOR = {
    "name": "Leermiddelen Voorbeeld B.V.", "street": "Keizersgracht", "house_number": "1",
    "postcode": "1015 CJ", "city": "Amsterdam", "country": "NL", "vat_id": "NL004495445B01",
    "iban": "NL91 ABNA 0417 1643 00", "qr_iban": "", "email": "factuur@voorbeeld.example",
    "phone": "+31 20 123 4567",
}  # fmt: skip
# A 3-seat LehrerOffice order on 2026-03-10, net of VAT (the seat plans are priced in CHF).
NET = Decimal("468.00")
PACKAGE_NET = Decimal("650.00")  # a 500-user package on 2026-02-01 (EUR)


def texts(xml: bytes, path: str) -> list[str]:
    return [e.text for e in ET.fromstring(xml).iterfind(path, NS)]


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        (page.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ")
        for page in PdfReader(BytesIO(pdf)).pages
    )


@pytest.fixture
def swiss(db):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    return db


def _issued_order(db, school: str) -> tuple[str, str]:
    """Order 3 seats, issue the invoice, credit it in full: (invoice number, credit note)."""
    draft = order_seats(db, school, 3, date(2026, 3, 10)).invoice.id
    number = issuing.issue_invoice(db, str(draft), date(2026, 3, 11)).number
    note = credit_notes.credit_invoice(db, number, reason="Storno", on=date(2026, 3, 12))
    return number, shape.credit_note_json(note)["number"]


def _check_einvoices(db, *keys: str, xrechnung: bool) -> list[bytes]:
    """The Factur-X XML of each document, checked by the EN 16931 (and XRechnung) rules."""
    out = []
    for key in keys:
        _name, xml = facturx.get_facturx_xml_from_pdf(make_einvoice(db, key).data)
        assert findings(xml, xrechnung=False) == []
        if xrechnung:
            assert findings(make_einvoice(db, key, xrechnung=True).data, xrechnung=True) == []
        out.append(xml)
    return out


def test_an_undeclared_country_is_billed_as_before(swiss):
    """Existing data keeps its amounts: domestic at home, the school country's rate abroad."""
    regimes = vat_regimes.get_regimes(swiss)
    assert regimes.declared == {}
    assert [(r.country, r.kind, r.number("CHE-123.456.788 MWST")) for r in regimes.listing()] == [
        ("CH", "domestic", "CHE-123.456.788 MWST"),
        ("DE", "registered", "CHE-123.456.788 MWST"),
        ("AT", "registered", "CHE-123.456.788 MWST"),
        ("NL", "registered", "CHE-123.456.788 MWST"),
    ]


def test_swiss_vendor_to_a_swiss_school_domestic_mwst(swiss, make_school):
    number, note = _issued_order(swiss, school_in(make_school, "CH"))
    invoice = get_invoice(swiss, number)
    assert invoice.totals.net.amount == NET
    assert invoice.totals.vat_rate == Decimal("8.1")
    assert invoice.totals.vat.amount == Decimal("37.91")  # 468.00 x 8.1 % = 37.908
    text = pdf_text(printing.invoice_pdf(swiss, number).pdf)
    assert "MWST 8.1%" in text and "Total exkl. MWST" in text
    assert "CHE-123.456.788 MWST" in text
    for xml in _check_einvoices(swiss, number, note, xrechnung=False):
        assert set(texts(xml, ".//ram:CategoryCode")) == {"S"}
        assert texts(xml, ".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
            "CHE123456788MWST"
        ]
    assert "MWST 8.1%" in pdf_text(printing.invoice_pdf(swiss, note).pdf)


def test_swiss_vendor_registered_in_germany_bills_german_vat_with_its_german_number(
    swiss, make_school
):
    vat_regimes.set_regime(swiss, "DE", "registered", "DE136695976")
    school = school_in(make_school, "DE")
    set_leitweg_id(swiss, school, LEITWEG)
    number, note = _issued_order(swiss, school)
    invoice = get_invoice(swiss, number)
    assert (invoice.totals.net.amount, invoice.totals.vat_rate) == (NET, Decimal("19"))
    assert invoice.totals.vat.amount == Decimal("88.92")  # 468.00 x 19 %
    for key in (number, note):
        text = pdf_text(printing.invoice_pdf(swiss, key).pdf)
        assert "USt. 19%" in text and "Total exkl. USt." in text
        assert "USt.-Nr. DE136695976" in text
        assert "MWST" not in text and "CHE-123.456.788" not in text
    for xml in _check_einvoices(swiss, number, note, xrechnung=True):
        assert set(texts(xml, ".//ram:CategoryCode")) == {"S"}
        assert texts(xml, ".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
            "DE136695976"
        ]


def test_swiss_vendor_charging_swiss_vat_to_a_german_school(swiss, make_school):
    vat_regimes.set_regime(swiss, "DE", "domestic")
    number, _note = _issued_order(swiss, school_in(make_school, "DE", language="en"))
    invoice = get_invoice(swiss, number)
    assert (invoice.totals.vat_rate, invoice.totals.vat.amount) == (
        Decimal("8.1"),
        Decimal("37.91"),
    )
    text = pdf_text(printing.invoice_pdf(swiss, number).pdf)
    assert "VAT 8.1%" in text and "CHE-123.456.788 MWST" in text


def test_reverse_charge_0_percent_with_the_legal_note_and_both_vat_ids(swiss, make_school):
    vat_regimes.set_regime(swiss, "DE", "reverse-charge")
    school = school_in(make_school, "DE")
    draft = order_seats(swiss, school, 3, date(2026, 3, 10)).invoice.id
    with pytest.raises(InvalidInput, match=rf"school {school} has none.*school edit {school}"):
        issuing.issue_invoice(swiss, str(draft), date(2026, 3, 11))
    edit_school(swiss, school, {"vat_id": "DE 811 907 980"})
    set_leitweg_id(swiss, school, LEITWEG)
    number = issuing.issue_invoice(swiss, str(draft), date(2026, 3, 11)).number
    invoice = get_invoice(swiss, number)
    assert (invoice.totals.net.amount, invoice.totals.vat.amount) == (NET, Decimal("0.00"))
    assert invoice.totals.vat_rate == 0
    text = pdf_text(printing.invoice_pdf(swiss, number).pdf)
    assert "Steuerschuldnerschaft des Leistungsempfängers." in text
    assert "Ihre USt.-Nr." in text and "DE 811 907 980" in text
    assert "CHE-123.456.788 MWST" in text
    note = credit_notes.credit_invoice(swiss, number, reason="Storno", on=date(2026, 3, 12))
    note_number = shape.credit_note_json(note)["number"]
    assert "Steuerschuldnerschaft" in pdf_text(printing.invoice_pdf(swiss, note_number).pdf)
    for xml in _check_einvoices(swiss, number, note_number, xrechnung=True):
        assert set(texts(xml, ".//ram:CategoryCode")) == {"AE"}
        assert texts(xml, ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
                          "ram:ExemptionReasonCode") == ["VATEX-EU-AE"]  # fmt: skip
        assert texts(xml, ".//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
            "DE811907980"
        ]
        assert "Steuerschuldnerschaft des Leistungsempfängers" in texts(
            xml, ".//ram:IncludedNote/ram:Content"
        )


def test_not_taxable_0_percent_with_the_note_and_no_vat_id_in_the_einvoice(swiss, make_school):
    vat_regimes.set_regime(swiss, "AT", "not-taxable")
    number, note = _issued_order(swiss, school_in(make_school, "AT", language="en"))
    invoice = get_invoice(swiss, number)
    assert (invoice.totals.vat.amount, invoice.totals.payable.amount) == (Decimal("0.00"), NET)
    for key in (number, note):
        assert "Not subject to VAT." in pdf_text(printing.invoice_pdf(swiss, key).pdf)
    for xml in _check_einvoices(swiss, number, note, xrechnung=False):
        assert set(texts(xml, ".//ram:CategoryCode")) == {"O"}
        assert texts(xml, ".//ram:SpecifiedTaxRegistration/ram:ID") == []  # BR-O-02
        assert texts(xml, ".//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID") == [
            "CHE123456788"
        ]


@pytest.mark.parametrize(
    ("settings", "country", "language", "vat", "word", "number"),
    [
        # 650.00 x 19 % = 123.50; 650.00 x 21 % = 136.50
        (GERMAN_VENDOR, "DE", "de", "123.50", "USt. 19 %", "USt.-Nr. DE136695976"),
        (DUTCH_VENDOR, "NL", "nl", "136.50", "btw 21 %", "btw-nr. NL004495445B01"),
    ],
)
def test_a_vendor_at_home_bills_its_own_vat(
    db, make_school, settings, country, language, vat, word, number
):
    vendor.set_vendor(db, settings)
    school = school_in(make_school, country, language=language)
    draft = order_package(db, school, 500, date(2026, 2, 1)).invoice.id
    invoice_number = issuing.issue_invoice(db, str(draft), date(2026, 2, 1)).number
    note = credit_notes.credit_invoice(db, invoice_number, reason="Storno", on=date(2026, 2, 2))
    note_number = shape.credit_note_json(note)["number"]
    invoice = get_invoice(db, invoice_number)
    assert (invoice.totals.net.amount, invoice.totals.vat.amount) == (PACKAGE_NET, Decimal(vat))
    for key in (invoice_number, note_number):
        text = pdf_text(printing.invoice_pdf(db, key).pdf)
        assert word in text and number in text and "MWST" not in text
    _check_einvoices(db, invoice_number, note_number, xrechnung=False)


def test_the_regime_is_kept_on_the_invoice_when_the_setting_changes(swiss, make_school):
    vat_regimes.set_regime(swiss, "DE", "registered", "DE136695976")
    number, note = _issued_order(swiss, school_in(make_school, "DE"))
    vat_regimes.set_regime(swiss, "DE", "not-taxable")
    (xml, _credit) = _check_einvoices(swiss, number, note, xrechnung=False)
    assert set(texts(xml, ".//ram:CategoryCode")) == {"S"}
    assert texts(xml, ".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
        "DE136695976"
    ]


def test_declaring_a_regime_refuses_what_cannot_be_billed(swiss):
    with pytest.raises(InvalidInput, match=r"registration in DE needs its number"):
        vat_regimes.set_regime(swiss, "DE", "registered")
    with pytest.raises(InvalidInput, match=r"not a valid VAT number of DE: 'ATU13585627'"):
        vat_regimes.set_regime(swiss, "DE", "registered", "ATU13585627")
    with pytest.raises(InvalidInput, match=r"CH is the vendor's own country"):
        vat_regimes.set_regime(swiss, "CH", "registered", "CHE-123.456.788 MWST")
    with pytest.raises(InvalidInput, match=r"reverse charge is for schools abroad"):
        vat_regimes.set_regime(swiss, "CH", "reverse-charge")
    with pytest.raises(InvalidInput, match=r"not to not-taxable"):
        vat_regimes.set_regime(swiss, "AT", "not-taxable", "ATU13585627")
    with pytest.raises(InvalidInput, match=r"unknown VAT regime 'exempt'"):
        vat_regimes.set_regime(swiss, "AT", "exempt")
    assert vat_regimes.get_regimes(swiss).declared == {}
