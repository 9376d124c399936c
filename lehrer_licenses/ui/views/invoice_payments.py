"""The payments of the invoice shown in the Invoices view, with the button that reverses one:
a payment booked by mistake is taken back by a counter-booking, the payment stays listed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.access import ACCOUNTANT, LOCAL, Access
from lehrer_licenses.services.browse.invoices import InvoiceListRow
from lehrer_licenses.ui.dialogs.invoice_dialogs import payment_text
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.permissions import permit


def reversible(line) -> bool:
    return line.reverses_id is None and line.reversed_by is None


class PaymentsBox(QGroupBox):
    """Hidden while the invoice shown has no payment."""

    def __init__(self) -> None:
        super().__init__(_("Payments"))
        self.access = LOCAL
        self.payment_list = QListWidget()
        self.payment_list.setMaximumHeight(90)
        self.reverse_button = QPushButton(_("Reverse payment…"))
        self.reverse_button.setToolTip(
            _("Take back a payment booked by mistake; the payment stays in the books")
        )
        self.payment_list.currentRowChanged.connect(self._payment_chosen)
        layout = QHBoxLayout(self)
        layout.addWidget(self.payment_list, 1)
        layout.addWidget(self.reverse_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def set_access(self, access: Access) -> None:
        self.access = access
        self._payment_chosen()

    def show_payments(self, db: Database, row: InvoiceListRow | None) -> None:
        from lehrer_licenses.services.billing import payments

        self.payment_list.clear()
        lines = ()
        if row is not None and row.kind == "invoice" and row.number:
            try:
                _record, lines = payments.invoice_payments(db, str(row.id))
            except DomainError:
                lines = ()
        for line in lines:
            item = QListWidgetItem(payment_text(line, row.currency))
            item.setData(Qt.ItemDataRole.UserRole, line)
            self.payment_list.addItem(item)
        self.setVisible(bool(lines))
        # the last payment that can still be reversed: the one a clerk most likely means
        choosable = [i for i, line in enumerate(lines) if reversible(line)]
        self.payment_list.setCurrentRow(choosable[-1] if choosable else -1)
        self._payment_chosen()

    def selected_payment(self):
        item = self.payment_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _payment_chosen(self, *_args) -> None:
        line = self.selected_payment()
        permit(self.reverse_button, self.access, ACCOUNTANT, line is not None and reversible(line))
