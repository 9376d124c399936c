"""Numbers, money and dates as the user's locale writes them (de-CH: CHF 1'234.50, 10.03.2026).

Amounts are Decimals and are formatted from their digits, never through a float: a float would
print 0.1 + 0.2 money as 0.30000000000000004 sooner or later. Only the shape (separators, where
the currency goes) is taken from QLocale.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from lehrer_licenses import i18n
from lehrer_licenses.domain import amounts

# The default catalogue sells in CHF to Swiss schools, so a machine without a configured locale
# (the "C" locale of servers and test runs) gets Swiss formatting rather than none.
FALLBACK_LOCALE = "de_CH"

_locale = QLocale(FALLBACK_LOCALE)


def choose_locale(name: str = "") -> QLocale:
    """The named locale, else the system's, else the fallback."""
    if name:
        chosen = QLocale(name)
        if chosen.language() != QLocale.Language.C:
            return chosen
    system = QLocale.system()
    if system.language() == QLocale.Language.C:
        return QLocale(FALLBACK_LOCALE)
    return system


def set_locale(locale: QLocale) -> None:
    global _locale
    _locale = locale
    # The services' messages ("the payment date ... lies before ...") then match the tables.
    i18n.set_date_formatter(day)


def locale() -> QLocale:
    return _locale


def number(value: Decimal | int, places: int = 2, loc: QLocale | None = None) -> str:
    """``value`` rounded half-up to ``places`` decimals with the locale's separators."""
    loc = loc or _locale
    value = Decimal(value)
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):f}"
    whole, _dot, fraction = text.partition(".")
    group = loc.groupSeparator()
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = group.join(groups)
    if fraction:
        out += loc.decimalPoint() + fraction
    return (loc.negativeSign() if rounded < 0 else "") + out


def money(value: Decimal, currency: str | None = None, loc: QLocale | None = None) -> str:
    """``CHF 1'234.50`` in de-CH, ``1.234,50 EUR`` in de-DE: the locale decides the order."""
    loc = loc or _locale
    digits = number(value, 2, loc)
    if not currency:
        return digits
    pattern = loc.toCurrencyString(0.0, currency, 2)
    zero = loc.toString(0.0, "f", 2)
    if zero not in pattern:
        return f"{currency}\u00a0{digits}"
    # Some locales glue an ISO code to the digits (en-US: "CHF1,234.50"); a space reads better.
    before, _zero, after = pattern.partition(zero)
    if before and not before[-1].isspace():
        before += "\u00a0"
    if after and not after[0].isspace():
        after = "\u00a0" + after
    return before + digits + after


def price(value: Decimal, loc: QLocale | None = None) -> str:
    """Unit prices keep the decimals they need (3.5125 per user-month), at least two."""
    normal = value.normalize()
    places = max(2, -normal.as_tuple().exponent) if normal != 0 else 2
    return number(value, places, loc)


def quantity(value: Decimal | int, loc: QLocale | None = None) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return number(value, 0, loc)
    return number(value, max(1, -value.normalize().as_tuple().exponent), loc)


def percent(value: Decimal, loc: QLocale | None = None) -> str:
    return quantity(value, loc) + "\u00a0%"


def day(value: date | None, loc: QLocale | None = None) -> str:
    if value is None:
        return ""
    loc = loc or _locale
    return loc.toString(QDate(value.year, value.month, value.day), date_format(loc))


def moment(value: datetime | None, loc: QLocale | None = None) -> str:
    if value is None:
        return ""
    loc = loc or _locale
    qdt = QDateTime(
        QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second)
    )
    return loc.toString(qdt, date_format(loc) + " HH:mm")


def date_format(loc: QLocale | None = None) -> str:
    """The locale's short date with a four-digit year: "26" is ambiguous on a contract."""
    fmt = (loc or _locale).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    return fmt


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def read_amount(text: str) -> Decimal:
    """An amount as typed (12,50, 1'234.50, 1 234,50, 1.234,50) read with the UI's locale;
    AmountNotRead says why when it is not one or could be two."""
    return amounts.parse_amount(text, _locale.decimalPoint(), _locale.groupSeparator())


def parse_amount(text: str) -> Decimal | None:
    """``read_amount``, None instead of the reason."""
    try:
        return read_amount(text)
    except amounts.AmountNotRead:
        return None


def amount_problem(text: str) -> str:
    """Why ``text`` is not read as an amount, for the field's inline error ("" if it is one)."""
    try:
        read_amount(text)
    except amounts.AmountNotRead as exc:
        return str(exc)
    return ""
