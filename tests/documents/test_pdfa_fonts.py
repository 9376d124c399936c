"""Every PDF the project writes embeds every font (PDF/A forbids the 14 standard fonts a viewer
substitutes), and a Factur-X file is the PDF/A-3B its XMP claims: an sRGB OutputIntent, the
document information saying what the XMP says."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from lehrer_licenses.documents import Address, render_invoice
from lehrer_licenses.documents.einvoice import EInvoiceParties, cii_xml, facturx_pdf
from lehrer_licenses.documents.letters import render_letters
from lehrer_licenses.documents.samples import SWISS_VENDOR, make_lines, sample_document
from lehrer_licenses.services.season.letters import (
    dunning_letter,
    notice_reminder_letter,
    renewal_letter,
)

WINANSI = Address(name="Primarschule Aesch", street="Schulweg", house_number="1",
                  postcode="4147", city="Aesch", country="CH")  # fmt: skip
GREEK = Address(name="Σχολείο Αθηνών ✓", street="Οδός", postcode="10558", city="Αθήνα",
                country="CH")  # fmt: skip
CODE = "LO1-ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"


def _reminder(**changes):
    values = dict(
        vendor=SWISS_VENDOR, recipient=WINANSI, school_number="100001", language="de",
        currency="CHF", on=date(2026, 5, 20), level=1, invoice_number="2026-00017",
        invoice_date=date(2026, 3, 11), due_date=date(2026, 4, 10), payable=Decimal("505.90"),
        settled=Decimal("0.00"), fee=Decimal("0.00"), earlier_fees=Decimal("0.00"),
        pay_by=date(2026, 5, 30), previous_reminder=None,
        reference="000000000000000002026000172",
    )  # fmt: skip
    values.update(changes)
    return dunning_letter(**values)


def _letters():
    common = dict(on=date(2026, 9, 1), vendor=SWISS_VENDOR, recipient=WINANSI,
                  school_number="100001")  # fmt: skip
    renewal = renewal_letter(
        language="fr", currency="CHF", product="LehrerOffice", quantity="5 licences",
        term_start=date(2027, 1, 1), term_end=date(2027, 12, 31), lines=make_lines(2),
        invoice_number="2027-00001", registration_code=CODE, **common,
    )  # fmt: skip
    notice = notice_reminder_letter(
        language="de", product="LehrerOffice", quantity="5 Lizenzen", renewal_on=date(2027, 1, 1),
        deadline=date(2026, 10, 31), **common,
    )  # fmt: skip
    return render_letters([renewal, notice, _reminder(level=2, currency="EUR", reference="")])


KINDS = {
    "invoice CHF, QR-bill, code": lambda: render_invoice(
        sample_document(recipient=WINANSI, registration_code=CODE)
    ),
    "invoice EUR": lambda: render_invoice(sample_document(currency="EUR", language="nl")),
    "invoice beyond Liberation Sans": lambda: render_invoice(
        sample_document(currency="EUR", recipient=GREEK)
    ),
    "credit note": lambda: render_invoice(sample_document(kind="credit_note", recipient=WINANSI)),
    "quote": lambda: render_invoice(
        sample_document(kind="quote", number="Q2026-00001", recipient=WINANSI)
    ),
    "reminder with QR-bill": lambda: render_letters([_reminder()]),
    "renewal, notice and EUR letters": _letters,
}


def font_dictionaries(pdf: bytes):
    for page in PdfReader(BytesIO(pdf)).pages:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            yield fonts[name].get_object()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_font_of_every_pdf_kind_is_embedded(kind):
    pdf = KINDS[kind]()
    fonts = list(font_dictionaries(pdf))
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{kind}: {font['/BaseFont']} is not embedded"
        descriptor = descriptor.get_object()
        assert {"/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    names = {str(f["/BaseFont"]) for f in fonts}
    assert not any(n.lstrip("/") in _BASE_14 for n in names), names


_BASE_14 = {
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier",
    "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def test_the_embedded_widths_agree_with_the_font_programs():
    """PDF/A 6.2.11.5: a monospaced font lists few advances in 'hmtx'; its subsets must still
    carry 0.6 em for a code's characters (reportlab wrote 602 font units, about 0.29 em)."""
    pdf = KINDS["invoice CHF, QR-bill, code"]()
    (mono,) = [f for f in font_dictionaries(pdf) if "Mono" in str(f["/BaseFont"])]
    data = mono["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
    tables = {
        data[12 + 16 * i : 16 + 16 * i]: int.from_bytes(data[20 + 16 * i : 24 + 16 * i], "big")
        for i in range(int.from_bytes(data[4:6], "big"))
    }
    units = int.from_bytes(data[tables[b"head"] + 18 : tables[b"head"] + 20], "big")
    listed = int.from_bytes(data[tables[b"hhea"] + 34 : tables[b"hhea"] + 36], "big")
    hmtx = tables[b"hmtx"]
    advances = [int.from_bytes(data[hmtx + 4 * g : hmtx + 4 * g + 2], "big") for g in range(listed)]
    widths = [float(w) for w in mono["/Widths"]]
    assert round(advances[-1] * 1000 / units, 1) == round(max(widths), 1) == 602.1


@pytest.mark.parametrize("currency", ["CHF", "EUR"])
def test_factur_x_is_pdf_a_3b_with_an_srgb_output_intent(currency):
    doc = sample_document(currency=currency, registration_code=CODE)
    pdf = facturx_pdf(render_invoice(doc), cii_xml(doc, EInvoiceParties()), "de")
    reader = PdfReader(BytesIO(pdf))
    assert reader.pdf_header == "%PDF-1.7"
    root = reader.trailer["/Root"]
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    icc = profile.get_data()
    assert profile["/N"] == 3 and icc[36:40] == b"acsp" and icc[16:20] == b"RGB "
    assert "/ID" in reader.trailer
    for font in font_dictionaries(pdf):
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B<" in xmp
    info = reader.metadata
    for key, prop in (("/Producer", "pdf:Producer"), ("/Keywords", "pdf:Keywords"),
                      ("/Creator", "xmp:CreatorTool")):  # fmt: skip
        assert re.search(f"<{prop}>([^<]*)</{prop}>", xmp).group(1) == info[key], key
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>([^<]*)</rdf:li>", xmp, re.S).group(1)
    assert _unescape(title) == info["/Title"] == f"{doc.vendor.name}: Invoice {doc.number}"
    created = re.search(r"<xmp:CreateDate>([^<]*)<", xmp).group(1)
    assert info["/CreationDate"].startswith("D:" + re.sub(r"\D", "", created)[:14])
    assert "/Trapped" not in info
    assert xmp.count('<rdf:Description rdf:about=""') == xmp.count("<rdf:Description")


def _unescape(text: str) -> str:
    return re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text).replace("&amp;", "&")


def test_a_document_with_a_logo_keeps_its_fonts_embedded(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), (200, 30, 30)).save(logo)
    vendor = replace(SWISS_VENDOR, logo_path=str(logo))
    pdf = render_invoice(sample_document(vendor=vendor, recipient=WINANSI))
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in font_dictionaries(pdf))
