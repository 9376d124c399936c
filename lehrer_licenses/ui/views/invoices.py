"""The invoices view: every invoice, credit note and quote, newest first, searchable by number
or school and filtered by status (open and overdue too); the selected one is shown line by line
below, as it will be printed, with its payments. Actions: issue a draft (or many: the selected
ones or all listed drafts, in the background, with a result per invoice), record a payment or
reverse one, credit note, undo an order entered by mistake, show, print and save the PDF (of
several selected documents: one PDF), and export the PDFs of all listed invoices (in the
background)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
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
from lehrer_licenses.ui import asking, labels
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.batch_issue import BatchResultDialog
from lehrer_licenses.ui.dialogs.invoice_dialogs import (
    CreditNoteDialog,
    IssueDialog,
    PaymentDialog,
    ReversePaymentDialog,
    payment_text,
)
from lehrer_licenses.ui.dialogs.invoice_preview import InvoicePreview
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.invoices_model import InvoicesModel
from lehrer_licenses.ui.pdf import PrintError, offer_saved, open_pdf, print_pdf, safe_name
from lehrer_licenses.ui.permissions import permit
from lehrer_licenses.ui.progress import run_with_progress
from lehrer_licenses.ui.views.lazy_table_view import LazyTableView
from lehrer_licenses.ui.widgets import (
    InlineError,
    button_bar,
    connect_unchecked,
    plain_label,
    section_title,
)
from lehrer_licenses.ui.workers import Cancelled, Progress, Task

SEARCH_DELAY_MS = 150
STATUSES = browse_invoices.FILTERS


def pdf_name(row: InvoiceListRow) -> str:
    number = row.number or f"{_('draft')}-{row.id}"
    return safe_name(f"{number}-{row.school_name}")


class InvoicesView(QWidget):
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
        self.payments_box = QGroupBox(_("Payments"))
        self.payment_list = QListWidget()
        self.payment_list.setMaximumHeight(90)
        self.reverse_button = QPushButton(_("Reverse payment…"))
        self.reverse_button.setToolTip(
            _("Take back a payment booked by mistake; the payment stays in the books")
        )
        connect_unchecked(self.reverse_button.clicked, self.reverse_payment)
        self.payment_list.currentRowChanged.connect(self._payment_chosen)
        payments_layout = QHBoxLayout(self.payments_box)
        payments_layout.addWidget(self.payment_list, 1)
        payments_layout.addWidget(self.reverse_button, 0, Qt.AlignmentFlag.AlignTop)
        self.payments_box.hide()
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

    def _show(self, invoice_id: int | None) -> None:
        self.error.show_message("")
        row = self.selected() if invoice_id is not None else None
        self._enable(row)
        self._show_payments(row)
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

    def _show_payments(self, row: InvoiceListRow | None) -> None:
        from lehrer_licenses.services.billing import payments

        self.payment_list.clear()
        lines = ()
        if row is not None and row.kind == "invoice" and row.number:
            try:
                _record, lines = payments.invoice_payments(self._db, str(row.id))
            except DomainError:
                lines = ()
        for line in lines:
            item = QListWidgetItem(payment_text(line, row.currency))
            item.setData(Qt.ItemDataRole.UserRole, line)
            self.payment_list.addItem(item)
        self.payments_box.setVisible(bool(lines))
        # the last payment that can still be reversed: the one a clerk most likely means
        choosable = [i for i, line in enumerate(lines) if self._reversible(line)]
        self.payment_list.setCurrentRow(choosable[-1] if choosable else -1)
        self._payment_chosen()

    @staticmethod
    def _reversible(line) -> bool:
        return line.reverses_id is None and line.reversed_by is None

    def selected_payment(self):
        item = self.payment_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _payment_chosen(self, *_args) -> None:
        line = self.selected_payment()
        permit(
            self.reverse_button,
            self.access,
            ACCOUNTANT,
            line is not None and self._reversible(line),
        )

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
        """Confirm with the count and the totals per currency, then issue the drafts one by one
        off the UI thread (Cancel stops after the current one) and list what became of each."""
        from lehrer_licenses.services.billing import batch_issue

        try:
            totals = batch_issue.draft_totals(self._db, ids)
        except DomainError as exc:
            show_error(self, exc, _("Not issued"))
            return None
        question = "\n".join(
            [
                ngettext("Issue {n} draft?", "Issue {n} drafts?", totals.count).format(
                    n=totals.count
                ),
                *(
                    _("Total {amount}").format(amount=fmt.money(amount, currency))
                    for currency, amount in totals.totals
                ),
                "",
                _(
                    "Each invoice is issued on its own: one that is refused (a missing address, "
                    "say) stays a draft and does not undo the others. Issued invoices are final."
                ),
            ]
        )
        if not asking.confirm(self, _("Issue drafts"), question):
            return None
        db, on, total = self._db, self.today or date.today(), len(ids)

        def work(progress: Progress):
            stopped = []

            def step(done: int, _result) -> bool:
                try:
                    progress(done, total)
                except Cancelled:
                    stopped.append(done)
                    return False
                return True

            progress(0, total)
            return batch_issue.issue_drafts(db, ids, on, step)

        def done(results) -> None:
            names = {}
            for result in results:
                found = browse_invoices.invoice_row(db, result.invoice_id, on)
                names[result.invoice_id] = f"{found.school} {found.school_name}" if found else ""
            self.batch_result = BatchResultDialog(
                results, total, names, self.print_documents, self.save_documents, self
            )
            self.batch_result.show()
            self.refresh()
            self.changed.emit()

        def finished() -> None:
            self.issue_task = None
            self._enable(self.selected())

        task = run_with_progress(
            self,
            _("Issue drafts"),
            ngettext("Issuing {n} draft…", "Issuing {n} drafts…", total).format(n=total),
            work,
            on_done=done,
        )
        task.signals.finished.connect(finished)
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
        if row is not None and line is not None and self._reversible(line):
            self._run_dialog(ReversePaymentDialog(self._db, row, line, self.today, self))

    def pdf_bytes(self) -> tuple[str, bytes] | None:
        """The selected document's PDF (stored at issue, or a draft rendered now) with its file
        name; several selected: their PDFs one after the other in one file."""
        from lehrer_licenses.services.billing import batch_issue, printing

        rows = self.selected_rows()
        try:
            if len(rows) > 1:
                data, _pages = batch_issue.combined_pdf(self._db, [str(r.id) for r in rows])
                return self._many_name(len(rows)), data
            row = self.selected()
            if row is None:
                return None
            return pdf_name(row), printing.invoice_pdf(self._db, str(row.id)).pdf
        except DomainError as exc:
            show_error(self, exc, _("No PDF"))
            return None

    def _many_name(self, count: int) -> str:
        return safe_name(_("invoices-{n}").format(n=count))

    def documents_pdf(self, numbers: list[str]) -> tuple[str, bytes] | None:
        from lehrer_licenses.services.billing import batch_issue

        try:
            data, _pages = batch_issue.combined_pdf(self._db, numbers)
        except DomainError as exc:
            show_error(self, exc, _("No PDF"))
            return None
        return self._many_name(len(numbers)), data

    def print_documents(self, numbers: list[str], printer: QPrinter | None = None) -> bool:
        """The documents ``numbers`` (a batch's issued invoices) printed as one job."""
        return self._print(self.documents_pdf(numbers), printer)

    def save_documents(self, numbers: list[str], path: str | None = None) -> Path | None:
        """The documents ``numbers`` saved as one PDF, then offered to open or print."""
        return self._save(self.documents_pdf(numbers), path)

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
        return self._print(self.pdf_bytes(), printer)

    def _print(self, found: tuple[str, bytes] | None, printer: QPrinter | None) -> bool:
        if found is None:
            return False
        name, data = found
        if printer is None:
            printer = asking.printer(self, _("Print {name}").format(name=name))
            if printer is None:
                return False
        try:
            print_pdf(data, printer, name)
        except (PrintError, OSError) as exc:
            show_error(self, DomainError(str(exc)), _("Not printed"))
            return False
        return True

    def save_pdf(self, path: str | None = None) -> Path | None:
        """Save the selected document's PDF (several selected: one PDF); when the clerk chose
        the file, opening or printing it is offered."""
        return self._save(self.pdf_bytes(), path)

    def _save(self, found: tuple[str, bytes] | None, path: str | None) -> Path | None:
        if found is None:
            return None
        asked = path is None
        if path is None:
            path = asking.save_file(self, _("Save PDF"), f"{found[0]}.pdf", "PDF (*.pdf)")
            if path is None:
                return None
        target = Path(path)
        target.write_bytes(found[1])
        if asked:
            offer_saved(self, target)
        return target

    def save_einvoice(self, xrechnung: bool, path: str | None = None) -> Path | None:
        """The selected invoice as Factur-X (a PDF with its EN 16931 XML inside) or as an
        XRechnung XML for German public schools (needs the school's Leitweg-ID)."""
        from lehrer_licenses.services.billing import einvoices as einvoice

        row = self.selected()
        if row is None or not row.number:
            return None
        if path is None:
            suffix, kind = ("xml", "XML (*.xml)") if xrechnung else ("pdf", "PDF (*.pdf)")
            name = f"{pdf_name(row)}-{'xrechnung' if xrechnung else 'facturx'}.{suffix}"
            path = asking.save_file(self, _("Save e-invoice"), name, kind)
            if path is None:
                return None
        try:
            made = einvoice.make_einvoice(self._db, str(row.id), xrechnung=xrechnung)
        except DomainError as exc:
            show_error(self, exc, _("No e-invoice"))
            return None
        target = Path(path)
        target.write_bytes(made.data)
        return target

    def send_reminders(self) -> Task | None:
        """The dunning proposal, then the ticked reminders recorded and their letters written."""
        from lehrer_licenses.ui.dialogs.dunning_proposal import send_reminders

        def written(message: str) -> None:
            self.changed.emit()  # the schools' balances now carry the reminder fees
            self.error.show_message("")
            self.settlement.setText(message)

        return send_reminders(self, self._db, self.today or date.today(), on_written=written)

    def export_listed(self, folder: str | None = None) -> Task | None:
        """The PDFs of every listed document into a folder, off the UI thread with progress."""
        if folder is None:
            folder = asking.folder(self, _("Export PDFs to"))
            if folder is None:
                return None
        target = Path(folder)
        db = self._db
        ids = browse_invoices.invoice_ids(db, self.model.search, self.model.status, self.today)

        from lehrer_licenses.services.billing import printing

        def work(progress: Progress) -> int:
            written = 0
            progress(0, len(ids))
            for done, invoice_id in enumerate(ids, start=1):
                try:
                    result = printing.invoice_pdf(db, str(invoice_id))
                except DomainError:
                    continue  # e.g. a draft of a school without a postal address
                row = browse_invoices.invoice_row(db, invoice_id)
                name = pdf_name(row) if row else str(invoice_id)
                (target / f"{name}.pdf").write_bytes(result.pdf)
                written += 1
                progress(done, len(ids))
            return written

        def done(written: int) -> None:
            self.error.show_message("")
            self.settlement.setText(
                ngettext(
                    "{n} PDF file written to {folder}.",
                    "{n} PDF files written to {folder}.",
                    written,
                ).format(n=written, folder=target)
            )

        def finished() -> None:
            self.export_task = None
            self._enable(self.selected())

        task = run_with_progress(
            self,
            _("Export PDFs"),
            ngettext("Writing {n} PDF file…", "Writing {n} PDF files…", len(ids)).format(
                n=len(ids)
            ),
            work,
            on_done=done,
        )
        task.signals.finished.connect(finished)
        self.export_task = task
        self.export_button.setEnabled(False)
        return task
