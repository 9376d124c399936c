"""Terms, month counting and notice deadlines.

Two term alignments exist: the calendar year (LehrerOffice, L4) and a licence year from
activation. Mathegym's (M1) is 365 days, deliberately not "one year", so a term that spans
29 February ends a day earlier in the calendar; Focus PO's is one calendar year, renewed on the
anniversary (``ONE_CALENDAR_YEAR``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from lehrer_licenses.domain.errors import DomainError


class TermAlignment(StrEnum):
    CALENDAR_YEAR = "calendar_year"
    ANNIVERSARY = "anniversary"


@dataclass(frozen=True, slots=True)
class Term:
    """A licence term, both ends included."""

    start: date
    end: date

    @property
    def renewal_date(self) -> date:
        return self.end + timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def calendar_year_term(day: date) -> Term:
    return Term(date(day.year, 1, 1), date(day.year, 12, 31))


# ``term_days`` of a plan whose licence year is one calendar year from its start, renewed on the
# anniversary (Focus PO: 2027-09-01 -> 2028-08-31), not a fixed number of days (Mathegym's 365).
ONE_CALENDAR_YEAR = 0


def anniversary_term(start: date, days: int = 365) -> Term:
    if days == ONE_CALENDAR_YEAR:
        # A start on 29 February renews on 28 February and stays there: no 29th in most years.
        return Term(start, start + relativedelta(years=1) - timedelta(days=1))
    return Term(start, start + timedelta(days=days - 1))


def term_containing(
    alignment: TermAlignment, day: date, anchor: date | None = None, days: int = 365
) -> Term:
    """The term that runs on ``day``; anniversary terms need the activation date as anchor."""
    if alignment is TermAlignment.CALENDAR_YEAR:
        return calendar_year_term(day)
    if anchor is None:
        raise DomainError("an anniversary term needs its activation date")
    if day < anchor:
        raise DomainError(f"{day.isoformat()} is before the activation on {anchor.isoformat()}")
    if days == ONE_CALENDAR_YEAR:
        years = day.year - anchor.year
        if anchor + relativedelta(years=years) > day:
            years -= 1
        return anniversary_term(anchor + relativedelta(years=years), days)
    periods = (day - anchor).days // days
    return anniversary_term(anchor + timedelta(days=periods * days), days)


def next_term(alignment: TermAlignment, term: Term, days: int = 365) -> Term:
    if alignment is TermAlignment.CALENDAR_YEAR:
        return calendar_year_term(term.renewal_date)
    return anniversary_term(term.renewal_date, days)


def months_inclusive(start: date, end: date) -> int:
    """Months from ``start``'s month through ``end``'s month, both counted (L3).

    An order on 15 September with the term ending 31 December counts Sep, Oct, Nov, Dec = 4.
    """
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def notice_deadline(renewal_date: date, notice_months: int) -> date:
    """The last day a cancellation may be received to stop the renewal on ``renewal_date``.

    Two months before a renewal on 1 January is 1 November, so the last day is 31 October (L4);
    three months before a renewal on 1 February 2027 gives 31 October 2026 (example 8).
    """
    return renewal_date - relativedelta(months=notice_months) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CancellationOutcome:
    received: date
    deadline: date
    in_time: bool
    effective: date  # the last day the cancelled licence runs


def cancellation_effective(
    alignment: TermAlignment, current: Term, received: date, notice_months: int, days: int = 365
) -> CancellationOutcome:
    """When a cancellation received on ``received`` takes effect (L4, M1).

    In time: at the end of the running term. Too late: at the end of the term after it.
    ``current`` is the term running on the received date.
    """
    if not current.contains(received):
        raise DomainError(
            f"the cancellation date {received.isoformat()} is outside the term "
            f"{current.start.isoformat()} to {current.end.isoformat()}"
        )
    deadline = notice_deadline(current.renewal_date, notice_months)
    if received <= deadline:
        return CancellationOutcome(received, deadline, True, current.end)
    return CancellationOutcome(received, deadline, False, next_term(alignment, current, days).end)


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def parse_month(text: str) -> date:
    """'2026-07' -> date(2026, 7, 1); a clear error otherwise."""
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except (ValueError, AttributeError) as exc:
        raise DomainError(f"not a month (expected YYYY-MM): {text!r}") from exc


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as exc:
        raise DomainError(f"not a date (expected YYYY-MM-DD): {text!r}") from exc
