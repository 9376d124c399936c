"""Demo data on user packages (DE, AT) and per-pupil plans (NL): consistent, and renewable by
``renewals due`` like data the use cases wrote."""

from datetime import date

from sqlalchemy import func, select

from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season.renewals_due import run_due_renewals
from lehrer_licenses.store.models import (
    Addon,
    Invoice,
    PackageCount,
    PreInvestmentRow,
    PupilCount,
    PupilTrial,
    School,
)


def test_demo_has_package_and_per_pupil_schools_that_renew(db):
    stats = create_demo(db, 300, seed=5, today=date(2026, 11, 22))
    assert stats.packages > 0 and stats.pupil_trials > 0
    with db.reading() as session:
        for model in (PackageCount, Addon, PupilTrial, PupilCount, PreInvestmentRow):
            assert session.scalar(select(func.count(model.id))) > 0, model.__tablename__
        # every trial school accepted the terms and has a DPA on file (F4)
        assert (
            session.scalar(
                select(func.count(PupilTrial.id))
                .join(School, School.id == PupilTrial.school_id)
                .where(School.dpa_reference.is_(None) | School.terms_accepted_on.is_(None))
            )
            == 0
        )
        # add-on invoices are invoices of their own, linked to the add-on (M10)
        assert (
            session.scalar(
                select(func.count(Invoice.id)).where(
                    Invoice.reason == "addon", Invoice.addon_id.is_(None)
                )
            )
            == 0
        )
    dry = run_due_renewals(db, date(2027, 3, 31), dry_run=True)
    real = run_due_renewals(db, date(2027, 3, 31), dry_run=False)
    assert dry.summary() == real.summary() and real.summary().renewals > 0
    assert run_due_renewals(db, date(2027, 3, 31), dry_run=False).items == []
