"""Order seats: a live price preview from ``quote_order`` (which writes nothing); only the
Order button calls ``order_seats``, which writes the seats and the draft invoice."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ui_language
from lehrer_licenses.services import catalogue
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.services.licences.seats.orders import OrderQuote
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.dialogs.invoice_preview import InvoicePreview
from lehrer_licenses.ui.dialogs.school_picker import SchoolPicker
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, NoticeBox, plain_label

PREVIEW_DELAY_MS = 100
MAX_SEATS = 9999


class OrderSeatsDialog(QDialog):
    def __init__(
        self,
        db: Database,
        school: str | None = None,
        on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.quote: OrderQuote | None = None
        self._priced: tuple | None = None  # the inputs the preview shows
        self.result_quote: OrderQuote | None = None
        self.setWindowTitle(_("Order seats"))

        self.school = SchoolPicker(db, school)
        self.seats = QSpinBox()
        self.seats.setRange(1, MAX_SEATS)
        self.seats.setValue(1)
        self.date = DateField(on)
        self.plan = QComboBox()
        self.plan.addItem(_("The school's usual plan"), None)
        for plan in catalogue.list_plans(db):
            if plan.kind is PlanKind.PER_SEAT:
                name = plan.display_name(ui_language())
                self.plan.addItem(f"{plan.code} \u2013 {name}", plan.code)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("School:"), self.school)
        form.addRow(_("Seats to add:"), self.seats)
        form.addRow(_("Order date:"), self.date)
        form.addRow(_("Plan:"), self.plan)

        self.kind = plain_label()
        self.kind.setWordWrap(True)
        self.notices = NoticeBox()
        self.error = InlineError()
        self.invoice = InvoicePreview()
        preview_box = QGroupBox(_("Draft invoice this order will create"))
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.kind)
        preview_layout.addWidget(self.invoice)

        self.buttons = QDialogButtonBox()
        self.order_button = self.buttons.addButton(
            _("Order"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.place_order)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notices)
        layout.addWidget(self.error)
        layout.addWidget(preview_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(760)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.school.changed.connect(self._schedule)
        self.seats.valueChanged.connect(self._schedule)
        self.date.dateChanged.connect(self._schedule)
        self.plan.currentIndexChanged.connect(self._schedule)
        self.refresh_preview()

    def _inputs(self) -> tuple:
        return (self.school.number, self.seats.value(), self._on(), self.plan.currentData())

    def _schedule(self, *_args) -> None:
        # Enter in the seat count or date re-emits valueChanged/dateChanged with the same value;
        # only a real change restarts the preview (else it swallowed the Enter that orders).
        if self._inputs() != self._priced:
            self._timer.start()

    def _on(self) -> date:
        return fmt.from_qdate(self.date.date())

    def set_values(self, seats: int | None = None, on: date | None = None) -> None:
        if seats is not None:
            self.seats.setValue(seats)
        if on is not None:
            self.date.setDate(QDate(on.year, on.month, on.day))

    def refresh_preview(self) -> None:
        """Price the order as it stands; the Order button is only enabled for a valid quote."""
        self._timer.stop()
        self.quote = None
        self._priced = self._inputs()
        number = self.school.number
        if number is None:
            self._show(None, "")
            return
        try:
            quote = orders.quote_order(
                self._db, number, self.seats.value(), self._on(), self.plan.currentData()
            )
        except DomainError as exc:
            self._show(None, message_of(exc))
            return
        self.quote = quote
        self._show(quote, "")

    def _show(self, quote: OrderQuote | None, error: str) -> None:
        self.error.show_message(error)
        self.order_button.setEnabled(quote is not None)
        if quote is None:
            self.kind.setText("")
            self.notices.set_messages([])
            self.invoice.show_invoice(None)
            return
        self.kind.setText(
            labels.order_kind(quote.kind)
            + "\n"
            + _("Term {start} \u2013 {end}; seats after the order: {n}").format(
                start=fmt.day(quote.term_start), end=fmt.day(quote.term_end), n=quote.seats_after
            )
        )
        self.notices.set_messages(quote.notices)
        self.invoice.show_invoice(quote.invoice)

    def place_order(self) -> None:
        # A change still waiting for its preview: show the new price first, order on the next click.
        if self._timer.isActive() or self._inputs() != self._priced:
            self.refresh_preview()
            return
        if self.quote is None or self.school.number is None:
            return
        try:
            self.result_quote = orders.order_seats(
                self._db,
                self.school.number,
                self.seats.value(),
                self._on(),
                self.plan.currentData(),
            )
        except DomainError as exc:
            show_error(self, exc, _("The order was not placed"))
            return
        self.accept()
