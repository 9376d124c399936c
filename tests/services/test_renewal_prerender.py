"""The year-end run may have its PDFs rendered ahead in worker processes
(services.season.prerender):
what it stores must be exactly what it would have rendered itself, whatever changed meanwhile."""

from __future__ import annotations

import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import DateTime, select

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season import prerender
from lehrer_licenses.services.season import year_end as renewals
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import Base, Invoice, InvoicePdf, Subscription

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
    close = prerender.PreRenderer.close

    def recording_close(self):
        seen.append((self.used, self.missed))
        close(self)

    monkeypatch.setattr(prerender.PreRenderer, "close", recording_close)
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


def test_a_school_changed_after_the_prediction_gets_its_own_render(demo, monkeypatch, counted):
    monkeypatch.setenv(prerender.ENV_VAR, "always")
    db = open_database(demo)
    predict = renewals._render_ahead

    def predict_then_rename(*args):
        ahead = predict(*args)
        ahead.join_predictions()  # predicted in a thread: all of them, before the rename
        with db.transaction() as session:  # a clerk, while the run is starting
            due = renewals.due_subscription_ids(session, 2027)
            session.get(Subscription, due[3]).school.name = "Schule Umbenannt"
        return ahead

    monkeypatch.setattr(renewals, "_render_ahead", predict_then_rename)
    try:
        run = run_renewals(db, 2027, dry_run=False, issue_on=ISSUE_ON)
        renamed = [item for item in run.items if item.school_name == "Schule Umbenannt"]
        assert renamed and renamed[0].invoices
        [(used, missed)] = counted
        assert missed >= 1 and used + missed == run.summary().invoices
        number = renamed[0].invoices[0].number
        assert "Schule Umbenannt" in text_of(stored_pdfs(db)[number])
    finally:
        db.dispose()


@pytest.mark.slow  # a 30-school run with a render worker: about 4 s
def test_a_contract_whose_prediction_fails_is_rendered_by_the_run_and_the_others_still_ahead(
    demo, monkeypatch, counted
):
    monkeypatch.setenv(prerender.ENV_VAR, "always")
    db = open_database(demo)
    with db.reading() as session:
        unlucky = renewals.due_subscription_ids(session, 2027)[2]
    renew_one = renewals._renew_one

    def failing_prediction(session, sub, year, write, ctx, check=True):
        if not write and sub.id == unlucky:
            raise DomainError("a price the prediction cannot find")
        return renew_one(session, sub, year, write, ctx, check)

    monkeypatch.setattr(renewals, "_renew_one", failing_prediction)
    try:
        run = run_renewals(db, 2027, dry_run=False, issue_on=ISSUE_ON)
        summary = run.summary()
        assert summary.failed == 0
        [(used, missed)] = counted
        # its invoice, then every later one: their numbers were predicted one too low
        assert missed >= 1 and used >= 2 and used + missed == summary.invoices
        pdfs = stored_pdfs(db)
        assert len(pdfs) == summary.invoices
        for number, pdf in pdfs.items():
            assert number in text_of(pdf)
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
        [(_used, missed)] = counted
        assert missed > 0  # the numbers after the failure moved: rendered in the run
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
    ahead = prerender.PreRenderer(workers=2)
    try:
        assert len(ahead._workers) == 2
        for key, document in documents.items():
            ahead.submit(key, document)
        ahead.predicted(len(documents))
        first = list(documents)[:6]
        for key in first:
            assert ahead.take(key, documents[key]) == render_invoice(documents[key])
        ahead._workers[0].process.kill()
        for key in list(documents)[6:]:
            pdf = ahead.take(key, documents[key])
            assert pdf is None or pdf == render_invoice(documents[key])
        assert ahead.used >= 6 and ahead.used + ahead.missed == len(documents)
        served = {len(worker.sent) for worker in ahead._workers}
        assert served == {0}  # nothing left waiting for an answer
    finally:
        ahead.close()
