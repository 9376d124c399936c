"""The real year-end run issues every invoice in the contract's own transaction (issue 6)."""

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.billing.printing import invoice_pdf
from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR, set_vendor
from lehrer_licenses.services.licences.codes import code_history
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import Invoice, School

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}


def test_L4_L6_the_run_issues_numbered_invoices_carrying_the_new_code(db, make_school):
    set_vendor(db, SAMPLE_VENDOR)
    schools = [make_school(name=f"Schule {n}", **ADDRESS) for n in range(3)]
    for n, school in enumerate(schools):
        order_seats(db, school, 3 + n, date(2026, 3, 10))
    run = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    numbers = [item.invoices[0].number for item in run.items]
    assert all(numbers) and len(set(numbers)) == 3
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == [1, 2, 3]
    first = run.items[0]
    assert first.invoices[0].status == "issued"
    pdf = invoice_pdf(db, numbers[0]).pdf
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "133.65" in text  # 3 x 44.55
    code = code_history(db, first.school)[-1]
    assert code.reason == "renewal" and code.valid_until == date(2027, 12, 31)
    assert code.code.split("-")[0] in text.replace(" ", "")


def test_a_contract_that_cannot_be_issued_is_reported_and_left_for_a_rerun(db, make_school):
    set_vendor(db, SAMPLE_VENDOR)
    good = make_school(name="Mit Adresse", **ADDRESS)
    bad = make_school(name="Ohne Adresse")
    order_seats(db, good, 2, date(2026, 3, 10))
    order_seats(db, bad, 2, date(2026, 3, 10))
    run = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    failed = [item for item in run.items if item.action == "failed"]
    assert [item.school for item in failed] == [bad]
    assert "address" in failed[0].error
    assert run.summary().failed == 1 and run.summary().renewed == 1
    with db.transaction() as session:
        school = session.scalar(select(School).where(School.number == bad))
        for key, value in ADDRESS.items():
            setattr(school, key, value)
    again = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 2))
    assert [(item.school, item.action) for item in again.items] == [(bad, "renew")]
    with db.reading() as session:
        numbers = session.scalars(select(Invoice.number).where(Invoice.reason == "renewal")).all()
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == [1, 2]  # no gap from the failure


def test_a_contract_failing_after_its_first_writes_is_undone_alone_within_its_group(
    db, make_school, monkeypatch
):
    """Contracts share a transaction (a group), each in a savepoint: a failure after the new
    code was written takes back that contract's writes only, and the numbers stay gapless."""
    from lehrer_licenses.services.errors import InvalidInput
    from lehrer_licenses.services.season import year_end
    from lehrer_licenses.store.models import IssuedCode, Subscription

    set_vendor(db, SAMPLE_VENDOR)
    schools = [make_school(name=f"Schule {n}", **ADDRESS) for n in range(3)]
    for school in schools:
        order_seats(db, school, 2, date(2026, 3, 10))
    real_insert = year_end.insert_issued

    def fail_for_the_middle_school(session, run, draft, school, *args, **kwargs):
        if school.number == schools[1]:
            raise InvalidInput("refused for the test, after the code was written")
        return real_insert(session, run, draft, school, *args, **kwargs)

    monkeypatch.setattr(year_end, "insert_issued", fail_for_the_middle_school)
    run = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    assert [(item.school, item.action) for item in run.items] == [
        (schools[0], "renew"),
        (schools[1], "failed"),
        (schools[2], "renew"),
    ]
    assert [item.invoices[0].number.rsplit("-", 1)[1] for item in run.items[::2]] == [
        "00001",
        "00002",
    ]
    with db.reading() as session:
        middle = session.scalar(select(School).where(School.number == schools[1]))
        sub = session.scalar(select(Subscription).where(Subscription.school_id == middle.id))
        assert sub.term_end == date(2026, 12, 31)  # not renewed: left for a re-run
        reasons = session.scalars(
            select(IssuedCode.reason).where(IssuedCode.school_id == middle.id)
        ).all()
        assert "renewal" not in reasons
    monkeypatch.setattr(year_end, "insert_issued", real_insert)
    again = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 2))
    assert [(item.school, item.action) for item in again.items] == [(schools[1], "renew")]
    assert again.items[0].invoices[0].number.endswith("00003")


def test_issuing_needs_a_complete_vendor_before_anything_is_written(db, make_school):
    school = make_school(name="Schule", **ADDRESS)
    order_seats(db, school, 2, date(2026, 3, 10))
    with pytest.raises(DomainError, match="vendor"):
        run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    assert run_renewals(db, 2027, dry_run=True).summary().schools == 1  # nothing renewed


def _renewed_books(databases, path, batch: bool) -> dict:
    """The 2027 renewal invoice of one school, issued today by the year-end run's batch path or
    as a draft issued afterwards through billing; what each wrote about it. Today, because the
    run signs the new registration code (printed on the invoice) with today's date."""
    from lehrer_licenses.services.billing import issuing
    from lehrer_licenses.services.schools import SchoolInput, add_school
    from lehrer_licenses.store.models import AuditEntry, InvoiceLine

    db = databases.fresh(path)
    try:
        set_vendor(db, SAMPLE_VENDOR)
        school = add_school(
            db, SchoolInput(name="Schule Żółć", country="CH", language="fr", **ADDRESS)
        )
        order_seats(db, school, 5, date(2026, 3, 10))
        if batch:
            run = run_renewals(db, 2027, dry_run=False, issue_on=date.today())
            number = run.items[0].invoices[0].number
        else:
            run = run_renewals(db, 2027, dry_run=False)
            draft = run.items[0].invoices[0]
            number = issuing.issue_invoice(db, str(draft.id), date.today()).number
        with db.reading() as session:
            invoice = session.scalar(select(Invoice).where(Invoice.number == number))
            skip = {"id", "created_at", "issued_at"}
            row = {
                c.name: getattr(invoice, c.key)
                for c in Invoice.__table__.columns
                if c.name not in skip
            }
            lines = [
                {c.name: getattr(line, c.key) for c in InvoiceLine.__table__.columns
                 if c.name not in ("id", "invoice_id")}
                for line in invoice.lines
            ]  # fmt: skip
            audit = [
                (e.action, e.after)
                for e in session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.entity == "invoice", AuditEntry.entity_id == invoice.id)
                    .order_by(AuditEntry.id)
                )
            ]
        return {"row": row, "lines": lines, "audit": audit, "pdf": invoice_pdf(db, number).pdf}
    finally:
        db.dispose()


def test_the_batch_path_writes_what_draft_and_issue_write(databases, tmp_path):
    # Both paths issue through issuing.issue; the year-end run writes the invoice row with plain
    # INSERTs for speed (billing/batch_issuing.py), which must equal drafts.create_draft followed
    # by issuing the draft (an UPDATE).
    batch = _renewed_books(databases, tmp_path / "batch.sqlite", batch=True)
    classic = _renewed_books(databases, tmp_path / "classic.sqlite", batch=False)
    assert batch["row"] == classic["row"]
    assert batch["lines"] == classic["lines"]
    assert [action for action, _after in batch["audit"]] == ["invoice.draft", "invoice.issue"]
    assert batch["audit"] == classic["audit"]
    assert batch["pdf"] == classic["pdf"]


def test_a_taxed_renewal_without_the_vendor_vat_id_fails_naming_the_setting(db, make_school):
    set_vendor(db, SAMPLE_VENDOR)
    school = make_school(name="Schule mit MWST", **ADDRESS)
    order_seats(db, school, 2, date(2026, 3, 10))
    set_vendor(db, {"vat_id": ""})
    run = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    (failed,) = [item for item in run.items if item.action == "failed"]
    assert failed.school == school
    assert "no VAT/UID number" in failed.error and "--vat-id" in failed.error
    with db.reading() as session:
        renewals = select(Invoice.number).where(Invoice.reason == "renewal")
        assert session.scalars(renewals).all() == []
