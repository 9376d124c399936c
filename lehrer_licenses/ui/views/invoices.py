"""The invoices view: every invoice, credit note and quote, newest first, searchable by number
or school and filtered by status (open and overdue too); the selected one is shown line by line
below, as it will be printed, with its payments. Actions: issue a draft (or many: the selected
ones or all listed drafts, in the background, with a result per invoice), record a payment or
reverse one, credit note, undo an order entered by mistake, show, print and save the PDF (of
several selected documents: one PDF), and export the PDFs of all listed invoices (in the
background). The batch issue is ui/batch_issuing.py, the payments list invoice_payments.py, the
exports invoice_exports.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.access import ACCOUNTANT, LOCAL, Access
from lehrer_licenses.services.billing import drafts as invoicing
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse.invoices import InvoiceListRow
from lehrer_licenses.ui import asking, batch_issuing, labels
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.invoice_dialogs import (
    CreditNoteDialog,
    IssueDialog,
    PaymentDialog,
    ReversePaymentDialog,
)
from lehrer_licenses.ui.dialogs.invoice_preview import InvoicePreview
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.invoices_model import InvoicesModel
from lehrer_licenses.ui.pdf import PrintError, open_pdf
from lehrer_licenses.ui.permissions import permit
from lehrer_licenses.ui.views.invoice_exports import InvoiceExports, pdf_name
from lehrer_licenses.ui.views.invoice_payments import PaymentsBox, reversible
from lehrer_licenses.ui.views.lazy_table_view import LazyTableView
from lehrer_licenses.ui.widgets import (
    InlineError,
    button_bar,
    connect_unchecked,
    plain_label,
    section_title,
)
from lehrer_licenses.ui.workers import Task

SEARCH_DELAY_MS = 150
STATUSES = browse_invoices.FILTERS


class InvoicesView(InvoiceExports, QWidget):
    changed = Signal()  # an invoice was issued, paid or credited

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.today: date | None = None  # tests and screenshots fix the day
        self.model = InvoicesModel(db, parent=self)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by invoice number, school number or name"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(_("All documents"), None)
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

        self.issue_button = QPushButton(_("Issue…"))
        self.issue_button.setToolTip(
            _("Issue the selected draft; with several drafts selected, all of them at once")
        )
        self.issue_listed_button = QPushButton(_("Issue all listed drafts…"))
        self.issue_listed_button.setToolTip(
            _("Issue every draft the list shows (search and filter apply)")
        )
        self.pay_button = QPushButton(_("Payment…"))
        self.credit_button = QPushButton(_("Credit note…"))
        self.undo_button = QPushButton(_("Undo order…"))
        self.undo_button.setToolTip(
            _("Remove the seats and the draft of an order entered by mistake")
        )
        self.show_button = QPushButton(_("Show PDF"))
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save PDF…"))
        self.einvoice_button = QPushButton(_("E-invoice…"))
        einvoice_menu = QMenu(self.einvoice_button)
        einvoice_menu.addAction(_("Factur-X / ZUGFeRD PDF…"), lambda: self.save_einvoice(False))
        einvoice_menu.addAction(_("XRechnung XML…"), lambda: self.save_einvoice(True))
        self.einvoice_button.setMenu(einvoice_menu)
        self.remind_button = QPushButton(_("Payment reminders…"))
        self.remind_button.setToolTip(
            _("The overdue invoices with their next reminder; send the ones you tick")
        )
        self.export_button = QPushButton(_("Export all listed…"))
        self.export_button.setToolTip(_("Save the PDFs of every invoice in the list to a folder"))
        for button, slot in (
            (self.issue_button, self.issue),
            (self.issue_listed_button, self.issue_listed),
            (self.pay_button, self.record_payment),
            (self.credit_button, self.credit),
            (self.undo_button, self.undo_order),
            (self.show_button, self.show_pdf),
            (self.print_button, self.print_invoice),
            (self.save_button, self.save_pdf),
            (self.export_button, self.export_listed),
            (self.remind_button, self.send_reminders),
        ):
            connect_unchecked(button.clicked, slot)
        actions = button_bar(
            self.issue_button,
            self.pay_button,
            self.credit_button,
            self.undo_button,
            self.show_button,
            self.print_button,
            self.save_button,
            self.einvoice_button,
            trailing=[self.remind_button, self.issue_listed_button, self.export_button],
        )

        self.table = LazyTableView(self.model, stretch="school")
        # Shift/Ctrl-click many drafts to issue, print or save them together.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.reloaded.connect(self._after_reload)
        self.model.rowsInserted.connect(self._update_count)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        self.title = section_title("")
        self.subtitle = plain_label()
        self.subtitle.setWordWrap(True)
        self.settlement = plain_label()
        self.settlement.setWordWrap(True)
        self.error = InlineError()
        self.preview = InvoicePreview()
        self.payments_box = PaymentsBox()
        self.payment_list = self.payments_box.payment_list
        self.reverse_button = self.payments_box.reverse_button
        connect_unchecked(self.reverse_button.clicked, self.reverse_payment)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.subtitle)
        detail_layout.addWidget(self.settlement)
        detail_layout.addWidget(self.error)
        detail_layout.addWidget(self.payments_box)
        detail_layout.addWidget(self.preview)
        detail_layout.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([420, 340])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(actions)
        layout.addWidget(self.splitter, 1)
        self.export_task: Task | None = None
        self.issue_task: Task | None = None
        self.batch_result = None  # the result list of the last batch issue, while it is open
        self._keep: int | None = None
        self.access = LOCAL
        self._after_reload()

    # --- what the main window calls ------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self._db = db
        self.model.set_database(db)

    def set_access(self, access: Access) -> None:
        self.access = access
        self.payments_box.set_access(access)
        self._enable(self.selected())

    def refresh(self, select: int | None = None) -> None:
        self._keep = select or self.selected_id()
        self.model.today = self.today
        self.model.reload()

    def apply_search(self) -> None:
        self._debounce.stop()
        self.model.set_search(self.search.text())

    def selected_id(self) -> int | None:
        row = self.selected()
        return row.id if row else None

    def selected(self) -> InvoiceListRow | None:
        """The current row among the selected (the one shown below), else the first."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        current = self.table.currentIndex()
        if current.isValid() and any(index.row() == current.row() for index in rows):
            return self.model.row_at(current.row())
        return self.model.row_at(min(index.row() for index in rows))

    def selected_rows(self) -> list[InvoiceListRow]:
        """Every selected row, in the order of the list."""
        indexes = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [row for row in (self.model.row_at(i) for i in indexes) if row is not None]

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows (tests and screenshots; a clerk Ctrl-clicks)."""
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().clearSelection()
        for row in rows:
            self.table.selectionModel().select(self.model.index(row, 0), flags)

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
        wanted, self._keep = self._keep, None
        row = self.model.row_of_id(wanted) if wanted is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.select_row(row)
        else:
            self._show(None)

    def _update_count(self, *_args) -> None:
        total = self.model.total
        self.count_label.setText(ngettext("{n} document", "{n} documents", total).format(n=total))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected_id())

    def _enable(self, row: InvoiceListRow | None) -> None:
        invoice = row is not None and row.kind == "invoice"
        draft = invoice and row.status == "draft"
        issued = invoice and not draft
        drafts = [r for r in self.selected_rows() if r.kind == "invoice" and r.status == "draft"]
        idle = self.issue_task is None
        permit(self.issue_button, self.access, ACCOUNTANT, (draft or bool(drafts)) and idle)
        permit(
            self.issue_listed_button,
            self.access,
            ACCOUNTANT,
            idle and self.model.total > 0 and self.model.status in (None, "draft"),
        )
        self.pay_button.setEnabled(issued and row.status != "credited")
        permit(self.credit_button, self.access, ACCOUNTANT, issued and row.credited < row.payable)
        self.undo_button.setEnabled(draft and row.reason == "order")
        for button in (self.show_button, self.print_button, self.save_button):
            button.setEnabled(row is not None)
        self.einvoice_button.setEnabled(
            row is not None and bool(row.number) and row.kind in ("invoice", "credit_note")
        )
        self.export_button.setEnabled(self.model.total > 0 and self.export_task is None)
        # recording reminders writes dunning notices and fees: an accountant's work
        permit(self.remind_button, self.access, ACCOUNTANT)

    def _show(self, invoice_id: int | None) -> None:
        self.error.show_message("")
        row = self.selected() if invoice_id is not None else None
        self._enable(row)
        self.payments_box.show_payments(self._db, row)
        self.settlement.setText("")
        if invoice_id is None:
            self.title.setText(_("No invoice selected"))
            self.subtitle.setText("")
            self.preview.show_invoice(None)
            return
        if row is not None:
            self.settlement.setText(self._settlement(row))
        try:
            invoice = invoicing.get_invoice(self._db, str(invoice_id))
        except DomainError as exc:  # deleted meanwhile (a draft can go)
            self.error.show_message(message_of(exc))
            self.preview.show_invoice(None)
            return
        number = invoice.number or _("Draft invoice")
        if row is not None and row.kind == "credit_note":
            number = _("Credit note {number}").format(number=invoice.number)
        elif row is not None and row.kind == "quote":
            number = _("Quote {number}").format(number=invoice.number)
        self.title.setText(f"{number} \u2013 {invoice.school} {invoice.school_name}")
        self.subtitle.setText(
            " \u00b7 ".join(
                (
                    fmt.day(invoice.invoice_date),
                    labels.invoice_reason(invoice.reason),
                    labels.document_status(row.kind, row.status)
                    if row
                    else labels.invoice_status(invoice.status),
                )
            )
        )
        self.preview.show_invoice(invoice)

    def selected_payment(self):
        return self.payments_box.selected_payment()

    def _settlement(self, row: InvoiceListRow) -> str:
        cur = row.currency
        if row.kind == "credit_note":
            referenced = browse_invoices.invoice_row(self._db, row.credits_invoice_id or 0)
            return _("Corrects invoice {number} of {day}.").format(
                number=referenced.number if referenced else "?",
                day=fmt.day(referenced.invoice_date) if referenced else "",
            )
        if row.kind == "quote":
            return _("Valid until {day}.").format(day=fmt.day(row.due_date))
        if row.status == "draft":
            return _("Not issued yet: no number, nothing owed.")
        parts = [
            _("Due on {day}").format(day=fmt.day(row.due_date)),
            _("paid {amount}").format(amount=fmt.money(row.paid, cur)),
        ]
        if row.credited:
            parts.append(_("credited {amount}").format(amount=fmt.money(row.credited, cur)))
        parts.append(_("open {amount}").format(amount=fmt.money(row.open, cur)))
        return ", ".join(parts)

    # --- actions -------------------------------------------------------------------------------

    def _run_dialog(self, dialog) -> bool:
        if dialog.exec():
            self.refresh(select=self.selected_id())
            self.changed.emit()
            return True
        return False

    def issue(self) -> None:
        drafts = [r for r in self.selected_rows() if r.kind == "invoice" and r.status == "draft"]
        if len(drafts) > 1:
            self.issue_batch([r.id for r in drafts])
            return
        row = drafts[0] if drafts else self.selected()
        if row is not None and row.status == "draft":
            self._run_dialog(IssueDialog(self._db, row, self.today, self))

    def issue_listed(self) -> Task | None:
        """Every draft the list shows (a renewal run's drafts: filter on "Draft")."""
        ids = browse_invoices.invoice_ids(self._db, self.model.search, "draft", self.today)
        if not ids:
            asking.inform(self, _("Issue drafts"), _("The list shows no drafts to issue."))
            return None
        return self.issue_batch(ids)

    def issue_batch(self, ids: list[int]) -> Task | None:
        """Confirm, issue the drafts in the background, then list what became of each."""

        def shown(dialog) -> None:
            self.batch_result = dialog
            self.refresh()
            self.changed.emit()

        def finished() -> None:
            self.issue_task = None
            self._enable(self.selected())

        on = self.today or date.today()
        task = batch_issuing.issue_in_background(self, self._db, ids, on, shown, finished)
        if task is not None:
            self.issue_task = task
            self._enable(self.selected())
        return task

    def record_payment(self) -> None:
        row = self.selected()
        if row is not None and row.kind == "invoice" and row.number:
            self._run_dialog(PaymentDialog(self._db, row, self.today, self))

    def credit(self) -> None:
        row = self.selected()
        if row is not None and row.kind == "invoice" and row.number:
            self._run_dialog(CreditNoteDialog(self._db, row, self.today, self))

    def undo_order(self) -> None:
        from lehrer_licenses.ui.dialogs.undo_order import UndoOrderDialog

        row = self.selected()
        if row is not None and row.status == "draft" and row.reason == "order":
            self._run_dialog(UndoOrderDialog(self._db, row, self.today, self))

    def reverse_payment(self) -> None:
        row, line = self.selected(), self.selected_payment()
        if row is not None and line is not None and reversible(line):
            self._run_dialog(ReversePaymentDialog(self._db, row, line, self.today, self))

    def pdf_bytes(self) -> tuple[str, bytes] | None:
        """The selected document's PDF (stored at issue, or a draft rendered now) with its file
        name; several selected: their PDFs one after the other in one file."""
        from lehrer_licenses.services.billing import printing

        rows = self.selected_rows()
        if len(rows) > 1:
            return batch_issuing.documents_pdf(self, self._db, [str(r.id) for r in rows])
        try:
            row = self.selected()
            if row is None:
                return None
            return pdf_name(row), printing.invoice_pdf(self._db, str(row.id)).pdf
        except DomainError as exc:
            show_error(self, exc, _("No PDF"))
            return None

    def show_pdf(self) -> None:
        found = self.pdf_bytes()
        if found is not None:
            try:
                open_pdf(found[1], found[0])
            except PrintError as exc:
                self.error.show_message(str(exc))
            else:
                self.error.show_message("")  # an earlier "no PDF viewer" is no longer true

    def print_invoice(self, printer: QPrinter | None = None) -> bool:
        """Print on a printer chosen in the print dialog (``printer`` given: without asking);
        several selected documents are one print job."""
        return batch_issuing.print_found(self, self.pdf_bytes(), printer)

    def save_pdf(self, path: str | None = None) -> Path | None:
        """Save the selected document's PDF (several selected: one PDF); when the clerk chose
        the file, opening or printing it is offered."""
        return batch_issuing.save_found(self, self.pdf_bytes(), path)

    def send_reminders(self) -> Task | None:
        """The dunning proposal, then the ticked reminders recorded and their letters written."""
        from lehrer_licenses.ui.dialogs.dunning_proposal import send_reminders

        def written(message: str) -> None:
            self.changed.emit()  # the schools' balances now carry the reminder fees
            self.error.show_message("")
            self.settlement.setText(message)

        return send_reminders(self, self._db, self.today or date.today(), on_written=written)
