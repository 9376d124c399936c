"""The seat use cases: add a teacher (with the one free admin login, L11), assign a free seat,
transfer a seat to an incoming teacher (L10: free of charge, the history stays), free a seat,
and record a monthly user count (L7). Each dialog says what will happen before it is confirmed;
nothing is written until then."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.browse.seats import SchoolSeats, SeatListRow
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.licences.seats import hosting_usage as usage
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.dialogs.school_picker import SchoolPicker
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, field_label, plain_label


def date_edit(on: date | None) -> QDateEdit:
    return DateField(on)


class _SeatDialog(QDialog):
    """Form, explanation, inline error and a confirm button; subclasses fill the form."""

    def __init__(self, title: str, confirm: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
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
        layout.addLayout(self.form)
        layout.addWidget(self.explain)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _confirm(self) -> None:
        try:
            self.commit()
        except DomainError as exc:
            self.error.show_message(message_of(exc))
            return
        self.accept()

    def commit(self) -> None:
        raise NotImplementedError


class AddTeacherDialog(_SeatDialog):
    def __init__(
        self,
        db: Database,
        school: str | None = None,
        on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Add a teacher"), _("Add teacher"), parent)
        self._db = db
        self.teacher_id: int | None = None
        self.info: SchoolSeats | None = None
        self.school = SchoolPicker(db, school)
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.email = QLineEdit()
        self.admin = QCheckBox(_("The school's admin login (one per school, free, never counted)"))
        self.assign = QCheckBox(_("Give a free seat now"))
        self.assign.setChecked(True)
        self.on = date_edit(on)
        self.form.addRow(field_label(_("School")), self.school)
        self.form.addRow(field_label(_("First name")), self.first_name)
        self.form.addRow(field_label(_("Last name")), self.last_name)
        self.form.addRow(field_label(_("E-mail")), self.email)
        self.form.addRow("", self.admin)
        self.form.addRow("", self.assign)
        self.form.addRow(field_label(_("From")), self.on)
        self.school.changed.connect(self._update)
        for edit in (self.first_name, self.last_name):
            edit.textChanged.connect(self._update)
        self.admin.toggled.connect(self._update)
        self.assign.toggled.connect(self._update)
        self._update()
        # Typing starts with the name (the school is mostly chosen already); Enter then adds.
        (self.first_name if school else self.school).setFocus()

    def _update(self, *_args) -> None:
        number = self.school.number
        self.info = browse_seats.school_seats(self._db, number) if number else None
        info = self.info
        has_admin = bool(info and info.admin)
        self.admin.setEnabled(not has_admin)
        if has_admin and self.admin.isChecked():
            self.admin.setChecked(False)
        self.admin.setToolTip(
            _("{name} has the school's free admin login already.").format(name=info.admin)
            if info and info.admin
            else ""
        )
        can_assign = bool(info and info.free > 0) and not self.admin.isChecked()
        self.assign.setEnabled(can_assign)
        self.on.setEnabled(can_assign and self.assign.isChecked())
        lines = []
        if info is not None:
            if self.admin.isChecked():
                lines.append(_("The admin login is free and needs no seat (L11)."))
            elif not info.has_contract:
                lines.append(_("The school has no running contract: the teacher gets no seat."))
            elif info.free:
                lines.append(
                    _("{free} of {seats} seats are free; giving one costs nothing.").format(
                        free=info.free, seats=info.seats
                    )
                )
            else:
                lines.append(
                    _(
                        "All {seats} seats are taken: the teacher is added without a seat. "
                        "Free a seat or order more."
                    ).format(seats=info.seats)
                )
            if info.admin:
                lines.append(_("Admin login: {name}").format(name=info.admin))
        self.explain.setText("\n".join(lines))
        named = bool(self.first_name.text().strip() or self.last_name.text().strip())
        self.confirm_button.setEnabled(info is not None and named)

    def commit(self) -> None:
        assert self.school.number is not None
        self.teacher_id = seats.add_teacher(
            self._db,
            self.school.number,
            self.first_name.text(),
            self.last_name.text(),
            self.email.text(),
            admin=self.admin.isChecked(),
        )
        if self.assign.isEnabled() and self.assign.isChecked():
            try:
                seats.assign_seat(
                    self._db, self.school.number, self.teacher_id, fmt.from_qdate(self.on.date())
                )
            except DomainError as exc:  # the teacher is in; say why the seat is not
                self.error.show_message(message_of(exc))


class AssignSeatDialog(_SeatDialog):
    """Give a free seat (the selected one) to a teacher of the school without a seat."""

    def __init__(
        self,
        db: Database,
        seat: SeatListRow,
        on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Assign a seat"), _("Assign"), parent)
        self._db = db
        self.seat = seat
        info = browse_seats.school_seats(db, seat.school)
        self.teacher = QComboBox()
        for t in info.teachers:
            if t.can_take_seat:
                self.teacher.addItem(t.name + (f" <{t.email}>" if t.email else ""), t.id)
        self.on = date_edit(on)
        self.form.addRow(
            field_label(_("Seat")),
            plain_label(
                _("{school} {name}, seat {n}").format(
                    school=seat.school, name=seat.school_name, n=seat.position
                )
            ),
        )
        self.form.addRow(field_label(_("Teacher")), self.teacher)
        self.form.addRow(field_label(_("From")), self.on)
        if self.teacher.count():
            self.explain.setText(_("A free seat costs nothing to assign (L10)."))
        else:
            self.explain.setText(
                _("Every teacher of the school has a seat or has left: add a teacher first.")
            )
        self.confirm_button.setEnabled(self.teacher.count() > 0)

    def commit(self) -> None:
        seats.assign_seat(
            self._db,
            self.seat.school,
            self.teacher.currentData(),
            fmt.from_qdate(self.on.date()),
            position=self.seat.position,
        )


class TransferSeatDialog(_SeatDialog):
    """A leaver's seat to the incoming teacher: an existing one, or one added here."""

    def __init__(
        self,
        db: Database,
        seat: SeatListRow,
        on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Transfer a seat"), _("Transfer"), parent)
        self._db = db
        self.seat = seat
        info = browse_seats.school_seats(db, seat.school)
        self.existing = QRadioButton(_("A teacher of the school:"))
        self.new = QRadioButton(_("A new teacher:"))
        self.teacher = QComboBox()
        for t in info.teachers:
            if t.can_take_seat and t.id != seat.teacher_id:
                self.teacher.addItem(t.name, t.id)
        self.first_name = QLineEdit()
        self.first_name.setPlaceholderText(_("First name"))
        self.last_name = QLineEdit()
        self.last_name.setPlaceholderText(_("Last name"))
        self.leaving = QCheckBox(_("{name} leaves the school").format(name=seat.holder or ""))
        self.leaving.setChecked(True)
        self.on = date_edit(on)
        self.form.addRow(
            field_label(_("Seat")),
            plain_label(
                _("{school} {name}, seat {n}, held by {holder}").format(
                    school=seat.school,
                    name=seat.school_name,
                    n=seat.position,
                    holder=seat.holder or "",
                )
            ),
        )
        self.form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget().setWordWrap(True)
        self.form.addRow(self.existing, self.teacher)
        names = QWidget()
        row = QFormLayout(names)
        row.setContentsMargins(0, 0, 0, 0)
        row.addRow(self.first_name)
        row.addRow(self.last_name)
        self.form.addRow(self.new, names)
        self.form.addRow("", self.leaving)
        self.form.addRow(field_label(_("On")), self.on)
        (self.existing if self.teacher.count() else self.new).setChecked(True)
        self.existing.setEnabled(self.teacher.count() > 0)
        self.explain.setText(
            _(
                "The seat belongs to the school: transferring it costs nothing, and the "
                "history of who held it is kept (L10)."
            )
        )
        for widget in (self.existing, self.new):
            widget.toggled.connect(self._update)
        for edit in (self.first_name, self.last_name):
            edit.textChanged.connect(self._update)
        self._update()

    def _update(self, *_args) -> None:
        new = self.new.isChecked()
        self.teacher.setEnabled(not new)
        self.first_name.setEnabled(new)
        self.last_name.setEnabled(new)
        named = bool(self.first_name.text().strip() or self.last_name.text().strip())
        self.confirm_button.setEnabled(named if new else self.teacher.count() > 0)

    def commit(self) -> None:
        assert self.seat.teacher_id is not None
        if self.new.isChecked():
            target = seats.add_teacher(
                self._db, self.seat.school, self.first_name.text(), self.last_name.text()
            )
        else:
            target = self.teacher.currentData()
        seats.transfer_seat(
            self._db,
            self.seat.school,
            self.seat.teacher_id,
            target,
            fmt.from_qdate(self.on.date()),
            leaving=self.leaving.isChecked(),
        )


class FreeSeatDialog(_SeatDialog):
    def __init__(
        self,
        db: Database,
        seat: SeatListRow,
        on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Free a seat"), _("Free the seat"), parent)
        self._db = db
        self.seat = seat
        self.leaving = QCheckBox(_("{name} leaves the school").format(name=seat.holder or ""))
        self.leaving.setChecked(True)
        self.on = date_edit(on)
        self.form.addRow(
            field_label(_("Seat")),
            plain_label(
                _("{school} {name}, seat {n}, held by {holder}").format(
                    school=seat.school,
                    name=seat.school_name,
                    n=seat.position,
                    holder=seat.holder or "",
                )
            ),
        )
        self.form.addRow("", self.leaving)
        self.form.addRow(field_label(_("On")), self.on)
        self.form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget().setWordWrap(True)
        self.explain.setText(
            _(
                "The seat stays the school's and keeps being billed; it can be given to "
                "another teacher at no cost. To stop paying for it, record a cancellation."
            )
        )

    def commit(self) -> None:
        assert self.seat.teacher_id is not None
        seats.free_seat(
            self._db,
            self.seat.school,
            self.seat.teacher_id,
            fmt.from_qdate(self.on.date()),
            leaving=self.leaving.isChecked(),
        )


class UsageDialog(_SeatDialog):
    """The monthly user count of a DB-hosting school (L7), counted now or entered."""

    def __init__(
        self,
        db: Database,
        school: str | None = None,
        month: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Record a monthly user count"), _("Record"), parent)
        self._db = db
        self.recorded: int | None = None
        self.info: SchoolSeats | None = None
        self.school = SchoolPicker(db, school)
        self.month = QDateEdit()
        self.month.setDisplayFormat("MM.yyyy")
        self.month.setDate(fmt.to_qdate((month or date.today()).replace(day=1)))
        self.count = QSpinBox()
        self.count.setRange(0, 99999)
        self.counted = plain_label()
        self.counted.setWordWrap(True)
        self.form.addRow(field_label(_("School")), self.school)
        self.form.addRow(field_label(_("Month")), self.month)
        self.form.addRow(field_label(_("Registered users")), self.count)
        self.form.addRow("", self.counted)
        self.school.changed.connect(self._update)
        self.month.dateChanged.connect(self._update)
        self._update()

    def _month(self) -> date:
        return fmt.from_qdate(self.month.date()).replace(day=1)

    def _update(self, *_args) -> None:
        number = self.school.number
        self.info = browse_seats.school_seats(self._db, number) if number else None
        info = self.info
        ok = bool(info and info.db_hosting)
        self.confirm_button.setEnabled(ok)
        self.count.setEnabled(ok)
        if info is None:
            self.counted.setText("")
            self.explain.setText("")
            return
        if not ok:
            self.counted.setText("")
            self.explain.setText(
                _("School {school} is not on DB-hosting: monthly counts are not billed.").format(
                    school=info.number
                )
            )
            return
        recorded = info.usage.get(self._month())
        self.count.setValue(recorded if recorded is not None else info.counted_users)
        self.counted.setText(
            _(
                "Users holding a seat now: {n} (the admin login and frozen users not counted)."
            ).format(n=info.counted_users)
            + (
                "\n" + _("Recorded for this month already: {n}.").format(n=recorded)
                if recorded is not None
                else ""
            )
        )
        self.explain.setText(
            _(
                "Hosting and subscription are billed once a year in arrears from these counts "
                "(price/12 per user-month)."
            )
        )

    def commit(self) -> None:
        assert self.school.number is not None
        self.recorded = usage.record_usage(
            self._db, self.school.number, self._month(), self.count.value()
        )
