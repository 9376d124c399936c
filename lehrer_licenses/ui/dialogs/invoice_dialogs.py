"""The invoice lifecycle from the invoices view: issue a draft (its number is final), record a
payment or reverse one booked by mistake, write a credit note against an issued invoice (the
only way to correct one)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, pgettext
from lehrer_licenses.services.browse.invoices import InvoiceListRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.formatting import parse_amount
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, field_label, plain_label

if TYPE_CHECKING:
    from lehrer_licenses.services.billing.credit_notes import CreditNote
    from lehrer_licenses.services.billing.lookups import InvoiceRecord, PaymentLine
    from lehrer_licenses.services.billing.payments import BookedPayment, ReversedPayment


def _date_edit(on: date | None) -> QDateEdit:
    return DateField(on)


def describe(row: InvoiceListRow) -> str:
    number = row.number or _("Draft invoice")
    return f"{number} \u2013 {row.school} {row.school_name}"


class _InvoiceDialog(QDialog):
    def __init__(self, title: str, confirm: str, row: InvoiceListRow, parent: QWidget | None):
        super().__init__(parent)
        self.row = row
        self.result_doc: object | None = None  # what the service returned
        self.setWindowTitle(title)
        self.invoice_box = QGroupBox(_("Invoice"))
        summary = QFormLayout(self.invoice_box)
        summary.addRow(field_label(_("Invoice")), plain_label(describe(row)))
        summary.addRow(
            field_label(_("Date")),
            plain_label(
                fmt.day(row.invoice_date)
                + (
                    " \u00b7 " + _("due on {day}").format(day=fmt.day(row.due_date))
                    if row.due_date and row.number
                    else ""
                )
            ),
        )
        summary.addRow(field_label(_("Payable")), plain_label(fmt.money(row.payable, row.currency)))
        if row.number:
            summary.addRow(field_label(_("Paid")), plain_label(fmt.money(row.paid, row.currency)))
            summary.addRow(
                field_label(_("Credited")), plain_label(fmt.money(row.credited, row.currency))
            )
            summary.addRow(
                field_label(pgettext("amount", "Open")),
                plain_label(fmt.money(row.open, row.currency)),
            )
        summary.addRow(
            field_label(_("Status")), plain_label(labels.document_status(row.kind, row.status))
        )
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.explain = plain_label()
        self.explain.setWordWrap(True)
        self.error = InlineError()
        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(
            confirm, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.invoice_box)
        layout.addLayout(self.form)
        layout.addWidget(self.explain)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _confirm(self) -> None:
        try:
            self.result_doc = self.commit()
        except DomainError as exc:
            self.error.show_message(message_of(exc))
            return
        self.accept()

    def commit(self) -> object:
        raise NotImplementedError


class IssueDialog(_InvoiceDialog):
    def __init__(
        self, db: Database, row: InvoiceListRow, on: date | None = None, parent=None
    ) -> None:
        super().__init__(_("Issue invoice"), _("Issue"), row, parent)
        self._db = db
        self.on = _date_edit(on)
        self.form.addRow(field_label(_("Invoice date")), self.on)
        self.explain.setText(
            _(
                "Issuing gives the invoice its number, fixes its date and due date and stores "
                "its PDF. An issued invoice never changes: a correction is a credit note."
            )
        )

    def commit(self) -> InvoiceRecord:
        from lehrer_licenses.services.billing import issuing

        return issuing.issue_invoice(self._db, str(self.row.id), fmt.from_qdate(self.on.date()))


class PaymentDialog(_InvoiceDialog):
    def __init__(
        self, db: Database, row: InvoiceListRow, on: date | None = None, parent=None
    ) -> None:
        super().__init__(_("Record a payment"), _("Record payment"), row, parent)
        self._db = db
        self.amount = QLineEdit(fmt.number(row.open) if row.open > 0 else "")
        self.amount_error = InlineError()
        self.on = _date_edit(on)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("e.g. the bank's booking text"))
        self.form.addRow(
            field_label(_("Amount ({currency})").format(currency=row.currency)), self.amount
        )
        self.form.addRow("", self.amount_error)
        self.form.addRow(field_label(_("Received on")), self.on)
        self.form.addRow(field_label(_("Reference")), self.reference)
        self.amount.textChanged.connect(self.validate)
        self.validate()

    def value(self) -> Decimal | None:
        return parse_amount(self.amount.text())

    def validate(self, *_args) -> bool:
        value = self.value()
        problem = ""
        if not self.amount.text().strip():
            problem = _("Enter the amount received.")
        elif value is None:
            problem = fmt.amount_problem(self.amount.text())
        elif value <= 0 or value != value.quantize(Decimal("0.01")):
            problem = _("A positive amount with at most two decimals.")
        self.amount_error.show_message(problem)
        if value is not None and not problem and value > self.row.open:
            self.explain.setText(
                _("That is {over} more than is open: the overpayment is booked and shown.").format(
                    over=fmt.money(value - self.row.open, self.row.currency)
                )
            )
        else:
            self.explain.setText("")
        self.confirm_button.setEnabled(not problem)
        return not problem

    def commit(self) -> BookedPayment:
        from lehrer_licenses.services.billing import payments

        value = self.value()
        assert value is not None
        return payments.record_payment(
            self._db,
            str(self.row.id),
            value,
            fmt.from_qdate(self.on.date()),
            self.reference.text(),
        )


class CreditNoteDialog(_InvoiceDialog):
    """A credit note for all that is not yet credited, or a part (incl. VAT); the invoice it
    refers to is shown above, and printed on the credit note."""

    def __init__(
        self, db: Database, row: InvoiceListRow, on: date | None = None, parent=None
    ) -> None:
        super().__init__(_("Credit note"), _("Issue credit note"), row, parent)
        self._db = db
        self.invoice_box.setTitle(_("Invoice to correct"))
        self.creditable = row.payable - row.credited
        self.full = QRadioButton(
            _("All not yet credited: {amount}").format(
                amount=fmt.money(self.creditable, row.currency)
            )
        )
        self.part = QRadioButton(_("A part, incl. VAT:"))
        self.full.setChecked(True)
        self.amount = QLineEdit()
        self.amount_error = InlineError()
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("Why the invoice is corrected (printed on the note)"))
        self.reason.setMaximumHeight(self.fontMetrics().height() * 4)
        self.on = _date_edit(on)
        self.form.addRow(field_label(_("Credit")), self.full)
        self.form.addRow(self.part, self.amount)
        self.form.addRow("", self.amount_error)
        self.form.addRow(field_label(_("Reason")), self.reason)
        self.form.addRow(field_label(_("Date")), self.on)
        self.explain.setText(
            _("The credit note gets its own number and refers to invoice {number}.").format(
                number=row.number or ""
            )
        )
        for widget in (self.full, self.part):
            widget.toggled.connect(self.validate)
        self.amount.textChanged.connect(self.validate)
        self.reason.textChanged.connect(self.validate)
        self.validate()

    def value(self) -> Decimal | None:
        if self.full.isChecked():
            return None
        return parse_amount(self.amount.text())

    def validate(self, *_args) -> bool:
        self.amount.setEnabled(self.part.isChecked())
        problem = ""
        if self.part.isChecked():
            value = parse_amount(self.amount.text())
            if value is None:
                problem = fmt.amount_problem(self.amount.text())
            elif value <= 0 or value != value.quantize(Decimal("0.01")):
                problem = _("A positive amount with at most two decimals.")
            elif value > self.creditable:
                problem = _("At most {amount}.").format(
                    amount=fmt.money(self.creditable, self.row.currency)
                )
        self.amount_error.show_message(problem if self.amount.text().strip() else "")
        ok = not problem and bool(self.reason.toPlainText().strip())
        self.confirm_button.setEnabled(ok)
        return ok

    def commit(self) -> CreditNote:
        from lehrer_licenses.services.billing import credit_notes

        return credit_notes.credit_invoice(
            self._db,
            str(self.row.id),
            reason=self.reason.toPlainText(),
            amount=self.value(),
            on=fmt.from_qdate(self.on.date()),
        )


class ReversePaymentDialog(_InvoiceDialog):
    """Take back a payment booked by mistake: the payment stays in the books and a
    counter-booking with the reason is added; the invoice is open again by that amount."""

    def __init__(
        self,
        db: Database,
        row: InvoiceListRow,
        payment: PaymentLine,
        on: date | None = None,
        parent=None,
    ) -> None:
        super().__init__(_("Reverse payment"), _("Reverse payment"), row, parent)
        self._db = db
        self.payment = payment
        shown = plain_label(payment_text(payment, row.currency))
        self.form.addRow(field_label(_("Payment")), shown)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(_("e.g. booked on the wrong invoice"))
        self.on = _date_edit(on if on is not None and on >= payment.paid_on else payment.paid_on)
        self.form.addRow(field_label(_("Reason")), self.reason)
        self.form.addRow(field_label(_("Reversal date")), self.on)
        self.explain.setText(
            _(
                "The payment is kept as it was booked; a counter-booking of {amount} on the "
                "reversal date takes it back, and the invoice is open again by that amount."
            ).format(amount=fmt.money(payment.amount, row.currency))
        )
        self.reason.textChanged.connect(self.validate)
        self.validate()

    def validate(self, *_args) -> bool:
        filled = bool(self.reason.text().strip())
        self.confirm_button.setEnabled(filled)
        return filled

    def commit(self) -> ReversedPayment:
        from lehrer_licenses.services.billing import payments

        return payments.reverse_payment(
            self._db, self.payment.id, self.reason.text(), fmt.from_qdate(self.on.date())
        )


def payment_text(payment: PaymentLine, currency: str) -> str:
    """One line of an invoice's payments list: date, amount, reference, what reversed it."""
    parts = [fmt.day(payment.paid_on), fmt.money(payment.amount, currency)]
    if payment.reference:
        parts.append(payment.reference)
    if payment.reverses_id is not None:
        parts.append(_("reversal: {reason}").format(reason=payment.reason))
    elif payment.reversed_by is not None:
        parts.append(_("reversed"))
    return " \u00b7 ".join(parts)
