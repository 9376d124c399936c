"""Differential property (issue 17): random two-year histories on each of the three licence
models, run through the services, invoice exactly what a small reference pricer says, per
school and year (of the invoice date): nothing billed twice, nothing dropped.

The reference is written straight from DESIGN.md section 1 with its own arithmetic; it calls no
pricing code of the project (only the catalogue's sample package prices, which are data). Dates
are the invoice dates the rules give: an order or upgrade on its day, a year-end renewal on
1 January, an anniversary renewal on its renewal date.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lehrer_licenses.domain.default_catalogue import SAMPLE_PACKAGE_PRICES
from lehrer_licenses.services.licences.packages.activation import order_package
from lehrer_licenses.services.licences.packages.upgrade import upgrade_package
from lehrer_licenses.services.licences.pupils.agreements import record_agreements, start_trial
from lehrer_licenses.services.licences.pupils.counts import record_pupil_counts
from lehrer_licenses.services.licences.pupils.paid_year import start_paid_year
from lehrer_licenses.services.licences.pupils.upgrade import upgrade_pupils
from lehrer_licenses.services.licences.seats.cancellations import cancel
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.services.season.renewals_due import run_due_renewals
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import Invoice, School

pytestmark = pytest.mark.slow

CENT = Decimal("0.01")
FIRST_DAY, LAST_DAY = date(2026, 1, 1), date(2027, 12, 31)
SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def days(start: date, end: date):
    return st.integers(0, (end - start).days).map(lambda n: start + timedelta(days=n))


def invoiced(db, school: str) -> dict[int, Decimal]:
    """The net of every invoice of ``school``, summed per year of its invoice date."""
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    with db.reading() as session:
        rows = session.execute(
            select(Invoice.invoice_date, Invoice.net)
            .join(School, School.id == Invoice.school_id)
            .where(School.number == school)
        )
        for day, net in rows:
            totals[day.year] += net
    return {year: amount for year, amount in totals.items() if amount}


@contextmanager
def school_on_fresh_db(databases, name: str, country: str, language: str):
    """(database, school number) on a fresh database of its own, for one example."""
    with tempfile.TemporaryDirectory() as folder:
        db = databases.fresh(Path(folder) / "p.sqlite")
        try:
            yield db, add_school(db, SchoolInput(name=name, country=country, language=language))
        finally:
            db.dispose()


def cleaned(totals: dict[int, Decimal]) -> dict[int, Decimal]:
    return {year: money(amount) for year, amount in totals.items() if amount}


# --- per-teacher seats (L2-L5): orders, reductions, reactivations, year-end runs ------------
# L2: base 111.45 + subscription 44.55 per seat; L3: 4.50 per month from the order month to the
# term's end, never above 44.55; L4: renewal 44.55 per seat on 1 January, notice by 31 October;
# L5: a seat taken again pays a new base licence. The year-end run goes in December, before the
# term it renews starts: what is dated after it in December belongs to the running term and pays
# the renewed one as the renewal did.
BASE, YEAR, MONTH = Decimal("111.45"), Decimal("44.55"), Decimal("4.50")
RUNS = {date(2026, 12, 1): 2027, date(2027, 12, 1): 2028}

seat_events = st.lists(
    st.tuples(days(FIRST_DAY, LAST_DAY), st.sampled_from(("order", "cancel")), st.integers(1, 4)),
    max_size=10,
)


def seats_reference(first: tuple[date, int], events) -> tuple[list, dict[int, Decimal]]:
    """The operations the services should accept, in order, and the totals per year."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    ends: list[date | None] = []  # per seat: the last day it runs (None: not cancelled)
    renewed_into = None  # the year the contract's term is in, once a run moved it on
    ops = []
    timeline = [(first[0], 0, "order", first[1])]
    timeline += [(day, 1, "event", (op, n)) for day, op, n in events if day > first[0]]
    timeline += [(day, 2, "run", year) for day, year in RUNS.items()]
    for day, _order, kind, what in sorted(timeline):
        if kind == "run":
            ends = [end for end in ends if end is None or end > date(what - 1, 12, 31)]
            totals[what] += YEAR * len(ends)  # dated 1 January
            renewed_into = what
            ops.append(("run", what))
            continue
        op, n = what if kind == "event" else ("order", what)
        ahead = renewed_into == day.year + 1
        if op == "order":
            if not ends and not ops:  # the first order: the whole term (L2)
                totals[day.year] += (BASE + YEAR) * n
            else:  # a reorder or reactivation (L3, L5), and the renewed term when ahead
                months = (12 - day.month) + 1
                totals[day.year] += (BASE + min(MONTH * months, YEAR)) * n
                if ahead:
                    totals[day.year] += YEAR * n
            ends += [None] * n
            ops.append(("order", day, n))
        else:
            open_seats = [i for i, end in enumerate(ends) if end is None]
            n = min(n, len(open_seats) - 1)  # one seat always runs on: no lapse
            if n <= 0:
                continue
            in_time = not ahead and day <= date(day.year, 10, 31)
            end = date(day.year if in_time else day.year + 1, 12, 31)
            for i in open_seats[-n:]:
                ends[i] = end
            ops.append(("cancel", day, n))
    return ops, cleaned(totals)


@SETTINGS
@given(first=st.tuples(days(FIRST_DAY, date(2026, 11, 30)), st.integers(1, 6)), events=seat_events)
def test_seats_invoice_what_the_reference_prices(databases, first, events):
    ops, expected = seats_reference(first, events)
    with school_on_fresh_db(databases, "Schule Au", "CH", "de") as (db, school):
        for op in ops:
            if op[0] == "run":
                run_renewals(db, op[1], dry_run=False)
            elif op[0] == "order":
                order_seats(db, school, op[2], op[1])
            else:
                cancel(db, school, seats=op[2], received=op[1])
        assert invoiced(db, school) == expected, ops


# --- user packages (M1, M2, M8): activation, upgrades, renewals (run on time or ahead) ------
# M1: the year is 365 days from activation and renews at the package's price; M8: an upgrade
# during the year costs 150.00 plus the difference of the annual prices, the year runs on. An
# upgrade dated after a renewal was run ahead (and before its date) also pays the renewed year
# at the larger size, as that renewal would have priced it (no second fee).
PRICES = {size: Decimal(prices[0]) for size, prices in SAMPLE_PACKAGE_PRICES.items()}
SIZES = sorted(PRICES)
FEE = Decimal("150.00")


@SETTINGS
@given(
    start=days(FIRST_DAY, date(2026, 12, 31)),
    size=st.sampled_from(SIZES[:-1]),
    upgrade=st.one_of(st.none(), st.tuples(st.integers(1, 364), st.integers(1, 3))),
    run_ahead=st.integers(0, 20),
)
def test_packages_invoice_what_the_reference_prices(databases, start, size, upgrade, run_ahead):
    renewal = start + timedelta(days=365)
    run_on = renewal - timedelta(days=run_ahead)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    totals[start.year] += PRICES[size]
    steps = [("order", start)]
    capacity = size
    if upgrade is not None:
        on = start + timedelta(days=upgrade[0])
        bigger = SIZES[min(SIZES.index(size) + upgrade[1], len(SIZES) - 1)]
        if renewal <= LAST_DAY and on >= run_on:
            steps.append(("run", run_on))  # the run comes first: the upgrade pays both years
            totals[renewal.year] += PRICES[size]
            totals[on.year] += FEE + (PRICES[bigger] - PRICES[size]) * 2
        else:  # the renewal (below) comes after it, at the larger size
            totals[on.year] += FEE + PRICES[bigger] - PRICES[size]
        steps.insert(1, ("upgrade", on, bigger))
        steps.sort(key=lambda s: (s[1], s[0] != "run"))
        capacity = bigger
    if renewal <= LAST_DAY and all(s[0] != "run" for s in steps):
        steps.append(("run", run_on))
        totals[renewal.year] += PRICES[capacity]
    with school_on_fresh_db(databases, "Schule Au", "DE", "de") as (db, school):
        for step in steps:
            if step[0] == "order":
                order_package(db, school, size, start)
            elif step[0] == "upgrade":
                upgrade_package(db, school, step[2], step[1])
            else:
                run_due_renewals(db, renewal, dry_run=False)
        assert invoiced(db, school) == cleaned(totals), steps


# --- per-pupil subscriptions (F3, F5-F7, F10): start, monthly counts, upgrade, renewal -------
# F5: the pre-investment is the pupils counted x the yearly price (3-8: 3.60; 1-2: 11.50).
# F6/F7: at the renewal one invoice credits it, charges the year's use (pupil-months x the
# monthly price: 3-8 0.30, 1-2 0.96) and invoices the next pre-investment (the latest count).
# F10: an upgrade restarts the year and settles the old one the same way. A year is one calendar
# year; its use months run from its start month to the month before its renewal (the month of an
# upgrade is the new year's), each month counted at its end (recorded on the next month's 1st).
YEARLY = {"1-2": Decimal("11.50"), "3-8": Decimal("3.60")}
MONTHLY = {"1-2": Decimal("0.96"), "3-8": Decimal("0.30")}


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


@SETTINGS
@given(
    start=days(date(2026, 2, 1), date(2026, 7, 14)),
    first=st.integers(50, 300),
    counts=st.lists(st.integers(0, 300), min_size=24, max_size=24),
    upgrade=st.one_of(st.none(), st.tuples(st.integers(1, 330), st.integers(1, 80))),
)
def test_per_pupil_invoices_what_the_reference_prices(databases, start, first, counts, upgrade):
    totals: dict[int, Decimal] = defaultdict(Decimal)
    totals[start.year] += first * YEARLY["3-8"]
    year_start, pre = start, {"3-8": first * YEARLY["3-8"]}
    upgrade_on = start + timedelta(days=upgrade[0]) if upgrade else None
    renewal = (upgrade_on or start) + relativedelta(years=1)
    recorded: dict[date, dict[str, int]] = {}  # month -> the counts recorded for it

    def parts_on(day: date) -> dict[str, int]:
        """A month's counts, for the parts of the plan running when they are recorded."""
        n = counts[(day.year - 2026) * 12 + day.month - 1]
        if upgrade_on is not None and day > upgrade_on:
            return {"1-2": upgrade[1], "3-8": n}
        return {"3-8": n}

    def settle(until_month: date) -> Decimal:
        use: dict[str, int] = defaultdict(int)
        for month, parts in recorded.items():
            if month_of(year_start) <= month < until_month:
                for part, n in parts.items():
                    use[part] += n
        return sum((money(n * MONTHLY[p]) for p, n in use.items()), Decimal(0)) - sum(
            pre.values(), Decimal(0)
        )

    timeline = []  # (day, order within the day, what)
    month = month_of(start) + relativedelta(months=1)
    while month <= date(2027, 12, 1):  # the count of the month before, at its end
        timeline.append((month, 0, "count"))
        month += relativedelta(months=1)
    if upgrade_on is not None:
        timeline.append((upgrade_on, 1, "upgrade"))
    if renewal <= LAST_DAY:
        timeline.append((renewal, 1, "renewal"))
    steps = []
    for day, _order, what in sorted(timeline):
        if what == "count":
            counted = month_of(day) - relativedelta(months=1)
            if counted < month_of(start):
                continue
            recorded[counted] = parts_on(day)
            steps.append(("count", counted, recorded[counted]))
        elif what == "upgrade":
            new = {"1-2": upgrade[1], "3-8": first}
            totals[day.year] += settle(month_of(day)) + sum(
                (n * YEARLY[p] for p, n in new.items()), Decimal(0)
            )
            year_start, pre = day, {p: n * YEARLY[p] for p, n in new.items()}
            steps.append(("upgrade", day, new))
        else:
            latest = recorded[max(recorded)] if recorded else None
            nxt = {p: n * YEARLY[p] for p, n in (latest or {}).items()} or pre
            totals[day.year] += settle(month_of(day)) + sum(nxt.values(), Decimal(0))
            steps.append(("renewal", day))

    with school_on_fresh_db(databases, "Basisschool Au", "NL", "nl") as (db, school):
        record_agreements(
            db, school, terms_accepted_on=date(2026, 1, 2),
            dpa_reference="VWO-1", dpa_signed_on=date(2026, 1, 2),
        )  # fmt: skip
        start_trial(db, school, date(2026, 1, 15))
        start_paid_year(db, school, "FPO-38", start, {"3-8": first})
        for step in steps:
            if step[0] == "count":
                record_pupil_counts(db, school, step[1], step[2])
            elif step[0] == "upgrade":
                upgrade_pupils(db, school, "FPO-COMBI", step[1], step[2])
            else:
                run_due_renewals(db, step[1], dry_run=False)
        assert invoiced(db, school) == cleaned(totals), steps
