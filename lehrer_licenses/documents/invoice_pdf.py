"""Invoices, credit notes and quotes as A4 PDF, drawn directly on the reportlab canvas.

Page layout (DIN 5008, form B - "tiefgestelltes Anschriftfeld", for left-window envelopes
C5/6, C5 and DL; all figures in mm from the top left corner of the page):

- letterhead in the top 45 mm: the vendor's logo on the left (at most 60 x 22), the vendor's
  address and contact details on the right;
- address field 85 x 45 at 20 from the left and 45 from the top: the upper 17.7 are the
  "Zusatz- und Vermerkzone" (we print the one-line return address at its bottom, 7 pt), the
  lower 27.3 the address proper (up to six lines, 10 pt, text at 25 from the left);
- information block (number, dates, school number) at 120 from the left, from 50 from the top;
- title ("Rechnung 2026-0001") at 98.5, then the plan's name and the optional note, the table of
  lines, the totals, the terms; DIN 5008 fold marks at 105 and 210 and the hole mark at 148.5
  on the left edge
  (the 210 mark only on a first page without the QR-bill, whose payment part must stay empty);
- left margin 25, right margin 20; a footer with the vendor's details and "Page 1 of 2".

Beside the totals: the payment terms, or, on an order or renewal invoice, the registration code
(its QR code, 20 mm, and the code in Courier beside it) with the terms under the totals, so that
a typical order (2-4 lines, code, QR-bill) fits one page. Fonts: ``text.choose_fonts`` (Helvetica
when every string is WinAnsi, else the embedded Liberation Sans, same widths, same layout).

Long tables continue on further pages with a repeated table header. A CHF invoice gets the Swiss
QR-bill payment part in the bottom 105 mm of its last page (a page is added when the content
reaches into it); a EUR invoice gets an EPC QR code ("GiroCode") with the bank details.

The layout is computed first (pages of drawing operations), then drawn, so every footer knows
the page count. Text typed by users is drawn with ``drawString``: it is never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from stdnum import iban as stdnum_iban
from stdnum import iso11649

from lehrer_licenses import __version__
from lehrer_licenses.documents.formatting import (
    format_amount,
    format_date,
    format_iban,
    format_money,
    format_percent,
    format_quantity,
    format_unit_price,
)
from lehrer_licenses.documents.model import DocumentDataError, InvoiceDocument
from lehrer_licenses.documents.qrcodes import draw_matrix, epc_payload, qr_matrix
from lehrer_licenses.documents.swiss_qr_bill import (
    QRBillData,
    build_qr_bill,
    draw_payment_part,
)
from lehrer_licenses.documents.text import (
    FONT_SETS,
    DocumentCanvas,
    FontMissing,
    FontSet,
    choose_fonts,
    clean,
    document_texts,
    fit,
    stringWidth,
    wrap_code,
)
from lehrer_licenses.documents.text import wrap as wrap_text
from lehrer_licenses.domain.payment_text import payment_form
from lehrer_licenses.domain.vat import REVERSE_CHARGE, regime_note, tax_word
from lehrer_licenses.i18n import N_, gettext_for

PAGE_WIDTH, PAGE_HEIGHT = A4

# Geometry in mm from the top left corner (see the module docstring).
LEFT = 25.0
RIGHT = 190.0
ADDRESS_LEFT = 20.0
ADDRESS_TOP = 45.0
ADDRESS_WIDTH = 85.0
ADDRESS_ZONE = 17.7  # Zusatz- und Vermerkzone
ADDRESS_TEXT = 25.0
INFO_LEFT = 120.0
INFO_TOP = 50.0
TITLE_BASELINE = 98.5 + 3.6
FOLD_MARK = 105.0
SECOND_FOLD_MARK = 210.0
HOLE_MARK = 148.5

# Table columns.
COL_POS = LEFT
COL_DESC = 33.0
COL_QTY_RIGHT = 133.0
COL_PRICE_RIGHT = 160.0
COL_AMOUNT_RIGHT = RIGHT
DESC_WIDTH = COL_QTY_RIGHT - 14.0 - COL_DESC
TABLE_HEADER_HEIGHT = 7.0
ROW_LINE = 3.8
ROW_PAD_TOP = 1.2
ROW_PAD_BOTTOM = 0.8
BODY_SIZE = 9.0

# Vertical limits.
CONTINUATION_TOP = 27.0
CONTENT_BOTTOM = 275.0
FOOTER_TOP = 279.5
SLIP_TOP = 297.0 - 105.0
SLIP_FOOTER_TOP = SLIP_TOP - 11.0
SLIP_CONTENT_BOTTOM = SLIP_FOOTER_TOP - 3.0

TOTALS_LABEL = 112.0
TOTALS_LINE = 4.6
LEFT_COLUMN_WIDTH = TOTALS_LABEL - 6.0 - LEFT
TERMS_LEADING = 4.2
REG_QR = 20.0  # registration code: 20 mm for up to version 10 (0.35 mm modules)
TERMS_BESIDE_CODE = 8.5  # font size of the terms under the totals when a code is beside them
EPC_QR = 32.0

GREY_TEXT = 0.35
GREY_RULE = 0.75

TITLES = {
    "invoice": N_("Invoice"),
    "credit_note": N_("Credit note"),
    "quote": N_("Quote"),
}
NUMBER_LABELS = {
    "invoice": N_("Invoice no."),
    "credit_note": N_("Credit note no."),
    "quote": N_("Quote no."),
}
FINAL_LABELS = {
    "invoice": N_("Amount payable"),
    "credit_note": N_("Amount credited"),
    "quote": N_("Total amount"),
}
COUNTRY_NAMES = {
    "CH": N_("Switzerland"),
    "LI": N_("Liechtenstein"),
    "DE": N_("Germany"),
    "AT": N_("Austria"),
    "NL": N_("Netherlands"),
    "BE": N_("Belgium"),
    "LU": N_("Luxembourg"),
    "FR": N_("France"),
    "IT": N_("Italy"),
}


def Y(top_mm: float) -> float:
    """Page coordinate (points from the bottom) of a position given in mm from the top."""
    return PAGE_HEIGHT - top_mm * mm


Op = Callable[[Canvas], None]


@dataclass
class _Page:
    ops: list[Op] = field(default_factory=list)
    slip: bool = False


@dataclass(frozen=True, slots=True)
class _Epc:
    matrix: tuple[bytes, ...]
    name: str
    iban: str
    bic: str
    reference: str | None
    text: str | None


@lru_cache(maxsize=64)
def _epc_matrix(
    name: str, iban: str, amount: Decimal, text: str | None, reference: str | None, bic: str
) -> tuple[bytes, ...]:
    """The EPC QR code ("GiroCode", version 002, level M) as a module matrix."""
    payload = epc_payload(
        name=payment_form(name),
        iban=iban,
        amount=amount,
        text=payment_form(text) if text else None,
        reference=reference,
        bic=bic or None,
    )
    return tuple(qr_matrix(payload))


@cache
def _logo(path: str, mtime: float) -> ImageReader:
    return ImageReader(path)


@dataclass(frozen=True, slots=True)
class RegistrationBlock:
    """A registration code laid out beside its QR code: a heading, the code in a monospaced
    block broken after its dashes, and a grey hint (all positions in mm below the block's top).
    """

    code: str
    heading: str
    lines: list[str]
    code_font: str
    hint: list[str]
    qr: float  # side of the QR code
    height: float

    CODE_SIZE = 7.5
    CODE_LEADING = 3.0
    HINT_SIZE = 6.5
    HINT_LEADING = 2.6


def draw_fold_marks(c: Canvas, *, slip: bool) -> None:
    """DIN 5008 fold marks (105, 210) and hole mark (148.5) on the left edge. The Swiss QR-bill's
    payment part takes the bottom 105 mm and must carry nothing else: no 210 mark on its page."""
    c.setStrokeGray(0.55)
    c.setLineWidth(0.4)
    c.line(4 * mm, Y(FOLD_MARK), 8 * mm, Y(FOLD_MARK))
    c.line(4 * mm, Y(HOLE_MARK), 10 * mm, Y(HOLE_MARK))
    if not slip:
        c.line(4 * mm, Y(SECOND_FOLD_MARK), 8 * mm, Y(SECOND_FOLD_MARK))
    c.setStrokeGray(0)


def registration_block(
    code: str, fonts: FontSet, heading: str, hint: str, width: float, qr: float = REG_QR
) -> RegistrationBlock:
    """Lay out ``code`` in ``width`` mm: the QR code on the left, the text beside it."""
    text_width = (width - qr - 3.5) * mm
    font = fonts.code_font(code)
    lines = wrap_code(code, font, RegistrationBlock.CODE_SIZE, text_width)
    hint_lines = wrap_text(hint, fonts.regular, RegistrationBlock.HINT_SIZE, text_width)
    text_bottom = 7.4 + (len(lines) - 1) * RegistrationBlock.CODE_LEADING + 1.5
    if hint_lines:
        text_bottom += 3.4 + (len(hint_lines) - 1) * RegistrationBlock.HINT_LEADING - 0.3
    return RegistrationBlock(
        code, heading, lines, font, hint_lines, qr, max(qr + 1.0, text_bottom) + 1.5
    )


def draw_registration_block(
    c: Canvas, block: RegistrationBlock, fonts: FontSet, left: float, top: float
) -> None:
    """Draw ``block`` with its top left corner at (``left``, ``top``) mm from the page's top."""
    draw_matrix(c, qr_matrix(block.code), left * mm, Y(top + 1.0), block.qr * mm)
    x = (left + block.qr + 3.5) * mm
    c.setFont(fonts.bold, 8)
    c.drawString(x, Y(top + 3.6), block.heading)
    c.setFont(block.code_font, block.CODE_SIZE)
    baseline = top + 7.4
    for line in block.lines:
        c.drawString(x, Y(baseline), line)
        baseline += block.CODE_LEADING
    c.setFillGray(GREY_TEXT)
    c.setFont(fonts.regular, block.HINT_SIZE)
    baseline += 3.4 - block.CODE_LEADING
    for line in block.hint:
        c.drawString(x, Y(baseline), line)
        baseline += block.HINT_LEADING
    c.setFillGray(0)


def render_invoice(doc: InvoiceDocument) -> bytes:
    """The PDF of an invoice, credit note or quote.

    Raises :class:`~lehrer_licenses.documents.model.QRBillDataError` when a CHF invoice's
    QR-bill data is invalid (IBAN, QR-IBAN, reference, addresses), and
    :class:`~lehrer_licenses.documents.model.DocumentDataError` for other unprintable data
    (e.g. an invalid IBAN for the EPC QR code).
    """
    return render_with_fonts(lambda fonts: _InvoiceRenderer(doc, fonts).render(), doc)


def render_with_fonts(render: Callable[[FontSet], bytes], *data: object) -> bytes:
    """``render(fonts)`` with the fonts :func:`~lehrer_licenses.documents.text.choose_fonts`
    picks for the strings in ``data``, or the next set when a string drawn proves it short."""
    start = FONT_SETS.index(choose_fonts(document_texts(*data)))
    for fonts in FONT_SETS[start:-1]:
        try:
            return render(fonts)
        except FontMissing:
            continue
    return render(FONT_SETS[-1])


def new_canvas(buffer: BytesIO, fonts: FontSet, language: str, size: float) -> DocumentCanvas:
    """The canvas of every document: A4, byte-identical re-renders (``invariant``), compressed,
    checking its strings against ``fonts`` unless they are the last resort."""
    return DocumentCanvas(
        buffer,
        pagesize=A4,
        invariant=1,
        pageCompression=1,
        lang=language,
        initialFontName=fonts.regular,
        initialFontSize=size,
        strict=fonts is not FONT_SETS[-1],
    )


class _InvoiceRenderer:
    def __init__(self, doc: InvoiceDocument, fonts: FontSet) -> None:
        self.doc = doc
        self.fonts = fonts
        self.regular = fonts.regular
        self.bold = fonts.bold
        self._ = gettext_for(doc.language, doc.recipient.country)
        self.title = self._(TITLES[doc.kind])
        self.number_text = doc.number if doc.number is not None else self._("DRAFT")
        self.pages: list[_Page] = []
        self.page = _Page()
        self.y = 0.0
        self.rows_on_page = 0

    # -- formatting -------------------------------------------------------------------------

    def amount(self, value: Decimal) -> str:
        return format_amount(value, self.doc.currency, self.doc.language)

    def money(self, value: Decimal) -> str:
        return format_money(value, self.doc.currency, self.doc.language)

    def date(self, value: Date) -> str:
        return format_date(value, self.doc.language)

    def vat_id_text(self) -> str:
        """The vendor's VAT number with its label; a Swiss "CHE-... MWST/TVA/IVA" number
        already says what it is and is printed as it is."""
        vat_id = clean(self.doc.vendor.vat_id).strip()
        if vat_id.upper().endswith((" MWST", " TVA", " IVA", " VAT")):
            return vat_id
        return self._("{tax} no. {vat_id}").format(tax=self.tax, vat_id=vat_id)

    @property
    def tax(self) -> str:
        """The tax's word: its country's, in the document's language (MWST, USt., btw, ...)."""
        return tax_word(self.doc.tax_country, self.doc.language)

    def country_name(self, code: str) -> str:
        name = COUNTRY_NAMES.get(code)
        return self._(name).upper() if name else code

    # -- payment data, validated before anything is drawn -------------------------------------

    def _payable_invoice(self) -> bool:
        return self.doc.kind == "invoice" and self.doc.payable > 0

    def _prepare_qr_bill(self) -> QRBillData | None:
        doc = self.doc
        if doc.currency != "CHF" or not self._payable_invoice():
            return None
        return build_qr_bill(
            vendor=doc.vendor,
            debtor=doc.recipient,
            amount=doc.payable,
            currency=doc.currency,
            reference=doc.reference,
            additional_information=f"{self.title} {self.number_text}",
            what=f"{doc.kind.replace('_', ' ')} {doc.number or '(draft)'}",
        )

    def _prepare_epc(self) -> _Epc | None:
        doc = self.doc
        if doc.currency != "EUR" or not self._payable_invoice():
            return None
        what = f"EPC QR code for invoice {doc.number or '(draft)'}"
        account = "".join(doc.vendor.iban.split()).upper()
        try:
            stdnum_iban.validate(account)
        except Exception as err:  # stdnum's ValidationError family
            raise DocumentDataError(
                f"{what}: the vendor IBAN {doc.vendor.iban!r} is not valid ({err})"
            ) from err
        ref = "".join((doc.reference or "").split()).upper()
        if ref and ref.startswith("RF") and iso11649.is_valid(ref):
            reference, text = ref, None
        else:
            reference = None
            text = f"{self.title} {self.number_text}"
            if ref:
                text += f" {doc.reference}"
        try:
            matrix = _epc_matrix(
                doc.vendor.name, account, doc.payable, text, reference, doc.vendor.bic
            )
        except ValueError as err:
            raise DocumentDataError(f"{what}: {err}") from err
        return _Epc(matrix, doc.vendor.name, account, doc.vendor.bic, reference, text)

    # -- layout -------------------------------------------------------------------------------

    def _new_page(self, *, table_header: bool) -> None:
        self.page = _Page()
        self.pages.append(self.page)
        self.y = CONTINUATION_TOP
        self.rows_on_page = 0
        if table_header:
            self._add_table_header()

    def _add(self, op: Op) -> None:
        self.page.ops.append(op)

    def _add_table_header(self) -> None:
        top = self.y
        self._add(lambda c: self._draw_table_header(c, top))
        self.y += TABLE_HEADER_HEIGHT

    def _place_block(self, height: float, draw: Callable[[Canvas, float], None]) -> None:
        if self.y + height > CONTENT_BOTTOM:
            self._new_page(table_header=False)
        top = self.y
        self._add(lambda c: draw(c, top))
        self.y += height

    def _layout(self, qr_bill: QRBillData | None, epc: _Epc | None) -> None:
        doc = self.doc
        self.pages = [self.page]
        self.y = TITLE_BASELINE + 2.0
        if doc.product:
            product_lines = wrap_text(doc.product, self.bold, 9.5, (RIGHT - LEFT) * mm)
            product_top = self.y
            self._add(
                lambda c: self._draw_lines(
                    c, product_lines, LEFT, product_top + 3.4, 9.5, 4.4, self.bold
                )
            )
            self.y += len(product_lines) * 4.4 + 1.0
        if doc.note:
            note_lines = wrap_text(doc.note, self.regular, 9.5, (RIGHT - LEFT) * mm)
            note_top = self.y
            self._add(lambda c: self._draw_lines(c, note_lines, LEFT, note_top + 3.4, 9.5, 4.4))
            self.y += len(note_lines) * 4.4 + 1.0
        self.y += 2.0
        self._add_table_header()

        for index, line in enumerate(doc.lines, start=1):
            desc = wrap_text(line.description, self.regular, BODY_SIZE, DESC_WIDTH * mm) or [""]
            first = True
            while desc:
                room = CONTENT_BOTTOM - self.y - ROW_PAD_TOP - ROW_PAD_BOTTOM
                capacity = int(room // ROW_LINE)
                if capacity >= len(desc):
                    take = len(desc)
                elif self.rows_on_page == 0 and capacity >= 1:
                    take = capacity  # a single line taller than a page: split it
                else:
                    self._new_page(table_header=True)
                    continue
                top = self.y
                chunk = desc[:take]
                shown = (index, line) if first else None
                self._add(lambda c, t=top, ch=chunk, s=shown: self._draw_row(c, t, s, ch))
                self.y += ROW_PAD_TOP + take * ROW_LINE + ROW_PAD_BOTTOM
                self.rows_on_page += 1
                desc = desc[take:]
                first = False
        table_end = self.y
        self._add(lambda c: self._rule(c, table_end, 0.8, 0))
        self.y += 3.0

        # Totals on the right. On the left the registration code (with the terms under the
        # totals), or else the terms: a typical order with its code and the QR-bill payment
        # part fits one page.
        terms = self._terms()
        code = self._registration_block()
        left_terms: list[str] = []
        right_terms: list[str] = []
        if terms and code is None:
            left_terms = wrap_text(terms, self.regular, BODY_SIZE, LEFT_COLUMN_WIDTH * mm)
        elif terms:
            right_terms = wrap_text(
                terms, self.regular, TERMS_BESIDE_CODE, (RIGHT - TOTALS_LABEL) * mm
            )
        totals = self._totals_lines()
        final = 4.0 + (len(totals) - 1) * TOTALS_LINE + 0.6
        height = final + 2.5
        if right_terms:
            height = final + 5.0 + (len(right_terms) - 1) * 3.8 + 2.5
        if code is not None:
            height = max(height, code.height)
        height = max(height, len(left_terms) * TERMS_LEADING + 2.5)
        self._place_block(
            height,
            lambda c, top: self._draw_totals(c, top, totals, left_terms, right_terms, code),
        )
        if epc is not None:
            self._place_block(EPC_QR + 8.0, lambda c, top: self._draw_epc(c, top, epc))
        if qr_bill is not None:
            if self.y > SLIP_CONTENT_BOTTOM:
                self._new_page(table_header=False)
            self.page.slip = True

    def _totals_lines(self) -> list[tuple[str, str, bool]]:
        doc = self.doc
        _ = self._
        lines = [
            (_("Subtotal excl. {tax}").format(tax=self.tax), self.amount(doc.net), False),
            (
                _("{tax} {rate}").format(
                    tax=self.tax, rate=format_percent(doc.vat_rate, doc.currency, doc.language)
                ),
                self.amount(doc.vat),
                False,
            ),
        ]
        if doc.rounding != 0 or doc.payable != doc.total:
            lines.append(
                (_("Total incl. {tax}").format(tax=self.tax), self.amount(doc.total), False)
            )
            lines.append((_("Rounding difference"), self.amount(doc.rounding), False))
        lines.append((_(FINAL_LABELS[doc.kind]), self.money(doc.payable), True))
        return lines

    def _registration_block(self) -> RegistrationBlock | None:
        code = clean(self.doc.registration_code or "").strip()
        if not code:
            return None
        return registration_block(
            code,
            self.fonts,
            self._("Registration code"),
            self._("Scan the QR code or type the code to register your licences."),
            LEFT_COLUMN_WIDTH,
        )

    def _credit_settlement(self) -> str:
        """What happens to the credited amount: a refund only of what was paid."""
        doc, _ = self.doc, self._
        refund = doc.credit_refund
        if refund is None:
            return _("The amount will be refunded to you or offset against your next invoice.")
        number = clean(doc.references_invoice or "")
        if refund <= 0:
            return _("The amount reduces the open amount of invoice {number}.").format(
                number=number
            )
        if refund >= doc.payable:
            return _("The amount will be refunded to you.")
        return _(
            "{refund} is refunded to you; the rest reduces the open amount of invoice {number}."
        ).format(refund=self.money(refund), number=number)

    def _terms(self) -> str:
        doc = self.doc
        _ = self._
        days = doc.vendor.payment_terms_days
        # The legal note of a 0 % regime goes first: it says why no tax is charged.
        note = regime_note(doc.vat_regime, doc.language)
        parts: list[str] = [f"{note}."] if note else []
        if doc.kind == "invoice":
            if doc.due_date is not None and days > 0:
                parts.append(
                    _("Payable within {days} days, by {date}.").format(
                        days=days, date=self.date(doc.due_date)
                    )
                )
            elif doc.due_date is not None:
                parts.append(_("Payable by {date}.").format(date=self.date(doc.due_date)))
            elif days > 0:
                parts.append(_("Payable within {days} days.").format(days=days))
        elif doc.kind == "credit_note":
            if doc.references_invoice:
                parts.append(
                    _("This credit note corrects invoice {number}.").format(
                        number=clean(doc.references_invoice)
                    )
                )
            parts.append(self._credit_settlement())
        elif doc.kind == "quote" and doc.due_date is not None:
            parts.append(
                _("This quote is valid until {date}.").format(date=self.date(doc.due_date))
            )
        return " ".join(parts)

    # -- drawing ------------------------------------------------------------------------------

    def render(self) -> bytes:
        doc = self.doc
        qr_bill = self._prepare_qr_bill()
        epc = self._prepare_epc()
        self._layout(qr_bill, epc)

        buffer = BytesIO()
        canvas = new_canvas(buffer, self.fonts, doc.language, BODY_SIZE)
        canvas.setTitle(f"{self.title} {self.number_text}")
        canvas.setAuthor(clean(doc.vendor.name))
        canvas.setSubject(f"{self.title} {self.number_text} - {clean(doc.recipient.name)}")
        canvas.setCreator(f"lehrer-licenses {__version__}")
        total = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            if doc.is_draft:
                self._draw_watermark(canvas)
            if number == 1:
                self._draw_first_page_head(canvas, page.slip)
            else:
                self._draw_continuation_head(canvas)
            for op in page.ops:
                op(canvas)
            self._draw_footer(canvas, number, total, page.slip)
            if page.slip and qr_bill is not None:
                draw_payment_part(
                    canvas,
                    qr_bill,
                    doc.language,
                    fonts=self.fonts,
                    scannable=not doc.is_draft,
                    placeholder=(self._("DRAFT"), self._("not for payment")),
                )
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def _text(
        self,
        c: Canvas,
        x_mm: float,
        baseline_mm: float,
        text: str,
        font: str | None = None,
        size: float = BODY_SIZE,
        align: str = "left",
    ) -> None:
        c.setFont(font or self.regular, size)
        if align == "right":
            c.drawRightString(x_mm * mm, Y(baseline_mm), text)
        elif align == "centre":
            c.drawCentredString(x_mm * mm, Y(baseline_mm), text)
        else:
            c.drawString(x_mm * mm, Y(baseline_mm), text)

    def _draw_lines(
        self,
        c: Canvas,
        lines: list[str],
        x_mm: float,
        first_baseline: float,
        size: float,
        leading: float,
        font: str | None = None,
    ) -> None:
        c.setFont(font or self.regular, size)
        for i, text in enumerate(lines):
            c.drawString(x_mm * mm, Y(first_baseline + i * leading), text)

    @staticmethod
    def _rule(c: Canvas, top: float, width: float, grey: float, left: float = LEFT) -> None:
        c.setStrokeGray(grey)
        c.setLineWidth(width)
        c.line(left * mm, Y(top), RIGHT * mm, Y(top))
        c.setStrokeGray(0)

    def _draw_watermark(self, c: Canvas) -> None:
        text = self._("DRAFT")
        size = fit(text, self.bold, 110, 240 * mm, minimum=40)
        c.saveState()
        c.setFillGray(0.9)
        c.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        c.rotate(55)
        c.setFont(self.bold, size)
        c.drawCentredString(0, -size * 0.35, text)
        c.restoreState()

    def _draw_first_page_head(self, c: Canvas, slip: bool) -> None:
        doc = self.doc
        vendor = doc.vendor
        _ = self._
        draw_fold_marks(c, slip=slip)

        # Letterhead: logo (or the name in large type) left, details right.
        logo_drawn = False
        if vendor.logo_path:
            path = Path(vendor.logo_path)
            if path.is_file():
                image = _logo(str(path), path.stat().st_mtime)
                c.drawImage(
                    image,
                    LEFT * mm,
                    Y(12 + 22),
                    width=60 * mm,
                    height=22 * mm,
                    preserveAspectRatio=True,
                    anchor="nw",
                    mask="auto",
                )
                logo_drawn = True
        details: list[tuple[str, str, float]] = []
        if logo_drawn:
            details.append((clean(vendor.name), self.bold, 9.5))
        else:
            name = clean(vendor.name)
            size = fit(name, self.bold, 16, 95 * mm, minimum=10)
            self._text(c, LEFT, 22, name, self.bold, size)
        address = vendor.address
        for extra in address.lines:
            details.append((clean(extra), self.regular, 8))
        if address.street_line:
            details.append((clean(address.street_line), self.regular, 8))
        city = clean(address.city_line)
        if address.country != doc.recipient.country:
            city = f"{address.country}-{city}"
        details.append((city, self.regular, 8))
        for value in (vendor.phone, vendor.email, vendor.website):
            if value:
                details.append((clean(value), self.regular, 8))
        if vendor.vat_id:
            details.append((self.vat_id_text(), self.regular, 8))
        baseline = 14.0
        for text, font, size in details:
            size = fit(text, font, size, 70 * mm)
            self._text(c, RIGHT, baseline, text, font, size, align="right")
            baseline += 3.7 if size >= 9 else 3.4

        # Address field (DIN 5008 form B): return address, then the recipient.
        c.setFillGray(GREY_TEXT)
        back = " · ".join(
            part for part in (clean(vendor.name), clean(address.street_line), city) if part
        )
        back_size = fit(back, self.regular, 7, (ADDRESS_WIDTH - 10) * mm, minimum=5)
        back_baseline = ADDRESS_TOP + ADDRESS_ZONE - 3.0
        self._text(c, ADDRESS_TEXT, back_baseline, back, self.regular, back_size)
        c.setStrokeGray(0.6)
        c.setLineWidth(0.3)
        width = stringWidth(back, self.regular, back_size)
        c.line(
            ADDRESS_TEXT * mm,
            Y(back_baseline + 1.0),
            ADDRESS_TEXT * mm + width,
            Y(back_baseline + 1.0),
        )
        c.setStrokeGray(0)
        c.setFillGray(0)

        recipient = doc.recipient
        raw = [recipient.name, *recipient.lines, recipient.street_line, recipient.city_line]
        if recipient.country and recipient.country != address.country:
            raw.append(self.country_name(recipient.country))
        window = (ADDRESS_WIDTH - 10) * mm
        lines: list[str] = []
        for value in raw:
            lines.extend(wrap_text(value, self.regular, 10, window))
        zone = 45.0 - ADDRESS_ZONE - 1.0
        leading = min(4.4, zone / max(1, len(lines)))
        size = min(10.0, leading / 0.44)
        first = ADDRESS_TOP + ADDRESS_ZONE + 0.8 + size * 0.3
        self._draw_lines(c, lines, ADDRESS_TEXT, first, size, leading)

        # Information block.
        rows: list[tuple[str, str]] = [
            (_(NUMBER_LABELS[doc.kind]), clean(self.number_text)),
            (_("Date"), self.date(doc.issue_date)),
        ]
        if doc.kind == "invoice" and doc.due_date is not None:
            rows.append((_("Due date"), self.date(doc.due_date)))
        if doc.kind == "quote" and doc.due_date is not None:
            rows.append((_("Valid until"), self.date(doc.due_date)))
        if doc.kind == "credit_note" and doc.references_invoice:
            rows.append((_("Corrects invoice"), clean(doc.references_invoice)))
        if doc.licence_holder:
            rows.append((_("Licence holder"), clean(doc.licence_holder)))
        if doc.school_number:
            rows.append((_("School no."), clean(doc.school_number)))
        if doc.vat_regime == REVERSE_CHARGE and doc.buyer_vat_id.strip():
            rows.append((_("Your {tax} no.").format(tax=self.tax), clean(doc.buyer_vat_id)))
        baseline = INFO_TOP + 3.0
        for label, value in rows:
            c.setFillGray(GREY_TEXT)
            self._text(c, INFO_LEFT, baseline, label, self.regular, 8)
            c.setFillGray(0)
            room = (RIGHT - INFO_LEFT) * mm - stringWidth(label, self.regular, 8) - 3 * mm
            self._text(
                c, RIGHT, baseline, value, self.regular, fit(value, self.regular, 9, room), "right"
            )
            baseline += 4.6

        # Title.
        title = f"{self.title} {clean(self.number_text)}"
        self._text(
            c,
            LEFT,
            TITLE_BASELINE,
            title,
            self.bold,
            fit(title, self.bold, 14, (RIGHT - LEFT) * mm),
        )

    def _draw_continuation_head(self, c: Canvas) -> None:
        name = clean(self.doc.vendor.name)
        self._text(c, LEFT, 15, name, self.bold, fit(name, self.bold, 9, 80 * mm))
        label = f"{self.title} {clean(self.number_text)} · {self.date(self.doc.issue_date)}"
        self._text(c, RIGHT, 15, label, self.regular, fit(label, self.regular, 9, 80 * mm), "right")
        self._rule(c, 18, 0.4, 0.6)

    def _draw_footer(self, c: Canvas, page: int, pages: int, slip: bool) -> None:
        vendor = self.doc.vendor
        _ = self._
        top = SLIP_FOOTER_TOP if slip else FOOTER_TOP
        self._rule(c, top, 0.4, 0.6)
        bank = []
        if vendor.vat_id:
            bank.append(self.vat_id_text())
        if vendor.iban:
            bank.append(f"IBAN {format_iban(vendor.iban)}")
        if vendor.bic:
            bank.append(f"BIC {clean(vendor.bic)}")
        line1 = " · ".join(bank)
        page_label = _("Page {page} of {pages}").format(page=page, pages=pages)
        room = (RIGHT - LEFT) * mm - stringWidth(page_label, self.regular, 7) - 4 * mm
        c.setFillGray(GREY_TEXT)
        baseline = top + 3.5
        for text in (line1, clean(vendor.footer)):
            if text:
                self._text(
                    c, LEFT, baseline, text, self.regular, fit(text, self.regular, 7, room, 5)
                )
                baseline += 3.2
        self._text(c, RIGHT, top + 3.5, page_label, self.regular, 7, "right")
        c.setFillGray(0)

    def _draw_table_header(self, c: Canvas, top: float) -> None:
        _ = self._
        baseline = top + 4.3
        size = 8.0
        c.setFillGray(0.2)
        self._text(c, COL_POS, baseline, _("No."), self.bold, size)
        self._text(c, COL_DESC, baseline, _("Description"), self.bold, size)
        for label, right, width in (
            (_("Qty"), COL_QTY_RIGHT, 16.0),
            (_("Unit price"), COL_PRICE_RIGHT, 28.0),
            (_("Amount") + " " + self.doc.currency, COL_AMOUNT_RIGHT, 31.0),
        ):
            self._text(
                c,
                right,
                baseline,
                label,
                self.bold,
                fit(label, self.bold, size, width * mm),
                "right",
            )
        c.setFillGray(0)
        self._rule(c, top + TABLE_HEADER_HEIGHT - 1.2, 0.6, 0.2)

    def _draw_row(
        self,
        c: Canvas,
        top: float,
        shown: tuple[int, object] | None,
        desc: list[str],
    ) -> None:
        doc = self.doc
        baseline = top + ROW_PAD_TOP + 2.6
        c.setFont(self.regular, BODY_SIZE)
        for i, text in enumerate(desc):
            c.drawString(COL_DESC * mm, Y(baseline + i * ROW_LINE), text)
        if shown is not None:
            index, line = shown
            c.drawString(COL_POS * mm, Y(baseline), str(index))
            for value, right in (
                (format_quantity(line.quantity, doc.currency, doc.language), COL_QTY_RIGHT),
                (format_unit_price(line.unit_price, doc.currency, doc.language), COL_PRICE_RIGHT),
                (self.amount(line.amount), COL_AMOUNT_RIGHT),
            ):
                c.drawRightString(right * mm, Y(baseline), value)
        bottom = top + ROW_PAD_TOP + len(desc) * ROW_LINE + ROW_PAD_BOTTOM
        self._rule(c, bottom, 0.3, GREY_RULE)

    def _draw_totals(
        self,
        c: Canvas,
        top: float,
        lines: list[tuple[str, str, bool]],
        left_terms: list[str],
        right_terms: list[str],
        code: RegistrationBlock | None,
    ) -> None:
        baseline = top + 4.0
        for label, value, final in lines:
            if final:
                self._rule(c, baseline - 3.6, 0.6, 0, left=TOTALS_LABEL)
                baseline += 0.6
                self._text(c, TOTALS_LABEL, baseline, label, self.bold, 10)
                self._text(c, RIGHT, baseline, value, self.bold, 10, "right")
            else:
                self._text(c, TOTALS_LABEL, baseline, label)
                self._text(c, RIGHT, baseline, value, align="right")
            baseline += TOTALS_LINE
        if right_terms:
            first = baseline - TOTALS_LINE + 5.0
            self._draw_lines(c, right_terms, TOTALS_LABEL, first, TERMS_BESIDE_CODE, 3.8)
        if left_terms:
            self._draw_lines(c, left_terms, LEFT, top + 4.0, BODY_SIZE, TERMS_LEADING)
        if code is not None:
            draw_registration_block(c, code, self.fonts, LEFT, top)

    def _draw_epc(self, c: Canvas, top: float, epc: _Epc) -> None:
        doc = self.doc
        _ = self._
        self._rule(c, top + 1.0, 0.4, GREY_RULE)
        qr_top = top + 4.0
        if doc.is_draft:
            c.saveState()
            c.setFillGray(0.93)
            c.setStrokeGray(0.6)
            c.rect(LEFT * mm, Y(qr_top + EPC_QR), EPC_QR * mm, EPC_QR * mm, stroke=1, fill=1)
            c.restoreState()
            c.setFillGray(0.35)
            self._text(
                c, LEFT + EPC_QR / 2, qr_top + EPC_QR / 2, _("DRAFT"), self.bold, 11, "centre"
            )
            self._text(
                c,
                LEFT + EPC_QR / 2,
                qr_top + EPC_QR / 2 + 4,
                _("not for payment"),
                self.regular,
                7,
                "centre",
            )
            c.setFillGray(0)
        else:
            draw_matrix(c, epc.matrix, LEFT * mm, Y(qr_top), EPC_QR * mm)
        x = LEFT + EPC_QR + 6.0
        self._text(c, x, qr_top + 3.5, _("Pay with your banking app"), self.bold, 10)
        rows = [(_("Account holder"), clean(epc.name)), ("IBAN", format_iban(epc.iban))]
        if epc.bic:
            rows.append(("BIC", clean(epc.bic)))
        if epc.reference:
            rows.append(
                (
                    _("Reference"),
                    " ".join(epc.reference[i : i + 4] for i in range(0, len(epc.reference), 4)),
                )
            )
        elif epc.text:
            rows.append((_("Payment purpose"), clean(epc.text)))
        rows.append((_("Amount"), self.money(doc.payable)))
        label_width = max(stringWidth(label, self.regular, 8.5) for label, _v in rows) / mm + 4.0
        baseline = qr_top + 9.5
        for label, value in rows:
            c.setFillGray(GREY_TEXT)
            self._text(c, x, baseline, label, self.regular, 8.5)
            c.setFillGray(0)
            room = (RIGHT - x - label_width) * mm
            self._text(
                c, x + label_width, baseline, value, self.regular, fit(value, self.regular, 9, room)
            )
            baseline += 4.4
