"""The audit trail's read queries (services/browse/history.py): a school's latest entries and
the global log, paged by key, filtered by school, who, what and days."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from lehrer_licenses.services.browse import history as browse_history
from lehrer_licenses.services.browse.history import AuditFilter
from lehrer_licenses.store.models import AuditEntry, School

NOON = datetime(2026, 5, 4, 12, 0)


def _entry(at, actor, action, school_id, after):
    return AuditEntry(
        at=at,
        actor=actor,
        action=action,
        entity=action.split(".")[0],
        entity_id=None,
        school_id=school_id,
        before="{}",
        after=json.dumps(after),
    )


@pytest.fixture
def log(db, make_school):
    """The catalogue's entry, two schools' "school.add", and 25 entries written by hand: 10 at
    the very same moment (paging must neither skip nor repeat them), 15 on earlier days."""
    aesch = make_school("Primarschule Aesch")
    bruegg = make_school("Schulhaus Brügg")
    with db.transaction() as session:
        ids = dict(session.query(School.number, School.id))
        # Written as audit.record would, with the moments chosen (entries cannot be changed).
        for i in range(10):
            session.add(_entry(NOON, "anna", "seat.assign", ids[aesch], {"seat": i}))
        for day in range(15):
            at = NOON - timedelta(days=1 + day)
            session.add(_entry(at, "beat", "invoice.issue", ids[bruegg], {"net": "10.00"}))
    return {"aesch": aesch, "bruegg": bruegg}


def _all_pages(db, flt, size):
    rows, last = [], None
    while True:
        page = browse_history.list_audit(db, flt, last, size)
        rows += page
        if len(page) < size:
            return rows
        last = page[-1].key


def test_pages_by_key_newest_first_without_gaps_or_repeats(db, log):
    everything = browse_history.list_audit(db, limit=1000)
    assert len(everything) == browse_history.count_audit(db) == 1 + 2 + 25
    keys = [r.key for r in everything]
    assert keys == sorted(keys, reverse=True)
    paged = _all_pages(db, AuditFilter(), 3)
    assert [r.id for r in paged] == [r.id for r in everything]
    first = everything[0]
    assert first.school is not None and first.before == {} and isinstance(first.after, dict)


def test_filters_by_school_who_what_and_days(db, log):
    def ids(**flt):
        found = _all_pages(db, AuditFilter(**flt), 4)
        assert len(found) == browse_history.count_audit(db, AuditFilter(**flt))
        return found

    bruegg = ids(text="brugg")  # the name, any case and accents
    assert len(bruegg) == 16 and {r.school for r in bruegg} == {log["bruegg"]}
    assert len(ids(text=log["aesch"])) == 11  # the number
    assert {r.actor for r in ids(text="ANNA")} == {"anna"}  # who
    assert len(ids(text="invoice.iss")) == 15  # what, by its code
    assert len(ids(text="issued", actions=("invoice.issue",))) == 15  # what, by its label
    assert ids(text="50%") == []  # a wildcard typed by the user is a character
    day = (NOON - timedelta(days=3)).date()
    assert [r.at.date() for r in ids(since=day, until=day)] == [day]
    assert len(ids(since=NOON.date(), until=NOON.date())) == 10
    assert len(ids(until=date(2026, 4, 30))) == 15 - 3  # 1..15 days before 4 May: 12 in April
    assert AuditFilter().empty and not AuditFilter(until=NOON.date()).empty


def test_school_history_is_the_schools_latest(db, log):
    with db.reading() as session:
        school_id = session.query(School.id).filter(School.number == log["bruegg"]).scalar()
        rows = browse_history.school_history(session, school_id, limit=5)
    assert len(rows) == 5
    assert rows[0].action == "school.add"  # written now, after the hand-dated entries
    assert rows[1].action == "invoice.issue" and rows[1].after == {"net": Decimal("10.00")}
    assert str(rows[1].after["net"]) == "10.00"
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
