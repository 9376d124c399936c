"""The schools list's first page at the app's start, read before SQLAlchemy and the models are
imported.

Importing the store (SQLAlchemy, the mapped models, Alembic) takes most of a second; the list
the clerk looks at first does not need it. A desk file at the schema this module knows
(``HEAD_REVISION``) is read here with the plain ``sqlite3`` module, read-only, without a
search, in the order the list was left in when it is one of the school's own columns
(``SORT_COLUMNS``). Anything else (a server, an older or newer schema, no file, another order,
any error) gives None, and the app goes the normal way through ``browse.schools``.

The queries are ``browse.schools.list_schools``' for those orders, written out in SQL: a test
compares both on a demo database, and another keeps ``HEAD_REVISION`` at Alembic's head, so
a migration that changes these tables is noticed here.

The list's row and its status codes live here so that the app's start can name them without
importing ``browse.schools``, which re-exports them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from lehrer_licenses.store.location import database_target

# The schema this reader was written for: alembic_version.version_num of a database at head.
HEAD_REVISION = "0017"

# School status as shown in the list: a running contract, one that runs out (cancelled as a
# whole), one that lapsed, or none ever.
STATUS_ACTIVE = "active"
STATUS_ENDING = "ending"
STATUS_LAPSED = "lapsed"
STATUS_NONE = "none"

# services.licences.seats.contracts.ACTIVE, a subscription's and a seat's running state.
_RUNNING = "active"
_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class SchoolRow:
    id: int
    number: str
    name: str
    postcode: str
    city: str
    country: str
    language: str
    status: str
    plan: str | None
    term_end: date | None
    seats: int
    seats_assigned: int
    seats_cancel_pending: int
    open_total: Decimal
    open_currency: str | None  # None when nothing is open or the open invoices mix currencies
    open_mixed_currencies: bool = False

    @property
    def seats_free(self) -> int:
        return max(0, self.seats - self.seats_assigned)


@dataclass(frozen=True)
class FirstPage:
    rows: tuple[SchoolRow, ...]
    total: int  # schools in the database, as the list's count shows them
    sort_key: str = "number"
    descending: bool = False


# The list's sort keys that are columns of the school table, as browse.schools orders them.
SORT_COLUMNS = {
    "number": "number",
    "name": "lower(name)",
    "postcode": "postcode",
    "city": "lower(city)",
    "country": "country",
}
# {order} is a column of SORT_COLUMNS and ASC or DESC; the number makes the order total.
_PAGE_IDS = "SELECT id FROM school ORDER BY {column} {order} NULLS LAST, number {order} LIMIT ?"

# {ids} is one "?" per school of the page.
_FIGURES = """
SELECT s.id, s.number, s.name, s.postcode, s.city, s.country, s.language,
    CASE
        WHEN sub.school_id IS NOT NULL THEN CASE WHEN sub.ending > 0 THEN :ending ELSE :active END
        WHEN EXISTS (SELECT 1 FROM subscription AS e WHERE e.school_id = s.id) THEN :lapsed
        ELSE :none
    END,
    sub.plan, sub.term_end, coalesce(sc.seats, 0), coalesce(a.assigned, 0),
    coalesce(sc.pending, 0), inv.open_total, inv.currency, coalesce(inv.currencies, 0)
FROM school AS s
LEFT JOIN (
    SELECT subscription.school_id AS school_id, min(plan.code) AS plan,
        min(subscription.term_end) AS term_end, count(subscription.ends_on) AS ending
    FROM subscription JOIN plan ON plan.id = subscription.plan_id
    WHERE subscription.status = :running AND subscription.school_id IN ({ids})
    GROUP BY subscription.school_id
) AS sub ON sub.school_id = s.id
LEFT JOIN (
    SELECT seat.school_id AS school_id, count(seat.id) AS seats, count(seat.release_on) AS pending
    FROM seat JOIN subscription ON subscription.id = seat.subscription_id
    WHERE seat.status = :running AND subscription.status = :running AND seat.school_id IN ({ids})
    GROUP BY seat.school_id
) AS sc ON sc.school_id = s.id
LEFT JOIN (
    SELECT seat.school_id AS school_id, count(seat_assignment.id) AS assigned
    FROM seat JOIN subscription ON subscription.id = seat.subscription_id
        JOIN seat_assignment ON seat_assignment.seat_id = seat.id
    WHERE seat.status = :running AND subscription.status = :running
        AND seat_assignment.end_on IS NULL AND seat.school_id IN ({ids})
    GROUP BY seat.school_id
) AS a ON a.school_id = s.id
LEFT JOIN (
    SELECT invoice.school_id AS school_id,
        sum(invoice.payable - coalesce(p.paid, 0) - coalesce(c.credited, 0)) AS open_total,
        min(invoice.currency) AS currency, count(DISTINCT invoice.currency) AS currencies
    FROM invoice
    LEFT JOIN (
        SELECT invoice_id, sum(amount) AS paid FROM payment
        WHERE invoice_id IN (SELECT id FROM invoice WHERE school_id IN ({ids}))
        GROUP BY invoice_id
    ) AS p ON p.invoice_id = invoice.id
    LEFT JOIN (
        SELECT credits_invoice_id AS invoice_id, sum(payable) AS credited FROM invoice
        WHERE kind = 'credit_note'
            AND credits_invoice_id IN (SELECT id FROM invoice WHERE school_id IN ({ids}))
        GROUP BY credits_invoice_id
    ) AS c ON c.invoice_id = invoice.id
    WHERE invoice.kind = 'invoice' AND invoice.status IN ('issued', 'partly_paid')
        AND invoice.school_id IN ({ids})
    GROUP BY invoice.school_id
) AS inv ON inv.school_id = s.id
WHERE s.id IN ({ids})
"""


def desk_file(db_arg: str | None) -> Path | None:
    """The SQLite file the app would open for ``db_arg``; None for a server."""
    target = database_target(db_arg)
    if target.startswith("sqlite:///"):
        target = target.removeprefix("sqlite:///")
    elif "://" in target:
        return None
    return Path(target).expanduser().resolve()


def read_first_page(
    db_arg: str | None, limit: int, sort_key: str = "number", descending: bool = False
) -> FirstPage | None:
    """The first ``limit`` schools in the order of ``sort_key`` and their count, or None where
    the normal way has to answer (see the module's docstring). Never raises: the start goes on
    either way."""
    if sort_key not in SORT_COLUMNS:
        return None
    try:
        path = desk_file(db_arg)
        if path is None or not path.is_file():
            return None
        # Read-only, and no waiting: a file that is busy or locked is the normal way's to open.
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            return _read(con, limit, sort_key, descending)
        finally:
            con.close()
    except Exception:  # an unreadable, foreign or damaged file: the normal way says what is wrong
        return None


def _read(con: sqlite3.Connection, limit: int, sort_key: str, descending: bool) -> FirstPage | None:
    # One read transaction: the count and the page see the same data.
    con.execute("BEGIN")
    version = con.execute("SELECT version_num FROM alembic_version").fetchall()
    if version != [(HEAD_REVISION,)]:
        return None
    total = con.execute("SELECT count(id) FROM school").fetchone()[0]
    order = "DESC" if descending else "ASC"
    query = _PAGE_IDS.format(column=SORT_COLUMNS[sort_key], order=order)
    ids = [school_id for (school_id,) in con.execute(query, (max(0, limit),))]
    if not ids:
        return FirstPage((), total, sort_key, descending)
    marks = ", ".join(f":id{i}" for i in range(len(ids)))
    values: dict[str, object] = {f"id{i}": school_id for i, school_id in enumerate(ids)}
    values.update(
        running=_RUNNING,
        active=STATUS_ACTIVE,
        ending=STATUS_ENDING,
        lapsed=STATUS_LAPSED,
        none=STATUS_NONE,
    )
    rows = {r[0]: _row(r) for r in con.execute(_FIGURES.format(ids=marks), values)}
    page = tuple(rows[school_id] for school_id in ids if school_id in rows)
    return FirstPage(page, total, sort_key, descending)


def _money(scaled: int | None) -> Decimal:
    # Amounts are stored as integer cents (store/types.ScaledDecimal(2)).
    return Decimal("0.00") if scaled is None else (Decimal(int(scaled)) * _CENTS).quantize(_CENTS)


def _row(r: tuple) -> SchoolRow:
    (school_id, number, name, postcode, city, country, language, status, plan, term_end) = r[:10]
    seats, assigned, pending, open_total, currency, currencies = r[10:]
    mixed = (currencies or 0) > 1
    return SchoolRow(
        id=school_id,
        number=number,
        name=name,
        postcode=postcode,
        city=city,
        country=country,
        language=language,
        status=status,
        plan=plan,
        term_end=date.fromisoformat(term_end) if term_end is not None else None,
        seats=int(seats),
        seats_assigned=int(assigned),
        seats_cancel_pending=int(pending),
        open_total=_money(open_total),
        open_currency=None if mixed else currency,
        open_mixed_currencies=mixed,
    )
