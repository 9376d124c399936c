"""How numbers, amounts and dates are written on documents, per language and currency.

One clear convention per language (no locale database needed, the same on every platform):

====  ===================  ==================  ==================
lang  date                 CHF amounts         EUR amounts
====  ===================  ==================  ==================
de    10.03.2026           1'234.50 (Swiss)    1.234,50
fr    10 mars 2026         1'234.50 (Swiss)    1 234,50 (narrow no-break space)
it    10 marzo 2026        1'234.50 (Swiss)    1.234,50
en    10 March 2026        1,234.50            1,234.50
nl    10 maart 2026        1.234,50            1.234,50
====  ===================  ==================  ==================

CHF amounts follow the Swiss convention (apostrophe, decimal point) in the Swiss languages; EUR
amounts follow the convention of the language. Quantities and VAT rates use the same separators
as the amounts of the document, so one document never mixes two conventions. The month names of
the long date forms are data, not translations: they live here, not in the .po catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class NumberStyle:
    group: str
    decimal: str
    percent_space: str  # between a number and "%"


_SWISS = NumberStyle("'", ".", "")
_ENGLISH = NumberStyle(",", ".", "")
_CONTINENTAL = NumberStyle(".", ",", NBSP)
_FRENCH = NumberStyle(NARROW_NBSP, ",", NBSP)

_STYLES: dict[tuple[str, str], NumberStyle] = {
    ("de", "CHF"): _SWISS,
    ("fr", "CHF"): _SWISS,
    ("it", "CHF"): _SWISS,
    ("en", "CHF"): _ENGLISH,
    ("nl", "CHF"): _CONTINENTAL,
    ("de", "EUR"): _CONTINENTAL,
    ("fr", "EUR"): _FRENCH,
    ("it", "EUR"): _CONTINENTAL,
    ("en", "EUR"): _ENGLISH,
    ("nl", "EUR"): _CONTINENTAL,
}

_MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "it": (
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ),
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
}  # fmt: skip


def number_style(language: str, currency: str) -> NumberStyle:
    """The separators for a document in ``language`` billed in ``currency``."""
    return _STYLES.get((language, currency), _ENGLISH)


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_number(value: Decimal, style: NumberStyle, places: int | None = None) -> str:
    """``value`` with grouping; ``places`` fixed decimals, or ``None`` to drop trailing zeros."""
    if isinstance(value, float):
        raise TypeError("documents format Decimals, never floats")
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{abs(value):.{places}f}"
    else:
        text = f"{abs(value):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    result = _group(whole, style.group)
    if fraction:
        result += style.decimal + fraction
    if value < 0 and any(ch not in "0" for ch in whole + fraction):
        result = "-" + result
    return result


def format_amount(amount: Decimal, currency: str, language: str) -> str:
    """An amount without the currency code, two decimals: "1'234.50", "1.234,50"."""
    if isinstance(amount, float):  # equal to a Decimal, and so to a key of the cache
        raise TypeError("documents format Decimals, never floats")
    return _format_amount(amount, currency, language)


@lru_cache(maxsize=4096)  # amounts recur (prices, totals); quantized, so 1.5 and 1.50 agree
def _format_amount(amount: Decimal, currency: str, language: str) -> str:
    return format_number(amount, number_style(language, currency), places=2)


def format_unit_price(price: Decimal, currency: str, language: str) -> str:
    """A unit price: two decimals, or up to four when the price has them ("3.5125")."""
    exponent = price.normalize().as_tuple().exponent
    places = min(4, max(2, -exponent)) if isinstance(exponent, int) else 2
    return format_number(price, number_style(language, currency), places=places)


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """An amount with its currency code in front: "CHF 1'234.50", "EUR 1.234,50"."""
    return f"{currency}{NBSP}{format_amount(amount, currency, language)}"


def format_quantity(quantity: Decimal, currency: str, language: str) -> str:
    """A quantity as typed, without trailing zeros: "3", "2.5", "1'200"."""
    return format_number(quantity, number_style(language, currency))


def format_percent(rate: Decimal, currency: str, language: str) -> str:
    """A percentage such as a VAT rate: "8.1%", "19 %", "8,1 %"."""
    style = number_style(language, currency)
    return f"{format_number(rate, style)}{style.percent_space}%"


def format_date(day: date, language: str) -> str:
    """A date in the document's language: "10.03.2026", "10 March 2026", "1er mars 2026"."""
    if language == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    months = _MONTHS.get(language, _MONTHS["en"])
    day_text = "1er" if language == "fr" and day.day == 1 else str(day.day)
    return f"{day_text} {months[day.month - 1]} {day.year}"


def format_iban(iban: str) -> str:
    """An IBAN in groups of four: "CH44 3199 9123 0008 8901 2"."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
