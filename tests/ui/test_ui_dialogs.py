"""The dialogs: new school with inline validation, order seats with a live preview, cancel with
its in-time/late outcome. Each checks the database afterwards through the services."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.licences.seats import cancellations
from lehrer_licenses.services.season import year_end as renewals
from lehrer_licenses.ui.dialogs.cancel import CancelDialog
from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog
from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog


def test_new_school_validates_inline_and_saves(qtbot, db):
    dialog = NewSchoolDialog(db)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()  # no name yet
    assert dialog.errors["name"].isHidden()  # ...but nobody is scolded before typing
    qtbot.keyClicks(dialog.name, "Primarschule Aesch")
    assert dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.postcode, "41470")
    assert not dialog.ok_button.isEnabled()
    assert "postcode" in dialog.errors["postcode"].text()
    assert not dialog.errors["postcode"].isHidden()
    dialog.postcode.clear()
    qtbot.keyClicks(dialog.postcode, "4147")
    qtbot.keyClicks(dialog.email, "not-an-address")
    assert "e-mail" in dialog.errors["email"].text()
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "sekretariat@aesch.ch")
    dialog.canton_licence.setChecked(True)  # only for DB-hosting schools
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors["canton_licence"].text()
    dialog.db_hosting.setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = browse.school_row(db, dialog.number)
    assert row is not None
    assert (row.name, row.postcode, row.country) == ("Primarschule Aesch", "4147", "CH")


def test_new_school_follows_country_with_language(qtbot, db):
    dialog = NewSchoolDialog(db)
    qtbot.addWidget(dialog)
    dialog.country.setCurrentIndex(dialog.country.findData("NL"))
    assert dialog.language.currentData() == "nl"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.country.setCurrentIndex(dialog.country.findData("DE"))
    assert dialog.language.currentData() == "en"  # chosen by hand: left alone


def test_order_preview_follows_the_seat_count_and_orders(qtbot, db, school):
    number = school("Schulhaus Aarau", "Aarau", "5000")
    dialog = OrderSeatsDialog(db, number, on=date(2026, 3, 10))
    qtbot.addWidget(dialog)
    dialog.seats.setValue(3)
    # The preview waits for the typing to pause; then it shows worked example 1.
    qtbot.waitUntil(lambda: dialog.invoice.net.text() == "CHF\u00a0468.00", timeout=2000)
    amounts = dialog.invoice.lines.texts(3)
    assert amounts == ["334.35", "133.65"]
    assert dialog.invoice.lines.texts(1) == ["3", "3"]
    assert dialog.invoice.vat_label.text() == "VAT 8.1\u00a0%"
    assert dialog.invoice.payable.text() == "CHF\u00a0505.90"
    dialog.seats.setValue(5)
    dialog.refresh_preview()
    assert dialog.invoice.lines.texts(3) == ["557.25", "222.75"]
    assert dialog.invoice.net.text() == "CHF\u00a0780.00"
    assert browse.school_row(db, number).seats == 0  # previews wrote nothing
    dialog.seats.setValue(3)
    dialog.refresh_preview()
    dialog.order_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_quote.invoice.totals.net.amount == 468
    row = browse.school_row(db, number)
    assert (row.seats, row.term_end) == (3, date(2026, 12, 31))
    assert [i.net for i in browse_detail.school_detail(db, number).invoices] == [468]


def test_order_shows_the_l5_notice_and_refusals(qtbot, db, school):
    """Worked example 5: a seat given up at the end of 2026 needs a new base licence."""
    number = school("Schulhaus Aarau", "Aarau", "5000")
    dialog = OrderSeatsDialog(db, number, on=date(2026, 3, 10))
    qtbot.addWidget(dialog)
    dialog.set_values(seats=5)
    dialog.refresh_preview()
    dialog.order_button.click()
    cancellations.cancel(db, number, seats=1, received=date(2026, 10, 1))
    renewals.run_renewals(db, 2027, dry_run=False)

    again = OrderSeatsDialog(db, number, on=date(2027, 9, 1))
    qtbot.addWidget(again)
    assert again.notices.isVisibleTo(again)
    assert "new base licence" in again.notices.text.text()
    assert again.invoice.net.text() == "CHF\u00a0129.45"
    assert again.error.isHidden()
    # A date after the running term: the service says why, inline, and Order is disabled.
    again.set_values(on=date(2028, 2, 1))
    again.refresh_preview()
    assert not again.error.isHidden()
    assert "renewal" in again.error.text()
    assert not again.order_button.isEnabled()


def test_order_dialog_picks_a_school_by_name(qtbot, db, sample):
    dialog = OrderSeatsDialog(db, on=date(2026, 10, 1))
    qtbot.addWidget(dialog)
    assert not dialog.order_button.isEnabled()
    qtbot.keyClicks(dialog.school.edit, "Nord")
    qtbot.waitUntil(lambda: dialog.school._suggestions.rowCount() == 1, timeout=2000)
    dialog.school._chosen(dialog.school._suggestions.stringList()[0])
    assert dialog.school.number == sample["zurich"]
    dialog.refresh_preview()
    assert dialog.order_button.isEnabled()
    assert "Reorder" in dialog.kind.text()


def test_cancel_shows_in_time_and_late(qtbot, db, sample):
    dialog = CancelDialog(db, sample["aarau"], received=date(2026, 10, 31))
    qtbot.addWidget(dialog)
    dialog.set_values(seats=2, received=date(2026, 10, 31))
    assert dialog.deadline.text() == "31.10.2026"
    assert dialog.in_time.text() == "in time"
    assert dialog.effective.text() == "31.12.2026"
    assert dialog.seats_after.text().startswith("3 of 5")
    dialog.set_values(seats=2, received=date(2026, 11, 1))
    assert dialog.in_time.text().startswith("too late: 1 day after")
    assert dialog.effective.text() == "31.12.2027"
    dialog.set_values(seats=9)
    assert not dialog.confirm_button.isEnabled()
    assert "could be cancelled" in dialog.error.text()
    dialog.set_values(whole=True, received=date(2026, 11, 1))
    assert dialog.seats_after.text().startswith("none")
    assert not dialog.seats.isEnabled() or dialog.whole.isChecked()
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_cancellation.effective == date(2027, 12, 31)
    detail = browse_detail.school_detail(db, sample["aarau"])
    assert detail.contract.ends_on == date(2027, 12, 31)
    assert detail.cancellations[0].in_time is False


def test_cancel_without_contract_says_why(qtbot, db, sample):
    dialog = CancelDialog(db, sample["geneve"], received=date(2026, 10, 1))
    qtbot.addWidget(dialog)
    assert "no running contract" in dialog.error.text()
    assert not dialog.confirm_button.isEnabled()


def test_order_and_cancel_in_december_after_the_run_show_both_terms(qtbot, db, school):
    """Issue 17: after the year-end run, a December order shows December and the renewed year
    (111.45 + 1 x 4.50 + 44.55 = 160.50); a late cancellation ends with the renewed year."""
    number = school("Schulhaus Aarau", "Aarau", "5000")
    first = OrderSeatsDialog(db, number, on=date(2026, 3, 10))
    qtbot.addWidget(first)
    first.set_values(seats=3)
    first.refresh_preview()
    qtbot.mouseClick(first.order_button, Qt.MouseButton.LeftButton)
    renewals.run_renewals(db, 2027, dry_run=False)

    dialog = OrderSeatsDialog(db, number, on=date(2026, 12, 6))
    qtbot.addWidget(dialog)
    dialog.set_values(seats=1)
    dialog.refresh_preview()
    assert dialog.error.isHidden()
    assert dialog.invoice.lines.texts(3) == ["111.45", "4.50", "44.55"]
    assert dialog.invoice.net.text() == "CHF\u00a0160.50"
    assert "2027" in dialog.notices.text.text()
    qtbot.mouseClick(dialog.order_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert browse.school_row(db, number).seats == 4

    cancel = CancelDialog(db, number, received=date(2026, 12, 6))
    qtbot.addWidget(cancel)
    cancel.set_values(seats=1, received=date(2026, 12, 6))
    assert cancel.error.isHidden() or not cancel.error.text()
    assert cancel.effective.text() == "31.12.2027"
    qtbot.mouseClick(cancel.confirm_button, Qt.MouseButton.LeftButton)
    assert cancel.result() == QDialog.DialogCode.Accepted
