"""The Swiss QR-bill payment part (receipt + payment part), drawn with reportlab.

The payload is built and validated by the ``qrbill`` library (IBAN / QR-IBAN, reference type,
addresses, lengths) and taken from ``QRBill.qr_data()``; everything on paper is drawn here, on the
canvas, following the Swiss Implementation Guidelines for the QR-bill (v2.3) and SIX's style
guide:

- the payment slip is the bottom 105 mm of an A4 page: receipt 62 mm wide, payment part 148 mm;
- dashed separation lines with scissors between the slip and the letter, and between receipt
  and payment part (the PDF is printed on plain paper);
- titles 11 pt bold; receipt headings 6 pt bold with 8 pt values; payment part headings 8 pt
  bold with 10 pt values; sections at the positions of the style guide (receipt information at
  12 mm, amounts at 68 mm, acceptance point at 82 mm; payment part QR code at 17 mm, 46 x 46 mm,
  with the 7 x 7 mm Swiss cross in its centre; information section 118 mm from the left edge);
- headings in the document's language where an official wording exists (de, fr, it, en); a
  Dutch document prints them in English, as SIX publishes no Dutch wording.

The style guide names Arial, Frutiger, Helvetica and Liberation Sans: the payment part prints in
the document's fonts (``text.FontSet``), Helvetica when every text is WinAnsi, else the embedded
Liberation Sans (names such as "Łukasz Żółć", which the QR-bill character set allows). The
scissors are DejaVu Sans's glyph drawn as a path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from qrbill import QRBill
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lehrer_licenses.documents.formatting import NumberStyle, format_iban, format_number
from lehrer_licenses.documents.model import Address, QRBillDataError, Vendor
from lehrer_licenses.documents.qrcodes import draw_matrix, draw_swiss_cross, qr_matrix
from lehrer_licenses.documents.text import FontSet, drawn_once, fit, stringWidth, wrap
from lehrer_licenses.domain.payment_text import carried, payment_form
from lehrer_licenses.i18n import N_, gettext_for

SLIP_HEIGHT = 105 * mm
RECEIPT_WIDTH = 62 * mm
PAYMENT_WIDTH = 148 * mm
QR_SIZE = 46 * mm

# Official headings (Annex of the Implementation Guidelines) in English; translated through the
# documents catalogue for de, fr and it only.
LABEL_RECEIPT = N_("Receipt")
LABEL_PAYMENT_PART = N_("Payment part")
LABEL_ACCOUNT = N_("Account / Payable to")
LABEL_REFERENCE = N_("Reference")
LABEL_ADDITIONAL = N_("Additional information")
LABEL_PAYABLE_BY = N_("Payable by")
LABEL_CURRENCY = N_("Currency")
LABEL_AMOUNT = N_("Amount")
LABEL_ACCEPTANCE = N_("Acceptance point")

OFFICIAL_LANGUAGES = ("de", "fr", "it", "en")


def qr_bill_labels(language: str) -> Callable[[str], str]:
    """The translator for QR-bill headings: the official wording, English for other languages."""
    if language in OFFICIAL_LANGUAGES:
        return gettext_for(language)
    return str  # no official Dutch (or other) wording: English, as SIX publishes it


def _check_charset(what: str, field: str, value: str) -> None:
    if value.isascii() and value.isprintable():  # Basic Latin: carried (checked in C)
        return
    bad = sorted({ch for ch in value if not carried(ch)})
    if bad:
        shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in bad)
        raise QRBillDataError(
            f"Swiss QR-bill for {what}: the {field} contains characters a QR-bill cannot carry: "
            f"{shown}"
        )


@dataclass(frozen=True, slots=True)
class QRBillData:
    """A validated QR-bill: the payload for the QR code and what is printed next to it."""

    payload: str
    account: str
    creditor: Address
    debtor: Address
    amount: Decimal
    currency: str
    reference_type: str  # "QRR", "SCOR" or "NON"
    reference: str | None  # compact
    additional_information: str

    @property
    def formatted_reference(self) -> str:
        return format_reference(self.reference_type, self.reference or "")


def format_reference(reference_type: str, reference: str) -> str:
    """A QR reference in blocks of five from the right ("21 00000 00003 ..."), a creditor
    reference in blocks of four from the left ("RF18 5390 0754 7034")."""
    if reference_type == "QRR":
        head = len(reference) % 5
        blocks = [reference[:head]] if head else []
        blocks += [reference[i : i + 5] for i in range(head, len(reference), 5)]
        return " ".join(blocks)
    if reference_type == "SCOR":
        return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
    return reference


def _address_dict(address: Address) -> dict[str, str]:
    return {
        "name": address.name,
        "street": address.street,
        "house_num": address.house_number,
        "pcode": address.postcode,
        "city": address.city,
        "country": address.country,
    }


def _translate_error(message: str) -> str:
    return (
        message.replace("The creditor address", "The vendor's address (QR-bill creditor)")
        .replace("The debtor address", "The school's billing address (QR-bill debtor)")
        .replace("Sorry, the IBAN is not valid", "the IBAN is not valid")
    )


def _payment_address(address: Address) -> Address:
    return Address(
        name=payment_form(address.name),
        **{
            part: payment_form(getattr(address, part))
            for part in ("street", "house_number", "postcode", "city")
        },
        country=address.country,
    )


def build_qr_bill(
    *,
    vendor: Vendor,
    debtor: Address,
    amount: Decimal,
    currency: str,
    reference: str | None,
    additional_information: str,
    what: str = "invoice",
) -> QRBillData:
    """Validate the QR-bill data with ``qrbill`` and return the payload and printed values.

    The account is the vendor's QR-IBAN for a 27-digit QR reference and the ordinary IBAN
    otherwise (a creditor reference "RF..." or none). Raises :class:`QRBillDataError` naming what
    is wrong (``what`` names the document in the message, e.g. "invoice 2026-0001").
    """
    ref = "".join((reference or "").split())
    if ref[:2].upper() == "RF" or not ref:
        account = vendor.iban
        account_name = "vendor IBAN"
    else:
        if not vendor.qr_iban:
            raise QRBillDataError(
                f"Swiss QR-bill for {what}: the QR reference {ref} needs the vendor's QR-IBAN, "
                "and none is set"
            )
        account = vendor.qr_iban
        account_name = "vendor QR-IBAN"
    account = "".join((account or "").split()).upper()
    if not account:
        raise QRBillDataError(f"Swiss QR-bill for {what}: the {account_name} is empty")
    if amount <= 0:
        raise QRBillDataError(f"Swiss QR-bill for {what}: the amount {amount} is not positive")
    # The code carries the plain form of typed text (’ -> ', – -> -, a line break -> ", "); the
    # letter window above keeps it as typed.
    debtor = _payment_address(debtor)
    vendor_address = _payment_address(vendor.address)
    vendor_name = payment_form(vendor.name)
    additional_information = payment_form(additional_information)
    for field, value in (
        ("vendor's name", vendor_name),
        ("vendor's address", " ".join(_address_dict(vendor_address).values())),
        ("school's name", debtor.name),
        ("school's address", " ".join(_address_dict(debtor).values())),
        ("additional information", additional_information),
    ):
        _check_charset(what, field, value)
    creditor = replace(vendor_address, name=vendor_name)
    try:
        bill = QRBill(
            account=account,
            creditor=_address_dict(creditor),
            debtor=_address_dict(debtor),
            amount=f"{amount:.2f}",
            currency=currency,
            reference_number=ref or None,
            additional_information=additional_information,
            language="en",
        )
    except ValueError as err:
        detail = _translate_error(str(err))
        raise QRBillDataError(
            f"Swiss QR-bill for {what} is invalid: {detail} ({account_name} {account}, "
            f"reference {ref or 'none'}, amount {currency} {amount:.2f})"
        ) from err
    return QRBillData(
        payload=bill.qr_data(),
        account=bill.account,
        creditor=creditor,
        debtor=debtor,
        amount=amount,
        currency=currency,
        reference_type=bill.ref_type,
        reference=bill.reference_number,
        additional_information=additional_information,
    )


def address_lines(address: Address) -> list[str]:
    """The address as printed on the QR-bill: name, street, postcode and town; the country code
    precedes the postcode for addresses outside Switzerland and Liechtenstein."""
    lines = [address.name]
    if address.street_line:
        lines.append(address.street_line)
    city = address.city_line
    if address.country and address.country not in ("CH", "LI"):
        city = f"{address.country}-{city}"
    lines.append(city)
    return lines


def format_qr_amount(amount: Decimal) -> str:
    """Amounts on the QR-bill: a space between thousands and a decimal point ("1 234.50")."""
    return format_number(amount, _QR_AMOUNT_STYLE, places=2)


_QR_AMOUNT_STYLE = NumberStyle(" ", ".", "")


@dataclass(frozen=True, slots=True)
class _Section:
    heading: str
    values: list[tuple[str, float]]  # (text, font size)


def _draw_sections(
    canvas: Canvas,
    sections: Iterable[_Section],
    *,
    fonts: FontSet,
    x: float,
    top: float,
    bottom: float,
    heading_size: float,
    value_size: float,
    line: float,
) -> None:
    """Heading/values sections from ``top`` down; spacing shrinks if they would pass ``bottom``."""
    items = list(sections)
    n_lines = sum(1 + len(s.values) for s in items)
    gap = line
    needed = n_lines * line + (len(items) - 1) * gap
    available = top - bottom
    if needed > available and n_lines:
        gap = max(0.0, (available - n_lines * line) / max(1, len(items) - 1))
        if n_lines * line > available:
            line = available / n_lines
            gap = 0.0
    y = top - heading_size * 0.8
    for index, section in enumerate(items):
        if index:
            y -= gap
        canvas.setFont(fonts.bold, heading_size)
        canvas.drawString(x, y, section.heading)
        y -= line
        for value, size in section.values:
            canvas.setFont(fonts.regular, size)
            canvas.drawString(x, y, value)
            y -= line


# DejaVu Sans's scissors (U+2702) as a path in the font's units (2048 to the em, TrueType's
# quadratic curves as cubic ones, nonzero fill as TrueType's), advance 1716 units. Drawn rather
# than printed in a font: a font of that one glyph was 5 KB of every invoice, most of it the
# font's name table.
_SCISSORS_PATH = (
    "353 396 m 364 405 373 415 378 426 c 383 436 386 447 386 460 c 386 472 383 483 378 "
    "494 c 373 504 364 514 353 523 c 342 532 331 538 318 543 c 305 548 291 550 276 550 c "
    "261 550 247 548 234 543 c 221 538 210 532 199 523 c 188 514 179 504 174 494 c 169 "
    "483 166 472 166 460 c 166 447 169 436 174 426 c 179 415 188 405 199 396 c 210 387 "
    "221 381 234 376 c 247 371 261 369 276 369 c 291 369 305 371 318 376 c 331 381 342 "
    "387 353 396 c h 984 747 m 984 747 1191 663 1605 495 c 1576 453 1525 432 1452 432 c "
    "1398 432 1298 461 1152 519 c 1152 519 1030 568 785 665 c 785 665 750 650 679 621 c "
    "579 580 516 557 489 552 c 462 547 449 540 449 531 c 449 526 452 517 458 504 c 463 "
    "491 466 477 466 460 c 466 437 461 415 452 395 c 443 375 429 356 410 339 c 395 325 "
    "375 313 348 302 c 326 293 302 289 276 289 c 250 289 226 293 204 302 c 181 311 161 "
    "324 142 339 c 125 353 111 371 101 392 c 91 414 86 437 86 460 c 86 483 91 504 100 524 "
    "c 109 544 123 563 142 580 c 157 594 177 606 204 617 c 226 626 240 630 246 630 c 246 "
    "630 278 630 343 630 c 400 630 463 641 531 664 c 549 670 564 677 577 686 c 590 695 "
    "600 706 608 719 c 616 732 620 742 620 747 c 620 752 616 762 608 775 c 600 788 590 "
    "799 577 808 c 564 817 549 824 531 830 c 466 853 403 864 343 864 c 343 864 325 864 "
    "290 864 c 255 864 226 868 204 877 c 177 888 157 900 142 914 c 123 931 109 950 100 "
    "970 c 91 990 86 1011 86 1034 c 86 1057 91 1080 101 1102 c 111 1123 125 1141 142 1155 "
    "c 161 1170 181 1183 204 1192 c 226 1201 250 1205 276 1205 c 302 1205 326 1201 348 "
    "1192 c 375 1181 395 1169 410 1155 c 429 1138 443 1119 452 1099 c 461 1079 466 1057 "
    "466 1034 c 466 1017 463 1003 458 990 c 452 977 449 968 449 963 c 449 954 462 947 489 "
    "942 c 516 937 579 914 679 873 c 679 873 714 858 785 829 c 785 829 907 878 1152 975 c "
    "1298 1033 1398 1062 1452 1062 c 1525 1062 1576 1041 1605 999 c 1605 999 1398 915 984 "
    "747 c h 199 1098 m 188 1089 179 1079 174 1068 c 169 1058 166 1047 166 1034 c 166 "
    "1022 169 1011 174 1000 c 179 990 188 980 199 971 c 210 962 221 956 234 951 c 247 946 "
    "261 944 276 944 c 291 944 305 946 318 951 c 331 956 342 962 353 971 c 364 980 373 "
    "990 378 1000 c 383 1011 386 1022 386 1034 c 386 1047 383 1058 378 1068 c 373 1079 "
    "364 1089 353 1098 c 342 1107 331 1113 318 1118 c 305 1123 291 1125 276 1125 c 261 "
    "1125 247 1123 234 1118 c 221 1113 210 1107 199 1098 c h f"
)
_SCISSORS_UNITS = 2048
_SCISSORS_ADVANCE = 1716


def _scissors(canvas: Canvas, x: float, y: float, angle: float) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    canvas.rotate(angle)
    size = 11
    w = _SCISSORS_ADVANCE * size / _SCISSORS_UNITS
    canvas.setFillGray(1)
    canvas.rect(-w / 2 - 1, -size * 0.4, w + 2, size * 0.8, stroke=0, fill=1)
    canvas.setFillGray(0)
    scale = size / _SCISSORS_UNITS
    canvas.transform(scale, 0, 0, scale, -w / 2, -size * 0.35)  # where the glyph's origin was
    canvas.addLiteral(_SCISSORS_PATH)
    canvas.restoreState()


def _draw_separation(canvas: Canvas) -> None:
    """Dashed lines with scissors: across the page above the slip, and between receipt and
    payment part."""
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 2)
    canvas.line(0, SLIP_HEIGHT, 210 * mm, SLIP_HEIGHT)
    canvas.line(RECEIPT_WIDTH, 0, RECEIPT_WIDTH, SLIP_HEIGHT)
    canvas.restoreState()
    _scissors(canvas, 10 * mm, SLIP_HEIGHT, 0)
    _scissors(canvas, RECEIPT_WIDTH, SLIP_HEIGHT - 10 * mm, -90)


def draw_payment_part(
    canvas: Canvas,
    bill: QRBillData,
    language: str,
    *,
    fonts: FontSet,
    scannable: bool = True,
    placeholder: tuple[str, str] = ("DRAFT", "not for payment"),
) -> None:
    """Draw the receipt and the payment part in the bottom 105 mm of the current page.

    With ``scannable=False`` (a draft) the QR code is replaced by a box showing ``placeholder``
    (two lines), so a draft can be checked on paper but not paid.
    """
    t = qr_bill_labels(language)
    slip_top = SLIP_HEIGHT

    def y(top_mm: float) -> float:
        return slip_top - top_mm * mm

    drawn_once(canvas, ("QR-bill separation lines",), _draw_separation)

    account = format_iban(bill.account)
    creditor = address_lines(bill.creditor)
    debtor = address_lines(bill.debtor)
    reference = bill.formatted_reference
    amount = format_qr_amount(bill.amount)

    # Receipt: title, information (12 mm), amount (68 mm), acceptance point (82 mm).
    rx = 5 * mm
    receipt_width = 52 * mm
    regular, bold = fonts.regular, fonts.bold
    canvas.setFont(bold, 11)
    canvas.drawString(rx, y(5) - 11 * 0.8, t(LABEL_RECEIPT))

    def wrapped(lines: list[str], size: float, width: float) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        for value in lines:
            out.extend((line, size) for line in wrap(value, regular, size, width) or [""])
        return out

    def one_line(value: str, size: float, width: float) -> list[tuple[str, float]]:
        """An IBAN or a reference: one line, a little smaller if need be, wrapped if still too
        long (in case a font runs wider than the Arial the style guide measures with)."""
        smaller = fit(value, regular, size, width, minimum=size - 1.5)
        if stringWidth(value, regular, smaller) <= width:
            return [(value, smaller)]
        return wrapped([value], size, width)

    receipt_sections = [
        _Section(
            t(LABEL_ACCOUNT),
            one_line(account, 8, receipt_width) + wrapped(creditor, 8, receipt_width),
        )
    ]
    if bill.reference:
        receipt_sections.append(_Section(t(LABEL_REFERENCE), one_line(reference, 8, receipt_width)))
    receipt_sections.append(_Section(t(LABEL_PAYABLE_BY), wrapped(debtor, 8, receipt_width)))
    _draw_sections(
        canvas,
        receipt_sections,
        fonts=fonts,
        x=rx,
        top=y(12),
        bottom=y(66),
        heading_size=6,
        value_size=8,
        line=9,
    )
    _draw_amount(canvas, t, fonts, rx, y(68), bill.currency, amount, heading_size=6, value_size=8)
    canvas.setFont(bold, 6)
    canvas.drawRightString(57 * mm, y(82) - 6 * 0.8, t(LABEL_ACCEPTANCE))

    # Payment part: title, QR code (17 mm), amount (68 mm), information (118 mm from the left).
    px = RECEIPT_WIDTH + 5 * mm
    canvas.setFont(bold, 11)
    canvas.drawString(px, y(5) - 11 * 0.8, t(LABEL_PAYMENT_PART))
    qr_top = y(17)
    if scannable:
        draw_matrix(canvas, qr_matrix(bill.payload), px, qr_top, QR_SIZE)
        centre = (px + QR_SIZE / 2, qr_top - QR_SIZE / 2)
        drawn_once(canvas, ("Swiss cross", *centre), lambda c: draw_swiss_cross(c, *centre))
    else:
        _draw_placeholder(canvas, fonts, px, qr_top, QR_SIZE, placeholder)
    _draw_amount(canvas, t, fonts, px, y(68), bill.currency, amount, heading_size=8, value_size=10)

    ix = 118 * mm
    info_width = (210 - 118 - 5) * mm
    info_sections = [
        _Section(
            t(LABEL_ACCOUNT), one_line(account, 10, info_width) + wrapped(creditor, 10, info_width)
        )
    ]
    if bill.reference:
        info_sections.append(_Section(t(LABEL_REFERENCE), one_line(reference, 10, info_width)))
    if bill.additional_information:
        info_sections.append(
            _Section(t(LABEL_ADDITIONAL), wrapped([bill.additional_information], 10, info_width))
        )
    info_sections.append(_Section(t(LABEL_PAYABLE_BY), wrapped(debtor, 10, info_width)))
    _draw_sections(
        canvas,
        info_sections,
        fonts=fonts,
        x=ix,
        top=y(5),
        bottom=y(88),
        heading_size=8,
        value_size=10,
        line=11,
    )


def _draw_amount(
    canvas: Canvas,
    t: Callable[[str], str],
    fonts: FontSet,
    x: float,
    top: float,
    currency: str,
    amount: str,
    *,
    heading_size: float,
    value_size: float,
) -> None:
    currency_heading = t(LABEL_CURRENCY)
    amount_x = x + max(
        (13 if heading_size < 8 else 14) * mm,
        stringWidth(currency_heading, fonts.bold, heading_size) + 3 * mm,
    )
    baseline = top - heading_size * 0.8
    canvas.setFont(fonts.bold, heading_size)
    canvas.drawString(x, baseline, currency_heading)
    canvas.drawString(amount_x, baseline, t(LABEL_AMOUNT))
    value_baseline = baseline - (value_size + 3)
    canvas.setFont(fonts.regular, value_size)
    canvas.drawString(x, value_baseline, currency)
    canvas.drawString(amount_x, value_baseline, amount)


def _draw_placeholder(
    canvas: Canvas, fonts: FontSet, x: float, top: float, size: float, text: tuple[str, str]
) -> None:
    canvas.saveState()
    canvas.setFillGray(0.93)
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.75)
    canvas.rect(x, top - size, size, size, stroke=1, fill=1)
    canvas.setFillGray(0.35)
    centre = x + size / 2
    canvas.setFont(fonts.bold, 16)
    canvas.drawCentredString(centre, top - size / 2 + 2, text[0])
    canvas.setFont(fonts.regular, 8)
    canvas.drawCentredString(centre, top - size / 2 - 10, text[1])
    canvas.restoreState()
