"""File ▸ Export…: the dialog writes the file in the background; bad input is said inline."""

from __future__ import annotations

import csv
from datetime import date

from PySide6.QtWidgets import QDialog

from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.export_dialog import ExportDialog
from lehrer_licenses.ui.main_window import MainWindow


def choose(combo, key) -> None:
    combo.setCurrentIndex(combo.findData(key))


def test_the_dialog_writes_the_schools_in_the_background(qtbot, db, school, tmp_path):
    school('=HYPERLINK("http://evil.example")')
    school("Schule Dvořák", city="Zürich", postcode="8001")
    dialog = ExportDialog(db, today=date(2026, 11, 30))
    qtbot.addWidget(dialog)
    choose(dialog.what, "schools")
    choose(dialog.format, "csv")
    assert not dialog.dated.isEnabled()  # schools have no date range
    dialog.path.setText(str(tmp_path / "mine.xlsx"))
    choose(dialog.format, "csv")  # a name the user gave keeps its stem, the suffix follows
    dialog.path.setText(str(tmp_path / "schools.csv"))
    task = dialog.run_export()
    assert task is not None and not dialog.export_button.isEnabled()
    with qtbot.waitSignal(task.signals.finished, timeout=10000):
        pass
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_export.rows == 2
    with open(tmp_path / "schools.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://evil.example")', "Schule Dvořák"]


def test_suggested_names_follow_the_choices_and_bad_ranges_are_said_inline(qtbot, db, tmp_path):
    dialog = ExportDialog(db, today=date(2026, 11, 30))
    qtbot.addWidget(dialog)
    assert dialog.path.text().endswith("invoices-2026-11-30.xlsx")
    choose(dialog.what, "payments")
    choose(dialog.format, "csv")
    assert dialog.path.text().endswith("payments-2026-11-30.csv")
    dialog.path.setText(str(tmp_path / "p.csv"))
    dialog.dated.setChecked(True)
    assert dialog.date_from.isEnabled()
    dialog.date_from.setDate(fmt.to_qdate(date(2026, 12, 1)))
    dialog.date_to.setDate(fmt.to_qdate(date(2026, 1, 31)))
    assert dialog.run_export() is None
    assert "starts after it ends" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert not (tmp_path / "p.csv").exists()
    dialog.path.setText(str(tmp_path / "missing" / "p.csv"))
    dialog.date_from.setDate(fmt.to_qdate(date(2026, 1, 1)))
    assert dialog.run_export() is None and "no such folder" in dialog.error.text()


def test_file_menu_has_export(qtbot, db, settings):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert window.export_action.isEnabled()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_action in file_menu.actions()
