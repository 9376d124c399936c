"""The year-end run may have its PDFs rendered in worker processes while it writes
(services.season.prerender, services.billing.pdf_batch): what it stores must be exactly what it
would have rendered itself, whatever fails or dies meanwhile."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import DateTime, func, select

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season import prerender
from lehrer_licenses.services.season import year_end as renewals
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import AuditEntry, Base, Invoice, InvoicePdf, Subscription

ISSUE_ON = date(2026, 12, 1)


@pytest.fixture
def demo(db, db_path):
    create_demo(db, 30, seed=5, today=date(2026, 11, 22))
    db.dispose()
    return db_path


@pytest.fixture
def counted(monkeypatch):
    """The pre-renderers of the runs: (used, missed) of each, when it closed."""
    seen: list[tuple[int, int]] = []
    close = prerender.RenderWorkers.close

    def recording_close(self):
        seen.append((self.used, self.missed))
        close(self)

    monkeypatch.setattr(prerender.RenderWorkers, "close", recording_close)
    return seen


def stored_pdfs(db) -> dict[str, bytes]:
    with db.reading() as session:
        rows = session.execute(
            select(Invoice.number, InvoicePdf.pdf)
            .join(InvoicePdf, InvoicePdf.invoice_id == Invoice.id)
            .where(Invoice.invoice_date == ISSUE_ON)
        )
        return dict(rows.all())


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def database_rows(db) -> dict[str, list[tuple]]:
    """Every row of every table in key order, without the clock's columns (when a row was
    written), which no two runs share."""
    rows = {}
    with db.reading() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, DateTime)]
            result = session.execute(select(*columns).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(row) for row in result]
    return rows


def test_the_pdfs_rendered_ahead_are_those_the_run_renders_itself(
    demo, tmp_path, monkeypatch, counted, databases
):
    copy = databases.clone(demo, tmp_path / "copy.sqlite")
    monkeypatch.setenv(prerender.ENV_VAR, "off")
    alone = open_database(demo)
    run_renewals(alone, 2027, dry_run=False, issue_on=ISSUE_ON)
    monkeypatch.setenv(prerender.ENV_VAR, "always")
    ahead = open_database(copy)
    run = run_renewals(ahead, 2027, dry_run=False, issue_on=ISSUE_ON)
    try:
        invoices = run.summary().invoices
        assert invoices > 10
        assert counted == [(invoices, 0)]  # every PDF came from the worker
        assert stored_pdfs(ahead) == stored_pdfs(alone)  # byte for byte
        # and the whole database: invoices, numbers, lines, codes, seats, audit entries
        written, expected = database_rows(ahead), database_rows(alone)
        assert written.keys() == expected.keys()
        for table in expected:
            assert written[table] == expected[table], table
    finally:
        alone.dispose()
        ahead.dispose()


@pytest.mark.slow  # a 30-school run with a render worker: about 4 s
def test_a_contract_failing_after_its_invoice_went_to_a_worker_leaves_no_pdf_and_no_gap(
    demo, monkeypatch, counted
):
    """The invoice's document is with a render worker when its contract fails: the contract is
    rolled back alone, its render is dropped, and the later invoices take its number."""
    monkeypatch.setenv(prerender.ENV_VAR, "always")
    db = open_database(demo)
    with db.reading() as session:
        unlucky = renewals.due_subscription_ids(session, 2027)[2]
    renew_one = renewals._renew_one

    def failing_at_the_end(session, sub, year, write, ctx, *rest):
        item = renew_one(session, sub, year, write, ctx, *rest)
        if write and sub.id == unlucky:
            assert item.invoices  # issued, its document submitted
            raise DomainError("a failure after the invoice was issued")
        return item

    monkeypatch.setattr(renewals, "_renew_one", failing_at_the_end)
    try:
        run = run_renewals(db, 2027, dry_run=False, issue_on=ISSUE_ON)
        summary = run.summary()
        assert summary.failed == 1
        [(used, missed)] = counted
        assert missed == 0 and used == summary.invoices  # the dropped render is neither
        pdfs = stored_pdfs(db)
        assert len(pdfs) == summary.invoices
        sequence = sorted(int(number.rsplit("-", 1)[1]) for number in pdfs)
        assert sequence == list(range(1, summary.invoices + 1))
        for number, pdf in pdfs.items():
            assert number in text_of(pdf)
        with db.reading() as session:  # each issue's audit entry has its PDF's hash
            hashes = dict(
                session.execute(
                    select(Invoice.id, InvoicePdf.sha256)
                    .join(InvoicePdf, InvoicePdf.invoice_id == Invoice.id)
                    .where(Invoice.invoice_date == ISSUE_ON)
                ).all()
            )
            entries = session.execute(
                select(AuditEntry.entity_id, AuditEntry.after).where(
                    AuditEntry.action == "invoice.issue", AuditEntry.entity_id.in_(hashes)
                )
            ).all()
        assert len(entries) == summary.invoices
        for invoice_id, after in entries:
            assert json.loads(after)["pdf_sha256"] == hashes[invoice_id]
    finally:
        db.dispose()


def test_a_document_that_cannot_be_printed_fails_its_contract_alone(demo, monkeypatch):
    """A PDF is rendered at the end of its group's transaction; when one cannot be, the group is
    written again with each PDF rendered in its contract's savepoint: that contract is reported
    and left for a re-run, the others are issued with their PDFs, the numbers without a gap."""
    from lehrer_licenses.documents import invoice_pdf
    from lehrer_licenses.documents.model import DocumentDataError

    monkeypatch.setenv(prerender.ENV_VAR, "off")
    db = open_database(demo)
    with db.transaction() as session:
        due = renewals.due_subscription_ids(session, 2027)
        session.get(Subscription, due[4]).school.name = "Schule Unprintable"
    render_invoice = invoice_pdf.render_invoice

    def refusing(document):
        if "Schule Unprintable" in repr(document):
            raise DocumentDataError("the payment part cannot carry this address")
        return render_invoice(document)

    monkeypatch.setattr(invoice_pdf, "render_invoice", refusing)
    try:
        run = run_renewals(db, 2027, dry_run=False, issue_on=ISSUE_ON)
        summary = run.summary()
        [failed] = [item for item in run.items if item.action == "failed"]
        assert failed.school_name == "Schule Unprintable"
        assert "the payment part cannot carry this address" in failed.error
        pdfs = stored_pdfs(db)
        assert len(pdfs) == summary.invoices > 10
        sequence = sorted(int(number.rsplit("-", 1)[1]) for number in pdfs)
        assert sequence == list(range(1, summary.invoices + 1))
        with db.reading() as session:
            assert session.get(Subscription, due[4]).term_end == date(2026, 12, 31)
    finally:
        db.dispose()


def test_a_number_taken_by_hand_fails_the_contracts_that_would_take_it(demo, monkeypatch):
    """A group is written without a query per number; a number already taken (the format was
    changed, an invoice renumbered by hand) fails the group at the unique index, and the group
    written again says which number, in each contract that would take it."""
    from lehrer_licenses.services.billing.numbering import invoice_counter

    monkeypatch.setenv(prerender.ENV_VAR, "off")
    db = open_database(demo)
    with db.transaction() as session:
        start = invoice_counter(session, ISSUE_ON.year)
        taken = f"{ISSUE_ON.year}-{start + 4:05d}"
        session.execute(
            Invoice.__table__.update()
            .where(Invoice.id == session.scalar(select(func.min(Invoice.id))))
            .values(number=taken)
        )
    try:
        run = run_renewals(db, 2027, dry_run=False, issue_on=ISSUE_ON)
        issued = [number for item in run.items for number in (i.number for i in item.invoices)]
        assert 2 <= len(issued) <= 3  # the contracts before the one that would take it
        assert issued == [f"{ISSUE_ON.year}-{start + n:05d}" for n in range(1, len(issued) + 1)]
        failed = [item for item in run.items if item.action == "failed"]
        assert failed and all(f"the number {taken} is already taken" in i.error for i in failed)
        with db.reading() as session:
            assert invoice_counter(session, ISSUE_ON.year) == start + len(issued)
    finally:
        db.dispose()


@pytest.mark.slow  # a 30-school run with a render worker: about 4 s
def test_a_failed_contract_shifts_the_numbers_and_every_pdf_still_carries_its_own(
    demo, monkeypatch, counted
):
    monkeypatch.setenv(prerender.ENV_VAR, "always")
    db = open_database(demo)
    with db.transaction() as session:  # the second due contract's school loses its address
        due = renewals.due_subscription_ids(session, 2027)
        session.get(Subscription, due[1]).school.postcode = ""
    try:
        run = run_renewals(db, 2027, dry_run=False, issue_on=ISSUE_ON)
        assert run.summary().failed == 1
        [(used, missed)] = counted
        assert missed == 0 and used == run.summary().invoices  # every PDF from a worker
        pdfs = stored_pdfs(db)
        assert len(pdfs) == run.summary().invoices
        for number, pdf in pdfs.items():
            assert number in text_of(pdf)
    finally:
        db.dispose()


@pytest.mark.slow  # real runs killed, each starting a worker
def test_killing_the_run_while_a_worker_renders_ahead_loses_and_doubles_nothing(
    demo, tmp_path, keys_folder, databases
):
    """Two SIGKILLs of a real `renewals run` with rendering ahead forced on (the full kill
    test, test_renewal_crash_safety, runs below the size where the run starts a worker)."""
    db = open_database(demo)
    expected = run_renewals(db, 2027, dry_run=True).summary()
    db.dispose()
    env = dict(os.environ, LEHRER_LICENSES_KEYS=str(keys_folder), **{prerender.ENV_VAR: "always"})
    command = [sys.executable, "-m", "lehrer_licenses", "--db"]
    rest = ["--json", "renewals", "run", "--year", "2027", "--date", "2026-12-01", "--progress"]
    rng = random.Random(6)
    for attempt in range(2):
        path = databases.clone(demo, tmp_path / f"kill{attempt}.sqlite")
        first = subprocess.Popen(
            [*command, str(path), *rest],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        stop_at = rng.randrange(1, expected.schools)
        for line in first.stderr:
            if line.startswith("progress ") and int(line.split()[1].split("/")[0]) >= stop_at:
                break
        first.send_signal(signal.SIGKILL)
        first.wait()
        first.stderr.close()
        second = subprocess.run(
            [*command, str(path), *rest], env=env, capture_output=True, text=True, timeout=120
        )
        assert second.returncode == 0, second.stderr
        if "://" not in str(path):  # a file: intact after the kill (a server keeps its own)
            con = sqlite3.connect(path)
            try:
                assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                con.close()
        after = open_database(path)
        try:
            with after.reading() as session:
                rows = session.execute(
                    select(Invoice.number, InvoicePdf.pdf)
                    .outerjoin(InvoicePdf, InvoicePdf.invoice_id == Invoice.id)
                    .where(Invoice.invoice_date == ISSUE_ON)
                ).all()
        finally:
            after.dispose()
        assert len(rows) == expected.invoices
        sequence = sorted(int(number.rsplit("-", 1)[1]) for number, _pdf in rows)
        assert sequence == list(range(1, expected.invoices + 1))  # no gap, no double
        for number, pdf in rows:
            assert pdf is not None and number in text_of(pdf)


def test_two_render_workers_answer_each_document_with_its_own_pdf_even_when_one_dies():
    """The renders are shared among one worker per core; each PDF goes back to its own key,
    and a worker that dies leaves its documents to the run (None), never a wait for ever."""
    from lehrer_licenses.documents import render_invoice
    from lehrer_licenses.documents.samples import sample_document

    documents = {f"key-{n}": sample_document(number=f"2027-{n:05d}") for n in range(1, 13)}
    workers = prerender.RenderWorkers(workers=2)
    try:
        assert len(workers._workers) == 2
        for key, document in documents.items():
            workers.submit(key, document)
        first = list(documents)[:6]
        for key in first:
            assert workers.result(key) == render_invoice(documents[key])
        workers._workers[0].process.kill()
        for key in list(documents)[6:]:
            pdf = workers.result(key)
            assert pdf is None or pdf == render_invoice(documents[key])
        assert workers.used >= 6 and workers.used + workers.missed == len(documents)
        served = {len(worker.sent) for worker in workers._workers}
        assert served == {0}  # nothing left waiting for an answer
    finally:
        workers.close()


def test_the_run_renders_what_no_worker_has_taken_yet_while_it_waits():
    """A worker holds a few documents at a time; the run, waiting for a PDF, renders the
    documents still waiting for a worker itself, each exactly as a worker would have."""
    from lehrer_licenses.documents import render_invoice
    from lehrer_licenses.documents.samples import sample_document

    documents = {f"key-{n}": sample_document(number=f"2027-{n:05d}") for n in range(1, 11)}
    workers = prerender.RenderWorkers(workers=1)
    try:
        for key, document in documents.items():
            workers.submit(key, document)
        # the newest is not with the worker (it holds IN_FLIGHT, still starting): the run's own
        assert workers.result("key-10") == render_invoice(documents["key-10"])
        assert workers.stolen >= 1
        for key in list(documents)[:-1]:
            assert workers.result(key) == render_invoice(documents[key])
        assert workers.used == len(documents) and workers.missed == 0
        assert len(workers._workers[0].sent) == 0
    finally:
        workers.close()
