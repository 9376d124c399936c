"""The paths a clerk takes with the mouse: the real buttons and menu actions, not their slots.

Qt passes ``clicked(bool)`` / ``triggered(bool)``'s ``checked`` to a connected slot; slots that
take an optional path or printer once received ``False`` there and failed. Every test here
clicks or triggers, answers the system dialogs through ``ui.asking`` and checks what was
written; a message box on the way fails the test."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from support.ui_driving import file_printer

from lehrer_licenses.services.billing import issuing, printing
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.views.invoices import InvoicesView


@pytest.fixture
def no_message_boxes(monkeypatch):
    """A message box shown on a clicked path is an error the test reports with its text."""
    shown: list[str] = []
    monkeypatch.setattr(asking, "show_box", lambda box: shown.append(box.text()) or 0)
    yield shown
    assert shown == []


def issued_view(qtbot, db, sample) -> InvoicesView:
    """The invoices view on an issued invoice of Zürich Nord, shown wide enough that no button
    sits in the toolbar's overflow menu."""
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = date(2026, 9, 20)
    view.search.setText(sample["zurich"])
    view.apply_search()
    issuing.issue_invoice(db, str(view.selected().id), date(2026, 9, 20))
    view.refresh(select=view.selected().id)
    view.resize(1400, 800)
    view.show()
    qtbot.waitExposed(view)
    assert view.selected().number == "2026-00001"
    return view


def test_print_button_prints_the_stored_pdf(
    qtbot, db, sample, vendor, tmp_path, monkeypatch, no_message_boxes
):
    view = issued_view(qtbot, db, sample)
    target = tmp_path / "printed.pdf"
    monkeypatch.setattr(asking, "printer", file_printer(target))
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == printing.invoice_pdf(db, "2026-00001").pdf
    assert "2026-00001" in PdfReader(target).pages[0].extract_text()


def test_save_pdf_button_writes_the_chosen_file(
    qtbot, db, sample, vendor, tmp_path, monkeypatch, no_message_boxes
):
    view = issued_view(qtbot, db, sample)
    target = tmp_path / "saved.pdf"
    asked: list[str] = []
    monkeypatch.setattr(
        asking,
        "save_file",
        lambda _p, _t, suggested, _f, **_k: asked.append(suggested) or str(target),
    )
    offered: list[str] = []  # then Open / Print is offered; the clerk closes the offer
    monkeypatch.setattr(asking, "pdf_written", lambda _p, _t, text: offered.append(text))
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and asked[0].startswith("2026-00001") and asked[0].endswith(".pdf")
    assert target.read_bytes() == printing.invoice_pdf(db, "2026-00001").pdf
    assert len(offered) == 1 and str(target) in offered[0]


def test_export_all_listed_button_writes_every_listed_pdf(
    qtbot, db, sample, vendor, tmp_path, monkeypatch, no_message_boxes
):
    view = issued_view(qtbot, db, sample)
    view.search.setText("")
    view.apply_search()
    monkeypatch.setattr(asking, "folder", lambda _p, _t: str(tmp_path))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.export_task is not None
    with qtbot.waitSignal(view.export_task.signals.finished, timeout=30000):
        pass
    written = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(written) == 3 and any(name.startswith("2026-00001") for name in written)
    assert "3 PDF files written" in view.settlement.text()


@pytest.mark.sqlite_only(reason="File > Backup and Restore copy the SQLite file")
def test_backup_and_restore_from_the_file_menu(
    qtbot, db, sample, settings, tmp_path, school, monkeypatch, no_message_boxes
):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    target = tmp_path / "menu-backup.sqlite"
    monkeypatch.setattr(asking, "save_file", lambda *_a, **_k: str(target))
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: "3 schools" in window.statusBar().currentMessage(), timeout=20000)
    assert target.is_file()

    school("Added after the backup")
    window.schools.refresh()
    assert window.schools.model.total == 4
    qtbot.waitUntil(lambda: not window.seats.model.loading, timeout=10000)
    asked: list[str] = []
    monkeypatch.setattr(asking, "open_file", lambda *_a: str(target))
    monkeypatch.setattr(asking, "confirm_risky", lambda _p, title, _t: asked.append(title) or True)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: window.db is not db, timeout=30000)
    assert asked == ["Restore from backup"]
    assert window.schools.model.total == 3
    assert browse.count_schools(window.db) == 3
    assert (tmp_path / "backups").is_dir()
    window.db.dispose()


@pytest.mark.sqlite_only(reason="File > Restore replaces the SQLite file")
def test_restore_is_not_done_when_the_warning_is_cancelled(
    qtbot, db, sample, settings, tmp_path, monkeypatch, no_message_boxes
):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    backup = tmp_path / "old.sqlite"
    backup.write_bytes((tmp_path / "ui.sqlite").read_bytes())
    monkeypatch.setattr(asking, "open_file", lambda *_a: str(backup))
    monkeypatch.setattr(asking, "confirm_risky", lambda *_a: False)
    window.restore_action.trigger()
    assert window.db is db and not (tmp_path / "backups").exists()
