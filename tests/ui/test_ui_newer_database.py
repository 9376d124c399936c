"""File › Open database… on a file a newer version wrote: the clerk reads why it cannot be opened
and which version can, and keeps working on the database that was open."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QFileDialog, QMessageBox

from lehrer_licenses import __version__
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.store.database import WRITTEN_BY
from lehrer_licenses.ui.main_window import MainWindow


def test_opening_a_newer_database_says_which_version_wrote_it(
    qtbot, db, settings, tmp_path, monkeypatch
):
    newer = tmp_path / "newer.sqlite"
    made, _installed = init_database(newer)
    made.dispose()
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.execute("UPDATE setting SET value = '0.99.0' WHERE key = ?", (WRITTEN_BY,))
    con.commit()
    con.close()
    before = newer.read_bytes()

    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(newer), "SQLite (*.sqlite)")
    )
    shown = []

    def record(box):
        shown.append((box.windowTitle(), box.text()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", record)
    (action,) = [
        a for a in window.menuBar().actions()[0].menu().actions() if "Open database" in a.text()
    ]
    action.trigger()

    ((title, text),) = shown
    assert title == "Cannot open the database"
    assert "0.99.0" in text and "0099" in text and __version__ in text
    assert "Something went wrong" not in text
    assert window.db is db  # the open database stays
    assert newer.read_bytes() == before
    assert not (tmp_path / "backups").exists()
