"""Per-pupil subscriptions through the use cases on a real SQLite file (F1-F11, worked example
10), and their settlement in the anniversary renewal run."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lehrer_licenses.cli.json_billing import invoice_view_json
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.per_pupil import months_of
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.services.licences.codes import verify_code
from lehrer_licenses.services.licences.pupils.agreements import record_agreements, start_trial
from lehrer_licenses.services.licences.pupils.counts import record_pupil_counts
from lehrer_licenses.services.licences.pupils.notice import (
    cancel_pupils,
    change_at_renewal,
    reminders_due,
)
from lehrer_licenses.services.licences.pupils.paid_year import start_paid_year
from lehrer_licenses.services.licences.pupils.status import pupil_status
from lehrer_licenses.services.licences.pupils.upgrade import upgrade_pupils
from lehrer_licenses.services.season.renewals_due import run_due_renewals
from lehrer_licenses.store.models import AuditEntry, Invoice, PupilTrial


@pytest.fixture
def nl_school(make_school):
    return make_school("Basisschool De Regenboog", country="NL", language="nl")


def ready(db, school, trial_on=date(2026, 2, 1)):
    record_agreements(
        db,
        school,
        terms_accepted_on=date(2026, 1, 10),
        dpa_reference="VWO-2026-017",
        dpa_signed_on=date(2026, 1, 12),
    )
    start_trial(db, school, trial_on)


def example10(db, school):
    ready(db, school)
    start = start_paid_year(db, school, "FPO-38", date(2026, 8, 1), {"3-8": 200})
    term = Term(date(2026, 8, 1), date(2027, 7, 31))
    for month in months_of(term):  # 12 months summing to 2,340 pupil-months
        record_pupil_counts(db, school, month, {"3-8": 195})
    record_pupil_counts(db, school, date(2027, 8, 1), {"3-8": 210})
    return start


def audit_count(db):
    with db.reading() as session:
        return session.scalar(select(func.count(AuditEntry.id)))


# --- F2, F4 ---------------------------------------------------------------------------------


def test_F4_trial_refused_without_a_dpa_says_what_is_missing(db, nl_school):
    record_agreements(db, nl_school, terms_accepted_on=date(2026, 1, 10))
    before = audit_count(db)
    with pytest.raises(DomainError, match="no data-processing agreement") as err:
        start_trial(db, nl_school, date(2026, 2, 1))
    assert "terms" not in str(err.value)
    assert audit_count(db) == before


def test_F4_trial_refused_without_terms_and_dpa_names_both(db, nl_school):
    with pytest.raises(DomainError) as err:
        start_trial(db, nl_school, date(2026, 2, 1))
    assert "general terms" in str(err.value) and "data-processing agreement" in str(err.value)


def test_F2_trial_of_1_8_full_for_at_most_6_months_with_a_code(db, nl_school):
    record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10),
        dpa_reference="VWO-17", dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    trial = start_trial(db, nl_school, date(2026, 2, 1))
    assert (trial.start, trial.end, trial.variant) == (
        date(2026, 2, 1),
        date(2026, 7, 31),
        "1-8 full",
    )
    licence = verify_code(trial.code, today=date(2026, 2, 1))
    assert licence["kind"] == "pupils" and licence["variant"] == "1-8 full"
    assert licence["valid_until"] == "2026-07-31"


def test_F2_a_second_trial_is_refused(db, nl_school):
    ready(db, nl_school)
    with pytest.raises(DomainError, match="once"):
        start_trial(db, nl_school, date(2027, 2, 1))
    with db.reading() as session:
        assert session.scalar(select(func.count(PupilTrial.id))) == 1


def test_F2_a_trial_longer_than_6_months_is_refused(db, nl_school):
    record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10),
        dpa_reference="VWO-17", dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    with pytest.raises(DomainError, match="at most 6 months"):
        start_trial(db, nl_school, date(2026, 2, 1), until=date(2026, 8, 1))


def test_F2_a_paid_year_without_a_trial_is_refused(db, nl_school):
    record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10),
        dpa_reference="VWO-17", dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    with pytest.raises(DomainError, match="preceded by the free trial"):
        start_paid_year(db, nl_school, "FPO-38", date(2026, 8, 1), {"3-8": 200})


def test_F4_agreements_need_reference_and_date_together(db, nl_school):
    with pytest.raises(DomainError, match="both its reference and the date"):
        record_agreements(db, nl_school, dpa_reference="X")
    with pytest.raises(DomainError):
        record_agreements(db, nl_school)


# --- F5, F6, F7 -----------------------------------------------------------------------------


def test_F5_example10_pre_investment_of_200_pupils_is_720(db, nl_school):
    ready(db, nl_school, trial_on=date(2026, 3, 1))  # runs until 2026-08-31
    result = start_paid_year(db, nl_school, "FPO-38", date(2026, 8, 1), {"3-8": 200})
    invoice = invoice_view_json(result.invoice)
    assert invoice["net"] == "720.00" and invoice["vat_rate"] == "21"
    assert (result.term_start, result.term_end) == (date(2026, 8, 1), date(2027, 7, 31))
    licence = verify_code(result.code, today=date(2026, 8, 1))
    assert (licence["kind"], licence["variant"], licence["quantity"]) == (
        "pupils",
        "3-8 basis",
        200,
    )
    status = pupil_status(db, nl_school)
    assert status.trial.ended_on == date(2026, 8, 1)  # the paid year ends the running trial


def test_F5_combi_has_one_line_per_part(db, nl_school):
    ready(db, nl_school)
    with pytest.raises(DomainError, match="a count is needed for part"):
        start_paid_year(db, nl_school, "FPO-COMBI", date(2026, 8, 1), {"1-2": 40}, quote=True)
    result = start_paid_year(db, nl_school, "FPO-COMBI", date(2026, 8, 1), {"1-2": 40, "3-8": 160})
    assert [line["amount"] for line in invoice_view_json(result.invoice)["lines"]] == [
        "460.00",
        "576.00",
    ]


def test_F7_example10_renewal_settles_three_parts_in_one_invoice(db, nl_school):
    example10(db, nl_school)
    dry = run_due_renewals(db, date(2027, 8, 1), dry_run=True)
    run = run_due_renewals(db, date(2027, 8, 1), dry_run=False)
    (item,) = run.items
    assert item.settlement.parts_json() == {
        "credit": "-720.00",
        "use": "702.00",
        "next_pre_investment": "756.00",
        "total": "738.00",
    }
    doc = invoice_view_json(item.invoice)
    assert [line["amount"] for line in doc["lines"]] == ["-720.00", "702.00", "756.00"]
    assert doc["net"] == "738.00"
    assert dry.summary() == run.summary()
    assert (item.term_start, item.term_end, item.quantity) == (
        date(2027, 8, 1),
        date(2028, 7, 31),  # one calendar year, across 29 February 2028 (issue 17)
        210,
    )
    assert verify_code(item.code, today=date(2027, 8, 1))["quantity"] == 210
    assert run_due_renewals(db, date(2027, 8, 1), dry_run=False).items == []  # idempotent


def test_F7_stopping_after_the_first_year_means_no_settlement(db, nl_school):
    example10(db, nl_school)
    result = cancel_pupils(db, nl_school, date(2027, 6, 30))
    assert result.in_time and result.effective == date(2027, 7, 31)
    (item,) = run_due_renewals(db, date(2027, 8, 1), dry_run=False).items
    assert item.action == "lapse" and item.invoice is None
    with db.reading() as session:
        assert session.scalar(select(func.count(Invoice.id))) == 1  # the pre-investment only


def test_F6_next_pre_investment_falls_back_to_the_latest_count(db, nl_school):
    ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-38", date(2026, 8, 1), {"3-8": 200})
    record_pupil_counts(db, nl_school, date(2027, 6, 1), {"3-8": 190})
    (item,) = run_due_renewals(db, date(2027, 8, 1), dry_run=True).items
    assert item.quantity == 190 and any("2027-06" in n for n in item.notices)


# --- F9, F10, F11 ---------------------------------------------------------------------------


def test_F9_reminder_two_months_before_the_renewal(db, nl_school):
    example10(db, nl_school)
    assert reminders_due(db, date(2027, 5, 31)) == []
    (due,) = reminders_due(db, date(2027, 6, 1))
    assert due.renewal == date(2027, 8, 1) and due.notice_deadline == date(2027, 6, 30)


def test_F10_upgrade_restarts_the_year_and_settles_the_old_one(db, nl_school):
    ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-12", date(2026, 8, 1), {"1-2": 50})  # 575.00
    for month in (8, 9, 10, 11, 12):
        record_pupil_counts(db, nl_school, date(2026, month, 1), {"1-2": 50})
    quote = upgrade_pupils(
        db, nl_school, "FPO-COMBI", date(2027, 1, 10), {"1-2": 50, "3-8": 150}, quote=True
    )
    result = upgrade_pupils(db, nl_school, "FPO-COMBI", date(2027, 1, 10), {"1-2": 50, "3-8": 150})
    assert invoice_view_json(quote.invoice)["lines"] == invoice_view_json(result.invoice)["lines"]
    assert result.parts.parts_json() == {
        "credit": "-575.00",
        "use": "240.00",
        "next_pre_investment": "1115.00",
        "total": "780.00",
    }
    assert (result.term_start, result.term_end) == (date(2027, 1, 10), date(2028, 1, 9))
    licence = verify_code(result.code, today=date(2027, 1, 10))
    assert (licence["variant"], licence["quantity"]) == ("Combi", 200)
    # the next renewal settles the Combi year
    (item,) = run_due_renewals(db, date(2028, 1, 10), dry_run=True).items
    assert item.settlement.parts_json()["credit"] == "-1115.00"


def test_F10_a_downgrade_is_no_upgrade(db, nl_school):
    ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-COMBI", date(2026, 8, 1), {"1-2": 40, "3-8": 160})
    with pytest.raises(DomainError, match="no upgrade"):
        upgrade_pupils(db, nl_school, "FPO-12", date(2027, 1, 10), {"1-2": 40})


def test_F11_downgrade_within_the_notice_period_applies_at_the_renewal(db, nl_school):
    ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-COMBI", date(2026, 8, 1), {"1-2": 40, "3-8": 160})
    record_pupil_counts(db, nl_school, date(2027, 8, 1), {"1-2": 45, "3-8": 150})
    result = change_at_renewal(db, nl_school, "FPO-12", date(2027, 6, 30))
    assert result.in_time and result.from_day == date(2027, 8, 1)
    (item,) = run_due_renewals(db, date(2027, 8, 1), dry_run=False).items
    assert (
        item.settlement.parts_json()["next_pre_investment"] == "517.50"
    )  # 45 x 11.50, grades 1-2 only
    assert verify_code(item.code, today=date(2027, 8, 1))["variant"] == "1-2"


def test_F11_a_late_downgrade_applies_a_year_later(db, nl_school):
    ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-COMBI", date(2026, 8, 1), {"1-2": 40, "3-8": 160})
    result = change_at_renewal(db, nl_school, "FPO-12", date(2027, 7, 1))
    # the renewal after next, on the anniversary (it was 2028-07-31 with 365-day years)
    assert not result.in_time and result.from_day == date(2028, 8, 1)
    run = run_due_renewals(db, date(2028, 8, 1), dry_run=True)
    assert [len(i.invoice.lines) for i in run.items] == [2 + 2 + 2, 2 + 2 + 1]
    with pytest.raises(DomainError, match="upgrade"):
        change_at_renewal(db, nl_school, "FPO-18", date(2027, 1, 1))


def test_F5_counts_refused_for_unknown_parts_or_before_the_start(db, nl_school):
    with pytest.raises(DomainError, match="no per-pupil subscription"):
        record_pupil_counts(db, nl_school, date(2026, 8, 1), {"3-8": 1})
    ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-38", date(2026, 8, 1), {"3-8": 200})
    with pytest.raises(DomainError, match="Unknown part"):
        record_pupil_counts(db, nl_school, date(2026, 8, 1), {"5-6": 1})
    with pytest.raises(DomainError, match="before the subscription started"):
        record_pupil_counts(db, nl_school, date(2026, 7, 1), {"3-8": 1})
    notes = record_pupil_counts(db, nl_school, date(2026, 9, 1), {"1-2": 3}).notices
    assert notes and "3-8" in notes[0]
