"""The panel beside the schools list: one school's address, contract, seats, teachers,
invoices, cancellations and recent history, read in one ``browse.school_detail`` call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _
from lehrer_licenses.services import browse
from lehrer_licenses.services.browse import ContractInfo, SchoolDetail
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.views.history import describe
from lehrer_licenses.ui.widgets import ReadOnlyTable, field_label, plain_label

DASH = "\u2013"


def contract_status(c: ContractInfo) -> str:
    if c.status == "lapsed":
        return _("Lapsed on {day}").format(day=fmt.day(c.lapsed_on or c.term_end))
    if c.ends_on is not None:
        return _("Cancelled, runs until {day}").format(day=fmt.day(c.ends_on))
    return _("Running, renews on 1 January")


def seat_summary(c: ContractInfo) -> str:
    text = _("{held} held: {assigned} on teachers, {free} free").format(
        held=c.seats_held, assigned=c.seats_assigned, free=c.seats_free
    )
    if c.seats_cancel_pending:
        text += "; " + _("{n} cancelled (pending)").format(n=c.seats_cancel_pending)
    return text


class SchoolDetailPanel(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.detail: SchoolDetail | None = None

        self._stack = QStackedWidget()
        self._empty = plain_label(_("Select a school to see its contract, seats and invoices."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._stack.addWidget(self._empty)

        # Below the schools table: who and what contract on the left, the lists on the right,
        # where they get the full width their columns need.
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        info = QWidget()
        info.setMinimumWidth(self.fontMetrics().averageCharWidth() * 62)
        info.setMaximumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout = QVBoxLayout(info)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = plain_label()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.subtitle = plain_label()
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

        self.contract_box = QGroupBox(_("Contract"))
        form = QFormLayout(self.contract_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.plan = self._value(form, _("Plan"))
        self.status = self._value(form, _("Status"))
        self.term = self._value(form, _("Term"))
        self.seats = self._value(form, _("Seats"))
        self.deadline = self._value(form, _("Notice deadline"))
        layout.addWidget(self.contract_box)
        layout.addStretch(1)

        self.tabs = QTabWidget()
        self.seat_table = ReadOnlyTable(
            [_("Seat"), _("Held by"), _("Since"), _("Acquired"), _("Cancelled, runs until")],
            numeric=[0],
            stretch=1,
        )
        self.teacher_table = ReadOnlyTable([_("Teacher"), _("Seat"), _("E-mail"), _("Note")])
        self.invoice_table = ReadOnlyTable(
            [_("Date"), _("Number"), _("Reason"), _("Status"), _("Net"), _("Payable")],
            numeric=[4, 5],
        )
        self.cancellation_table = ReadOnlyTable(
            [_("Received"), _("Seats"), _("Deadline"), _("In time"), _("Runs until"), _("Status")]
        )
        self.history_table = ReadOnlyTable(
            [_("When"), _("Who"), _("What"), _("Details")], stretch=3
        )
        self._tabs = [
            (self.seat_table, _("Seats")),
            (self.teacher_table, _("Teachers")),
            (self.invoice_table, _("Invoices")),
            (self.cancellation_table, _("Cancellations")),
            (self.history_table, _("History")),
        ]
        for table, title in self._tabs:
            self.tabs.addTab(table, title)
        row.addWidget(info)
        row.addSpacing(8)
        row.addWidget(self.tabs, 1)
        self._stack.addWidget(page)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.addWidget(self._stack)

    @staticmethod
    def _value(form: QFormLayout, label: str) -> QLabel:
        value = plain_label()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(field_label(label), value)
        return value

    def set_database(self, db: Database) -> None:
        self._db = db
        self.show_school(None)

    @property
    def number(self) -> str | None:
        return self.detail.number if self.detail else None

    def show_school(self, number: str | None) -> None:
        if number is None:
            self.detail = None
            self._empty.setText(_("Select a school to see its contract, seats and invoices."))
            self._stack.setCurrentIndex(0)
            return
        try:
            self.detail = browse.school_detail(self._db, number)
        except Exception as exc:  # a school deleted meanwhile: say so in place of the panel
            self.detail = None
            self._empty.setText(message_of(exc))
            self._stack.setCurrentIndex(0)
            return
        self._fill(self.detail)
        self._stack.setCurrentIndex(1)

    def refresh(self) -> None:
        self.show_school(self.number)

    def _fill(self, d: SchoolDetail) -> None:
        self.title.setText(d.name)
        street = " ".join(p for p in (d.street, d.house_number) if p)
        place = " ".join(p for p in (d.postcode, d.city) if p)
        language = labels.LANGUAGE_NAMES.get(d.language, d.language)
        lines = [
            " \u00b7 ".join(
                (_("No. {number}").format(number=d.number), labels.country(d.country), language)
            ),
            ", ".join(p for p in (street, place) if p),
            " \u00b7 ".join(p for p in (d.email, d.vat_id) if p),
        ]
        flags = []
        if d.db_hosting:
            flags.append(_("DB-hosting"))
        if d.canton_licence:
            flags.append(_("canton licence"))
        if flags:
            lines.append(", ".join(flags))
        self.subtitle.setText("\n".join(line for line in lines if line))

        c = d.contract
        self.contract_box.setVisible(True)
        if c is None:
            self.plan.setText(_("No contract yet"))
            for label in (self.status, self.term, self.seats, self.deadline):
                label.setText(DASH)
        else:
            self.plan.setText(f"{c.plan} \u2013 {c.plan_name}")
            self.status.setText(contract_status(c))
            self.term.setText(f"{fmt.day(c.term_start)} \u2013 {fmt.day(c.term_end)}")
            self.seats.setText(seat_summary(c))
            self.deadline.setText(
                _("{day} for the end of this term").format(day=fmt.day(c.notice_deadline))
                if c.status == "active" and c.ends_on is None
                else DASH
            )

        self.seat_table.set_rows(
            [
                [
                    str(s.position),
                    s.holder or _("free"),
                    fmt.day(s.holder_since),
                    fmt.day(s.acquired_on),
                    fmt.day(s.release_on),
                ]
                for s in d.seats
            ]
        )
        self.teacher_table.set_rows(
            [
                [
                    t.name,
                    str(t.seat) if t.seat else "",
                    t.email,
                    self._teacher_note(t),
                ]
                for t in d.teachers
            ]
        )
        self.invoice_table.set_rows(
            [
                [
                    fmt.day(i.invoice_date),
                    i.number or _("(draft)"),
                    labels.invoice_reason(i.reason),
                    labels.invoice_status(i.status),
                    fmt.money(i.net, i.currency),
                    fmt.money(i.payable, i.currency),
                ]
                for i in d.invoices
            ]
        )
        self.cancellation_table.set_rows(
            [
                [
                    fmt.day(x.received_on),
                    _("whole contract") if x.seats is None else str(x.seats),
                    fmt.day(x.deadline),
                    _("yes") if x.in_time else _("no, too late"),
                    fmt.day(x.effective_on),
                    _("pending") if x.status == "pending" else _("applied"),
                ]
                for x in d.cancellations
            ]
        )
        details = [describe(h) for h in d.history]
        self.history_table.set_rows(
            [
                [fmt.moment(h.at), h.actor, labels.history_action(h.action), text]
                for h, text in zip(d.history, details, strict=True)
            ],
            tooltips=details,  # the whole text when the column cuts it off
        )
        for tab, (table, title) in enumerate(self._tabs):
            self.tabs.setTabText(tab, f"{title} ({table.rowCount()})")

    @staticmethod
    def _teacher_note(t: browse.TeacherRow) -> str:
        notes = []
        if t.is_admin:
            notes.append(_("admin login, free"))
        if t.frozen:
            notes.append(_("frozen"))
        if t.left_on:
            notes.append(_("left on {day}").format(day=fmt.day(t.left_on)))
        if not t.seat and not t.is_admin and not t.left_on:
            notes.append(_("no seat"))
        return ", ".join(notes)
