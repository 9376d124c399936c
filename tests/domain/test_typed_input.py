"""Amounts and dates as people type them: one reading or a refusal that names both."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehrer_licenses.domain.amounts import AmountNotRead, parse_amount, parse_typed_or_plain
from lehrer_licenses.domain.typed_dates import order_of, parse_typed_date

SWISS = (".", "'")  # de-CH: 1'234.50
GERMAN = (",", ".")  # de-DE: 1.234,50
ENGLISH = (".", ",")  # en-GB: 1,234.50
FRENCH = (",", "\u202f")  # fr-FR: 1 234,50 with a narrow no-break space


@pytest.mark.parametrize("locale", [SWISS, GERMAN, ENGLISH, FRENCH])
@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12,50", "12.50"),
        ("12.50", "12.50"),
        ("1'234.50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("  -12,5 ", "-12.5"),
        ("0.125", "0.125"),
        ("1234", "1234"),
        ("1 234 567,05", "1234567.05"),
    ],
)
def test_the_forms_people_type_read_the_same_in_every_locale(locale, typed, amount):
    value = parse_amount(typed, *locale)
    assert value == Decimal(amount) and isinstance(value, Decimal)


def test_a_lone_thousands_mark_is_ambiguous_unless_it_is_the_locales():
    with pytest.raises(AmountNotRead, match=r"ambiguous: it could be 1\.234 or 1234"):
        parse_amount("1.234", *SWISS)
    with pytest.raises(AmountNotRead, match="ambiguous: it could be 1,234 or 1234"):
        parse_amount("1,234", *GERMAN)
    assert parse_amount("1.234", *GERMAN) == Decimal(1234)
    assert parse_amount("1,234", *ENGLISH) == Decimal(1234)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("ten", "is not an amount"),
        ("", "is not an amount"),
        ("12,", "is not an amount"),
        ("12'34.50", "grouped by three"),
        ("1.234,5,0", "more than one decimal point"),
        ("12.5 0", "thousands mark after the decimal point"),
    ],
)
def test_what_is_not_an_amount_is_refused_with_its_reason(typed, reason):
    with pytest.raises(AmountNotRead, match=reason):
        parse_amount(typed, *SWISS)


def grouped(value: Decimal, point: str, group: str) -> str:
    """``value`` written as the locale writes it (the test's own formatter, not the app's)."""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = group.join(groups) + (point + fraction if fraction else "")
    return ("-" if value < 0 else "") + text


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from([SWISS, GERMAN, ENGLISH, FRENCH]),
)
def test_every_amount_written_by_a_locale_reads_back_in_it(value, locale):
    assert parse_amount(grouped(value, *locale), *locale) == value


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([SWISS, GERMAN, ENGLISH, FRENCH]))
def test_whole_amounts_with_the_locales_grouping_read_back(value, locale):
    assert parse_amount(grouped(Decimal(value), *locale), *locale) == value


def test_the_command_line_keeps_plain_decimals_and_reads_typed_forms():
    assert parse_typed_or_plain("3.5125") == Decimal("3.5125")
    assert parse_typed_or_plain("1.234") == Decimal("1.234")  # what a script writes
    assert parse_typed_or_plain("12,50") == Decimal("12.50")
    assert parse_typed_or_plain("1'234.50") == Decimal("1234.50")
    assert parse_typed_or_plain("1.234,50") == Decimal("1234.50")
    with pytest.raises(AmountNotRead, match="ambiguous"):
        parse_typed_or_plain("1,234")


@pytest.mark.parametrize(
    "typed", ["15.10.2026", "15.10.26", "15102026", "151026", "2026-10-15", "15/10/2026"]
)
def test_dates_typed_in_one_go(typed):
    assert parse_typed_date(typed, "dmy") == date(2026, 10, 15)


def test_dates_follow_the_locales_order_and_refuse_what_is_no_date():
    assert order_of("dd.MM.yyyy") == "dmy" and order_of("M/d/yyyy") == "mdy"
    assert order_of("yyyy-MM-dd") == "ymd"
    assert parse_typed_date("10/15/2026", "mdy") == date(2026, 10, 15)
    for not_yet in ("15.10.", "1510", "31.02.2026", "15.10.202", "x"):
        assert parse_typed_date(not_yet, "dmy") is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_typed_in_any_short_form_reads_back(day):
    for text in (
        day.strftime("%d.%m.%Y"),
        day.strftime("%d.%m.%y"),
        day.strftime("%d%m%Y"),
        f"{day.day}.{day.month}.{day.year}",
    ):
        assert parse_typed_date(text, "dmy") == day
