"""A large teacher import is written in batches, each its own short transaction (issue 21): another
clerk's write gets in between two batches, on the SQLite file and on the server alike; a program
stopped between two batches (killed) leaves its first batches and their progress, and importing
the same file again writes the rest, each teacher once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select
from support.cli_run import cli_runner

from lehrer_licenses.services.exchange import school_import
from lehrer_licenses.services.exchange.school_import import (
    ImportTakenOver,
    check_import,
    run_import,
)
from lehrer_licenses.services.licences.seats.holders import add_teacher
from lehrer_licenses.store.database import open_database
from lehrer_licenses.store.models import AuditEntry, School, Teacher, TeacherImport

BATCH = 400
ROWS = 3 * BATCH + 150  # four batches, the last one short

# The import in a program of its own, killed (SIGKILL: no handler, no clean-up runs) as soon
# as its second batch is committed, like a desk switched off in the middle of an import.
KILLED_AFTER_TWO_BATCHES = """
import os, signal, sys
from lehrer_licenses.services.exchange import school_import
from lehrer_licenses.store.database import open_database

school_import.TEACHER_BATCH = int(sys.argv[3])
db = open_database(sys.argv[1], upgrade=False)

def stop(done, total):
    if done >= 2 * school_import.TEACHER_BATCH:
        os.kill(os.getpid(), signal.SIGKILL)

school_import.run_import(db, "teachers", sys.argv[2], progress=stop)
"""


def teacher_file(tmp_path, schools: list[str], rows: int = ROWS):
    lines = ["school;first_name;last_name;email"]
    for i in range(rows):
        email = f"lp{i}@schule.example" if i % 2 else ""
        lines.append(f"{schools[i % len(schools)]};Vorname{i};Nachname{i};{email}")
    path = tmp_path / "lehrpersonen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported_names(db) -> list[str]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(Teacher.last_name)
                .where(Teacher.last_name.like("Nachname%"))
                .order_by(Teacher.id)
            )
        )


def test_another_clerks_write_gets_in_between_two_batches(
    db, db_path, make_school, tmp_path, monkeypatch
):
    monkeypatch.setattr(school_import, "TEACHER_BATCH", BATCH)
    schools = [make_school("Schule A", postcode="8000"), make_school("Schule B", postcode="8001")]
    path = teacher_file(tmp_path, schools)
    # The other clerk's program: its own engine and connections, and a lock wait of a fifth of
    # a second, so that a write lock the import held across its batches would refuse it.
    other = open_database(db_path, upgrade=False, busy_timeout_ms=200)
    seen, clerks = [], []

    def between(done: int, total: int) -> None:
        seen.append((done, total))
        if done < total:
            # what the import committed is there for the other program; it adds its own
            assert len(imported_names(other)) == done
            clerks.append(add_teacher(other, schools[0], "Zweite", f"Kraft {done}"))

    try:
        report = run_import(db, "teachers", path, progress=between)
    finally:
        other.dispose()
    assert report.written and len(report.rows) == ROWS
    assert seen == [(BATCH, ROWS), (2 * BATCH, ROWS), (3 * BATCH, ROWS), (ROWS, ROWS)]
    assert len(clerks) == 3
    # the clerk's teachers were written while the import was under way: each between the
    # teachers of the batch before and of the batch after it
    ids = [row.id for row in report.rows]
    for n, clerk in enumerate(clerks, 1):
        assert ids[n * BATCH - 1] < clerk < ids[n * BATCH]
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(TeacherImport)) == 0
        kraft = session.scalars(
            select(Teacher.last_name).where(Teacher.first_name == "Zweite").order_by(Teacher.id)
        )
        assert list(kraft) == [f"Kraft {n * BATCH}" for n in (1, 2, 3)]
    assert imported_names(db) == [f"Nachname{i}" for i in range(ROWS)]


def test_an_import_killed_between_batches_is_completed_by_importing_the_file_again(
    db, db_path, make_school, tmp_path, capsys
):
    schools = [make_school("Schule A", postcode="8000"), make_school("Schule B", postcode="8001")]
    path = teacher_file(tmp_path, schools)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_TWO_BATCHES, str(db_path), str(path), str(BATCH)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    # What a clerk finds: the teachers of the two batches committed, and the file's progress.
    assert imported_names(db) == [f"Nachname{i}" for i in range(2 * BATCH)]
    with db.reading() as session:
        progress = session.scalars(select(TeacherImport)).one()
        assert (progress.file, progress.written, progress.total) == (
            "lehrpersonen.csv",
            2 * BATCH,
            ROWS,
        )
    # The check of the same file says so, and that the rest is to come; nothing is refused.
    report = check_import(db, "teachers", path)
    assert report.ok and report.already_written == 2 * BATCH
    assert [row.last_name for row in report.rows] == [
        f"Nachname{i}" for i in range(2 * BATCH, ROWS)
    ]
    # Importing the same file again, from the command line, writes the rest.
    cli = cli_runner(db_path, capsys)
    code, out, err = cli("import", "teachers", str(path))
    assert code == 0, err
    assert f"{ROWS - 2 * BATCH} teachers imported" in out
    assert (
        f"an import of this file stopped after {2 * BATCH} of its {ROWS} teachers; "
        "this one wrote the rest"
    ) in out
    assert imported_names(db) == [f"Nachname{i}" for i in range(ROWS)]
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(TeacherImport)) == 0
        adds = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .join(School, AuditEntry.school_id == School.id)
            .where(AuditEntry.action == "teacher.add")
        )
        assert adds == ROWS
    # and a third time it is a file whose teachers are all there already
    code, out, err = cli("import", "teachers", str(path))
    assert code == 2 and "already at the school" in err


def test_an_import_another_program_continued_stops_and_leaves_its_teachers(
    db, db_path, make_school, tmp_path, monkeypatch
):
    # Two desks running the same stopped file: whichever commits a batch second finds the count
    # moved and stops, and must not take out teachers the other now counts as written.
    monkeypatch.setattr(school_import, "TEACHER_BATCH", BATCH)
    schools = [make_school("Schule A", postcode="8000")]
    path = teacher_file(tmp_path, schools)
    other = open_database(db_path, upgrade=False)

    def other_program_continues(done: int, _total: int) -> None:
        with other.transaction() as session:
            progress = session.scalars(select(TeacherImport)).one()
            assert progress.written == done
            progress.written = done + BATCH

    try:
        with pytest.raises(ImportTakenOver, match="another program is importing the same"):
            run_import(db, "teachers", path, progress=other_program_continues)
    finally:
        other.dispose()
    assert imported_names(db) == [f"Nachname{i}" for i in range(BATCH)]
    with db.reading() as session:
        assert session.scalars(select(TeacherImport.written)).one() == 2 * BATCH


def test_an_import_stopped_by_its_caller_between_batches_takes_its_teachers_out(
    db, make_school, tmp_path, monkeypatch
):
    # The app's cancel (or Ctrl-C) between two batches: the program is still there to take the
    # written batches out again, so the clerk sees nothing imported and no progress to continue.
    monkeypatch.setattr(school_import, "TEACHER_BATCH", BATCH)
    path = teacher_file(tmp_path, [make_school("Schule A", postcode="8000")])

    class Stop(Exception):
        pass

    def stop_after_two(done: int, _total: int) -> None:
        if done >= 2 * BATCH:
            raise Stop()

    with pytest.raises(Stop):
        run_import(db, "teachers", path, progress=stop_after_two)
    assert imported_names(db) == []
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(TeacherImport)) == 0
        undone = session.scalars(
            select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)
        ).one()
        assert undone == "teacher.import_undone"
    assert check_import(db, "teachers", path).already_written == 0


def test_a_teacher_added_while_the_file_is_checked_is_seen_before_the_first_batch(
    db, db_path, make_school, tmp_path, monkeypatch
):
    # The check runs without the write lock; a clerk who adds one of the file's teachers in the
    # meantime makes the first batch's transaction check the file again, and refuse it.
    school = make_school("Schule A", postcode="8000")
    path = teacher_file(tmp_path, [school], rows=10)
    other = open_database(db_path, upgrade=False)
    check = school_import._check
    checks = []

    def check_then_a_clerk_adds(*args, **kwargs):
        report = check(*args, **kwargs)
        checks.append(report.ok)
        if len(checks) == 1:
            add_teacher(other, school, "Vorname1", "Nachname1", "lp1@schule.example")
        return report

    monkeypatch.setattr(school_import, "_check", check_then_a_clerk_adds)
    try:
        with pytest.raises(school_import.ImportRefused) as refused:
            run_import(db, "teachers", path)
    finally:
        other.dispose()
    assert checks == [True, False]
    assert [(p.row, p.column) for p in refused.value.report.problems] == [(3, "email")]
    assert "is already at the school" in str(refused.value)
    assert imported_names(db) == ["Nachname1"]  # the clerk's, nothing of the file


def test_an_imported_teacher_has_the_search_text_of_one_added_in_the_app(db, make_school):
    # The teacher filter of the seats view compares teacher.search_text: the bulk write fills
    # it as the app's own "add teacher" does.
    school = make_school("Schule A", postcode="8000")
    add_teacher(db, school, "Ørsted", "Dvořák", "typed@schule.example")
    run_import(db, "teachers", f"school;first_name;last_name\n{school};Łukasz;Żółć\n".encode())
    with db.reading() as session:
        texts = session.execute(select(Teacher.last_name, Teacher.search_text).order_by(Teacher.id))
        assert texts.all() == [("Dvořák", "orsted dvorak"), ("Żółć", "lukasz zolc")]
