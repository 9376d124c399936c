"""The seats view's filters (services/browse/seats.py): free seats from their kept candidate
list, found again after every change; teachers matched by name in one query."""

from __future__ import annotations

from datetime import date

from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.browse.seats import SeatFilter
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.licences.seats import orders

FREE = SeatFilter(state="free")


def _positions(db, flt):
    return [(r.school, r.position) for r in browse_seats.list_seats(db, flt)]


def test_free_seats_follow_assignments_and_frees(db, make_school):
    a = make_school("Primarschule Aesch")
    b = make_school("Schulhaus Brügg")
    orders.order_seats(db, a, 3, date(2026, 3, 10))
    orders.order_seats(db, b, 1, date(2026, 3, 10))
    browse_seats.warm_up(db)
    assert _positions(db, FREE) == [(a, 1), (a, 2), (a, 3), (b, 1)]
    dvorak = seats.add_teacher(db, a, "Antonín", "Dvořák")
    seats.assign_seat(db, a, dvorak, date(2026, 3, 11))
    free = _positions(db, FREE)
    assert len(free) == 3 and browse_seats.count_seats(db, FREE) == 3
    held = next(r for r in browse_seats.list_seats(db, SeatFilter(school=a, state="held")))
    seats.free_seat(db, a, dvorak, date(2026, 6, 30))
    assert _positions(db, FREE) == [(a, 1), (a, 2), (a, 3), (b, 1)]
    assert held.position in (1, 2, 3)
    assert _positions(db, SeatFilter(school=b, state="free")) == [(b, 1)]


def test_teacher_filter_in_one_query(db, make_school):
    a = make_school("Primarschule Aesch")
    orders.order_seats(db, a, 2, date(2026, 3, 10))
    for first, last in (("Łukasz", "Żółć"), ("Anna", "Müller")):
        teacher = seats.add_teacher(db, a, first, last)
        seats.assign_seat(db, a, teacher, date(2026, 3, 11))
    assert [r.holder for r in browse_seats.list_seats(db, SeatFilter(teacher="ŻÓŁĆ"))] == [
        "Łukasz Żółć"
    ]
    assert browse_seats.count_seats(db, SeatFilter(teacher="MÜLLER", state="held")) == 1
    # typed without the letters a Swiss keyboard lacks: ł and ż/ó/ć fold to l, z, o, c
    assert [r.holder for r in browse_seats.list_seats(db, SeatFilter(teacher="lukasz zolc"))] == [
        "Łukasz Żółć"
    ]
    assert browse_seats.list_seats(db, SeatFilter(teacher="nobody")) == []


def test_a_name_too_common_to_list_is_folded_alike_on_every_database(db, make_school, monkeypatch):
    # Past MAX_TEACHER_IDS matches the filter joins in SQL instead of listing ids: that query
    # must fold accents and ł/ø like the name index does, on SQLite and on PostgreSQL alike.
    a = make_school("Primarschule Aesch")
    orders.order_seats(db, a, 3, date(2026, 3, 10))
    for first, last in (("Łukasz", "Żółć"), ("Anna", "Müller"), ("Søren", "Ørsted")):
        teacher = seats.add_teacher(db, a, first, last)
        seats.assign_seat(db, a, teacher, date(2026, 3, 11))
    monkeypatch.setattr(browse_seats, "MAX_TEACHER_IDS", 0)
    holders = {
        typed: [r.holder for r in browse_seats.list_seats(db, SeatFilter(teacher=typed))]
        for typed in ("lukasz zolc", "ŻÓŁĆ", "muller", "MÜLLER", "orsted", "soren")
    }
    assert holders == {
        "lukasz zolc": ["Łukasz Żółć"],
        "ŻÓŁĆ": ["Łukasz Żółć"],
        "muller": ["Anna Müller"],
        "MÜLLER": ["Anna Müller"],
        "orsted": ["Søren Ørsted"],
        "soren": ["Søren Ørsted"],
    }
    assert browse_seats.count_seats(db, SeatFilter(teacher="zolc", state="held")) == 1
    seats.edit_teacher(db, seats.add_teacher(db, a, "Eva", "Frei"), {"last_name": "Dvořák"})
    with db.reading() as session:
        from sqlalchemy import select

        from lehrer_licenses.store.models import Teacher

        assert (
            session.scalar(select(Teacher.search_text).where(Teacher.last_name == "Dvořák"))
            == "eva dvorak"
        )
