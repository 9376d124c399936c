"""A written cancellation: seats or the whole contract, and the day it was received. Before
anything is recorded the dialog shows the notice deadline, whether the letter is in time, and
the last day the licences run (L4): a day late costs the school a whole year."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.licences.seats import cancellations
from lehrer_licenses.services.licences.seats.cancellations import (
    CancellationPreview,
    CancellationResult,
    preview_cancellation,
)
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.dialogs.school_picker import SchoolPicker
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, error_colour, good_colour, plain_label

PREVIEW_DELAY_MS = 100


class CancelDialog(QDialog):
    def __init__(
        self,
        db: Database,
        school: str | None = None,
        received: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.preview: CancellationPreview | None = None
        self.result_cancellation: CancellationResult | None = None
        self.setWindowTitle(_("Record a cancellation"))

        self.school = SchoolPicker(db, school)
        self.some_seats = QRadioButton(_("Seats:"))
        self.whole = QRadioButton(_("The whole contract"))
        self.some_seats.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.some_seats)
        group.addButton(self.whole)
        self.seats = QSpinBox()
        self.seats.setRange(1, 9999)
        what = QHBoxLayout()
        what.addWidget(self.some_seats)
        what.addWidget(self.seats)
        what.addSpacing(16)
        what.addWidget(self.whole)
        what.addStretch(1)
        self.received = DateField(received)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("School:"), self.school)
        form.addRow(_("Cancel:"), what)
        form.addRow(_("Letter received on:"), self.received)

        outcome_box = QGroupBox(_("What this cancellation does"))
        outcome = QFormLayout(outcome_box)
        self.deadline = plain_label()
        self.in_time = plain_label()
        self.effective = plain_label()
        self.seats_after = plain_label()
        for label in (self.in_time, self.effective, self.seats_after):
            label.setWordWrap(True)
        outcome.addRow(_("Notice deadline:"), self.deadline)
        outcome.addRow(_("Received:"), self.in_time)
        outcome.addRow(_("Licences run until:"), self.effective)
        outcome.addRow(_("Seats after that:"), self.seats_after)
        self.error = InlineError()

        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(
            _("Record cancellation"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(outcome_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(660)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.school.changed.connect(self._schedule)
        self.seats.valueChanged.connect(self._schedule)
        self.some_seats.toggled.connect(self._schedule)
        self.received.dateChanged.connect(self._schedule)
        self.refresh_preview()

    def _schedule(self, *_args) -> None:
        self.seats.setEnabled(self.some_seats.isChecked())
        self._timer.start()

    def _args(self) -> dict:
        whole = self.whole.isChecked()
        return {
            "seats": None if whole else self.seats.value(),
            "received": fmt.from_qdate(self.received.date()),
            "whole_contract": whole,
        }

    def set_values(
        self, seats: int | None = None, received: date | None = None, whole: bool = False
    ) -> None:
        (self.whole if whole else self.some_seats).setChecked(True)
        if seats is not None:
            self.seats.setValue(seats)
        if received is not None:
            self.received.setDate(fmt.to_qdate(received))
        self.refresh_preview()

    def refresh_preview(self) -> None:
        self._timer.stop()
        self.preview = None
        number = self.school.number
        if number is not None:
            try:
                self.preview = preview_cancellation(self._db, number, **self._args())
            except DomainError as exc:
                self.error.show_message(message_of(exc))
            else:
                self.error.show_message("")
        else:
            self.error.show_message("")
        self._show(self.preview)

    def _show(self, p: CancellationPreview | None) -> None:
        self.confirm_button.setEnabled(p is not None)
        if p is None:
            for label in (self.deadline, self.in_time, self.effective, self.seats_after):
                label.setText("\u2013")
                label.setStyleSheet("")
            return
        self.deadline.setText(fmt.day(p.deadline))
        if p.in_time:
            self.in_time.setText(_("in time"))
            self.in_time.setStyleSheet(f"color: {good_colour()}; font-weight: bold;")
        else:
            days = (p.received - p.deadline).days
            self.in_time.setText(
                ngettext(
                    "too late: {days} day after the deadline, so it counts for the next term",
                    "too late: {days} days after the deadline, so it counts for the next term",
                    days,
                ).format(days=days)
            )
            self.in_time.setStyleSheet(f"color: {error_colour()}; font-weight: bold;")
        self.effective.setText(fmt.day(p.effective))
        if p.whole_contract:
            self.seats_after.setText(_("none: the contract ends"))
        else:
            self.seats_after.setText(
                _("{after} of {now} (a seat taken again later needs a new base licence)").format(
                    after=p.seats_after, now=p.seats_cancellable
                )
            )

    def record(self) -> None:
        if self._timer.isActive():
            self.refresh_preview()
            return
        if self.preview is None or self.school.number is None:
            return
        try:
            self.result_cancellation = cancellations.cancel(
                self._db, self.school.number, **self._args()
            )
        except DomainError as exc:
            show_error(self, exc, _("The cancellation was not recorded"))
            return
        self.accept()
