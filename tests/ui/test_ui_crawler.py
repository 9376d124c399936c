"""The crawler of issue 13: a clerk who clicks everything. On a sample database made by the
services (issued, paid, partly paid and overdue invoices, credit notes, package and per-pupil
schools), in English and in German, it visits every view, selects a row, clicks every enabled
button and triggers every enabled menu action; dialogs it opens are closed, the questions of
``ui.asking`` answered with temp paths and the safe default. It fails on an uncaught exception
(pytest-qt reports those), a "Something went wrong" box, and a visible text that is still an
English msgid in German. It finds views, buttons and actions itself: new ones are covered."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from lehrer_licenses.i18n import parse_po, translator
from lehrer_licenses.paths import translations_dir
from lehrer_licenses.services.billing import credit_notes, issuing, payments
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season import year_end
from lehrer_licenses.ui import app as desk_app
from lehrer_licenses.ui import asking, workers
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.views.renewals import default_year

TODAY = date.today()
# Actions that end the session or the window under test, not something to crawl through.
LEAVE_OUT = {"&Quit"}

pytestmark = pytest.mark.slow


def german_catalogue() -> dict[str, str]:
    """msgid -> German text, merged over the .po files as the app loads them."""
    merged: dict[str, str] = {}
    for path in sorted((translations_dir() / "de").glob("*.po")):
        merged.update(parse_po(path))
    return merged


@pytest.fixture
def desk(db):
    """The demo schools (per-seat, package and per-pupil) plus invoices in every state."""
    create_demo(db, 12, seed=3, today=TODAY)
    drafts = browse_invoices.invoice_ids(db, "", "draft", TODAY)
    assert len(drafts) >= 4, "the demo leaves drafts to issue"
    issued = []
    for offset, invoice_id in zip((90, 60, 20, 5), drafts, strict=False):
        issued.append(issuing.issue_invoice(db, str(invoice_id), TODAY - timedelta(days=offset)))
    paid, partly, overdue, _open = (
        browse_invoices.invoice_row(db, record.id, TODAY) for record in issued
    )
    payments.record_payment(db, str(paid.id), paid.payable, TODAY, "Bank")
    payments.record_payment(db, str(partly.id), Decimal("10.00"), TODAY, "Bank")
    credit_notes.credit_invoice(
        db, str(overdue.id), reason="Korrektur", amount=Decimal("5.00"), on=TODAY
    )
    statuses = {
        browse_invoices.invoice_row(db, i, TODAY).status
        for i in browse_invoices.invoice_ids(db, "", None, TODAY)
    }
    assert {"paid", "partly_paid", "issued"} <= statuses or "overdue" in statuses, statuses
    # the renewal into the year the Renewals view shows has run: its drafts wait to be issued
    year_end.run_renewals(db, default_year(TODAY), dry_run=False)
    return db


@pytest.fixture
def answers(monkeypatch, tmp_path):
    """The user's answers: a fresh temp file or folder, a printer that prints to a file, the
    safe default (no, cancel) for questions; every message box is recorded."""
    numbers = count()
    boxes: list[str] = []

    def temp(*_args, **_kwargs) -> str:
        return str(tmp_path / f"answer-{next(numbers)}.out")

    def folder(*_args) -> str:
        target = tmp_path / f"folder-{next(numbers)}"
        target.mkdir()
        return str(target)

    def printer(*_args) -> QPrinter:
        chosen = QPrinter()
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(temp())
        return chosen

    monkeypatch.setattr(asking, "save_file", temp)
    monkeypatch.setattr(asking, "open_file", lambda *_a: None)
    monkeypatch.setattr(asking, "folder", folder)
    monkeypatch.setattr(asking, "printer", printer)
    monkeypatch.setattr(asking, "confirm", lambda *_a: False)
    monkeypatch.setattr(asking, "confirm_risky", lambda *_a: False)
    monkeypatch.setattr(asking, "inform", lambda *_a: None)
    monkeypatch.setattr(asking, "passphrase", lambda *_a: None)
    monkeypatch.setattr(asking, "show_box", lambda box: boxes.append(box.text()) or 0)
    # a saved PDF is printed (to a file, see printer) rather than opened in a viewer
    monkeypatch.setattr(asking, "pdf_written", lambda *_a: asking.PRINT)
    return boxes


def close_whatever_opens() -> QTimer:
    """Dialogs and menus run their own event loop; this closes each as soon as it shows."""

    def close() -> None:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            modal.reject()
        elif modal is not None:
            modal.close()

    timer = QTimer()
    timer.setInterval(30)
    timer.timeout.connect(close)
    timer.start()
    return timer


def settle(qtbot) -> None:
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=60000)
    qtbot.wait(10)


def select_a_row(page: QWidget) -> None:
    for table in page.findChildren(QAbstractItemView):
        model = table.model()
        if table.isVisibleTo(page) and model is not None and model.rowCount() > 0:
            table.selectRow(0) if hasattr(table, "selectRow") else table.setCurrentIndex(
                model.index(0, 0)
            )


def visible_texts(window: QWidget) -> list[str]:
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QTableView) and widget.model() is not None:
            header = widget.horizontalHeader()
            texts += [
                str(widget.model().headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(header.count())
            ]
    texts += [action.text() for action in window.findChildren(QAction)]
    return [t for t in texts if t]


def crawl(qtbot, window: MainWindow, pressed: list[QPushButton]) -> list[str]:
    """Visit every view, click every enabled button (into ``pressed``), trigger every enabled
    action; the texts seen on the way."""
    seen: list[str] = []
    for row in range(window.nav.count()):
        window.show_view(row)
        page = window.stack.currentWidget()
        select_a_row(page)
        settle(qtbot)
        seen += visible_texts(window)
        for button in page.findChildren(QPushButton):
            if button.isVisibleTo(page) and button.isEnabled():
                pressed.append(button)
                button.click()
                settle(qtbot)
                window.show_view(row)
                select_a_row(page)
    for action in window.findChildren(QAction):
        crawlable = action.menu() is None and not action.isCheckable()
        if crawlable and action.isEnabled() and action.text() and action.text() not in LEAVE_OUT:
            action.trigger()
            settle(qtbot)
    return seen


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_clerk_who_clicks_everything(qtbot, desk, settings, answers, language):
    settings[opt.UI_LANGUAGE] = language
    desk_app.apply_language(settings)
    try:
        window = MainWindow(desk, settings)
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        closer = close_whatever_opens()
        pressed: list[QPushButton] = []
        seen = crawl(qtbot, window, pressed)
        closer.stop()
    finally:
        settings[opt.UI_LANGUAGE] = "en"
        desk_app.apply_language(settings)

    went_wrong = (
        translator(language)
        .gettext("Something went wrong that should not have: {error}")
        .split("{")[0]
    )
    assert [box for box in answers if went_wrong in box] == []
    # the actions of issue 14 were reached, not left disabled or out of sight
    assert any(button is window.renewals.issue_button for button in pressed)
    if language == "de":
        german = german_catalogue()
        untranslated = sorted({text for text in seen if german.get(text, text) != text})
        assert untranslated == []
