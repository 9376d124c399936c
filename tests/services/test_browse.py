"""The read queries of the schools list and a school's detail (services/browse/schools.py,
browse_school_detail.py), and the old ``browse`` name that re-exports them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse import school_detail as browse_school_detail
from lehrer_licenses.services.browse import schools as browse_schools
from lehrer_licenses.services.licences.seats import cancellations, orders
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.schools import SchoolInput, add_school


def _school(db, name, city="Bern", country="CH", postcode="3000"):
    return add_school(
        db, SchoolInput(name=name, country=country, language="de", city=city, postcode=postcode)
    )


@pytest.fixture
def three(db):
    """Example 1 and 2 of DESIGN.md at one school, plus two schools without seats."""
    a = _school(db, "Schulhaus Aarau", city="Aarau", postcode="5000")
    b = _school(db, "École de Genève", city="Genève", postcode="1200")
    c = _school(db, "Zürich Nord", city="Zürich", postcode="8050")
    orders.order_seats(db, a, 3, date(2026, 3, 10))
    orders.order_seats(db, a, 2, date(2026, 9, 15))
    orders.order_seats(db, c, 1, date(2026, 1, 5))
    teacher = seats.add_teacher(db, a, "Łukasz", "Żółć")
    seats.assign_seat(db, a, teacher, date(2026, 3, 11))
    return a, b, c


def test_list_schools_figures(db, three):
    a, b, _c = three
    rows = {r.number: r for r in browse_schools.list_schools(db)}
    assert rows[a].seats == 5
    assert rows[a].seats_assigned == 1
    assert rows[a].seats_free == 4
    assert rows[a].plan == "LO-LOCAL"
    assert rows[a].term_end == date(2026, 12, 31)
    assert rows[a].status == browse_schools.STATUS_ACTIVE
    # Both orders are drafts: not open yet (billing: open = issued or partly paid; the open
    # amounts of issued, paid and credited invoices are in test_browse_invoices.py).
    assert rows[a].open_total == Decimal("0.00")
    assert rows[b].seats == 0
    assert rows[b].status == browse_schools.STATUS_NONE
    assert rows[b].open_total == Decimal("0.00")
    assert rows[b].open_currency is None


def test_sort_and_search(db, three):
    a, b, c = three
    by_seats = [
        r.number for r in browse_schools.list_schools(db, sort_key="seats", descending=True)
    ]
    assert by_seats == [a, c, b]
    by_name = [r.name for r in browse_schools.list_schools(db, sort_key="name")]
    assert by_name == sorted(by_name, key=str.lower)
    # Schools without a contract go last whichever way the term end is sorted.
    assert browse_schools.list_schools(db, sort_key="term_end")[-1].number == b
    assert browse_schools.list_schools(db, sort_key="term_end", descending=True)[-1].number == b
    assert [r.number for r in browse_schools.list_schools(db, search="zür")] == [c]
    assert browse_schools.count_schools(db, "genève") == 1
    assert browse_schools.count_schools(db) == 3
    with pytest.raises(ValueError):
        browse_schools.list_schools(db, sort_key="drop table")


def test_paging_is_stable_and_one_query_per_page(db):
    for i in range(25):
        _school(db, f"Schule {i % 5}")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        pages = [
            browse_schools.list_schools(db, offset=o, limit=10, sort_key="name")
            for o in (0, 10, 20)
        ]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    numbers = [r.number for page in pages for r in page]
    assert len(numbers) == 25 == len(set(numbers))
    # Two per page whatever the page size (no N+1): the page's school ids in order, then their
    # seat and invoice figures (aggregating only those schools, not all 20,000).
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 6


def test_school_detail(db, three):
    a, _b, _c = three
    cancellations.cancel(db, a, seats=1, received=date(2026, 10, 1))
    detail = browse_school_detail.school_detail(db, a)
    assert detail.name == "Schulhaus Aarau"
    assert detail.contract is not None
    assert detail.contract.seats_held == 5
    assert detail.contract.seats_cancel_pending == 1
    assert detail.contract.notice_deadline == date(2026, 10, 31)
    assert [t.name for t in detail.teachers] == ["Łukasz Żółć"]
    assert detail.teachers[0].seat == 1
    assert detail.seats[0].holder == "Łukasz Żółć"
    assert len(detail.invoices) == 2
    assert detail.cancellations[0].in_time
    assert detail.history[0].action == "cancellation.record"


def test_preview_cancellation_matches_cancel(db, three):
    a, b, _c = three
    late = cancellations.preview_cancellation(db, a, seats=2, received=date(2026, 11, 1))
    assert not late.in_time
    assert late.effective == date(2027, 12, 31)
    assert late.seats_after == 3
    done = cancellations.cancel(db, a, seats=2, received=date(2026, 11, 1))
    assert (done.in_time, done.effective, done.deadline) == (
        late.in_time,
        late.effective,
        late.deadline,
    )
    with pytest.raises(DomainError):
        cancellations.preview_cancellation(db, a, seats=9, received=date(2026, 11, 1))
    with pytest.raises(DomainError):
        cancellations.preview_cancellation(db, b, seats=1, received=date(2026, 11, 1))


def test_list_invoices(db, three):
    a, _b, c = three
    assert browse_invoices.count_invoices(db) == 3
    rows = browse_invoices.list_invoices(db, sort_key="payable", descending=True)
    assert rows[0].school == a
    assert rows[0].payable == Decimal("505.90")
    assert [r.school for r in browse_invoices.list_invoices(db, search="Zürich")] == [c]
    assert browse_invoices.count_invoices(db, status="issued") == 0


def test_search_ignores_case_and_accents_beyond_ascii(db, make_school):
    make_school(name="Primarschule Łukasz Żółć", city="Zürich", postcode="8001")
    make_school(name="École de Genève", country="CH", language="fr", city="Genève")
    assert [s.name for s in browse_schools.list_schools(db, "żółć")] == ["Primarschule Łukasz Żółć"]
    assert [s.name for s in browse_schools.list_schools(db, "zurich")] == [
        "Primarschule Łukasz Żółć"
    ]
    assert [s.name for s in browse_schools.list_schools(db, "ECOLE DE GENEVE")] == [
        "École de Genève"
    ]
    assert (
        browse_schools.list_schools(db, "50%") == []
    )  # a wildcard typed by the user is a character
