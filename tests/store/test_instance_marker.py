"""The app can tell that another program has the database open: an OS lock on <db>.inuse,
which vanishes with the process, so a crash leaves no false warning behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from lehrer_licenses.services.backups import BackupError, make_backup, restore_backup
from lehrer_licenses.services.database_init import claim_database
from lehrer_licenses.store import instance_marker

pytestmark = pytest.mark.sqlite_only(reason="the in-use marker beside a SQLite file")

HOLD = """
import sys
from pathlib import Path
from lehrer_licenses.store.instance_marker import claim
marker = claim(Path(sys.argv[1]))
print("held", len(marker.others), flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def other_program(tmp_path):
    """Start a program that claims a database and keeps it until the test ends (or kills it)."""
    started = []

    def start(database):
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().split()[0] == "held"
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_alone_nobody_else_is_reported(tmp_path):
    database = tmp_path / "desk.sqlite"
    marker = instance_marker.claim(database)
    try:
        assert marker.others == []
        assert f'"pid": {os.getpid()}' in instance_marker.marker_path(database).read_text()
    finally:
        marker.release()
    assert not instance_marker.in_use_elsewhere(database)


def test_another_process_holding_the_database_is_reported_with_host_user_and_time(
    tmp_path, other_program
):
    database = tmp_path / "desk.sqlite"
    before = datetime.now().replace(microsecond=0)
    other = other_program(database)
    assert instance_marker.in_use_elsewhere(database)
    marker = instance_marker.claim(database)
    try:
        (holder,) = marker.others
        assert holder.pid == other.pid and holder.host == socket.gethostname()
        assert holder.user and before <= holder.since <= datetime.now() + timedelta(seconds=1)
    finally:
        marker.release()
    assert instance_marker.in_use_elsewhere(database)  # the other one is still there


def test_a_crashed_program_leaves_no_warning_behind(tmp_path, other_program):
    database = tmp_path / "desk.sqlite"
    other = other_program(database)
    os.kill(other.pid, signal.SIGKILL)
    other.wait(timeout=10)
    assert f'"pid": {other.pid}' in instance_marker.marker_path(database).read_text()  # stale
    assert not instance_marker.in_use_elsewhere(database)
    marker = instance_marker.claim(database)
    try:
        assert marker.others == []
        assert str(other.pid) not in instance_marker.marker_path(database).read_text()
    finally:
        marker.release()


def test_a_program_that_left_while_another_stayed_is_not_reported(tmp_path, other_program):
    database = tmp_path / "desk.sqlite"
    first = other_program(database)
    second = other_program(database)
    first.kill()
    first.wait(timeout=10)
    marker = instance_marker.claim(database)
    try:
        assert [h.pid for h in marker.others] == [second.pid]
    finally:
        marker.release()


def test_the_marker_lives_as_long_as_the_database_handle(db, db_path):
    assert claim_database(db) == []
    assert instance_marker.in_use_elsewhere(db_path)  # seen from any other claim
    db.dispose()
    assert not instance_marker.in_use_elsewhere(db_path)


def test_restore_is_refused_while_an_idle_app_elsewhere_has_the_database_open(
    db, db_path, tmp_path, other_program
):
    backup = make_backup(db, tmp_path / "b.llbackup").path
    db.dispose()
    other = other_program(db_path)
    with pytest.raises(BackupError, match="open in another program"):
        restore_backup(db_path, backup)
    other.stdin.write("\n")
    other.stdin.flush()
    other.wait(timeout=10)
    assert str(restore_backup(db_path, backup).restored_from) == str(backup)
