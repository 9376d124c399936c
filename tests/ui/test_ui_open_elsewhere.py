"""Opening a database that another program has open shows a non-blocking warning and goes on."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.open_elsewhere import warn_if_open_elsewhere

pytestmark = pytest.mark.sqlite_only(reason="the in-use marker beside a SQLite file")

HOLD = """
import sys
from pathlib import Path
from lehrer_licenses.store.instance_marker import claim
marker = claim(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def other_db(databases, tmp_path):
    return databases.copy_to(tmp_path / "shared.sqlite")


@pytest.fixture
def held_elsewhere(other_db):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(other_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def shown_warnings(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_opening_a_database_open_elsewhere_warns_without_blocking(
    qtbot, db, settings, other_db, held_elsewhere
):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.switch_database(str(other_db))
    (box,) = shown_warnings(window)
    text = box.text()
    assert text.startswith("This database is already open in another program (")
    assert socket.gethostname() in text and "you may see each other's edits late" in text
    assert QApplication.activeModalWidget() is None  # the app goes on
    assert str(other_db) in window._path_label.text()
    box.grab().save(str(other_db.with_name("open-elsewhere.png")))
    box.close()
    window.db.dispose()


def test_no_warning_when_alone_or_after_the_other_program_crashed(
    qtbot, db, settings, other_db, held_elsewhere
):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    held_elsewhere.kill()
    held_elsewhere.wait(timeout=10)
    assert window.switch_database(str(other_db))
    assert shown_warnings(window) == []
    assert warn_if_open_elsewhere(window, db) is None  # db: nobody else has it
    window.db.dispose()
