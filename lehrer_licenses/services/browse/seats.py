"""Read queries of the seats view: every running seat of every school, filtered in SQL.

A seat is listed while it is active on a running contract. Its state:

- ``free``: nobody holds it (it can be assigned at no cost, L10);
- ``held``: a teacher holds it;
- ``frozen``: its holder is frozen (hidden, not counted, L9);
- ``pending``: a cancellation was received and the seat runs until ``release_on``.

The demo database has about 420,000 seats, so every filter is one indexed SELECT with a LIMIT
(the view pages with fetchMore), and the teacher filter looks the teachers up first (a small
set of ids) instead of folding 420,000 names per keystroke.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import aliased

from lehrer_licenses.domain.catalogue import Billing
from lehrer_licenses.i18n import ui_language
from lehrer_licenses.services.catalogue import plan_display_names
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.licences.seats.holders import full_name
from lehrer_licenses.services.licences.seats.hosting_usage import counted_users_query
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    AuditEntry,
    School,
    Seat,
    SeatAssignment,
    Subscription,
    Teacher,
    UsageCount,
)
from lehrer_licenses.store.textsearch import UNDECOMPOSED, contains_folded, fold

STATE_FREE = "free"
STATE_HELD = "held"
STATE_FROZEN = "frozen"
STATE_PENDING = "pending"
STATES = (STATE_FREE, STATE_HELD, STATE_FROZEN, STATE_PENDING)

SEAT_SORT_KEYS = ("school", "position", "holder", "since", "acquired", "release_on")


@dataclass(frozen=True)
class SeatListRow:
    seat_id: int
    school: str
    school_name: str
    position: int
    acquired_on: date
    release_on: date | None
    teacher_id: int | None
    holder: str | None
    holder_since: date | None
    frozen: bool
    plan: str
    plan_name: str = ""  # in the UI's language

    @property
    def state(self) -> str:
        if self.release_on is not None:
            return STATE_PENDING
        if self.teacher_id is None:
            return STATE_FREE
        return STATE_FROZEN if self.frozen else STATE_HELD


@dataclass(frozen=True)
class SeatFilter:
    """What the seats view asks for; empty fields do not filter."""

    school: str = ""  # a school number, exactly
    teacher: str = ""  # part of a teacher's name or e-mail
    state: str = ""  # one of STATES

    @property
    def empty(self) -> bool:
        return not (self.school.strip() or self.teacher.strip() or self.state)


@dataclass(frozen=True)
class TeacherChoice:
    id: int
    name: str
    email: str
    is_admin: bool
    frozen: bool
    left_on: date | None
    seat: int | None  # the position of the seat held now

    @property
    def can_take_seat(self) -> bool:
        return not self.is_admin and self.left_on is None and self.seat is None


@dataclass(frozen=True)
class SchoolSeats:
    """What the seat dialogs need to know of one school."""

    number: str
    name: str
    has_contract: bool
    db_hosting: bool  # on a plan billed in arrears from monthly counts (L7)
    seats: int
    free: int
    admin: str | None  # the name of its free admin login (L11), if it has one
    teachers: list[TeacherChoice]
    counted_users: int  # users a monthly count would count now (no admin, no frozen)
    usage: dict[date, int]  # the counts recorded this year and last


def _holder():
    return aliased(SeatAssignment, name="holder")


# More teachers than this match a name: the join filters instead of a list of ids.
MAX_TEACHER_IDS = 15000


# LIKE folds only ASCII and a Python fold per row takes seconds on 480,000 names, so the names
# are folded once into one string per database and searched with str.find (in C); the index is
# rebuilt when teachers are added (their count or highest id changes).


@dataclass(frozen=True)
class _NameIndex:
    key: int  # the highest teacher id when it was built (teachers are never deleted)
    blob: str  # one line per teacher: folded "first last", a tab, the teacher's id


_name_indexes: dict[str, _NameIndex] = {}
_name_lock = threading.Lock()
NAMES_SQL = (
    "SELECT group_concat(replace(replace(first_name || ' ' || last_name, char(9), ' '), "
    "char(10), ' ') || char(9) || id, char(10)) FROM teacher"
)
_COMBINING = re.compile("[\u0300-\u036f]")


def _fold_all(text: str) -> str:
    """``fold`` for a whole block of Latin text at once (the same result, 30 times faster)."""
    text = text.casefold()
    # str.translate with a table goes through a dict per character: 2.3 s for the 8 MB of
    # names of the 20k demo, where one str.replace per undecomposed letter takes 0.1 s.
    for letter, plain in UNDECOMPOSED.items():
        text = text.replace(chr(letter), plain)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _name_index(session, url: str) -> _NameIndex:
    key = int(session.scalar(select(func.max(Teacher.id))) or 0)
    with _name_lock:
        index = _name_indexes.get(url)
        if index is not None and index.key == key:
            return index
    if session.get_bind().dialect.name == "sqlite":  # one string, built in C
        text = session.scalar(sql_text(NAMES_SQL)) or ""
    else:
        text = "\n".join(
            f"{first} {last}".replace("\n", " ").replace("\t", " ") + f"\t{teacher_id}"
            for teacher_id, first, last in session.execute(
                select(Teacher.id, Teacher.first_name, Teacher.last_name)
            )
        )
    index = _NameIndex(key, "\n" + _fold_all(text) + "\n")
    with _name_lock:
        _name_indexes[url] = index
    return index


# Free seats are few (none in the demo data) and a seat is free for want of an open
# assignment, which no index can find: listing them reads all 400,000 seats (0.1-0.2 s). So
# their ids are found once per database and kept as candidates, found again when the data
# changed: every use case that assigns, frees, buys or releases a seat writes an audit entry
# and new rows, so the highest audit entry, assignment and seat ids together change with it.
# The candidates are filtered by every condition of a free seat again, so a stale list could
# only miss a seat freed without an audit entry, never show a held one as free.


@dataclass(frozen=True)
class _FreeSeats:
    key: tuple
    ids: list[int]


_free_seats: dict[str, _FreeSeats] = {}


def _free_seat_ids(session, url: str) -> list[int]:
    key = tuple(
        session.execute(
            select(
                select(func.max(AuditEntry.id)).scalar_subquery(),
                select(func.max(SeatAssignment.id)).scalar_subquery(),
                select(func.max(Seat.id)).scalar_subquery(),
            )
        ).one()
    )
    with _name_lock:
        found = _free_seats.get(url)
        if found is not None and found.key == key:
            return found.ids
    held = select(SeatAssignment.id).where(
        SeatAssignment.seat_id == Seat.id, SeatAssignment.end_on.is_(None)
    )
    ids = list(
        session.scalars(
            select(Seat.id).where(Seat.status == ACTIVE, Seat.release_on.is_(None), ~held.exists())
        )
    )
    with _name_lock:
        _free_seats[url] = _FreeSeats(key, ids)
    return ids


def warm_up(db: Database) -> None:
    """Build the name index and find the free seats ahead of the first teacher search or free
    seats filter (call off the UI thread)."""
    with db.reading() as session:
        _name_index(session, db.url)
        if session.get_bind().dialect.name == "sqlite":
            _free_seat_ids(session, db.url)


def _teacher_ids(session, url: str, text: str) -> list[int] | None:
    """Teachers whose name contains ``text`` (any case, any accents, as ``contains``); None
    when there are too many to list (the caller then filters in the join)."""
    needle = (fold(text.strip()) or "").replace("\t", " ").replace("\n", " ")
    blob = _name_index(session, url).blob
    found: list[int] = []
    at = blob.find(needle, 1)
    while at != -1:
        tab = blob.find("\t", at + len(needle))
        end = blob.find("\n", tab)
        if blob.rfind("\n", 0, at) > blob.rfind("\t", 0, at):  # not inside an id
            found.append(int(blob[tab + 1 : end]))
            if len(found) > MAX_TEACHER_IDS:
                return None
        at = blob.find(needle, end)
    return found


def _id_list(session, ids: list[int]):
    """``ids`` for an IN: on SQLite one JSON parameter read by ``json_each`` (thousands of
    bound parameters cost more to build and bind than the query takes to run)."""
    if session.get_bind().dialect.name != "sqlite":
        return ids
    values = func.json_each(json.dumps(ids)).table_valued("value")
    return select(values.c.value).scalar_subquery()


def _query(session, url: str, flt: SeatFilter, columns) -> tuple[Select | None, SeatAssignment]:
    holder = _holder()
    query = (
        select(*columns(holder))
        .select_from(Seat)
        .join(Subscription, Subscription.id == Seat.subscription_id)
        .join(School, School.id == Seat.school_id)
        .outerjoin(holder, and_(holder.seat_id == Seat.id, holder.end_on.is_(None)))
        .outerjoin(Teacher, Teacher.id == holder.teacher_id)
        .where(Seat.status == ACTIVE, Subscription.status == ACTIVE)
    )
    if flt.school.strip():
        school_id = session.scalar(select(School.id).where(School.number == flt.school.strip()))
        if school_id is None:
            return None, holder
        query = query.where(Seat.school_id == school_id)
    if flt.teacher.strip():
        ids = _teacher_ids(session, url, flt.teacher)
        if ids == []:
            return None, holder
        if ids is None:  # a very common name: let SQL join, the first page comes soon
            query = query.where(contains_folded(Teacher.search_text, flt.teacher))
        else:
            # The holders among those teachers, in the same query: their open assignments are
            # found by teacher (an index), not by reading every seat.
            query = query.where(holder.teacher_id.in_(_id_list(session, ids)))
    if flt.state == STATE_FREE:
        query = query.where(holder.id.is_(None), Seat.release_on.is_(None))
        if session.get_bind().dialect.name == "sqlite":
            free = _free_seat_ids(session, url)
            if not free:
                return None, holder
            query = query.where(Seat.id.in_(_id_list(session, free)))
    elif flt.state == STATE_HELD:
        query = query.where(holder.id.is_not(None))
    elif flt.state == STATE_FROZEN:
        query = query.where(Teacher.frozen.is_(True))
    elif flt.state == STATE_PENDING:
        query = query.where(Seat.release_on.is_not(None))
    elif flt.state:
        raise ValueError(f"unknown seat state {flt.state!r}")
    return query, holder


def count_seats(db: Database, flt: SeatFilter = SeatFilter()) -> int:
    with db.reading() as session:
        query, _h = _query(session, db.url, flt, lambda _h: [func.count(Seat.id)])
        return 0 if query is None else int(session.scalar(query) or 0)


def list_seats(
    db: Database,
    flt: SeatFilter = SeatFilter(),
    offset: int = 0,
    limit: int = 200,
    sort_key: str = "school",
    descending: bool = False,
) -> list[SeatListRow]:
    if sort_key not in SEAT_SORT_KEYS:
        raise ValueError(f"cannot sort seats by {sort_key!r}")
    with db.reading() as session:

        def columns(holder):
            return [
                Seat.id,
                School.number,
                School.name,
                Seat.position,
                Seat.acquired_on,
                Seat.release_on,
                holder.teacher_id,
                Teacher.first_name,
                Teacher.last_name,
                holder.start_on,
                Teacher.frozen,
                Subscription.plan_id,
            ]

        query, holder = _query(session, db.url, flt, columns)
        if query is None:
            return []
        sort_column = {
            # School numbers grow with the school's id: its index gives the order without a sort.
            "school": Seat.school_id,
            "position": Seat.position,
            "holder": func.lower(Teacher.last_name),
            "since": holder.start_on,
            "acquired": Seat.acquired_on,
            "release_on": Seat.release_on,
        }[sort_key]
        ordered = sort_column.desc() if descending else sort_column.asc()
        if sort_key == "school":
            order = [ordered, Seat.position.desc() if descending else Seat.position.asc()]
        else:
            order = [ordered.nulls_last(), School.number, Seat.position]
        query = query.order_by(*order).offset(max(0, offset)).limit(max(0, limit))
        plans = plan_display_names(session, ui_language())
        return [
            SeatListRow(
                seat_id=r[0],
                school=r[1],
                school_name=r[2],
                position=r[3],
                acquired_on=r[4],
                release_on=r[5],
                teacher_id=r[6],
                holder=f"{r[7] or ''} {r[8] or ''}".strip() if r[6] is not None else None,
                holder_since=r[9],
                frozen=bool(r[10]),
                plan=plans.get(r[11], ("", ""))[0],
                plan_name=plans.get(r[11], ("", ""))[1],
            )
            for r in session.execute(query)
        ]


def school_seats(db: Database, number: str, today: date | None = None) -> SchoolSeats:
    """A school's teachers and seat figures, for the add-teacher, assign, transfer and usage
    dialogs."""
    today = today or date.today()
    with db.reading() as session:
        school = school_by_number(session, number)
        sub = session.scalar(
            select(Subscription).where(
                Subscription.school_id == school.id, Subscription.status == ACTIVE
            )
        )
        held: dict[int, int] = {}
        seats = 0
        if sub is not None:
            for position, teacher_id in session.execute(
                select(Seat.position, SeatAssignment.teacher_id)
                .outerjoin(
                    SeatAssignment,
                    and_(SeatAssignment.seat_id == Seat.id, SeatAssignment.end_on.is_(None)),
                )
                .where(Seat.subscription_id == sub.id, Seat.status == ACTIVE)
            ):
                seats += 1
                if teacher_id is not None:
                    held[teacher_id] = position
        teachers = [
            TeacherChoice(
                t.id, full_name(t), t.email, t.is_admin, t.frozen, t.left_on, held.get(t.id)
            )
            for t in session.scalars(
                select(Teacher)
                .where(Teacher.school_id == school.id)
                .order_by(Teacher.left_on.is_not(None), Teacher.last_name, Teacher.first_name)
            )
        ]
        admin = next((t.name for t in teachers if t.is_admin), None)
        hosting = sub is not None and sub.plan.billing == Billing.ARREARS.value
        usage = {
            month: count
            for month, count in session.execute(
                select(UsageCount.month, UsageCount.count)
                .where(
                    UsageCount.school_id == school.id,
                    UsageCount.month >= date(today.year - 1, 1, 1),
                )
                .order_by(UsageCount.month)
            )
        }
        return SchoolSeats(
            number=school.number,
            name=school.name,
            has_contract=sub is not None,
            db_hosting=hosting,
            seats=seats,
            free=seats - len(held),
            admin=admin,
            teachers=teachers,
            counted_users=int(session.scalar(counted_users_query(school.id)) or 0),
            usage=usage,
        )


@dataclass(frozen=True)
class HolderRow:
    teacher_id: int
    name: str
    start_on: date
    end_on: date | None
    left_on: date | None


def seat_holders(db: Database, seat_id: int) -> list[HolderRow]:
    """Who held a seat when, the newest first (transfers keep the history, L10)."""
    with db.reading() as session:
        return [
            HolderRow(t.id, full_name(t), a.start_on, a.end_on, t.left_on)
            for a, t in session.execute(
                select(SeatAssignment, Teacher)
                .join(Teacher, Teacher.id == SeatAssignment.teacher_id)
                .where(SeatAssignment.seat_id == seat_id)
                .order_by(SeatAssignment.start_on.desc(), SeatAssignment.id.desc())
            )
        ]
