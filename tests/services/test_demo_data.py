from datetime import date

import pytest
from sqlalchemy import func, select

from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.licences.seats.holders import add_teacher
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import Invoice, InvoiceLine, School, Teacher


def test_demo_creates_consistent_schools_seats_and_invoices(db):
    stats = create_demo(db, 60, seed=7, today=date(2026, 11, 22))
    assert stats.schools == 60 and stats.seats > 60 * 3
    with db.reading() as session:
        countries = set(session.scalars(select(School.country)))
        assert countries <= {"CH", "DE", "AT", "NL"} and len(countries) >= 3
        # every invoice's lines add up to its net
        mismatched = session.execute(
            select(Invoice.id)
            .join(InvoiceLine)
            .group_by(Invoice.id)
            .having(func.sum(InvoiceLine.amount) != Invoice.net)
        ).all()
        assert mismatched == []
        assert session.scalar(select(func.count(Teacher.id)).where(Teacher.is_admin)) > 0


@pytest.mark.slow  # two demos; the first test here stays fast
def test_demo_is_reproducible_for_a_seed(databases, tmp_path):
    names = []
    for run in range(2):
        db = databases.fresh(tmp_path / f"d{run}.sqlite")
        create_demo(db, 25, seed=11, today=date(2026, 11, 22))
        with db.reading() as session:
            names.append(session.scalars(select(School.name).order_by(School.id)).all())
        db.dispose()
    assert names[0] == names[1]


@pytest.mark.slow  # a demo and its year-end; the first test here stays fast
def test_demo_data_renews_into_next_year_without_errors(db):
    create_demo(db, 40, seed=3, today=date(2026, 11, 22))
    run = run_renewals(db, 2027, dry_run=True)
    assert run.summary().schools > 0
    assert set(run.summary().amounts) == {"CHF"}


@pytest.mark.slow  # a demo and its year-end; the first test here stays fast
def test_after_the_demo_new_rows_get_new_ids_and_the_real_run_issues(db):
    """Issue 20: the demo writes its rows with their ids; on PostgreSQL the id sequences must be
    moved past them, or the next school, teacher or invoice collides (pk_school)."""
    create_demo(db, 40, seed=3, today=date(2026, 11, 22))
    with db.reading() as session:
        schools = session.scalar(select(func.count(School.id)))
        invoices = session.scalar(select(func.count(Invoice.id)))
    number = add_school(db, SchoolInput("Nach der Demo", "CH", "de", city="Bern", postcode="3000"))
    add_teacher(db, number, "Anna", "Keller", "anna@demo.example")
    run = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    issued = run.summary().invoices
    assert issued > 0
    with db.reading() as session:
        assert session.scalar(select(func.count(School.id))) == schools + 1
        assert session.scalar(select(func.count(Invoice.id))) == invoices + issued
        assert session.scalar(select(School.name).where(School.number == number)) == (
            "Nach der Demo"
        )
