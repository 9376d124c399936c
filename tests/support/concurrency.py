"""Several clerks at once on one database, on SQLite and on a PostgreSQL server (issue 20).

Each scenario prepares a database through the services, then starts the same command line in
several processes at the same moment (``at_once.py`` imports the app, says "ready" and waits for
"go"), and finally looks at what they left: a ``Round`` holds every process's exit code and
output, and the corrupt states found (a second contract, a seat number twice, a seat given twice,
a gap in the invoice numbers...). tests/services/test_concurrent_clerks.py asserts on a round;
benchmarks/bench_concurrency.py runs many and prints the figures.

PostgreSQL: the server in $LEHRER_LICENSES_TEST_POSTGRES (a URL to a database the role may
``CREATE DATABASE`` from); every round gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.database_init import init_database, open_database
from lehrer_licenses.services.licences.seats.holders import add_teacher, assign_seat
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.models import (
    AuditEntry,
    Invoice,
    InvoiceLine,
    NumberCounter,
    School,
    Seat,
    SeatAssignment,
    Subscription,
)

SERVER_ENV = "LEHRER_LICENSES_TEST_POSTGRES"
DATABASE_PREFIX = "pgconc_"
AT_ONCE = Path(__file__).with_name("at_once.py")
ORDERED_ON = date(2026, 3, 2)
NEW_YEAR = 2027
ISSUED_ON = date(NEW_YEAR, 1, 5)
# what a use case refused because of another program says (store/database.py)
CONFLICT_WORDS = ("changed by someone else", "busy")


def backends() -> list[str]:
    """SQLite always; PostgreSQL when a server is given, and in CI always (where a missing server
    then fails the PostgreSQL cases instead of leaving them out unnoticed)."""
    names = ["sqlite"]
    if os.environ.get(SERVER_ENV) or os.environ.get("CI"):
        names.append("postgresql")
    return names


@contextmanager
def desk(backend: str, folder: Path) -> Iterator[str]:
    """A new database as ``init`` leaves it, on ``backend``; yields what ``--db`` takes."""
    if backend == "sqlite":
        target = str(folder / f"desk-{uuid.uuid4().hex[:8]}.sqlite")
        init_database(target)[0].dispose()
        yield target
        return
    server = os.environ.get(SERVER_ENV)
    if not server:
        raise RuntimeError(
            f"CI runs the concurrency tests on PostgreSQL too: set {SERVER_ENV} to the server "
            "(postgresql+psycopg://USER:PASSWORD@HOST:PORT/postgres)"
        )
    name = f"{DATABASE_PREFIX}{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(server).set(database=name).render_as_string(hide_password=False)
            init_database(url, migrate_server=True)[0].dispose()
            yield url
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def clean(self) -> bool:
        """Done (0), or refused with one line naming why (2); never a traceback."""
        if self.code == 0:
            return "Traceback" not in self.err
        lines = self.err.strip().splitlines()
        return self.code == 2 and len(lines) == 1 and "Traceback" not in self.err

    @property
    def conflict(self) -> bool:
        return self.code == 2 and any(word in self.err for word in CONFLICT_WORDS)

    def json(self):
        return json.loads(self.out)


@dataclass
class Round:
    scenario: str
    outcomes: list[Outcome]
    corrupt: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.code == 0]

    @property
    def unclean(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.clean]

    def figures(self) -> Counter:
        return Counter(
            calls=len(self.outcomes),
            succeeded=len(self.succeeded),
            refused_cleanly=sum(o.code == 2 and o.clean for o in self.outcomes),
            conflicts=sum(o.conflict for o in self.outcomes),
            unclean=len(self.unclean),
            corrupt=len(self.corrupt),
        )


def at_once(db: str, commands: list[list[str]]) -> list[Outcome]:
    """Run each command line in its own process, all started at the same moment."""
    processes = [
        subprocess.Popen(
            [sys.executable, str(AT_ONCE), "--db", db, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for process in processes:  # every one has imported the app and waits
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        outcomes.append(Outcome(process.returncode, out, err))
    return outcomes


# an address, which an invoice needs
ADDRESS = {"street": "Schulweg", "house_number": "1", "postcode": "4147", "city": "Aesch"}


def _school(db, n: int) -> str:
    return add_school(db, SchoolInput(name=f"Schule {n}", country="CH", language="de", **ADDRESS))


def _gaps(session, year: int) -> list[str]:
    """The invoice numbers of ``year``: 1..n without a gap or a twin, and the counter at n."""
    numbers = session.scalars(
        select(Invoice.number).where(
            Invoice.kind == "invoice",
            Invoice.number.is_not(None),
            Invoice.invoice_date >= date(year, 1, 1),
        )
    ).all()
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    problems = []
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(f"invoice numbers of {year} with a gap or twice: {seqs}")
    last = session.scalar(
        select(NumberCounter.last).where(
            NumberCounter.series == "invoice", NumberCounter.year == year
        )
    )
    if (last or 0) != len(seqs):
        problems.append(f"the counter of {year} stands at {last}, {len(seqs)} numbers given")
    return problems


def orders_on_one_school(db_arg: str, processes: int) -> Round:
    """Every clerk orders a seat for the same new school."""
    db = open_database(db_arg)
    school = _school(db, 1)
    db.dispose()
    command = ["--json", "order", school, "--seats", "1", "--date", ORDERED_ON.isoformat()]
    result = Round("order", at_once(db_arg, [command] * processes))
    db = open_database(db_arg)
    with db.reading() as session:
        school_id = session.scalar(select(School.id).where(School.number == school))
        contracts = session.scalars(
            select(Subscription.id).where(Subscription.school_id == school_id)
        ).all()
        positions = sorted(
            session.scalars(select(Seat.position).where(Seat.school_id == school_id)).all()
        )
        base = session.scalar(
            select(func.sum(InvoiceLine.quantity))
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.school_id == school_id, InvoiceLine.code == "base")
        ) or Decimal(0)
        kinds = Counter(
            json.loads(after)["kind"]
            for after in session.scalars(
                select(AuditEntry.after).where(
                    AuditEntry.action == "order.seats", AuditEntry.school_id == school_id
                )
            )
        )
    db.dispose()
    ordered = len(result.succeeded)
    if len(contracts) != (1 if ordered else 0):
        result.corrupt.append(f"{len(contracts)} contracts for one school")
    if positions != list(range(1, ordered + 1)):
        result.corrupt.append(f"seat numbers {positions} after {ordered} orders of one seat")
    if base != ordered:
        result.corrupt.append(f"{base} base licences charged for {ordered} seats")
    if ordered and kinds != Counter(first_order=1, reorder=ordered - 1):
        result.corrupt.append(f"orders recorded as {dict(kinds)}")
    return result


def last_free_seat(db_arg: str, processes: int) -> Round:
    """A school with two seats, one of them held: every clerk gives the other to a teacher."""
    db = open_database(db_arg)
    school = _school(db, 1)
    order_seats(db, school, 2, ORDERED_ON)
    teachers = [add_teacher(db, school, "Lehrerin", f"Nr. {n}") for n in range(processes + 1)]
    assign_seat(db, school, teachers[0], ORDERED_ON)
    db.dispose()
    commands = [
        ["seat", "assign", school, "--teacher", str(t), "--date", ORDERED_ON.isoformat()]
        for t in teachers[1:]
    ]
    result = Round("last seat", at_once(db_arg, commands))
    db = open_database(db_arg)
    with db.reading() as session:
        held = session.execute(
            select(SeatAssignment.seat_id, SeatAssignment.teacher_id).where(
                SeatAssignment.end_on.is_(None)
            )
        ).all()
    db.dispose()
    if len(result.succeeded) != 1:
        result.corrupt.append(f"the last seat was given {len(result.succeeded)} times")
    seats = Counter(seat for seat, _teacher in held)
    if len(held) != 2 or max(seats.values()) != 1:
        result.corrupt.append(f"held seats after the round: {sorted(held)}")
    return result


def first_invoice_of_a_year(db_arg: str, processes: int) -> Round:
    """Drafts of several schools, issued at once as the first invoices of a new year."""
    db = open_database(db_arg)
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    drafts = []
    for n in range(processes):
        quote = order_seats(db, _school(db, n), 1, date(NEW_YEAR, 1, 4))
        drafts.append(quote.invoice.id)
    db.dispose()
    commands = [
        ["--json", "invoice", "issue", str(i), "--date", ISSUED_ON.isoformat()] for i in drafts
    ]
    result = Round("first invoice", at_once(db_arg, commands))
    db = open_database(db_arg)
    with db.reading() as session:
        result.corrupt.extend(_gaps(session, NEW_YEAR))
        numbered = session.scalar(
            select(func.count()).where(Invoice.id.in_(drafts), Invoice.number.is_not(None))
        )
    db.dispose()
    if numbered != len(result.succeeded):
        result.corrupt.append(f"{numbered} invoices numbered, {len(result.succeeded)} reported")
    return result


def year_end_runs(db_arg: str, processes: int, schools: int = 4) -> Round:
    """Contracts of several schools ending with the year; the year-end run started more than
    once at the same time."""
    db = open_database(db_arg)
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    for n in range(schools):
        order_seats(db, _school(db, n), 1 + n % 3, ORDERED_ON)
    db.dispose()
    command = ["--json", "renewals", "run", "--year", str(NEW_YEAR)]
    command += ["--date", ISSUED_ON.isoformat()]
    result = Round("year-end", at_once(db_arg, [command] * processes))
    db = open_database(db_arg)
    with db.reading() as session:
        keys = session.scalars(
            select(Invoice.billing_key).where(Invoice.billing_key.is_not(None))
        ).all()
        renewed = session.scalar(
            select(func.count()).where(Subscription.term_end == date(NEW_YEAR, 12, 31))
        )
        result.corrupt.extend(_gaps(session, NEW_YEAR))
    db.dispose()
    if len(keys) != schools or len(set(keys)) != len(keys):
        result.corrupt.append(f"{len(keys)} renewal invoices for {schools} contracts")
    if renewed != schools:
        result.corrupt.append(f"{renewed} of {schools} contracts renewed")
    return result


def schools_added(db_arg: str, processes: int) -> Round:
    """Every clerk adds a school."""
    commands = [
        ["--json", "school", "add", "--name", f"Neue Schule {n}", "--country", "CH", "--language"]
        for n in range(processes)
    ]
    for command in commands:
        command.append("de")
    result = Round("school add", at_once(db_arg, commands))
    db = open_database(db_arg)
    with db.reading() as session:
        numbers = session.scalars(select(School.number)).all()
    db.dispose()
    reported = [o.json()["number"] for o in result.succeeded]
    if len(set(numbers)) != len(numbers) or sorted(reported) != sorted(numbers):
        result.corrupt.append(f"school numbers {sorted(numbers)}, reported {sorted(reported)}")
    return result


SCENARIOS: dict[str, Callable[[str, int], Round]] = {
    "order": orders_on_one_school,
    "last_seat": last_free_seat,
    "first_invoice": first_invoice_of_a_year,
    "year_end": year_end_runs,
    "school_add": schools_added,
}
