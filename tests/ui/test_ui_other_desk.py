"""Another desk on the same database while a dialog is open: the seat the dialog offers was
given away meanwhile, or the other desk holds the database; pressing the button says so in the
dialog, in one line, and writes nothing."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.ui.dialogs.seat_dialogs import AssignSeatDialog
from lehrer_licenses.ui.views.seats import SeatsView

ON = date(2026, 10, 1)


def _free_seat_dialog(qtbot, db, school: str, wait_loaded) -> AssignSeatDialog:
    view = SeatsView(db)
    qtbot.addWidget(view)
    wait_loaded(view.model)
    view.school.setText(school)
    view.state.setCurrentIndex(view.state.findData("free"))
    view.apply_filter()
    wait_loaded(view.model)
    dialog = AssignSeatDialog(db, view.selected(), ON)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_seat_given_away_on_another_desk_is_refused_in_the_dialog(qtbot, db, sample, wait_loaded):
    zurich = sample["zurich"]  # one seat, free
    here = seats.add_teacher(db, zurich, "Anna", "Keller")
    there = seats.add_teacher(db, zurich, "Beat", "Meier")
    dialog = _free_seat_dialog(qtbot, db, zurich, wait_loaded)
    dialog.teacher.setCurrentIndex(dialog.teacher.findData(here))
    seats.assign_seat(db, zurich, there, ON)  # the other desk was quicker
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.text() == "Seat 1 is taken"
    assert [s.teacher for s in seats.list_seats(db, zurich)] == ["Beat Meier"]


@pytest.mark.sqlite_only(reason="the other desk holds SQLite's write lock through sqlite3 itself")
def test_a_database_held_by_another_desk_is_reported_busy_in_the_dialog(
    qtbot, db, sample, wait_loaded
):
    aarau = sample["aarau"]
    newcomer = seats.add_teacher(db, aarau, "Anna", "Keller")
    path = Path(db.url.removeprefix("sqlite:///"))
    quick = open_database(path, busy_timeout_ms=300)  # this desk gives up soon
    try:
        dialog = _free_seat_dialog(qtbot, quick, aarau, wait_loaded)
        dialog.teacher.setCurrentIndex(dialog.teacher.findData(newcomer))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the other desk in the middle of a use case
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert dialog.error.text() == "the database is busy in another program; try again"
        other.rollback()
        other.close()
        assert "Anna Keller" not in [s.teacher for s in seats.list_seats(db, aarau)]
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)  # once it is done
        assert not dialog.isVisible()
        assert "Anna Keller" in [s.teacher for s in seats.list_seats(db, aarau)]
    finally:
        quick.dispose()
