"""The invoices view: every invoice, newest first, searchable by number or school and filtered
by status; the selected one is shown line by line below, as it will be printed."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services import invoicing
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.dialogs.invoice_preview import InvoicePreview
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.invoices_model import InvoicesModel
from lehrer_licenses.ui.views.lazy_table_view import LazyTableView
from lehrer_licenses.ui.widgets import InlineError, plain_label, section_title

SEARCH_DELAY_MS = 150
STATUSES = ("draft", "issued", "paid")


class InvoicesView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = InvoicesModel(db, parent=self)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by invoice number, school number or name"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(_("All statuses"), None)
        for code in STATUSES:
            self.status.addItem(labels.invoice_status(code), code)
        self.count_label = QLabel()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self._status_changed)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        top.addWidget(self.count_label)

        self.table = LazyTableView(self.model, stretch="school")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.reloaded.connect(self._after_reload)
        self.model.rowsInserted.connect(self._update_count)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        self.title = section_title("")
        self.subtitle = plain_label()
        self.error = InlineError()
        self.preview = InvoicePreview()
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.subtitle)
        detail_layout.addWidget(self.error)
        detail_layout.addWidget(self.preview)
        detail_layout.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([420, 340])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._after_reload()

    # --- what the main window calls ------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self._db = db
        self.model.set_database(db)

    def refresh(self) -> None:
        self.model.reload()

    def apply_search(self) -> None:
        self._debounce.stop()
        self.model.set_search(self.search.text())

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.id if row else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(index, flags)
        self.table.setCurrentIndex(index)

    # --- internals -----------------------------------------------------------------------------

    def _status_changed(self, _index: int) -> None:
        self.model.set_status(self.status.currentData())

    def _after_reload(self) -> None:
        self._update_count()
        if self.model.rowCount():
            self.select_row(0)
        else:
            self._show(None)

    def _update_count(self, *_args) -> None:
        self.count_label.setText(_("{n} invoices").format(n=self.model.total))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected_id())

    def _show(self, invoice_id: int | None) -> None:
        self.error.show_message("")
        if invoice_id is None:
            self.title.setText(_("No invoice selected"))
            self.subtitle.setText("")
            self.preview.show_invoice(None)
            return
        try:
            invoice = invoicing.get_invoice(self._db, str(invoice_id))
        except DomainError as exc:  # deleted meanwhile (a draft can go)
            self.error.show_message(message_of(exc))
            self.preview.show_invoice(None)
            return
        number = invoice.number or _("Draft invoice")
        self.title.setText(f"{number} \u2013 {invoice.school} {invoice.school_name}")
        self.subtitle.setText(
            " \u00b7 ".join(
                (
                    fmt.day(invoice.invoice_date),
                    labels.invoice_reason(invoice.reason),
                    labels.invoice_status(invoice.status),
                )
            )
        )
        self.preview.show_invoice(invoice)
