"""Read query of one school's detail panel: address, running contract, seats, teachers,
invoices, cancellations and the latest history, in a fixed handful of SELECTs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.domain.periods import notice_deadline
from lehrer_licenses.i18n import ui_language
from lehrer_licenses.services.browse.history import HistoryRow, school_history
from lehrer_licenses.services.licences.seats.contracts import (
    ACTIVE,
    latest_subscription,
    open_assignment,
    running_subscription,
    subscription_plan,
    term_of,
)
from lehrer_licenses.services.licences.seats.holders import full_name
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Cancellation,
    Invoice,
    School,
    Seat,
    SeatAssignment,
    Teacher,
)


@dataclass(frozen=True)
class ContractInfo:
    subscription_id: int
    plan: str
    plan_name: str
    currency: str
    status: str
    started_on: date
    term_start: date
    term_end: date
    ends_on: date | None
    lapsed_on: date | None
    notice_deadline: date
    seats_held: int
    seats_assigned: int
    seats_cancel_pending: int

    @property
    def seats_free(self) -> int:
        return max(0, self.seats_held - self.seats_assigned)


@dataclass(frozen=True)
class TeacherRow:
    id: int
    name: str
    email: str
    is_admin: bool
    frozen: bool
    left_on: date | None
    seat: int | None  # position of the seat held now


@dataclass(frozen=True)
class SeatRow:
    position: int
    acquired_on: date
    release_on: date | None
    holder: str | None
    holder_since: date | None
    holder_frozen: bool


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str | None
    status: str
    reason: str
    school: str
    school_name: str
    invoice_date: date
    currency: str
    net: Decimal
    vat: Decimal
    payable: Decimal


@dataclass(frozen=True)
class CancellationRow:
    received_on: date
    seats: int | None  # None: the whole contract
    deadline: date
    in_time: bool
    effective_on: date
    status: str


@dataclass(frozen=True)
class SchoolDetail:
    id: int
    number: str
    name: str
    country: str
    language: str
    street: str
    house_number: str
    postcode: str
    city: str
    email: str
    vat_id: str
    db_hosting: bool
    canton_licence: bool
    note: str
    contract: ContractInfo | None
    teachers: list[TeacherRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    invoices: list[InvoiceRow] = field(default_factory=list)
    cancellations: list[CancellationRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)


# --- one school -------------------------------------------------------------------------------


def _contract(session: Session, school: School) -> tuple[ContractInfo | None, list[Seat]]:
    sub = running_subscription(session, school) or latest_subscription(session, school)
    if sub is None:
        return None, []
    seats = list(
        session.scalars(
            select(Seat)
            .where(Seat.subscription_id == sub.id, Seat.status == ACTIVE)
            .options(selectinload(Seat.assignments).selectinload(SeatAssignment.teacher))
            .order_by(Seat.position)
        )
    )
    plan = subscription_plan(sub)
    assigned = sum(1 for s in seats if open_assignment(s) is not None)
    info = ContractInfo(
        subscription_id=sub.id,
        plan=sub.plan.code,
        plan_name=sub.plan.display_name(ui_language()),
        currency=sub.plan.currency,
        status=sub.status,
        started_on=sub.started_on,
        term_start=sub.term_start,
        term_end=sub.term_end,
        ends_on=sub.ends_on,
        lapsed_on=sub.lapsed_on,
        notice_deadline=notice_deadline(term_of(sub).renewal_date, plan.notice_months),
        seats_held=len(seats),
        seats_assigned=assigned,
        seats_cancel_pending=sum(1 for s in seats if s.release_on is not None),
    )
    return info, seats


def _invoice_row(inv: Invoice, school: School) -> InvoiceRow:
    return InvoiceRow(
        inv.id,
        inv.number,
        inv.status,
        inv.reason,
        school.number,
        school.name,
        inv.invoice_date,
        inv.currency,
        inv.net,
        inv.vat,
        inv.payable,
    )


def school_detail(db: Database, number: str) -> SchoolDetail:
    with db.reading() as session:
        school = school_by_number(session, number)
        contract, seats = _contract(session, school)
        held: dict[int, int] = {}
        seat_rows = []
        for seat in seats:
            holder = open_assignment(seat)
            if holder is not None:
                held[holder.teacher_id] = seat.position
            seat_rows.append(
                SeatRow(
                    seat.position,
                    seat.acquired_on,
                    seat.release_on,
                    full_name(holder.teacher) if holder else None,
                    holder.start_on if holder else None,
                    bool(holder and holder.teacher.frozen),
                )
            )
        teachers = [
            TeacherRow(
                t.id,
                full_name(t),
                t.email,
                t.is_admin,
                t.frozen,
                t.left_on,
                held.get(t.id),
            )
            for t in session.scalars(
                select(Teacher)
                .where(Teacher.school_id == school.id)
                .order_by(Teacher.left_on.is_not(None), Teacher.last_name, Teacher.first_name)
            )
        ]
        invoices = [
            _invoice_row(inv, school)
            for inv in session.scalars(
                select(Invoice)
                .where(Invoice.school_id == school.id)
                .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
            )
        ]
        cancellations = [
            CancellationRow(c.received_on, c.seats, c.deadline, c.in_time, c.effective_on, c.status)
            for c in session.scalars(
                select(Cancellation)
                .where(Cancellation.school_id == school.id)
                .order_by(Cancellation.received_on.desc(), Cancellation.id.desc())
            )
        ]
        history = school_history(session, school.id)
        return SchoolDetail(
            id=school.id,
            number=school.number,
            name=school.name,
            country=school.country,
            language=school.language,
            street=school.street,
            house_number=school.house_number,
            postcode=school.postcode,
            city=school.city,
            email=school.email,
            vat_id=school.vat_id,
            db_hosting=school.db_hosting,
            canton_licence=school.canton_licence,
            note=school.note,
            contract=contract,
            teachers=teachers,
            seats=seat_rows,
            invoices=invoices,
            cancellations=cancellations,
            history=history,
        )
