"""Undo an order entered by mistake, from the invoices view: the dialog shows what the undo will
remove (the service's dry run) before anything is written, or why it is not possible."""

from __future__ import annotations

from datetime import date

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.browse.invoices import InvoiceListRow
from lehrer_licenses.services.licences.seats import order_undo
from lehrer_licenses.ui.dialogs.invoice_dialogs import _InvoiceDialog
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database


class UndoOrderDialog(_InvoiceDialog):
    def __init__(
        self, db: Database, row: InvoiceListRow, on: date | None = None, parent=None
    ) -> None:
        super().__init__(_("Undo order"), _("Undo order"), row, parent)
        self._db = db
        self._on = on
        self.plan: order_undo.OrderUndo | None = None
        try:
            self.plan = order_undo.undo_order(db, str(row.id), dry_run=True)
        except DomainError as exc:
            self.error.show_message(message_of(exc))
            self.explain.setText(_("This order cannot be undone. Nothing was changed."))
            self.confirm_button.setEnabled(False)
            return
        self.explain.setText(
            "\n".join(
                [_("Undoing this order:")]
                + [f"\u2022 {line}" for line in self.plan.summary()]
                + ["", _("Use this for an order entered by mistake. It cannot be reversed.")]
            )
        )

    def commit(self) -> order_undo.OrderUndo:  # type: ignore[override]
        return order_undo.undo_order(self._db, str(self.row.id), on=self._on)
