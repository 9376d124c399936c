"""Gapless numbers per series (invoice, credit note, quote) and year.

A number is taken from ``number_counter`` in the caller's transaction, so a failed issue leaves
no gap; numbers follow the dates: no document is dated before the last one of its series.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.billing.states import CREDIT_NOTE, INVOICE, QUOTE
from lehrer_licenses.services.billing.vendor import VendorSettings
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.locks import insert_if_missing
from lehrer_licenses.store.models import Invoice, NumberCounter

SERIES_FORMAT = {
    INVOICE: "invoice_format",
    CREDIT_NOTE: "credit_format",
    QUOTE: "quote_format",
}
_COUNTER = NumberCounter.__table__
_COUNTER_WHERE = (
    _COUNTER.c.series == bindparam("b_series"),
    _COUNTER.c.year == bindparam("b_year"),
)
_COUNTER_LAST = select(_COUNTER.c.last).where(*_COUNTER_WHERE).with_for_update()
_COUNTER_MOVE = _COUNTER.update().where(*_COUNTER_WHERE).values(last=bindparam("b_last"))
_NUMBER_TAKEN = select(Invoice.__table__.c.id).where(
    Invoice.__table__.c.number == bindparam("b_number")
)


def _advance_counter(session: Session, series: str, year: int) -> int:
    """Move the counter of ``series`` in ``year`` on by one; returns where it stood. In the
    caller's transaction, so a rollback gives the number back (no gap). The counter's row is
    locked until the commit: other programs wait for it and then read where it stands."""
    key = {"b_series": series, "b_year": year}
    last = session.execute(_COUNTER_LAST, key).scalar()
    if last is None:
        # the year's first number: several programs may create the row at once
        insert_if_missing(session, _COUNTER, {"series": series, "year": year, "last": 0})
        last = session.execute(_COUNTER_LAST, key).scalar_one()
    session.execute(_COUNTER_MOVE, {**key, "b_last": last + 1})
    return last


def set_counter(session: Session, series: str, year: int, last: int) -> None:
    """Put the counter of ``series`` in ``year`` at ``last`` (its row locked by the caller's
    transaction since it read it)."""
    session.execute(_COUNTER_MOVE, {"b_series": series, "b_year": year, "b_last": last})


def _format_free(session: Session, series: str, year: int, seq: int, vendor: VendorSettings) -> str:
    number = getattr(vendor, SERIES_FORMAT[series]).format(year=year, seq=seq)
    taken = session.execute(_NUMBER_TAKEN, {"b_number": number}).first()
    if taken is not None:
        raise InvalidInput(
            _(
                "the number {number} is already taken (was the number format changed?); "
                "change the format with 'vendor set' and issue again"
            ).format(number=number)
        )
    return number


def next_number(session: Session, series: str, year: int, vendor: VendorSettings) -> str:
    """Take the next number of ``series`` in ``year``; rolled back with the transaction."""
    return _format_free(session, series, year, _advance_counter(session, series, year) + 1, vendor)


def _latest_date(session: Session, kind: str, year: int) -> tuple[date, str] | None:
    row = session.execute(
        select(Invoice.invoice_date, Invoice.number)
        .where(
            Invoice.kind == kind,
            Invoice.number.is_not(None),
            Invoice.invoice_date >= date(year, 1, 1),
            Invoice.invoice_date <= date(year, 12, 31),
        )
        .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def check_date_order(session: Session, kind: str, on: date) -> None:
    """Numbers follow the dates: no document dated before the last one of its series."""
    latest = _latest_date(session, kind, on.year)
    if latest is not None and on < latest[0]:
        raise InvalidInput(
            _(
                "the date {date} lies before {number} of {latest}: numbers follow the dates, "
                "issue on {latest} or later"
            ).format(date=format_date(on), number=latest[1], latest=format_date(latest[0]))
        )


def number_in_order(
    session: Session,
    on: date,
    vendor: VendorSettings,
    trusted: Callable[[int], bool] | None = None,
) -> tuple[str, int]:
    """The next invoice number for a document dated ``on`` and the counter after it, refused
    when an invoice of the same year is dated later (numbers follow the dates). ``trusted``
    (a batch run's) may say the counter's last value shows the order already checked."""
    last = _advance_counter(session, INVOICE, on.year)
    if trusted is None or not trusted(last):
        check_date_order(session, INVOICE, on)
    return _format_free(session, INVOICE, on.year, last + 1, vendor), last + 1


def invoice_counter(session: Session, year: int) -> int:
    """Where the invoice counter of ``year`` stands (0 before the first invoice)."""
    return session.execute(_COUNTER_LAST, {"b_series": INVOICE, "b_year": year}).scalar() or 0
