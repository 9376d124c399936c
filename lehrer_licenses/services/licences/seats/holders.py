"""Teachers on seats. Seats belong to the school (L10): assigning, transferring and freeing them
costs nothing and keeps the history; one admin login per school is free and needs no seat (L11);
frozen users are kept but not counted (L9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.licences.seats.contracts import (
    active_seats,
    open_assignment,
    running_subscription,
)
from lehrer_licenses.services.schools import EMAIL, apply_edit, school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import School, Seat, SeatAssignment, Teacher


@dataclass(frozen=True)
class SeatView:
    seat_id: int
    position: int
    status: str
    acquired_on: date
    release_on: date | None
    teacher_id: int | None
    teacher: str | None
    frozen: bool


def full_name(teacher: Teacher) -> str:
    return f"{teacher.first_name} {teacher.last_name}".strip()


def _teacher(session: Session, school: School, teacher_id: int) -> Teacher:
    teacher = session.get(Teacher, teacher_id)
    if teacher is None or teacher.school_id != school.id:
        raise NotFound(
            _("school {school} has no teacher with id {id}").format(
                school=school.number, id=teacher_id
            )
        )
    return teacher


def _held_seat(session: Session, teacher: Teacher) -> SeatAssignment | None:
    return session.scalar(
        select(SeatAssignment).where(
            SeatAssignment.teacher_id == teacher.id, SeatAssignment.end_on.is_(None)
        )
    )


def _seats(session: Session, school: School) -> list[Seat]:
    sub = running_subscription(session, school)
    if sub is None:
        raise InvalidInput(
            _("School {school} has no running contract, so no seats").format(school=school.number)
        )
    return active_seats(sub)


def add_teacher(
    db: Database,
    school_number: str,
    first_name: str,
    last_name: str,
    email: str = "",
    *,
    admin: bool = False,
) -> int:
    if not (first_name.strip() or last_name.strip()):
        raise InvalidInput(_("a teacher needs a name"))
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        if admin and session.scalar(
            select(Teacher.id).where(Teacher.school_id == school.id, Teacher.is_admin)
        ):
            raise InvalidInput(
                _("School {school} already has its one free admin login").format(
                    school=school.number
                )
            )
        return insert_teacher(session, school, first_name, last_name, email, admin=admin).id


def insert_teacher(
    session: Session,
    school: School,
    first_name: str,
    last_name: str,
    email: str = "",
    *,
    admin: bool = False,
) -> Teacher:
    """Write a checked teacher and its audit entry in the caller's transaction (the CSV import
    writes many in one)."""
    teacher = Teacher(
        school_id=school.id,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        is_admin=admin,
    )
    session.add(teacher)
    session.flush()
    audit.record(
        session,
        "teacher.add",
        "teacher",
        teacher.id,
        school_id=school.id,
        after={"name": full_name(teacher), "admin": admin},
    )
    return teacher


def assign_seat(
    db: Database, school_number: str, teacher_id: int, on: date, position: int | None = None
) -> SeatView:
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        teacher = _teacher(session, school, teacher_id)
        if teacher.is_admin:
            raise InvalidInput(_("The admin login is free and needs no seat (L11)"))
        if teacher.left_on is not None:
            raise InvalidInput(
                _("{name} left the school on {day}").format(
                    name=full_name(teacher), day=format_date(teacher.left_on)
                )
            )
        if _held_seat(session, teacher) is not None:
            raise InvalidInput(_("{name} already holds a seat").format(name=full_name(teacher)))
        seat = _free_seat(session, school, position)
        session.add(SeatAssignment(seat=seat, teacher_id=teacher.id, start_on=on))
        audit.record(
            session,
            "seat.assign",
            "seat",
            seat.id,
            school_id=school.id,
            after={"seat": seat.position, "teacher": full_name(teacher), "on": on},
        )
        session.flush()
        return seat_view(seat)


def _free_seat(session: Session, school: School, position: int | None) -> Seat:
    seats = _seats(session, school)
    free = [s for s in seats if open_assignment(s) is None]
    if position is not None:
        match = [s for s in seats if s.position == position]
        if not match:
            raise NotFound(
                _("school {school} has no seat {n}").format(school=school.number, n=position)
            )
        if match[0] not in free:
            raise InvalidInput(_("Seat {n} is taken").format(n=position))
        return match[0]
    if not free:
        raise InvalidInput(
            _("All {n} seats of school {school} are taken: free one or order more").format(
                n=len(seats), school=school.number
            )
        )
    return min(free, key=lambda s: s.position)


def transfer_seat(
    db: Database,
    school_number: str,
    from_teacher: int,
    to_teacher: int,
    on: date,
    *,
    leaving: bool = True,
) -> SeatView:
    """Give a leaver's seat to the incoming teacher at no cost; the history stays (L10)."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        old = _teacher(session, school, from_teacher)
        new = _teacher(session, school, to_teacher)
        if old.id == new.id:
            raise InvalidInput(_("A seat cannot be transferred to the same teacher"))
        held = _held_seat(session, old)
        if held is None:
            raise InvalidInput(_("{name} holds no seat").format(name=full_name(old)))
        if new.is_admin:
            raise InvalidInput(_("The admin login is free and needs no seat (L11)"))
        if _held_seat(session, new) is not None:
            raise InvalidInput(_("{name} already holds a seat").format(name=full_name(new)))
        if on < held.start_on:
            raise InvalidInput(
                _("The transfer date {day} is before {name} got the seat on {start}").format(
                    day=format_date(on), name=full_name(old), start=format_date(held.start_on)
                )
            )
        held.end_on = on
        if leaving:
            old.left_on = on
        seat = held.seat
        session.add(SeatAssignment(seat=seat, teacher_id=new.id, start_on=on))
        audit.record(
            session,
            "seat.transfer",
            "seat",
            seat.id,
            school_id=school.id,
            before={"teacher": full_name(old)},
            after={"teacher": full_name(new), "on": on, "leaving": leaving},
        )
        session.flush()
        return seat_view(seat)


def free_seat(
    db: Database, school_number: str, teacher_id: int, on: date, *, leaving: bool = True
) -> SeatView:
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        teacher = _teacher(session, school, teacher_id)
        held = _held_seat(session, teacher)
        if held is None:
            raise InvalidInput(_("{name} holds no seat").format(name=full_name(teacher)))
        held.end_on = max(on, held.start_on)
        if leaving:
            teacher.left_on = on
        audit.record(
            session,
            "seat.free",
            "seat",
            held.seat_id,
            school_id=school.id,
            before={"teacher": full_name(teacher)},
            after={"teacher": None, "on": on},
        )
        session.flush()
        return seat_view(held.seat)


def set_frozen(db: Database, teacher_id: int, frozen: bool) -> None:
    """Hide or show a user (L9): frozen users are not counted until unfrozen."""
    with db.transaction() as session:
        teacher = session.get(Teacher, teacher_id)
        if teacher is None:
            raise NotFound(_("no teacher with id {id}").format(id=teacher_id))
        if teacher.frozen == frozen:
            state = _("frozen") if frozen else _("not frozen")
            raise InvalidInput(
                _("{name} is already {state}").format(name=full_name(teacher), state=state)
            )
        teacher.frozen = frozen
        audit.record(
            session,
            "user.freeze" if frozen else "user.unfreeze",
            "teacher",
            teacher.id,
            school_id=teacher.school_id,
            before={"frozen": not frozen},
            after={"frozen": frozen},
        )


def seat_view(seat: Seat) -> SeatView:
    holder = open_assignment(seat)
    teacher = holder.teacher if holder else None
    return SeatView(
        seat.id,
        seat.position,
        seat.status,
        seat.acquired_on,
        seat.release_on,
        teacher.id if teacher else None,
        full_name(teacher) if teacher else None,
        bool(teacher and teacher.frozen),
    )


def list_seats(db: Database, school_number: str) -> list[SeatView]:
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub = running_subscription(session, school)
        if sub is None:
            return []
        return [seat_view(s) for s in active_seats(sub)]


TEACHER_FIELDS = ("first_name", "last_name", "email")


@dataclass(frozen=True)
class TeacherEdit:
    """What ``edit_teacher`` changed: field -> (old, new), and the teacher's name after it."""

    teacher: int
    name: str
    changed: dict[str, tuple[str | None, str | None]]


def edit_teacher(db: Database, teacher_id: int, changes: dict[str, str]) -> TeacherEdit:
    """Correct a teacher's name or e-mail, checked as the teacher import checks a row (a name,
    a well-formed address) and audited with the old and new values. Seats, codes and issued
    documents refer to the teacher by id, so nothing else changes."""
    unknown = sorted(set(changes) - set(TEACHER_FIELDS))
    if unknown:
        raise InvalidInput(
            _("A teacher has no field {fields} to edit").format(fields=", ".join(unknown))
        )
    if not changes:
        raise InvalidInput(_("Nothing to change: give at least one field"))
    new = {name: value.strip() for name, value in changes.items()}
    with db.transaction() as session:
        teacher = session.get(Teacher, teacher_id)
        if teacher is None:
            raise NotFound(_("no teacher with id {id}").format(id=teacher_id))
        wanted = {name: new.get(name, getattr(teacher, name)) for name in TEACHER_FIELDS}
        if not (wanted["first_name"] or wanted["last_name"]):
            raise InvalidInput(_("a teacher needs a name"))
        if wanted["email"] and not EMAIL.match(wanted["email"]):
            raise InvalidInput(_("not an e-mail address: {value!r}").format(value=wanted["email"]))
        changed = apply_edit(session, teacher, new, "teacher.edit", "teacher", teacher.school_id)
        return TeacherEdit(teacher.id, full_name(teacher), changed)


def teacher_values(db: Database, teacher_id: int) -> dict[str, str]:
    """The fields ``edit_teacher`` changes, as they are now (for the edit dialog)."""
    with db.reading() as session:
        teacher = session.get(Teacher, teacher_id)
        if teacher is None:
            raise NotFound(_("no teacher with id {id}").format(id=teacher_id))
        return {name: getattr(teacher, name) for name in TEACHER_FIELDS}
