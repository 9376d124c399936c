"""Invoices, credit notes and quotes rendered to PDF and read back (DESIGN.md section 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from lehrer_licenses.documents import (
    Address,
    DocumentLine,
    InvoiceDocument,
    render_invoice,
)
from lehrer_licenses.documents.invoice_pdf import ADDRESS_TOP, ADDRESS_ZONE
from lehrer_licenses.documents.samples import (
    SWISS_SCHOOL,
    SWISS_VENDOR,
    sample_document,
)
from lehrer_licenses.documents.text import REGULAR, ensure_fonts, stringWidth

TITLES = {
    "invoice": {
        "de": "Rechnung",
        "fr": "Facture",
        "it": "Fattura",
        "en": "Invoice",
        "nl": "Factuur",
    },
    "credit_note": {
        "de": "Gutschrift",
        "fr": "Note de crédit",
        "it": "Nota di credito",
        "en": "Credit note",
        "nl": "Creditnota",
    },
    "quote": {"de": "Angebot", "fr": "Offre", "it": "Offerta", "en": "Quote", "nl": "Offerte"},
}
PAGE = {
    "de": "Seite 1 von 1",
    "fr": "Page 1 sur 1",
    "it": "Pagina 1 di 1",
    "en": "Page 1 of 1",
    "nl": "Pagina 1 van 1",
}


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces as single spaces (wrapped lines joined)."""
    return " ".join(text.split())


def example_3(**changes) -> InvoiceDocument:
    """DESIGN.md worked example 3: renewal 2027 of 5 seats, 222.75 + 8.1 % = 240.79 -> 240.80."""
    doc = InvoiceDocument(
        kind="invoice",
        number="2027-0042",
        issue_date=date(2027, 1, 4),
        due_date=date(2027, 2, 3),
        language="de",
        currency="CHF",
        vendor=SWISS_VENDOR,
        recipient=SWISS_SCHOOL,
        school_number="S-10472",
        lines=(
            DocumentLine(
                description="Update-Abo 2027, pro Lehrperson",
                quantity=Decimal("5"),
                unit_price=Decimal("44.55"),
                amount=Decimal("222.75"),
            ),
        ),
        net=Decimal("222.75"),
        vat_rate=Decimal("8.1"),
        vat=Decimal("18.04"),
        total=Decimal("240.79"),
        rounding=Decimal("0.01"),
        payable=Decimal("240.80"),
        reference="210000000003139471430009017",
    )
    return replace(doc, **changes)


def test_example_3_prints_net_vat_rounding_and_payable(texts):
    (page,) = map(flat, texts(render_invoice(example_3())))
    for expected in (
        "Rechnung 2027-0042",
        "Total exkl. MWST",
        "222.75",
        "MWST 8.1%",
        "18.04",
        "Total inkl. MWST",
        "240.79",
        "Rundungsdifferenz",
        "0.01",
        "Zu zahlender Betrag",
        "CHF 240.80",
        "Zahlbar innerhalb von 30 Tagen, bis 03.02.2027.",
        "Fällig am",
        "S-10472",
    ):
        assert expected in page, expected


def test_no_rounding_line_when_rounding_is_zero(texts):
    doc = example_3(vat=Decimal("18.05"), total=Decimal("240.80"), rounding=Decimal("0.00"))
    (page,) = texts(render_invoice(doc))
    assert "Rundungsdifferenz" not in page
    assert "Total inkl. MWST" not in page
    assert "CHF 240.80" in page


@pytest.mark.parametrize("kind", ["invoice", "credit_note", "quote"])
@pytest.mark.parametrize("language", ["de", "fr", "it", "en", "nl"])
def test_title_and_labels_in_the_documents_language(texts, kind, language):
    currency = "EUR" if language == "nl" else "CHF"
    pages = texts(render_invoice(sample_document(kind=kind, language=language, currency=currency)))
    assert f"{TITLES[kind][language]} 2026-0001" in pages[0]
    if language in PAGE:
        assert PAGE[language] in pages[0]


@pytest.mark.parametrize("language", ["de", "fr", "it", "en", "nl"])
def test_names_with_diacritics_survive(texts, language):
    recipient = Address(
        name="Łukasz Żółć",
        lines=("c/o Antonín Dvořák", "Françoise Ørsted"),
        street="Rue de l'Église",
        house_number="7",
        postcode="1700",
        city="Fribourg",
        country="CH",
    )
    doc = sample_document(language=language, recipient=recipient, note="Grüße an Ørsted")
    text = "\n".join(texts(render_invoice(doc)))
    for name in ("Łukasz Żółć", "Antonín Dvořák", "Françoise Ørsted", "Rue de l'Église 7"):
        assert name in text, name
    assert "Grüße an Ørsted" in text


def test_user_text_is_never_markup(texts):
    hacker = "<b>Hacker</b> & Co"
    recipient = replace(SWISS_SCHOOL, name=hacker, lines=("<i>x</i> &amp; <br/>",))
    line = DocumentLine(
        description="<font color=red>red</font> & <para>",
        quantity=Decimal(1),
        unit_price=Decimal("10.00"),
        amount=Decimal("10.00"),
    )
    doc = sample_document(recipient=recipient, note=hacker, lines=(line,))
    text = "\n".join(texts(render_invoice(doc)))
    assert text.count(hacker) >= 3  # window, note, QR-bill receipt and payment part
    assert "<i>x</i> &amp; <br/>" in text
    assert "<font color=red>red</font> & <para>" in text


def test_forty_lines_continue_on_a_second_page_with_the_header_repeated(texts):
    doc = sample_document(language="en", lines=40)
    pdf = render_invoice(doc)
    pages = texts(pdf)
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    for page in pages:
        assert "Description" in page and "Unit price" in page
    assert "Invoice 2026-0001" in pages[1]  # the continuation header
    assert "Payment part" not in pages[0] and "Payment part" in pages[1]
    assert "Amount payable" in pages[1]
    everything = flat("\n".join(pages))
    for line in doc.lines:
        assert line.description in everything


def test_a_very_long_description_wraps_and_stays_on_the_page(texts):
    words = " ".join(f"word{i}" for i in range(600))
    line = DocumentLine(
        description=f"{words} {'X' * 300}",
        quantity=Decimal(1),
        unit_price=Decimal("1.00"),
        amount=Decimal("1.00"),
    )
    pdf = render_invoice(sample_document(lines=(line,), language="en"))
    pages = texts(pdf)
    joined = "".join("".join(p.split()) for p in pages)
    assert "word599" in joined and "X" * 300 in joined
    ensure_fonts()
    right_edges = []

    def visit(text, cm, tm, font, size):
        if text.strip().startswith(("word", "XX")):
            x = tm[4] * cm[0] + cm[4]
            right_edges.append(x + stringWidth(text.strip(), REGULAR, size))

    for page in PdfReader(BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert len(right_edges) > 20  # wrapped into many lines
    assert max(right_edges) <= 190 * 72 / 25.4  # never past the right margin


def test_recipient_sits_in_the_din_5008_window(texts):
    pdf = render_invoice(sample_document(language="de"))
    page = PdfReader(BytesIO(pdf)).pages[0]
    found = []

    def visit(text, cm, tm, font, size):
        if text.startswith("Primarschule"):
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    x, y = found[0]
    x_mm = x * 25.4 / 72
    top_mm = 297 - y * 25.4 / 72
    assert 20 <= x_mm <= 30  # text at 25 mm, inside the window from 20 mm
    assert ADDRESS_TOP + ADDRESS_ZONE <= top_mm <= ADDRESS_TOP + 45


def test_credit_note_names_the_corrected_invoice_and_has_no_payment_part(texts, qr_codes):
    doc = sample_document(kind="credit_note", number="G-2026-0003", language="de")
    pdf = render_invoice(doc)
    (page,) = map(flat, texts(pdf))
    assert "Gutschrift G-2026-0003" in page
    assert "Diese Gutschrift korrigiert die Rechnung 2026-0001." in page
    assert "Gutgeschriebener Betrag" in page
    assert "Zahlteil" not in page
    assert qr_codes(pdf) == []


def test_quote_has_validity_and_no_payment_part(texts):
    doc = sample_document(kind="quote", number="O-2026-0007", language="it")
    (page,) = map(flat, texts(render_invoice(doc)))
    assert "Offerta O-2026-0007" in page
    assert "Questa offerta è valida fino al 9 aprile 2026." in page
    assert "Sezione pagamento" not in page


def test_a_draft_is_marked_and_cannot_be_paid(texts, qr_codes):
    pdf = render_invoice(sample_document(number=None, language="de"))
    (page,) = texts(pdf)
    assert "Rechnung ENTWURF" in page
    assert "nicht zur Zahlung" in page
    assert "Zahlteil" in page  # the layout is there to check, the QR code is not
    assert qr_codes(pdf) == []


def test_rendering_is_deterministic():
    doc = sample_document()
    assert render_invoice(doc) == render_invoice(doc)


def test_fonts_are_embedded():
    pdf = render_invoice(sample_document())
    page = PdfReader(BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    base_fonts = {str(fonts[name].get_object()["/BaseFont"]) for name in fonts}
    assert any("DejaVuSans" in name for name in base_fonts), base_fonts
    assert not any("Helvetica" in name for name in base_fonts), base_fonts


def test_logo_is_drawn_when_given(tmp_path, texts):
    pytest.importorskip("PIL")
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (200, 30, 30)).save(logo)
    vendor = replace(SWISS_VENDOR, logo_path=logo)
    pdf = render_invoice(sample_document(vendor=vendor))
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    assert "Lehrer Lizenzen AG" in texts(pdf)[0]  # the name moves to the letterhead details


def test_a_school_abroad_gets_its_country_in_the_window_and_on_the_qr_bill(texts, qr_codes):
    school = Address(
        name="Basisschool De Ørsted",
        street="Keizersgracht",
        house_number="123",
        postcode="1015 CJ",
        city="Amsterdam",
        country="NL",
    )
    pdf = render_invoice(sample_document(language="de", recipient=school))
    (page,) = texts(pdf)
    assert "1015 CJ Amsterdam\nNIEDERLANDE" in page
    assert "NL-1015 CJ Amsterdam" in page  # QR-bill: country code before a foreign postcode
    (payload,) = [code for code in qr_codes(pdf) if code.startswith("SPC")]
    assert (
        "\r\nS\r\nBasisschool De Ørsted\r\nKeizersgracht\r\n123\r\n1015 CJ\r\nAmsterdam\r\nNL\r\n"
        in payload
    )
