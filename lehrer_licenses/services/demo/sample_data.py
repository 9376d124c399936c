"""Realistic sample data: schools of CH, DE, AT and NL with teachers, seats and three years of
orders, renewals, transfers, cancellations and monthly counts.

Prices come from the same domain functions the use cases call, so every sample invoice is one the
app would have written. Rows are bulk-inserted with ids chosen up front (one transaction):
20,000 schools with ~400,000 seats must take well under a minute.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session, aliased, selectinload

from lehrer_licenses.domain.catalogue import Billing, Plan
from lehrer_licenses.domain.default_catalogue import HOSTED_PLAN, LOCAL_PLAN, SAMPLE_VOLUME_TIERS
from lehrer_licenses.domain.invoice import compute_totals
from lehrer_licenses.domain.periods import (
    Term,
    calendar_year_term,
    cancellation_effective,
    month_start,
)
from lehrer_licenses.domain.pricing import (
    Line,
    price_new_seats,
    price_renewal,
    price_usage_in_arrears,
)
from lehrer_licenses.domain.vat import vat_rate_for
from lehrer_licenses.i18n import gettext_for
from lehrer_licenses.services.billing.drafts import line_columns
from lehrer_licenses.services.billing.printing import (
    build_document,
    registration_code,
    render,
    store_pdf,
)
from lehrer_licenses.services.billing.states import CREDIT_NOTE, INVOICE, PAID, PARTLY_PAID, ZERO
from lehrer_licenses.services.billing.vendor import (
    VendorSettings,
    ensure_sample_vendor,
    load_vendor,
)
from lehrer_licenses.services.catalogue import load_catalogue, load_vat_rates, plan_row
from lehrer_licenses.services.demo import licence_histories as demo_licences
from lehrer_licenses.services.demo import names
from lehrer_licenses.services.demo.billing_states import billed_schools, settle_invoices
from lehrer_licenses.services.schools import next_school_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database, advance_id_sequence
from lehrer_licenses.store.models import (
    Addon,
    Cancellation,
    DunningNotice,
    Invoice,
    InvoiceLine,
    NumberCounter,
    PackageCount,
    Payment,
    PreInvestmentRow,
    PupilCount,
    PupilTrial,
    School,
    Seat,
    SeatAssignment,
    Subscription,
    Teacher,
    TierRow,
    UsageCount,
    fill_search_text,
    fill_teacher_search_text,
)

COUNTRY_SHARE = (("CH", 0.6), ("DE", 0.2), ("AT", 0.08), ("NL", 0.12))
# Parents before children: the insert order of the bulk load.
DEMO_TABLES = (
    School,
    Teacher,
    Subscription,
    Seat,
    SeatAssignment,
    Cancellation,
    UsageCount,
    PackageCount,
    Addon,
    PupilTrial,
    PupilCount,
    Invoice,
    InvoiceLine,
    PreInvestmentRow,
    Payment,
    DunningNotice,
)
MAIL_DOMAIN = {"CH": "ch", "DE": "de", "AT": "at", "NL": "nl"}


@cache
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == ".")


@dataclass
class _Rows:
    ids: dict[str, int]
    tables: dict[type, list[dict]] = field(default_factory=dict)

    def add(self, model: type, row: dict) -> int:
        key = model.__tablename__
        self.ids[key] += 1
        row["id"] = self.ids[key]
        self.tables.setdefault(model, []).append(row)
        return row["id"]


class _SchoolHistory:
    """One school's life from its first order until ``today``."""

    def __init__(
        self,
        gen: _Generator,
        school_id: int,
        country: str,
        language: str,
        plan: Plan,
        plan_id: int,
        hosted: bool,
        canton: bool,
    ) -> None:
        self.gen, self.school_id, self.country, self.language = gen, school_id, country, language
        self.plan, self.plan_id, self.hosted, self.canton = plan, plan_id, hosted, canton
        self.tr = gettext_for(language)
        self.seats: list[dict] = []  # active seat rows
        self.last_position = 0  # the contract's highest seat number yet, released ones included
        self.holders: dict[int, dict] = {}  # seat id -> open assignment row
        self.assignments: list[dict] = []
        self.cancellations: list[dict] = []
        self.sub: dict = {}

    def teacher(self, *, admin: bool = False) -> int:
        rng = self.gen.rng
        lang = self.language if self.language in names.FIRST_NAMES else "de"
        first = rng.choice(names.FIRST_NAMES[lang])
        last = rng.choice(names.LAST_NAMES[lang])
        return self.gen.rows.add(
            Teacher,
            fill_teacher_search_text(
                {
                    "school_id": self.school_id,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{_ascii(first)}.{_ascii(last)}@{self.gen.domain}",
                    "is_admin": admin,
                    "frozen": (not admin) and rng.random() < 0.02,
                    "left_on": None,
                }
            ),
        )

    def invoice(self, reason: str, lines: list[Line], on: date, key: str | None = None) -> None:
        if not lines:
            return
        rate = vat_rate_for(self.gen.vat_rates, self.country, on)
        t = compute_totals(lines, rate, self.plan.currency)
        invoice_id = self.gen.rows.add(
            Invoice,
            {
                "number": None,
                "kind": "invoice",
                "status": "draft",
                "school_id": self.school_id,
                "subscription_id": self.sub["id"],
                "reason": reason,
                "billing_key": key,
                "currency": self.plan.currency,
                "language": self.language,
                "invoice_date": on,
                "net": t.net.amount,
                "vat_rate": rate,
                "vat": t.vat.amount,
                "total": t.total.amount,
                "rounding": t.rounding.amount,
                "payable": t.payable.amount,
                "created_at": datetime.combine(on, datetime.min.time()),
            },
        )
        for position, line in enumerate(lines, start=1):
            self.gen.rows.add(
                InvoiceLine,
                {"invoice_id": invoice_id, **line_columns(position, line)},
            )

    def add_seats(self, count: int, on: date) -> None:
        for _ in range(count):
            # numbered as the app does (orders.py): after every number the contract used
            self.last_position += 1
            seat = {
                "school_id": self.school_id,
                "subscription_id": self.sub["id"],
                "position": self.last_position,
                "status": "active",
                "acquired_on": on,
                "release_on": None,
                "released_on": None,
            }
            self.gen.rows.add(Seat, seat)
            self.seats.append(seat)
            self.assign(seat, self.teacher(), on)

    def assign(self, seat: dict, teacher_id: int, on: date) -> None:
        row = {"seat_id": seat["id"], "teacher_id": teacher_id, "start_on": on, "end_on": None}
        self.gen.rows.add(SeatAssignment, row)
        self.assignments.append(row)
        self.holders[seat["id"]] = row

    def first_order(self, seats: int, on: date) -> None:
        term = calendar_year_term(on)
        self.sub = {
            "school_id": self.school_id,
            "plan_id": self.plan_id,
            "status": "active",
            "started_on": on,
            "term_start": term.start,
            "term_end": term.end,
            "ends_on": None,
            "lapsed_on": None,
        }
        self.gen.rows.add(Subscription, self.sub)
        self.last_position = 0
        self.teacher(admin=True)
        self.invoice(
            "order",
            price_new_seats(
                self.plan,
                seats=seats,
                order_date=on,
                first_position=1,
                running_term=None,
                term_for_order=term,
                tr=self.tr,
            ),
            on,
        )
        self.add_seats(seats, on)

    def reorder(self, seats: int, on: date) -> None:
        term = Term(self.sub["term_start"], self.sub["term_end"])
        self.invoice(
            "order",
            price_new_seats(
                self.plan,
                seats=seats,
                order_date=on,
                first_position=len(self.seats) + 1,
                running_term=term,
                term_for_order=term,
                tr=self.tr,
            ),
            on,
        )
        self.add_seats(seats, on)

    def transfer(self, on: date) -> None:
        taken = [s for s in self.seats if s["id"] in self.holders]
        if not taken:
            return
        seat = self.gen.rng.choice(taken)
        old = self.holders.pop(seat["id"])
        if old["start_on"] >= on:
            self.holders[seat["id"]] = old
            return
        old["end_on"] = on
        self.gen.left[old["teacher_id"]] = on
        self.assign(seat, self.teacher(), on)

    def cancel(self, seats: int, received: date, whole: bool = False) -> None:
        term = Term(self.sub["term_start"], self.sub["term_end"])
        outcome = cancellation_effective(self.plan.term, term, received, self.plan.notice_months)
        open_seats = [s for s in self.seats if s["release_on"] is None]
        chosen = open_seats if whole else sorted(open_seats, key=lambda s: -s["position"])[:seats]
        if not chosen:
            return
        for seat in chosen:
            seat["release_on"] = outcome.effective
        if whole:
            self.sub["ends_on"] = outcome.effective
        row = {
            "school_id": self.school_id,
            "subscription_id": self.sub["id"],
            "received_on": received,
            "seats": None if whole else len(chosen),
            "deadline": outcome.deadline,
            "in_time": outcome.in_time,
            "effective_on": outcome.effective,
            "status": "pending",
        }
        self.gen.rows.add(Cancellation, row)
        self.cancellations.append(row)

    def users_in(self, month: date) -> int:
        mid = month + timedelta(days=14)
        return sum(
            1
            for a in self.assignments
            if a["start_on"] <= mid and (a["end_on"] is None or a["end_on"] > mid)
        )

    def renew(self, year: int) -> bool:
        """Into ``year``; False when the contract lapses."""
        old = Term(self.sub["term_start"], self.sub["term_end"])
        new = calendar_year_term(date(year, 1, 1))
        if self.hosted:
            counts = {}
            for month in range(1, 13):
                first = date(year - 1, month, 1)
                if first >= month_start(self.sub["started_on"]):
                    counts[first] = self.users_in(first)
                    self.gen.rows.add(
                        UsageCount,
                        {
                            "school_id": self.school_id,
                            "month": first,
                            "count": counts[first],
                            "source": "counted",
                        },
                    )
            self.invoice(
                "usage",
                price_usage_in_arrears(
                    self.plan,
                    term=old,
                    monthly_counts=counts,
                    canton_licence=self.canton,
                    tr=self.tr,
                ),
                new.start,
                f"usage:{self.sub['id']}:{year - 1}",
            )
        ending = [s for s in self.seats if s["release_on"] and s["release_on"] <= old.end]
        for seat in ending:
            seat["status"], seat["released_on"] = "released", seat["release_on"]
            holder = self.holders.pop(seat["id"], None)
            if holder:
                holder["end_on"] = seat["release_on"]
        self.seats = [s for s in self.seats if s["status"] == "active"]
        for row in self.cancellations:
            if row["effective_on"] <= old.end:
                row["status"] = "applied"
        if not self.seats:
            self.sub["status"], self.sub["lapsed_on"] = "lapsed", new.start
            return False
        self.sub["term_start"], self.sub["term_end"] = new.start, new.end
        if self.plan.billing is Billing.ADVANCE:
            self.invoice(
                "renewal",
                price_renewal(self.plan, seats=len(self.seats), term=new, tr=self.tr),
                new.start,
                f"renewal:{self.sub['id']}:{year}",
            )
        return True


class _Generator:
    def __init__(self, session: Session, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.left: dict[int, date] = {}
        self.slug = ""
        self.domain = ""
        catalogue = load_catalogue(session)
        self.plans = {
            code: (catalogue.plan(code), plan_row(session, code).id)
            for code in (LOCAL_PLAN, HOSTED_PLAN)
        }
        self.vat_rates = load_vat_rates(session)
        # DE/AT schools on user packages, NL schools on per-pupil plans (services/demo_licences)
        self.licence_plans = demo_licences.load_plans(session)
        ids = {}
        for model in DEMO_TABLES:
            ids[model.__tablename__] = session.scalar(select(func.max(model.id))) or 0
        self.rows = _Rows(ids)
        self.next_number = int(next_school_number(session))

    def random_day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def school(self) -> None:
        rng = self.rng
        country = rng.choices([c for c, _ in COUNTRY_SHARE], [w for _, w in COUNTRY_SHARE])[0]
        postcode, town, language = rng.choice(names.TOWNS[country])
        lang_key = language if language in names.STREETS else "de"
        pattern = rng.choice(names.SCHOOL_PATTERNS[(country, language)])
        street = rng.choice(names.STREETS[lang_key])
        name = pattern.format(
            town=town,
            street=street,
            tree=rng.choice(names.TREES),
            lastname=rng.choice(names.LAST_NAMES[lang_key]),
        )
        self.slug = _ascii(name.replace(" ", "-"))[:30] or "schule"
        self.domain = f"{self.slug}.{MAIL_DOMAIN[country]}"
        hosted = country == "CH" and rng.random() < 0.12
        plan, plan_id = self.plans[HOSTED_PLAN if hosted else LOCAL_PLAN]
        school_id = self.rows.add(
            School,
            fill_search_text(
                {
                    "number": str(self.next_number),
                    "name": name,
                    "country": country,
                    "language": language,
                    "street": street,
                    "house_number": str(rng.randint(1, 120)),
                    "postcode": postcode,
                    "city": town,
                    "email": f"sekretariat@{self.domain}",
                    "vat_id": "",
                    "db_hosting": hosted,
                    "canton_licence": hosted and rng.random() < 0.3,
                    "note": "",
                    "created_at": datetime.now(),
                }
            ),
        )
        self.next_number += 1
        model = demo_licences.choose(self, country)
        if model is not None:
            demo_licences.simulate(self, model, self.rows.tables[School][-1])
            return
        history = _SchoolHistory(
            self,
            school_id,
            country,
            language,
            plan,
            plan_id,
            hosted,
            self.rows.tables[School][-1]["canton_licence"],
        )
        self.simulate(history)

    def simulate(self, h: _SchoolHistory) -> None:
        rng, today = self.rng, self.today
        first_year = today.year - 2
        start_year = rng.choices([first_year, first_year + 1, today.year], [0.7, 0.2, 0.1])[0]
        start = self.random_day(
            date(start_year, 1, 5), min(date(start_year, 12, 15), today - timedelta(days=7))
        )
        h.first_order(max(3, min(60, int(rng.triangular(3, 45, 12)))), start)
        for year in range(start.year, today.year + 1):
            if year > start.year and not h.renew(year):
                return
            year_end = min(date(year, 12, 31), today - timedelta(days=1))
            begin = max(date(year, 1, 2), start + timedelta(days=1))
            if begin > year_end:
                continue
            if rng.random() < 0.25:
                h.reorder(rng.randint(1, 4), self.random_day(begin, year_end))
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                h.transfer(self.random_day(begin, year_end))
            if len(h.seats) > 3 and rng.random() < 0.08:
                h.cancel(rng.randint(1, 2), self.random_day(begin, year_end))
            elif year < today.year and rng.random() < 0.02:
                h.cancel(0, self.random_day(begin, min(year_end, date(year, 10, 31))), True)
        if h.hosted:  # this year's counts so far, billed at the next renewal
            month = date(today.year, 1, 1)
            while month < month_start(today):
                if month >= month_start(h.sub["started_on"]):
                    self.rows.add(
                        UsageCount,
                        {
                            "school_id": h.school_id,
                            "month": month,
                            "count": h.users_in(month),
                            "source": "counted",
                        },
                    )
                month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _bulk_insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows with their explicit ids, every row with the same columns: a multi-row
    insert takes its columns from the first row, so a key only later rows have would be lost
    (PostgreSQL's driver path). On SQLite straight through the driver, because SQLAlchemy's
    per-row parameter handling costs more than SQLite's own work at this volume."""
    if not rows:
        return
    present = set().union(*(row.keys() for row in rows))
    # A column the rows leave out gets its scalar default, as an ORM insert would.
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.default is not None and c.default.is_scalar and any(c.name not in r for r in rows)
    }
    columns = [c for c in table.columns if c.name in present or c.name in defaults]
    names = [c.name for c in columns]
    rows = [{name: row.get(name, defaults.get(name)) for name in names} for row in rows]
    if connection.dialect.name != "sqlite":
        for chunk in range(0, len(rows), 50_000):
            connection.execute(insert(table), rows[chunk : chunk + 50_000])
        # The ids were given, so the server's id sequence never moved: the next plain insert
        # would take id 1 again.
        advance_id_sequence(connection, table)
        return
    # The column types' own bind processing, so the stored values are exactly what the ORM
    # would write (scaled decimals, ISO dates).
    processors = [c.type._cached_bind_processor(connection.dialect) for c in columns]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    values = [
        tuple(
            proc(row[name]) if proc else row[name]
            for name, proc in zip(names, processors, strict=True)
        )
        for row in rows
    ]
    connection.exec_driver_sql(sql, values)


def _ensure_sample_tiers(session: Session) -> None:
    for code in (LOCAL_PLAN, HOSTED_PLAN):
        row = plan_row(session, code)
        if not row.tiers:
            for band in SAMPLE_VOLUME_TIERS:
                row.tiers.append(
                    TierRow(
                        from_quantity=band.from_quantity,
                        percent_off=band.percent_off,
                        valid_from=band.valid_from,
                        note="sample tier from the demo data",
                    )
                )
    session.flush()


@dataclass(frozen=True)
class DemoStats:
    """What ``create_demo`` wrote: rows per kind, and how long it took."""

    schools: int
    teachers: int
    seats: int
    invoices: int
    usage_counts: int
    packages: int
    pupil_trials: int
    seconds: float
    # how the invoices stand: issued (all issued, paid or not), paid, partly paid, credit notes
    # and reminders sent
    issued: int = 0
    paid: int = 0
    partly_paid: int = 0
    credit_notes: int = 0
    reminders: int = 0


def create_demo(
    db: Database,
    schools: int,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoStats:
    started = time.perf_counter()
    with db.transaction() as session:
        ensure_sample_vendor(session)  # only when no vendor is set
        _ensure_sample_tiers(session)
        gen = _Generator(session, seed, today or date.today())
        for done in range(1, schools + 1):
            gen.school()
            if progress and done % 500 == 0:
                progress(done, schools)
        for row in gen.rows.tables.get(Teacher, []):
            row["left_on"] = gen.left.get(row["id"])
        vendor = load_vendor(session)
        counters = {}
        if not vendor.missing():  # an issued invoice needs its PDF, and that the vendor
            counters = settle_invoices(
                gen,
                vendor,
                {(c.series, c.year): c.last for c in session.scalars(select(NumberCounter))},
                billed_schools([r["id"] for r in gen.rows.tables.get(School, [])]),
            )
        connection = session.connection()
        counts = {}
        for model in DEMO_TABLES:
            rows = gen.rows.tables.get(model, [])
            counts[model.__tablename__] = len(rows)
            _bulk_insert(connection, model.__table__, rows)
        for (series, year), last in counters.items():
            session.merge(NumberCounter(series=series, year=year, last=last))
        issued = [r["id"] for r in gen.rows.tables.get(Invoice, []) if r["number"] is not None]
        store_sample_pdfs(session, vendor, issued)
        audit.record(
            session,
            "demo.create",
            "school",
            None,
            after={"schools": schools, "seed": seed, "rows": counts},
        )
    return DemoStats(
        schools=counts["school"],
        teachers=counts["teacher"],
        seats=counts["seat"],
        invoices=counts["invoice"],
        usage_counts=counts["usage_count"],
        packages=sum(
            1 for r in gen.rows.tables.get(Subscription, []) if r.get("capacity") is not None
        ),
        pupil_trials=counts["pupil_trial"],
        seconds=round(time.perf_counter() - started, 1),
        **_billing_counts(gen.rows.tables),
    )


def store_sample_pdfs(session: Session, vendor: VendorSettings, ids: list[int]) -> None:
    """The PDF of every sample document issued, as issuing stores it."""
    credited = aliased(Invoice)
    rows = session.execute(
        select(Invoice, credited.number)
        .outerjoin(credited, credited.id == Invoice.credits_invoice_id)
        .options(selectinload(Invoice.lines), selectinload(Invoice.school))
        .where(Invoice.id.in_(ids))
    ).all()
    for invoice, references in rows:
        document = build_document(
            session,
            invoice,
            vendor,
            registration_code=registration_code(session, invoice),
            references_invoice=references,
            credit_refund=ZERO if references is not None else None,
        )
        store_pdf(session, invoice, render(document))


def _billing_counts(tables: dict[type, list[dict]]) -> dict[str, int]:
    invoices = tables.get(Invoice, [])
    return {
        "issued": sum(1 for r in invoices if r["kind"] == INVOICE and r["number"] is not None),
        "paid": sum(1 for r in invoices if r["status"] == PAID),
        "partly_paid": sum(1 for r in invoices if r["status"] == PARTLY_PAID),
        "credit_notes": sum(1 for r in invoices if r["kind"] == CREDIT_NOTE),
        "reminders": len(tables.get(DunningNotice, [])),
    }
