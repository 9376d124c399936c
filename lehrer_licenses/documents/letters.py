"""Letters as A4 PDF: payment reminders (three levels), renewal letters, notice-period reminders
and price-increase notices, one letter or a batch of many in one PDF for printing.

The page is the invoice's (``invoice_pdf``): letterhead, the school's address in the left window
(DIN 5008 form B), the information block, fold and hole marks, the footer with the bank details.
A reminder for a CHF invoice carries the Swiss QR-bill for the amount due, with the invoice's
reference; for EUR an EPC QR code. Texts are in the letter's language (``translations/*/
billing.po``); what users typed is drawn as text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Literal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lehrer_licenses import __version__
from lehrer_licenses.documents.formatting import (
    format_amount,
    format_date,
    format_iban,
    format_money,
    format_quantity,
    format_unit_price,
)
from lehrer_licenses.documents.invoice_pdf import (
    ADDRESS_TEXT,
    ADDRESS_TOP,
    ADDRESS_WIDTH,
    ADDRESS_ZONE,
    CONTENT_BOTTOM,
    COUNTRY_NAMES,
    EPC_QR,
    FOOTER_TOP,
    GREY_RULE,
    GREY_TEXT,
    INFO_LEFT,
    INFO_TOP,
    LEFT,
    RIGHT,
    SLIP_CONTENT_BOTTOM,
    SLIP_FOOTER_TOP,
    TITLE_BASELINE,
    Y,
    _epc_matrix,
    _logo,
    draw_fold_marks,
    draw_registration_block,
    new_canvas,
    registration_block,
    render_with_fonts,
)
from lehrer_licenses.documents.model import (
    DOCUMENT_CURRENCIES,
    DOCUMENT_LANGUAGES,
    Address,
    DocumentDataError,
    DocumentLine,
    Vendor,
)
from lehrer_licenses.documents.qrcodes import draw_matrix
from lehrer_licenses.documents.swiss_qr_bill import QRBillData, build_qr_bill, draw_payment_part
from lehrer_licenses.documents.text import FontSet, clean, fit, stringWidth
from lehrer_licenses.documents.text import wrap as wrap_text
from lehrer_licenses.i18n import gettext_for

LetterKind = Literal["dunning", "renewal", "notice_reminder", "price_increase"]
LETTER_KINDS = ("dunning", "renewal", "notice_reminder", "price_increase")
BODY = 10.0
LEADING = 4.4
ROW = 5.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterRow:
    """A row of a letter's amounts table: ``label``, an optional ``detail`` printed beside it,
    and the ``amount`` on the right (with the currency code when ``total``, in bold)."""

    label: str
    detail: str = ""
    amount: Decimal
    total: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"LetterRow.amount must be a Decimal, not {type(self.amount).__name__}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Letter:
    """One letter, its wording already in the school's language (the services write it).

    - ``subject`` (the title), ``paragraphs`` (before the amounts table), ``after`` (after it),
      ``closing`` (greeting and signature lines);
    - ``rows``: the amounts table of a reminder (the invoice, paid, fees, amount due);
      ``lines``: the items of a renewal (description, quantity, unit price, amount, excl. VAT);
    - ``invoice_number``: printed in the information block;
    - ``registration_code``: printed as text and as a QR code;
    - ``payment_amount`` and ``reference``: a reminder asks for this amount with a Swiss QR-bill
      (CHF, QR reference or creditor reference) or an EPC QR code (EUR);
    - ``enclosure``: a PDF printed after the letter (a renewal letter's invoice).
    """

    kind: LetterKind
    language: str
    letter_date: Date
    vendor: Vendor
    recipient: Address
    school_number: str
    subject: str
    paragraphs: tuple[str, ...]
    after: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    currency: str = "CHF"
    rows: tuple[LetterRow, ...] = ()
    lines: tuple[DocumentLine, ...] = ()
    invoice_number: str | None = None
    registration_code: str | None = None
    payment_amount: Decimal | None = None
    reference: str | None = None
    licence_holder: str | None = None  # the school, when the letter goes to another payer
    # The PDF the letter encloses (a renewal letter: the issued invoice), printed after it.
    enclosure: bytes | None = None
    enclosure_name: str = ""  # its file name as an e-mail attachment

    def __post_init__(self) -> None:
        if self.kind not in LETTER_KINDS:
            raise DocumentDataError(f"unknown letter kind {self.kind!r}; expected {LETTER_KINDS}")
        if self.language not in DOCUMENT_LANGUAGES:
            raise DocumentDataError(f"unknown document language {self.language!r}")
        if self.currency not in DOCUMENT_CURRENCIES:
            raise DocumentDataError(f"unsupported currency {self.currency!r}")
        for name in ("paragraphs", "after", "closing", "rows", "lines"):
            if not isinstance(getattr(self, name), tuple):
                object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.payment_amount is not None and not isinstance(self.payment_amount, Decimal):
            raise TypeError("Letter.payment_amount must be a Decimal")


def render_letter(letter: Letter) -> bytes:
    return render_letters([letter])


def render_letters(letters: list[Letter] | tuple[Letter, ...], *, enclosures: bool = True) -> bytes:
    """Many letters in one PDF (for printing), each with its own page numbers and followed by
    the pages of what it encloses (a renewal letter: its invoice) unless ``enclosures`` is
    False (an e-mail attaches those files of their own)."""
    if not letters:
        raise DocumentDataError("no letters to print")
    if not enclosures or not any(letter.enclosure for letter in letters):
        return render_with_fonts(lambda fonts: _render_letters(letters, fonts), *letters)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    # Letters without an enclosure are rendered together, as without any enclosure at all.
    group: list[Letter] = []
    for letter in [*letters, None]:
        if letter is not None and not letter.enclosure:
            group.append(letter)
            continue
        if group:
            writer.append(PdfReader(BytesIO(render_letters(group, enclosures=False))))
            group = []
        if letter is not None:
            writer.append(PdfReader(BytesIO(render_letters([letter], enclosures=False))))
            writer.append(PdfReader(BytesIO(letter.enclosure)))
    writer.add_metadata({"/Creator": f"lehrer-licenses {__version__}"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _render_letters(letters: list[Letter] | tuple[Letter, ...], fonts: FontSet) -> bytes:
    first = letters[0]
    buffer = BytesIO()
    canvas = new_canvas(buffer, fonts, first.language, BODY)
    canvas.setAuthor(clean(first.vendor.name))
    canvas.setCreator(f"lehrer-licenses {__version__}")
    titles = []
    for letter in letters:
        renderer = _LetterRenderer(letter, fonts)
        renderer.draw(canvas)
        titles.append(renderer.subject)
    canvas.setTitle(titles[0] if len(titles) == 1 else f"{titles[0]} (+{len(titles) - 1})")
    canvas.save()
    return buffer.getvalue()


class _LetterRenderer:
    def __init__(self, letter: Letter, fonts: FontSet) -> None:
        self.letter = letter
        self.fonts = fonts
        self.regular = fonts.regular
        self.bold = fonts.bold
        self._ = gettext_for(letter.language, letter.recipient.country)
        self.subject = clean(letter.subject)

    # -- words --------------------------------------------------------------------------------

    def money(self, value: Decimal) -> str:
        return format_money(value, self.letter.currency, self.letter.language)

    def amount(self, value: Decimal) -> str:
        return format_amount(value, self.letter.currency, self.letter.language)

    def date(self, value: Date | None) -> str:
        return format_date(value, self.letter.language) if value else ""

    # -- payment part -------------------------------------------------------------------------

    def _payable(self) -> Decimal | None:
        amount = self.letter.payment_amount
        return amount if amount is not None and amount > 0 else None

    def qr_bill(self) -> QRBillData | None:
        letter = self.letter
        amount = self._payable()
        if amount is None or letter.currency != "CHF":
            return None
        number = clean(letter.invoice_number or "")
        return build_qr_bill(
            vendor=letter.vendor,
            debtor=letter.recipient,
            amount=amount,
            currency=letter.currency,
            reference=letter.reference,
            additional_information=" · ".join(p for p in (self.subject, number) if p),
            what=f"letter {self.subject!r} {number}",
        )

    def epc(self) -> tuple[tuple[bytes, ...], str, str | None] | None:
        letter = self.letter
        amount = self._payable()
        if amount is None or letter.currency != "EUR":
            return None
        account = "".join(letter.vendor.iban.split()).upper()
        ref = "".join((letter.reference or "").split()).upper()
        creditor_reference = ref if ref.startswith("RF") else None
        text = None if creditor_reference else f"{letter.invoice_number or ''} {ref}".strip()
        try:
            matrix = _epc_matrix(
                letter.vendor.name, account, amount, text or None, creditor_reference,
                letter.vendor.bic,
            )  # fmt: skip
        except ValueError as err:
            raise DocumentDataError(f"EPC QR code for {self.subject!r}: {err}") from err
        return matrix, account, creditor_reference or text

    # -- drawing ------------------------------------------------------------------------------

    def draw(self, c: Canvas) -> None:
        letter = self.letter
        qr_bill = self.qr_bill()
        epc = self.epc()
        width = (RIGHT - LEFT) * mm
        body = [wrap_text(p, self.regular, BODY, width) for p in letter.paragraphs]
        after = [wrap_text(p, self.regular, BODY, width) for p in letter.after]
        # Lay the letter out in blocks; a block that does not fit starts a new page.
        blocks: list[tuple[float, object]] = []
        for para in body:
            blocks.append((len(para) * LEADING + 2.5, ("para", para)))
        if letter.rows:
            blocks.append((len(letter.rows) * ROW + 4, ("amounts", letter.rows)))
        for para in after:
            blocks.append((len(para) * LEADING + 2.5, ("para", para)))
        if letter.lines:
            rows = [
                (line, wrap_text(line.description, self.regular, 9, 92 * mm) or [""])
                for line in letter.lines
            ]
            height = sum(len(desc) * 3.8 + 1.6 for _line, desc in rows) + 16
            blocks.append((height, ("lines", rows)))
        if letter.registration_code:
            code = registration_block(
                clean(letter.registration_code).strip(),
                self.fonts,
                self._("Registration code"),
                "",
                RIGHT - LEFT,
            )
            blocks.append((code.height + 2.0, ("code", code)))
        if letter.closing:
            closing = [clean(line) for line in letter.closing]
            blocks.append((len(closing) * LEADING + 2.5, ("para", closing)))
        if epc is not None:
            blocks.append((EPC_QR + 8, ("epc", epc)))

        pages: list[list[tuple[float, object]]] = [[]]
        y = TITLE_BASELINE + 6
        bottom = SLIP_CONTENT_BOTTOM if qr_bill is not None else CONTENT_BOTTOM
        for height, block in blocks:
            if y + height > CONTENT_BOTTOM:
                pages.append([])
                y = 27.0
            pages[-1].append((y, block))
            y += height
        slip_page_needed = qr_bill is not None and y > bottom
        total = len(pages) + (1 if slip_page_needed else 0)
        for number, page in enumerate(pages, start=1):
            last = number == len(pages)
            slip_here = last and qr_bill is not None and not slip_page_needed
            if number == 1:
                self._draw_head(c, slip_here)
            else:
                self._draw_continuation(c)
            for top, block in page:
                self._draw_block(c, top, block)
            self._draw_footer(c, number, total, slip_here)
            if slip_here:
                draw_payment_part(c, qr_bill, letter.language, fonts=self.fonts)
            c.showPage()
        if slip_page_needed:
            self._draw_continuation(c)
            self._draw_footer(c, total, total, True)
            draw_payment_part(c, qr_bill, letter.language, fonts=self.fonts)
            c.showPage()

    def _text(self, c, x, baseline, text, font=None, size=BODY, align="left") -> None:
        c.setFont(font or self.regular, size)
        if align == "right":
            c.drawRightString(x * mm, Y(baseline), text)
        else:
            c.drawString(x * mm, Y(baseline), text)

    def _rule(self, c: Canvas, top: float, width: float, grey: float, left: float = LEFT) -> None:
        c.setStrokeGray(grey)
        c.setLineWidth(width)
        c.line(left * mm, Y(top), RIGHT * mm, Y(top))
        c.setStrokeGray(0)

    def _draw_block(self, c: Canvas, top: float, block) -> None:
        kind, data = block
        letter = self.letter
        if kind == "para":
            for i, line in enumerate(data):
                self._text(c, LEFT, top + 3.6 + i * LEADING, line)
        elif kind == "amounts":
            y = top + 2.0
            first = clean(data[0].label)
            detail_x = LEFT + max(42.0, stringWidth(first, self.regular, BODY) / mm + 4.0)
            for row in data:
                font = self.bold if row.total else self.regular
                if row.total:
                    self._rule(c, y + 0.6, 0.6, 0, left=LEFT)
                    y += 1.0
                self._text(c, LEFT, y + 4.0, clean(row.label), font)
                detail = clean(row.detail)
                if detail:
                    size = fit(detail, self.regular, 9, (RIGHT - 30 - detail_x) * mm)
                    self._text(c, detail_x, y + 4.0, detail, self.regular, size)
                value = self.money(row.amount) if row.total else self.amount(row.amount)
                self._text(c, RIGHT, y + 4.0, value, font, align="right")
                y += ROW
        elif kind == "lines":
            _ = self._
            y = top + 4.0
            c.setFillGray(0.2)
            self._text(c, LEFT, y, _("Description"), self.bold, 8)
            for label, right in ((_("Qty"), 133.0), (_("Unit price"), 160.0), (_("Amount"), RIGHT)):
                self._text(c, right, y, label, self.bold, 8, "right")
            c.setFillGray(0)
            self._rule(c, y + 1.6, 0.6, 0.2)
            y += 6.0
            for line, desc in data:
                for i, text in enumerate(desc):
                    self._text(c, LEFT, y + i * 3.8, text, self.regular, 9)
                for value, right in (
                    (format_quantity(line.quantity, letter.currency, letter.language), 133.0),
                    (format_unit_price(line.unit_price, letter.currency, letter.language), 160.0),
                    (self.amount(line.amount), RIGHT),
                ):
                    self._text(c, right, y, value, self.regular, 9, "right")
                y += len(desc) * 3.8 + 1.6
            net = sum((line.amount for line, _desc in data), Decimal("0.00"))
            self._rule(c, y - 2.6, 0.4, GREY_RULE)
            self._text(c, LEFT, y + 1.8, _("Subtotal excl. VAT"), self.bold, 9)
            self._text(c, RIGHT, y + 1.8, self.money(net), self.bold, 9, "right")
        elif kind == "code":
            draw_registration_block(c, data, self.fonts, LEFT, top)
        elif kind == "epc":
            matrix, account, ref = data
            self._rule(c, top + 1.0, 0.4, GREY_RULE)
            qr_top = top + 4.0
            draw_matrix(c, matrix, LEFT * mm, Y(qr_top), EPC_QR * mm)
            x = LEFT + EPC_QR + 6.0
            _ = self._
            self._text(c, x, qr_top + 3.5, _("Pay with your banking app"), self.bold, 10)
            rows = [
                (_("Account holder"), clean(letter.vendor.name)),
                ("IBAN", format_iban(account)),
            ]
            if letter.vendor.bic:
                rows.append(("BIC", clean(letter.vendor.bic)))
            if ref:
                shown = " ".join(ref[i : i + 4] for i in range(0, len(ref), 4))
                rows.append((_("Reference"), shown if ref.startswith("RF") else ref))
            rows.append((_("Amount"), self.money(letter.payment_amount or Decimal(0))))
            width = max(stringWidth(label, self.regular, 8.5) for label, _v in rows) / mm + 4.0
            baseline = qr_top + 9.5
            for label, value in rows:
                c.setFillGray(GREY_TEXT)
                self._text(c, x, baseline, label, self.regular, 8.5)
                c.setFillGray(0)
                self._text(c, x + width, baseline, value, self.regular, 9)
                baseline += 4.4

    def _draw_head(self, c: Canvas, slip: bool) -> None:
        letter = self.letter
        vendor = letter.vendor
        _ = self._
        draw_fold_marks(c, slip=slip)
        logo_drawn = False
        if vendor.logo_path:
            path = Path(vendor.logo_path)
            if path.is_file():
                c.drawImage(
                    _logo(str(path), path.stat().st_mtime),
                    LEFT * mm,
                    Y(34),
                    width=60 * mm,
                    height=22 * mm,
                    preserveAspectRatio=True,
                    anchor="nw",
                    mask="auto",
                )
                logo_drawn = True
        details: list[tuple[str, str, float]] = []
        name = clean(vendor.name)
        if logo_drawn:
            details.append((name, self.bold, 9.5))
        else:
            self._text(c, LEFT, 22, name, self.bold, fit(name, self.bold, 16, 95 * mm, minimum=10))
        address = vendor.address
        if address.street_line:
            details.append((clean(address.street_line), self.regular, 8))
        city = clean(address.city_line)
        if address.country != letter.recipient.country:
            city = f"{address.country}-{city}"
        details.append((city, self.regular, 8))
        for value in (vendor.phone, vendor.email, vendor.website, vendor.vat_id):
            if value:
                details.append((clean(value), self.regular, 8))
        baseline = 14.0
        for text, font, size in details:
            self._text(c, RIGHT, baseline, text, font, fit(text, font, size, 70 * mm), "right")
            baseline += 3.7 if size >= 9 else 3.4

        c.setFillGray(GREY_TEXT)
        back = " · ".join(p for p in (name, clean(address.street_line), city) if p)
        back_size = fit(back, self.regular, 7, (ADDRESS_WIDTH - 10) * mm, minimum=5)
        self._text(c, ADDRESS_TEXT, ADDRESS_TOP + ADDRESS_ZONE - 3.0, back, self.regular, back_size)
        c.setFillGray(0)
        recipient = letter.recipient
        raw = [recipient.name, *recipient.lines, recipient.street_line, recipient.city_line]
        if recipient.country and recipient.country != address.country:
            country = COUNTRY_NAMES.get(recipient.country)
            raw.append(_(country).upper() if country else recipient.country)
        lines: list[str] = []
        for value in raw:
            lines.extend(wrap_text(value, self.regular, 10, (ADDRESS_WIDTH - 10) * mm))
        leading = min(4.4, (45.0 - ADDRESS_ZONE - 1.0) / max(1, len(lines)))
        size = min(10.0, leading / 0.44)
        first = ADDRESS_TOP + ADDRESS_ZONE + 0.8 + size * 0.3
        for i, line in enumerate(lines):
            self._text(c, ADDRESS_TEXT, first + i * leading, line, self.regular, size)

        rows = [(_("Date"), self.date(letter.letter_date))]
        if letter.invoice_number:
            rows.insert(0, (_("Invoice no."), clean(letter.invoice_number)))
        if letter.licence_holder:
            rows.append((_("Licence holder"), clean(letter.licence_holder)))
        if letter.school_number:
            rows.append((_("School no."), clean(letter.school_number)))
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
        subject = clean(self.subject)
        self._text(
            c,
            LEFT,
            TITLE_BASELINE,
            subject,
            self.bold,
            fit(subject, self.bold, 14, (RIGHT - LEFT) * mm),
        )

    def _draw_continuation(self, c: Canvas) -> None:
        name = clean(self.letter.vendor.name)
        self._text(c, LEFT, 15, name, self.bold, fit(name, self.bold, 9, 80 * mm))
        label = f"{clean(self.subject)} · {self.date(self.letter.letter_date)}"
        self._text(c, RIGHT, 15, label, self.regular, fit(label, self.regular, 9, 80 * mm), "right")
        self._rule(c, 18, 0.4, 0.6)

    def _draw_footer(self, c: Canvas, page: int, pages: int, slip: bool) -> None:
        vendor = self.letter.vendor
        top = SLIP_FOOTER_TOP if slip else FOOTER_TOP
        self._rule(c, top, 0.4, 0.6)
        parts = []
        if vendor.vat_id:
            parts.append(clean(vendor.vat_id))
        if vendor.iban:
            parts.append(f"IBAN {format_iban(vendor.iban)}")
        if vendor.bic:
            parts.append(f"BIC {clean(vendor.bic)}")
        page_label = self._("Page {page} of {pages}").format(page=page, pages=pages)
        room = (RIGHT - LEFT) * mm - stringWidth(page_label, self.regular, 7) - 4 * mm
        c.setFillGray(GREY_TEXT)
        baseline = top + 3.5
        for text in (" · ".join(parts), clean(vendor.footer)):
            if text:
                self._text(
                    c, LEFT, baseline, text, self.regular, fit(text, self.regular, 7, room, 5)
                )
                baseline += 3.2
        self._text(c, RIGHT, top + 3.5, page_label, self.regular, 7, "right")
        c.setFillGray(0)
