"""Seats belong to the school (L10), one free admin login (L11), frozen users (L9), lapse and
resumption (L12), audit entries for every use case."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from lehrer_licenses.cli.json_billing import invoice_view_json
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.licences.seats.cancellations import cancel
from lehrer_licenses.services.licences.seats.holders import (
    add_teacher,
    assign_seat,
    free_seat,
    list_seats,
    set_frozen,
    transfer_seat,
)
from lehrer_licenses.services.licences.seats.hosting_usage import record_usage
from lehrer_licenses.services.licences.seats.orders import order_seats, quote_order
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import AuditEntry, SeatAssignment, Teacher


def test_L10_transfer_is_free_and_keeps_who_held_the_seat(db, make_school):
    school = make_school()
    order_seats(db, school, 2, date(2026, 3, 10))
    leaver = add_teacher(db, school, "Łukasz", "Żółć")
    newcomer = add_teacher(db, school, "Anna", "Keller")
    assign_seat(db, school, leaver, date(2026, 3, 10))
    view = transfer_seat(db, school, leaver, newcomer, date(2026, 8, 1))
    assert view.teacher == "Anna Keller"
    with db.reading() as session:
        history = session.scalars(
            select(SeatAssignment)
            .where(SeatAssignment.seat_id == view.seat_id)
            .order_by(SeatAssignment.start_on)
        ).all()
        assert [(a.teacher_id, a.start_on, a.end_on) for a in history] == [
            (leaver, date(2026, 3, 10), date(2026, 8, 1)),
            (newcomer, date(2026, 8, 1), None),
        ]
        assert session.get(Teacher, leaver).left_on == date(2026, 8, 1)
        from lehrer_licenses.store.models import Invoice

        assert session.scalar(select(func.count(Invoice.id))) == 1  # only the order


def test_L10_a_full_school_must_free_a_seat_before_assigning(db, make_school):
    school = make_school()
    order_seats(db, school, 1, date(2026, 3, 10))
    first = add_teacher(db, school, "Anna", "Keller")
    second = add_teacher(db, school, "Beat", "Frei")
    assign_seat(db, school, first, date(2026, 3, 10))
    with pytest.raises(DomainError, match=r"All 1 seats of school \d+ are taken"):
        assign_seat(db, school, second, date(2026, 3, 11))
    free_seat(db, school, first, date(2026, 6, 30))
    assert assign_seat(db, school, second, date(2026, 7, 1)).teacher == "Beat Frei"


def test_L11_one_admin_login_is_free_and_needs_no_seat(db, make_school):
    school = make_school()
    order_seats(db, school, 1, date(2026, 3, 10))
    admin = add_teacher(db, school, "Schul", "Admin", admin=True)
    with pytest.raises(DomainError, match="admin login is free"):
        assign_seat(db, school, admin, date(2026, 3, 10))
    with pytest.raises(DomainError, match="already has its one free admin login"):
        add_teacher(db, school, "Second", "Admin", admin=True)


def test_L9_frozen_users_are_not_counted_for_db_hosting(db, make_school):
    school = make_school(db_hosting=True)
    order_seats(db, school, 3, date(2026, 1, 5))
    ids = [add_teacher(db, school, "T", str(i)) for i in range(3)]
    for teacher in ids:
        assign_seat(db, school, teacher, date(2026, 1, 5))
    add_teacher(db, school, "Schul", "Admin", admin=True)
    assert record_usage(db, school, date(2026, 1, 1)) == 3
    set_frozen(db, ids[0], True)
    assert record_usage(db, school, date(2026, 2, 1)) == 2
    set_frozen(db, ids[0], False)
    assert record_usage(db, school, date(2026, 3, 1)) == 3
    with pytest.raises(DomainError, match="already not frozen"):
        set_frozen(db, ids[0], False)


def test_L12_a_lapsed_contract_resumes_with_new_base_licences(db, make_school):
    school = make_school()
    order_seats(db, school, 4, date(2025, 3, 10))
    cancel(db, school, seats=None, whole_contract=True, received=date(2025, 9, 1))
    run = run_renewals(db, 2026, dry_run=False)
    assert run.items[0].action == "lapse"
    assert list_seats(db, school) == []
    quote = quote_order(db, school, 2, date(2026, 5, 4))
    assert quote.kind == "resumption"
    assert invoice_view_json(quote.invoice)["net"] == "312.00"  # 2 x (111.45 + 44.55)
    assert any("lapsed" in notice for notice in quote.notices)


def test_L4_the_renewal_run_is_idempotent(db, make_school):
    school = make_school()
    order_seats(db, school, 5, date(2026, 3, 10))
    first = run_renewals(db, 2027, dry_run=False)
    again = run_renewals(db, 2027, dry_run=False)
    assert len(first.items) == 1 and again.items == []
    quote = quote_order(db, school, 1, date(2027, 2, 1))
    assert quote.term_end == date(2027, 12, 31)


def test_L4_dry_run_and_real_run_agree(db, make_school):
    for seats in (3, 7, 12):
        order_seats(db, make_school(name=f"Schule {seats}"), seats, date(2026, 4, 1))
    dry = run_renewals(db, 2027, dry_run=True)
    real = run_renewals(db, 2027, dry_run=False)
    assert dry.summary() == real.summary()


def test_every_use_case_writes_an_audit_entry(db, make_school):
    school = make_school()
    order_seats(db, school, 2, date(2026, 3, 10))
    cancel(db, school, seats=1, received=date(2026, 5, 1))
    with db.reading() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        cancellation = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "cancellation.record")
        )
    assert actions == [
        "catalogue.install_defaults",
        "school.add",
        "invoice.draft",
        "code.issue",
        "order.seats",
        "cancellation.record",
    ]
    assert json.loads(cancellation.after)["effective"] == "2026-12-31"
    assert json.loads(cancellation.before) == {"seats": 2}


def test_L4_the_cancellation_preview_shows_what_cancel_then_records(db, make_school):
    from lehrer_licenses.services.licences.seats.cancellations import preview_cancellation

    school = make_school()
    order_seats(db, school, 5, date(2026, 3, 10))
    preview = preview_cancellation(db, school, seats=2, received=date(2026, 11, 1))
    result = cancel(db, school, seats=2, received=date(2026, 11, 1))
    assert (preview.deadline, preview.in_time, preview.effective, preview.seats_after) == (
        result.deadline,
        result.in_time,
        result.effective,
        result.seats_after,
    )
    assert preview.seats_cancellable == 5 and result.seats_after == 3
    with pytest.raises(DomainError, match="could be cancelled, not 4"):
        preview_cancellation(db, school, seats=4, received=date(2026, 11, 2))


def test_L1_a_licence_is_a_teachers_seat_and_the_code_binds_no_machine(db, make_school):
    # Per teacher, not per machine: a teacher holds at most one seat, and the registration code
    # carries the school's seat count only (nothing that ties it to an installation), so the
    # same code is valid on any number of the teachers' computers.
    import dataclasses

    from lehrer_licenses.domain.regcode_verifier import Licence

    school = make_school()
    order_seats(db, school, 2, date(2026, 3, 10))
    teacher = add_teacher(db, school, "Anna", "Keller")
    assign_seat(db, school, teacher, date(2026, 3, 10))
    with pytest.raises(DomainError, match="Anna Keller already holds a seat"):
        assign_seat(db, school, teacher, date(2026, 3, 11))
    fields = {field.name for field in dataclasses.fields(Licence)}
    assert fields == {
        "product",
        "school",
        "kind",
        "quantity",
        "valid_until",
        "issued_on",
        "serial",
        "variant",
        "version",
    }


def test_a_reorder_after_a_cancellation_numbers_the_new_seat_after_every_seat_used(db, make_school):
    # Reviewer's case: seats 2 and 3 held, seat 1 given up, then one seat ordered again. A clerk
    # reads "seat 4" on the new code and invoice; "seat 3" would name two teachers' seats at once.
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    for position, name in ((2, "Anna"), (3, "Beat")):
        assign_seat(
            db, school, add_teacher(db, school, name, "Keller"), date(2026, 3, 10), position
        )
    cancel(db, school, seats=1, received=date(2026, 5, 1))
    run_renewals(db, 2027, dry_run=False)
    order_seats(db, school, 1, date(2027, 2, 1))
    assert sorted(s.position for s in list_seats(db, school)) == [2, 3, 4]
