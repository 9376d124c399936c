"""The import dialog: a file with problems shows every one and cannot be imported; a clean file
shows what will be created, and Import writes it (both in the background)."""

from __future__ import annotations

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
