"""The import dialog: a file with problems shows every one and cannot be imported; a clean file
shows what will be created, and Import writes it (both in the background)."""

from __future__ import annotations

import contextlib

from lehrer_licenses.services.schools import find_schools
from lehrer_licenses.ui.dialogs.import_dialog import ImportDialog
from lehrer_licenses.ui.main_window import MainWindow

BAD = (
    "Schulname;PLZ;Ort;Land;Sprache;E-Mail\r\n"
    "Schule Oberdorf;805;Zürich;CH;de;\r\n"
    "Schule Unterdorf;8050;Zürich;FR;de;nicht-mail\r\n"
)
GOOD = (
    "Schulname;PLZ;Ort;Land;Sprache;E-Mail\r\n"
    "Schule Oberdorf;8050;Zürich;CH;de;\r\n"
    "École du Bourg;1950;Sion;CH;fr;bourg@sion.example\r\n"
)


def _wait(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.task is None and dialog.report is not None, timeout=10000)


def test_problems_are_listed_then_a_clean_file_is_imported(qtbot, db, tmp_path):
    path = tmp_path / "schulen.csv"
    path.write_bytes(BAD.encode("cp1252"))
    dialog = ImportDialog(db, "schools", str(path))
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.tables.currentWidget() is dialog.problems
    assert [dialog.problems.texts(c) for c in range(3)] == [
        ["2", "3", "3"],
        ["PLZ", "Land", "E-Mail"],
        [
            "not a postcode of CH: '805'",
            "the country must be one of CH, DE, AT, NL, not 'FR'",
            "not an e-mail address: 'nicht-mail'",
        ],
    ]
    assert not dialog.import_button.isEnabled()
    assert "3 problems" in dialog.state.text()
    dialog.grab().save(str(tmp_path / "problems.png"))

    path.write_bytes(GOOD.encode("cp1252"))  # corrected in the spreadsheet, saved again
    dialog.again_button.click()
    _wait(qtbot, dialog)
    assert dialog.tables.currentWidget() is dialog.preview
    assert dialog.preview.texts(1) == ["100001", "100002"]
    assert dialog.preview.texts(2) == ["Schule Oberdorf", "École du Bourg"]
    assert "2 schools will be created (Windows-1252, separated by semicolon)" in (
        dialog.state.text()
    )
    assert find_schools(db) == []  # the check wrote nothing
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result_report is not None, timeout=10000)
    assert dialog.result() == ImportDialog.DialogCode.Accepted
    assert sorted(s.name for s in find_schools(db)) == ["Schule Oberdorf", "École du Bourg"]


def test_file_menu_imports_and_refreshes_the_schools_view(
    qtbot, db, settings, tmp_path, monkeypatch
):
    path = tmp_path / "lehrpersonen.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Import schools…" in texts and "Import &teachers…" in texts

    def run_modal(dialog) -> bool:  # the user waits for the preview, then clicks Import
        _wait(qtbot, dialog)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.result_report is not None, timeout=10000)
        return True

    monkeypatch.setattr(ImportDialog, "exec", run_modal)
    window.import_csv("schools", str(path))
    qtbot.waitUntil(lambda: window.schools.model.rowCount() == 2, timeout=10000)
    assert window.schools.selected_number() == "100001"
    assert "2 schools imported." in window.statusBar().currentMessage()


def test_a_teacher_file_whose_import_stopped_says_so_and_imports_the_rest(
    qtbot, db, make_school, tmp_path, monkeypatch
):
    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from lehrer_licenses.services.exchange import school_import
    from lehrer_licenses.store.models import Teacher

    def school_teachers() -> list[str]:
        with db.reading() as session:
            return list(session.scalars(select(Teacher.last_name).order_by(Teacher.id)))

    school = make_school("Schule A", postcode="8000")
    path = tmp_path / "lehrpersonen.csv"
    rows = [f"{school};Vorname{i};Nachname{i}" for i in range(5)]
    path.write_text("school;first_name;last_name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    # A desk switched off after the first two batches: nothing got the chance to take them out.
    monkeypatch.setattr(school_import, "TEACHER_BATCH", 2)
    monkeypatch.setattr(school_import, "_take_out", lambda *args: None)

    def switched_off(done: int, _total: int) -> None:
        if done == 4:
            raise SystemExit()

    with contextlib.suppress(SystemExit):
        school_import.run_import(db, "teachers", path, progress=switched_off)
    assert school_teachers() == [f"Nachname{i}" for i in range(4)]
    dialog = ImportDialog(db, "teachers", str(path))
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.preview.texts(0) == ["6"]  # the row as the spreadsheet shows it
    assert dialog.state.text() == (
        "1 teacher will be created (UTF-8, separated by semicolon). An import of this file "
        "stopped after 4 of its 5 teachers; this one writes the rest."
    )
    dialog.grab().save(str(tmp_path / "stopped.png"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_report is not None, timeout=10000)
    assert dialog.result() == ImportDialog.DialogCode.Accepted
    assert school_teachers() == [f"Nachname{i}" for i in range(5)]
