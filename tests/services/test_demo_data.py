from datetime import date

from sqlalchemy import func, select

from lehrer_licenses.services.demo.sample_data import create_demo
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


def test_demo_is_reproducible_for_a_seed(databases, tmp_path):
    names = []
    for run in range(2):
        db = databases.fresh(tmp_path / f"d{run}.sqlite")
        create_demo(db, 25, seed=11, today=date(2026, 11, 22))
        with db.reading() as session:
            names.append(session.scalars(select(School.name).order_by(School.id)).all())
        db.dispose()
    assert names[0] == names[1]


def test_demo_data_renews_into_next_year_without_errors(db):
    create_demo(db, 40, seed=3, today=date(2026, 11, 22))
    run = run_renewals(db, 2027, dry_run=True)
    assert run.summary().schools > 0
    assert set(run.summary().amounts) == {"CHF"}
