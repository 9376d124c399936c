"""One clerk's morning through the main window and its real (modal) dialogs: a new school,
seats ordered after looking at the price preview, a seat transferred, a cancellation, the
renewal preview, the invoice issued, printed to a file and paid. Every step is checked in the
database through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog

from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.ui.dialogs.cancel import CancelDialog
from lehrer_licenses.ui.dialogs.invoice_dialogs import IssueDialog, PaymentDialog
from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog
from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog
from lehrer_licenses.ui.dialogs.seat_dialogs import TransferSeatDialog
from lehrer_licenses.ui.main_window import MainWindow


def answer(qtbot, kind: type[QDialog], act: Callable[[QDialog], None]) -> list[QDialog]:
    """When the next modal dialog of ``kind`` is up, run ``act`` on it (it must close it)."""
    seen: list[QDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and not seen:
            seen.append(dialog)
            act(dialog)
        elif not seen:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_a_morning_at_the_licence_desk(qtbot, db, settings, vendor, wait_loaded, tmp_path):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()

    def fill_school(d: NewSchoolDialog) -> None:
        qtbot.keyClicks(d.name, "Primarschule Aesch")
        qtbot.keyClicks(d.postcode, "4147")
        qtbot.keyClicks(d.city, "Aesch")
        d.ok_button.click()

    seen = answer(qtbot, NewSchoolDialog, fill_school)
    window.new_school_action.trigger()
    number = seen[0].number
    assert browse.school_row(db, number).name == "Primarschule Aesch"
    assert window.schools.selected_number() == number

    def order(d: OrderSeatsDialog) -> None:
        d.set_values(seats=3, on=date(2026, 3, 10))
        d.refresh_preview()
        assert d.invoice.net.text() == "CHF\u00a0468.00"  # worked example 1, before ordering
        assert d.invoice.payable.text() == "CHF\u00a0505.90"
        assert browse.school_row(db, number).seats == 0
        d.order_button.click()

    answer(qtbot, OrderSeatsDialog, order)
    window.order_action.trigger()
    assert browse.school_row(db, number).seats == 3

    leaver = seats.add_teacher(db, number, "Anna", "Keller")
    seats.assign_seat(db, number, leaver, date(2026, 3, 11))
    window.show_view(1)
    window.seats.show_school(number)
    window.seats.state.setCurrentIndex(window.seats.state.findData("held"))
    wait_loaded(window.seats.model)
    seat = window.seats.selected()
    assert seat.holder == "Anna Keller"

    def transfer(d: TransferSeatDialog) -> None:
        d.new.setChecked(True)
        qtbot.keyClicks(d.first_name, "Luca")
        qtbot.keyClicks(d.last_name, "Bernasconi")
        d.on.setDate(d.on.date().fromString("2026-08-01", "yyyy-MM-dd"))
        d.confirm_button.click()

    answer(qtbot, TransferSeatDialog, transfer)
    window.seats.transfer_button.click()
    holders = browse_seats.seat_holders(db, seat.seat_id)
    assert [h.name for h in holders] == ["Luca Bernasconi", "Anna Keller"]
    wait_loaded(window.seats.model)

    window.show_view(0)
    window.schools.select_number(number)

    def cancel(d: CancelDialog) -> None:
        d.set_values(seats=1, received=date(2026, 10, 31))
        assert d.in_time.text() == "in time"
        d.confirm_button.click()

    answer(qtbot, CancelDialog, cancel)
    window.cancel_action.trigger()
    detail = browse_detail.school_detail(db, number)
    assert detail.contract.seats_cancel_pending == 1

    window.show_view(3)
    window.renewals.year.setValue(2027)
    with qtbot.waitSignal(window.renewals.start_preview().signals.finished, timeout=30000):
        pass
    assert window.renewals.run.dry_run
    assert [i.seats_after for i in window.renewals.run.items] == [2]
    assert browse_detail.school_detail(db, number).contract.term_end == date(
        2026, 12, 31
    )  # unwritten

    window.show_view(2)
    window.invoices.today = date(2026, 3, 20)
    window.invoices.search.setText(number)
    window.invoices.apply_search()
    draft = window.invoices.selected()
    assert draft.status == "draft"

    def issue(d: IssueDialog) -> None:
        d.on.setDate(d.on.date().fromString("2026-03-12", "yyyy-MM-dd"))
        d.confirm_button.click()

    answer(qtbot, IssueDialog, issue)
    window.invoices.issue_button.click()
    issued = window.invoices.selected()
    assert issued.number == "2026-00001" and issued.status == "issued"

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "invoice.pdf"))
    assert window.invoices.print_invoice(printer)
    assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF")

    def pay(d: PaymentDialog) -> None:
        assert d.amount.text() == "505.90"
        d.confirm_button.click()

    answer(qtbot, PaymentDialog, pay)
    window.invoices.pay_button.click()
    row = browse_invoices.invoice_row(db, issued.id, date(2026, 3, 20))
    assert (row.status, row.paid, row.open) == ("paid", Decimal("505.90"), 0)
    assert browse.school_row(db, number).open_total == 0
