"""The invoices table over ``browse_invoices``: paged, sorted, searched and filtered in SQL, with
what is paid and still open per invoice."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from lehrer_licenses.i18n import N_, NP_, _
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse.invoices import InvoiceListRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.lazy_table import Column, LazyTableModel

COLUMNS = (
    Column("date", N_("Date"), chars=10),
    Column("number", N_("Number"), chars=11),
    Column("school", N_("School"), chars=30),
    Column("reason", N_("Reason"), chars=15),
    Column("status", N_("Status"), chars=11),
    Column("net", N_("Net"), numeric=True, chars=13, hidden=True),
    Column("vat", N_("VAT"), numeric=True, chars=11, hidden=True),
    Column("payable", N_("Payable"), numeric=True, chars=13),
    Column("open", NP_("amount", "Open"), numeric=True, chars=13, context="amount"),
)


class InvoicesModel(LazyTableModel[InvoiceListRow]):
    COLUMNS = COLUMNS
    DEFAULT_SORT = ("date", True)  # the newest first: what a clerk looks for

    def __init__(self, db: Database, page_size: int = 200, parent=None) -> None:
        self._status: str | None = None
        self.today: date | None = None  # overdue is judged on this day (tests fix it)
        super().__init__(db, page_size, parent)

    @property
    def status(self) -> str | None:
        return self._status

    def set_status(self, status: str | None) -> None:
        if status != self._status:
            self._status = status
            self.reload()

    def count(self, db: Database, search: str) -> int:
        return browse_invoices.count_invoices(db, search, self._status, self.today)

    def page(self, db, search, offset, limit, sort_key, descending) -> list[InvoiceListRow]:
        return browse_invoices.list_invoices(
            db, search, self._status, offset, limit, sort_key, descending, self.today
        )

    def display(self, row: InvoiceListRow, key: str) -> str:
        if key == "date":
            return fmt.day(row.invoice_date)
        if key == "number":
            return row.number or ""
        if key == "school":
            return f"{row.school} \u2013 {row.school_name}"
        if key == "reason":
            return labels.invoice_reason(row.reason)
        if key == "status":
            return labels.document_status(row.kind, row.status)
        if key in ("net", "vat", "payable"):
            return fmt.money(getattr(row, key), row.currency)
        if key == "open":
            return fmt.money(row.open, row.currency) if row.open else ""
        return super().display(row, key)

    def role_data(self, row: InvoiceListRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and key == "number" and not row.number:
            return labels.invoice_status(row.status)
        if role == Qt.ItemDataRole.ToolTipRole and key == "status" and row.due_date:
            return _("Due on {day}").format(day=fmt.day(row.due_date))
        if role == Qt.ItemDataRole.ForegroundRole and key == "status" and row.status == "overdue":
            return labels.warning_colour()
        return None

    def row_of_id(self, invoice_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == invoice_id:
                return i
        return None
