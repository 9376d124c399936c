"""Undo order… in the invoices view: what will be removed before anything is written, and the
service's refusal shown inline."""

from __future__ import annotations

from datetime import date

from lehrer_licenses.services.billing import issuing
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.ui.dialogs.undo_order import UndoOrderDialog
from lehrer_licenses.ui.views.invoices import InvoicesView


def _view(qtbot, db, search: str) -> InvoicesView:
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = date(2026, 9, 20)
    view.search.setText(search)
    view.apply_search()
    return view


def test_undo_order_button_dialog_and_refusal(qtbot, db, sample, vendor):
    view = _view(qtbot, db, sample["aarau"])
    reorder = view.selected()  # newest first: the reorder of two seats
    assert (reorder.status, reorder.reason) == ("draft", "order")
    assert view.undo_button.isEnabled()

    dialog = UndoOrderDialog(db, reorder, date(2026, 9, 20), view)
    qtbot.addWidget(dialog)
    text = dialog.explain.text()
    assert "removes 2 seat(s)" in text and "positions 4, 5" in text
    assert "new registration code for the 3 remaining seat(s)" in text
    assert dialog.confirm_button.isEnabled() and dialog.error.isHidden()
    dialog.grab().save("/tmp/undo-order-dialog.png")
    dialog.confirm_button.click()
    assert dialog.result_doc.seats_after == 3 and dialog.result_doc.code
    view.refresh()
    assert view.model.total == 1

    # The first order: a seat of it is held by Łukasz Żółć, so the service refuses, inline.
    first = view.selected()
    refused = UndoOrderDialog(db, first, date(2026, 9, 20), view)
    qtbot.addWidget(refused)
    refused.grab().save("/tmp/undo-order-refused.png")
    assert "Łukasz Żółć" in refused.error.text() and "free them first" in refused.error.text()
    assert not refused.error.isHidden() and not refused.confirm_button.isEnabled()
    assert len(seats.list_seats(db, sample["aarau"])) == 3  # nothing changed

    # An issued invoice: the button is off (a credit note corrects it).
    issuing.issue_invoice(db, str(first.id), date(2026, 9, 20))
    view.refresh(select=first.id)
    assert view.selected().status == "issued" and not view.undo_button.isEnabled()
