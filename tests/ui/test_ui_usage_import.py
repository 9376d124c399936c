"""The usage-count import dialog: a file with problems lists every one (row, column, reason)
and cannot be imported; a clean file shows what will be recorded and which recorded month it
replaces; months already recorded are only replaced once the box is ticked; Import writes the
counts (checked through the services)."""

from __future__ import annotations

from datetime import date

import pytest

from lehrer_licenses.services.exchange.usage_import import check_usage
from lehrer_licenses.services.licences.seats.hosting_usage import record_usage, usage_for_year
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.models import School
from lehrer_licenses.ui.dialogs.usage_import_dialog import UsageImportDialog
from lehrer_licenses.ui.main_window import MainWindow

TODAY = date(2026, 11, 30)


@pytest.fixture
def hosted(db):
    numbers = []
    for name in ("Schule Dvořák", "Schule Ørsted"):
        number = add_school(
            db, SchoolInput(name=name, country="CH", language="de", db_hosting=True)
        )
        order_seats(db, number, 5, date(2026, 1, 5))
        numbers.append(number)
    record_usage(db, numbers[0], date(2026, 2, 1), 9)
    return numbers


def counts(db, number: str) -> dict[str, int]:
    with db.reading() as session:  # the service the year-end run reads the counts with
        school_id = session.query(School.id).filter_by(number=number).scalar()
        return {m.strftime("%Y-%m"): n for m, n in usage_for_year(session, school_id, 2026).items()}


def _wait(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.task is None and dialog.check is not None, timeout=10000)


def test_problems_are_listed_then_a_clean_file_is_imported(qtbot, db, hosted, tmp_path):
    first, second = hosted
    path = tmp_path / "nutzung.csv"
    path.write_bytes(
        f"Schulnummer;Monat;Anzahl\r\n{first};2026-13;10\r\n999999;2026-03;4\r\n"
        f"{second};2026-04;-2\r\n".encode("cp1252")
    )
    dialog = UsageImportDialog(db, str(path), today=TODAY)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.tables.currentWidget() is dialog.problems
    assert [dialog.problems.texts(c) for c in range(3)] == [
        ["2", "3", "4"],
        ["Monat", "Schulnummer", "Anzahl"],
        [
            "not a month (expected YYYY-MM): '2026-13'",
            "unknown school '999999'",
            "a user count cannot be negative: -2",
        ],
    ]
    assert "3 problems" in dialog.state.text()
    assert not dialog.import_button.isEnabled()
    dialog.grab().save(str(tmp_path / "problems.png"))

    # corrected in the spreadsheet; February of the first school is already recorded (9)
    path.write_bytes(
        f"Schulnummer;Monat;Anzahl\r\n{first};2026-01;10\r\n{first};2026-02;11\r\n"
        f"{second};2026-04;7\r\n".encode("cp1252")
    )
    dialog.again_button.click()
    _wait(qtbot, dialog)
    assert dialog.tables.currentWidget() is dialog.preview
    assert [dialog.preview.texts(c) for c in (1, 2, 3, 4, 5)] == [
        [first, first, second],
        ["Schule Dvořák", "Schule Dvořák", "Schule Ørsted"],
        ["2026-01", "2026-02", "2026-04"],
        ["10", "11", "7"],
        ["", "yes (was 9)", ""],
    ]
    assert counts(db, first) == {"2026-02": 9}  # the check wrote nothing
    assert not dialog.import_button.isEnabled()  # it would replace February
    assert "1 of the months are already recorded" in dialog.state.text()
    dialog.replace.setChecked(True)
    assert dialog.import_button.isEnabled()
    assert "3 count(s) for 2 school(s) will be recorded, 1 of them replacing" in (
        dialog.state.text()
    )
    dialog.grab().save(str(tmp_path / "preview.png"))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10000)
    assert dialog.result() == UsageImportDialog.DialogCode.Accepted
    assert (dialog.imported.rows, dialog.imported.replaced) == (3, 1)
    assert counts(db, first) == {"2026-01": 10, "2026-02": 11}
    assert counts(db, second) == {"2026-04": 7}


def test_the_check_lists_replaced_months_and_writes_nothing(db, hosted, tmp_path):
    first, _second = hosted
    path = tmp_path / "usage.csv"
    path.write_text(f"{first},2026-02,12\n{first},2026-03,12\n", encoding="utf-8")
    check = check_usage(db, path, today=TODAY)
    assert check.ok and check.replacing == 1
    assert [(r.month.month, r.count, r.previous) for r in check.rows] == [(2, 12, 9), (3, 12, None)]
    assert counts(db, first) == {"2026-02": 9}


def test_file_menu_entry_opens_the_dialog_and_reports_the_import(
    qtbot, db, hosted, settings, tmp_path, monkeypatch
):
    path = tmp_path / "usage.csv"
    path.write_text(f"{hosted[1]};2026-03;4\n", encoding="utf-8-sig")
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Import &usage counts…") == texts.index("Import &teachers…") + 1

    def run_modal(dialog) -> bool:  # the user waits for the preview, then clicks Import
        _wait(qtbot, dialog)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10000)
        return True

    monkeypatch.setattr(UsageImportDialog, "exec", run_modal)
    window.import_usage(str(path))
    assert "1 monthly count imported." in window.statusBar().currentMessage()
    assert counts(db, hosted[1]) == {"2026-03": 4}
