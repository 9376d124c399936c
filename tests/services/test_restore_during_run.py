"""Restore and a running year-end run in another process (issue 19): every program that opens
the file holds its "in use" marker, so the restore refuses, naming the run, instead of replacing
the file under it (where the run went on issuing invoices into an unlinked file)."""

from __future__ import annotations

import os
from datetime import date

import pytest
from support.crash_run import start_cli, year_end_command, year_end_expected, year_end_problems

from lehrer_licenses.services.backups import BackupError, make_backup, restore_backup
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.keystore import KeyStore

pytestmark = pytest.mark.sqlite_only(reason="restoring a SQLite file under a running program")

YEAR = 2027


@pytest.mark.slow  # a real year-end run of 40 schools in a subprocess: a few seconds
def test_restore_during_a_running_year_end_run_is_refused_and_the_run_completes(
    databases, tmp_path, monkeypatch
):
    keys = tmp_path / "keys"
    monkeypatch.setenv("LEHRER_LICENSES_KEYS", str(keys))
    KeyStore(keys).create()
    path = tmp_path / "desk.sqlite"
    db = databases.fresh(path)
    create_demo(db, 40, seed=17, today=date(2026, 11, 22))
    expected = year_end_expected(run_renewals(db, YEAR, dry_run=True))
    backup = make_backup(db, tmp_path / "before.llbackup").path
    db.dispose()

    run = start_cli(path, keys, *year_end_command(YEAR))
    try:
        for line in run.stderr:
            if line.startswith("progress ") and int(line.split()[1].split("/")[0]) >= 1:
                break
        assert run.poll() is None, "the run ended before the restore was tried"
        with pytest.raises(BackupError, match="open in another program") as refused:
            restore_backup(path, backup)
        message = str(refused.value)
        assert "renewals run" in message and f"process {run.pid}" in message
        assert os.uname().nodename in message
        rest = run.stderr.read()
        assert run.wait(timeout=120) == 0, rest
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        run.stderr.close()
    assert year_end_problems(path, YEAR, expected) == []
    # once the run has ended, the restore goes ahead
    assert str(restore_backup(path, backup).restored_from) == str(backup)
    assert year_end_problems(path, YEAR, expected) != []  # the invoices are undone again
