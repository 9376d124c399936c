from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.periods import (
    TermAlignment,
    anniversary_term,
    calendar_year_term,
    cancellation_effective,
    months_inclusive,
    notice_deadline,
    term_containing,
)


def test_L3_months_count_from_order_month_through_term_end_both_included():
    assert months_inclusive(date(2026, 9, 15), date(2026, 12, 31)) == 4
    assert months_inclusive(date(2026, 12, 31), date(2026, 12, 31)) == 1
    assert months_inclusive(date(2026, 1, 1), date(2026, 12, 31)) == 12


def test_L4_cancellation_received_31_october_ends_the_same_year():
    outcome = cancellation_effective(
        TermAlignment.CALENDAR_YEAR, calendar_year_term(date(2026, 10, 31)), date(2026, 10, 31), 2
    )
    assert outcome.in_time and outcome.effective == date(2026, 12, 31)
    assert outcome.deadline == date(2026, 10, 31)


def test_L4_cancellation_received_1_november_ends_a_year_later():
    outcome = cancellation_effective(
        TermAlignment.CALENDAR_YEAR, calendar_year_term(date(2026, 11, 1)), date(2026, 11, 1), 2
    )
    assert not outcome.in_time and outcome.effective == date(2027, 12, 31)


def test_M1_example8_package_year_and_cancellation_deadline():
    term = anniversary_term(date(2026, 2, 1))
    assert term.end == date(2027, 1, 31)
    assert notice_deadline(term.renewal_date, 3) == date(2026, 10, 31)


def test_M1_a_licence_year_spanning_29_february_is_365_days_not_a_calendar_year():
    term = anniversary_term(date(2027, 6, 1))
    assert term.end == date(2028, 5, 30)  # 2028 is a leap year
    assert term.days == 365


def test_anniversary_term_containing_a_day_in_the_third_year():
    term = term_containing(TermAlignment.ANNIVERSARY, date(2028, 3, 1), anchor=date(2026, 2, 1))
    # 2026-02-01 + 2 x 365 days; the third year spans 29 February 2028 and ends a day early.
    assert term.start == date(2028, 2, 1) and term.end == date(2029, 1, 30)


def test_a_cancellation_outside_the_running_term_is_refused():
    with pytest.raises(DomainError, match="outside the term"):
        cancellation_effective(
            TermAlignment.CALENDAR_YEAR, calendar_year_term(date(2026, 1, 1)), date(2027, 1, 5), 2
        )


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=1, max_value=6),
)
def test_a_cancellation_is_in_time_exactly_until_the_deadline(day, notice):
    term = calendar_year_term(day)
    outcome = cancellation_effective(TermAlignment.CALENDAR_YEAR, term, day, notice)
    assert outcome.in_time == (day <= outcome.deadline)
    assert outcome.effective in (term.end, calendar_year_term(term.renewal_date).end)
