"""The keyboard as a clerk uses it, and the views that follow a change, each through real keys
and clicks: Enter orders, focus starts where typing starts, Tab and Down move on."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWizard
from support.ui_driving import when_shown

from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.dialogs.cancel import CancelDialog
from lehrer_licenses.ui.dialogs.first_run import FirstRunWizard
from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog
from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog
from lehrer_licenses.ui.dialogs.seat_dialogs import AddTeacherDialog
from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.views.schools import SchoolsView


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_in_the_seat_count_orders(qtbot, db, school):
    number = school("Primarschule Aesch", "Aesch", "4147")
    dialog = shown(qtbot, OrderSeatsDialog(db, number, on=date(2026, 3, 10)))
    dialog.seats.setFocus()
    dialog.seats.selectAll()
    qtbot.keyClicks(dialog.seats, "3")
    qtbot.waitUntil(lambda: dialog.invoice.net.text() == "CHF\u00a0468.00", timeout=3000)
    qtbot.keyClick(dialog.seats, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.result_quote is not None and dialog.result_quote.seats == 3


def test_enter_in_the_order_date_orders(qtbot, db, school):
    number = school("Primarschule Aesch", "Aesch", "4147")
    dialog = shown(qtbot, OrderSeatsDialog(db, number, on=date(2025, 6, 1)))
    assert "31.12.2025" in dialog.kind.text()
    dialog.date.setFocus()
    dialog.date.lineEdit().selectAll()
    qtbot.keyClicks(dialog.date, "10.03.2026")
    # "10.03.20" on the way reads as 2020: wait for the price of the date typed to the end.
    qtbot.waitUntil(lambda: "31.12.2026" in dialog.kind.text(), timeout=3000)
    assert dialog.invoice.net.text() == "CHF\u00a0156.00"
    qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.result_quote.seats == 1
    assert dialog.result_quote.invoice.invoice_date == date(2026, 3, 10)


def test_a_changed_count_is_priced_before_enter_orders(qtbot, db, school):
    number = school("Primarschule Aesch", "Aesch", "4147")
    dialog = shown(qtbot, OrderSeatsDialog(db, number, on=date(2026, 3, 10)))
    dialog.seats.setFocus()
    dialog.seats.selectAll()
    qtbot.keyClicks(dialog.seats, "3")
    qtbot.keyClick(dialog.seats, Qt.Key.Key_Return)  # before the preview: priced, not ordered
    assert dialog.result_quote is None and dialog.invoice.net.text() == "CHF\u00a0468.00"


def test_add_teacher_opens_in_the_first_name(qtbot, db, sample):
    dialog = shown(qtbot, AddTeacherDialog(db, sample["aarau"], date(2026, 9, 20)))
    assert dialog.focusWidget() is dialog.first_name


def test_tab_in_the_new_school_note_moves_on(qtbot, db):
    dialog = shown(qtbot, NewSchoolDialog(db))
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "Hauswart")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
    assert dialog.note.toPlainText() == "Hauswart"
    assert dialog.focusWidget() is not dialog.note


def test_down_from_the_search_box_reaches_the_list(qtbot, db, sample):
    view = SchoolsView(db)
    qtbot.addWidget(view)
    view.show()
    view.focus_search()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.focusWidget() is view.table
    assert view.selected_number() is not None


def test_enter_on_the_key_page_goes_on_without_a_save_dialog(qtbot, db, monkeypatch):
    asked: list = []
    monkeypatch.setattr(asking, "save_file", lambda *a, **k: asked.append(a) or None)
    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.vendor_page.form
    form.edits["name"].setText("Lizenzbuero Muster")
    form.edits["iban"].setText("CH93 0076 2011 6238 5295 7")
    wizard.next()
    assert wizard.currentPage() is wizard.key_page
    for button in wizard.key_page.findChildren(QPushButton):
        assert not button.autoDefault() and not button.isDefault(), button.text()
    wizard.key_page.keys.export_button.setFocus()
    qtbot.keyClick(wizard.key_page.keys.export_button, Qt.Key.Key_Return)
    assert asked == []
    assert wizard.currentPage() is wizard.sample_page
    wizard.button(QWizard.WizardButton.CancelButton).click()


def test_after_an_order_and_a_cancellation_seats_and_invoices_follow(qtbot, db, sample, settings):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    window.schools.refresh(select=sample["zurich"])
    qtbot.waitUntil(lambda: window.schools.selected_number() == sample["zurich"], timeout=5000)
    qtbot.waitUntil(lambda: not window.seats.model.loading, timeout=10000)
    seats_before = window.seats.model.total
    invoices_before = window.invoices.model.total
    seen: list = []

    def order(dialog: OrderSeatsDialog) -> None:
        dialog.seats.setValue(2)
        dialog.refresh_preview()
        qtbot.mouseClick(dialog.order_button, Qt.MouseButton.LeftButton)

    when_shown(OrderSeatsDialog, order, seen)
    window.order_action.trigger()
    assert len(seen) == 1, seen
    qtbot.waitUntil(lambda: window.seats.model.total == seats_before + 2, timeout=10000)
    assert window.invoices.model.total == invoices_before + 1

    seen.clear()

    def cancel(dialog: CancelDialog) -> None:
        dialog.set_values(whole=True, received=date.today())
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    when_shown(CancelDialog, cancel, seen)
    window.cancel_action.trigger()
    assert len(seen) == 1, seen
    qtbot.waitUntil(lambda: not window.seats.model.loading, timeout=10000)
    cancelled = [window.seats.model.row_at(i) for i in range(window.seats.model.rowCount())]
    assert any(row.release_on is not None for row in cancelled if row.school == sample["zurich"])
    assert browse.count_schools(db) == 3
    assert QApplication.activeModalWidget() is None
