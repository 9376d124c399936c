"""Invoices, credit notes and quotes rendered to PDF and read back (DESIGN.md section 4)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from lehrer_licenses.documents import (
    Address,
    DocumentLine,
    InvoiceDocument,
    invoice_pdf,
    render_invoice,
)
from lehrer_licenses.documents.invoice_pdf import ADDRESS_TOP, ADDRESS_ZONE
from lehrer_licenses.documents.samples import (
    SWISS_SCHOOL,
    SWISS_VENDOR,
    sample_document,
)
from lehrer_licenses.documents.text import (
    LIBERATION,
    REGULAR,
    STANDARD,
    DocumentCanvas,
    ensure_fonts,
    stringWidth,
)
from lehrer_licenses.i18n import parse_po
from lehrer_licenses.paths import translations_dir

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
    assert "word599" in joined
    assert joined.count("X") == 300  # broken into lines, maybe across a page break
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


WINANSI_SCHOOL = Address(
    name="École Françoise Ørsted",
    lines=("Schulverwaltung", "z. H. Frau Müller"),
    street="Rue de l'Église",
    house_number="7",
    postcode="1700",
    city="Fribourg",
    country="CH",
)
STANDARD_FONTS = {"/Helvetica", "/Helvetica-Bold", "/Courier-Bold", "/ZapfDingbats"}


def base_fonts(pdf: bytes) -> set[str]:
    fonts = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return {str(fonts[name].get_object()["/BaseFont"]) for name in fonts}


def printed_characters(pdf: bytes) -> dict[str, set[str]]:
    """The characters each font of page 1 holds (from its ToUnicode map), spaces left out."""
    fonts = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    found: dict[str, set[str]] = {}
    for name in fonts:
        font = fonts[name].get_object()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        chars = {chr(int(u, 16)) for u in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]{4})>", cmap)}
        found.setdefault(str(font["/BaseFont"]).split("+")[-1], set()).update(chars - {" ", "\x00"})
    return found


@pytest.mark.parametrize(("language", "currency"), [("fr", "CHF"), ("fr", "EUR"), ("de", "EUR")])
def test_a_winansi_document_embeds_liberation_sans(texts, language, currency):
    """Every string prints in Windows-1252, and still no standard font: Liberation Sans is
    embedded (PDF/A), with Helvetica's widths (the narrow no-break space of French EUR amounts
    prints as a no-break space)."""
    recipient = WINANSI_SCHOOL if currency == "CHF" else replace(WINANSI_SCHOOL, country="FR")
    doc = sample_document(language=language, currency=currency, recipient=recipient)
    pdf = render_invoice(doc)
    assert not base_fonts(pdf) & STANDARD_FONTS
    assert {"LiberationSans", "LiberationSans-Bold"} <= set(printed_characters(pdf))
    assert len(pdf) < 100_000  # the common first subsets of the two fonts, about 29 KB each
    text = flat(texts(pdf)[0])
    for name in ("École Françoise Ørsted", "z. H. Frau Müller", "Rue de l'Église 7"):
        assert name in text, name
    if currency == "EUR":
        total = "1 108,66" if language == "fr" else "1.108,66"
        assert f"EUR {total}" in text


def test_a_name_beyond_winansi_embeds_liberation_sans(texts):
    pdf = render_invoice(sample_document(language="de"))  # "Primarschule Łukasz Żółć"
    fonts = base_fonts(pdf)
    assert any(name.endswith("+LiberationSans") for name in fonts), fonts
    assert any(name.endswith("+LiberationSans-Bold") for name in fonts), fonts
    assert not any("Helvetica" in name for name in fonts), fonts
    # DejaVu Sans prints the QR-bill's scissors only; the text is Liberation Sans.
    assert printed_characters(pdf).get("DejaVuSans", set()) <= {"\u2702"}
    assert b"/FontFile2" in pdf
    text = texts(pdf)[0]
    for name in ("Primarschule Łukasz Żółć", "z. H. Françoise Dvořák", "Zürich"):
        assert name in text, name


def test_text_beyond_liberation_sans_embeds_dejavu_sans(texts):
    doc = sample_document(
        language="en", currency="EUR", note="Διεύθυνση σχολείου ⇒ ✓ Ωμέγα"
    )  # the arrow and the check mark are not in Liberation Sans
    pdf = render_invoice(doc)
    assert any("DejaVuSans" in name for name in base_fonts(pdf))
    assert "Διεύθυνση σχολείου ⇒ ✓ Ωμέγα" in texts(pdf)[0]


def test_a_string_the_scan_missed_still_prints(monkeypatch, texts):
    """The fonts are chosen from the document's data; a string from elsewhere that the
    standard fonts cannot print (here a translation) makes the renderer start again with
    Liberation Sans instead of printing black boxes."""
    translate = invoice_pdf.gettext_for("de")

    def special(language, country=""):
        return lambda message: "Rechnung Łódź" if message == "Invoice" else translate(message)

    monkeypatch.setattr(invoice_pdf, "gettext_for", special)
    pdf = render_invoice(sample_document(language="de", recipient=WINANSI_SCHOOL))
    assert any("LiberationSans" in name for name in base_fonts(pdf))
    assert "Rechnung Łódź 2026-0001" in texts(pdf)[0]


def _text_positions(pdf: bytes) -> list[tuple[str, float, float]]:
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_helvetica_and_liberation_sans_lay_out_alike():
    """Liberation Sans has Helvetica's (Arial's) widths: a document lays out the same in both."""
    doc = sample_document(language="fr", recipient=WINANSI_SCHOOL, registration_code="LO1-" * 20)
    standard = _text_positions(invoice_pdf._InvoiceRenderer(doc, STANDARD).render())
    embedded = _text_positions(invoice_pdf._InvoiceRenderer(doc, LIBERATION).render())
    assert [text for text, _x, _y in standard] == [text for text, _x, _y in embedded]
    for (text, x1, y1), (_text, x2, y2) in zip(standard, embedded, strict=True):
        assert abs(y1 - y2) < 0.01 and abs(x1 - x2) < 1.0, (text, x1, x2)


@pytest.mark.parametrize("language", ["de", "fr", "it", "nl"])
def test_the_document_catalogues_print_with_the_standard_fonts(language):
    """The fonts are chosen from the document's data alone: every text of the documents' and
    the letters' catalogues must print in Windows-1252, or documents would be drawn twice."""
    for area in ("documents", "billing"):
        for message in parse_po(translations_dir() / language / f"{area}.po").values():
            assert STANDARD.covers(message), (area, message)


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


# A registration code as the desk issues them: 185 characters, 31 blocks of five.
LONG_CODE = (
    "06RGZ-D2MJ4-8C0GW-SN0HM-ZG9HG-3FNE5-5SSMC-ZRNZT-TNBCW-PSJ3S-HZ388-PZFD9-58P9W-BK5MS-J8XCF-"
    "4Z859-GX74T-BVX0D-X3AWS-EWFQ1-H1ZKH-N0RFK-9D3D3-YMWSR-M5WP4-M05YK-AHK6X-SHTDK-7FGPQ-H1NPZ-"
    "24702"
)


# Four lines, the fullest page, in the fast loop; two and three as well in CI (dev.py test).
@pytest.mark.parametrize("lines", [pytest.param(n, marks=pytest.mark.slow) for n in (2, 3)] + [4])
@pytest.mark.parametrize("language", ["de", "fr", "it", "en"])
@pytest.mark.parametrize("recipient", [SWISS_SCHOOL, WINANSI_SCHOOL], ids=["unicode", "winansi"])
def test_an_order_invoice_with_its_code_fits_one_page(texts, lines, language, recipient):
    """2-4 lines, the registration code (text and QR code) beside the totals, the terms under
    them, and the QR-bill payment part: one A4 page."""
    doc = sample_document(
        language=language, lines=lines, registration_code=LONG_CODE, recipient=recipient
    )
    (page,) = texts(render_invoice(doc))
    assert LONG_CODE in "".join(page.split())
    assert "30" in page and doc.vendor.name in page


def test_the_order_invoices_codes_scan(qr_codes, texts):
    pdf = render_invoice(sample_document(language="de", lines=4, registration_code=LONG_CODE))
    codes = qr_codes(pdf)
    assert LONG_CODE in codes
    assert any(code.startswith("SPC") for code in codes)
    page = flat(texts(pdf)[0])
    assert "Registrierungscode" in page
    assert "Zahlbar innerhalb von 30 Tagen, bis 09.04.2026." in page


@pytest.mark.parametrize("fonts", [STANDARD, LIBERATION], ids=["standard", "liberation"])
def test_the_canvas_writes_strings_as_reportlab_does(fonts):
    """DocumentCanvas writes plain strings itself (faster): the same text at the same places
    as reportlab's own drawString, drawRightString and drawCentredString."""
    ensure_fonts(fonts)
    texts = ["Zürich 1'234.50", "Łódź" if fonts.embedded else "Ørsted", "(a) \\ b", ""]

    def draw(canvas_class):
        buffer = BytesIO()
        canvas = canvas_class(buffer, invariant=1)
        for size, (i, text) in zip((9, 10.5, 12, 8), enumerate(texts), strict=True):
            canvas.setFont(fonts.regular if i % 2 else fonts.bold, size)
            canvas.drawString(50, 700 - 20 * i, text)
            canvas.drawRightString(400, 700 - 20 * i, text)
            canvas.drawCentredString(300, 500 - 20 * i, text)
        canvas.showPage()
        canvas.save()
        return _text_positions(buffer.getvalue())

    ours = draw(DocumentCanvas)
    assert len(ours) == 9
    assert ours == draw(Canvas)
