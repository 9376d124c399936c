"""The panel beside the schools list: one school's address, contract, seats, teachers,
invoices, cancellations and recent history, read in one ``school_detail`` call
(``services/browse/school_detail.py``)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse import school_detail as browse_school_detail
from lehrer_licenses.services.browse.school_detail import ContractInfo, SchoolDetail, TeacherRow
from lehrer_licenses.services.licences import codes
from lehrer_licenses.services.licences.codes import CodeView
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.dialogs.code_dialog import CodeQrDialog, copy_code
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.views.history import describe
from lehrer_licenses.ui.views.school_licences import SchoolLicencesTab
from lehrer_licenses.ui.widgets import (
    ReadOnlyTable,
    button_bar,
    connect_unchecked,
    field_label,
    plain_label,
)

DASH = "\u2013"
_CODE_REASONS = {"order": N_("order"), "renewal": N_("renewal"), "manual": N_("by hand")}


def contract_status(c: ContractInfo) -> str:
    if c.status == "lapsed":
        return _("Lapsed on {day}").format(day=fmt.day(c.lapsed_on or c.term_end))
    if c.ends_on is not None:
        return _("Cancelled, runs until {day}").format(day=fmt.day(c.ends_on))
    if (c.term_end.month, c.term_end.day) != (12, 31):  # a package or per-pupil year (M1, F9)
        return _("Running, renews on {day}").format(day=fmt.day(c.term_end + timedelta(days=1)))
    return _("Running, renews on 1 January")


def seat_summary(c: ContractInfo) -> str:
    text = _("{held} held: {assigned} on teachers, {free} free").format(
        held=c.seats_held, assigned=c.seats_assigned, free=c.seats_free
    )
    if c.seats_cancel_pending:
        text += "; " + _("{n} cancelled (pending)").format(n=c.seats_cancel_pending)
    return text


class SchoolDetailPanel(QWidget):
    code_issued = Signal(str)  # the school's number
    school_edited = Signal(str)  # the school's number: its name or place may have changed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.detail: SchoolDetail | None = None
        self.codes: list[CodeView] = []

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
        self.edit_school_button = QPushButton(_("Edit school…"))
        connect_unchecked(self.edit_school_button.clicked, self.edit_school)
        layout.addWidget(button_bar(self.edit_school_button))

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
        self.code_table = ReadOnlyTable(
            [_("Serial"), _("Issued"), _("Seats"), _("Valid until"), _("Why"), _("Code")],
            numeric=[0, 2],
            stretch=5,
        )
        self.code_table.itemSelectionChanged.connect(self._code_selection)
        self.code_table.doubleClicked.connect(lambda _i: self.show_qr())
        self.issue_code_button = QPushButton(_("Issue code"))
        self.copy_code_button = QPushButton(_("Copy"))
        self.qr_button = QPushButton(_("Show QR"))
        self.issue_code_button.clicked.connect(self.issue_code)
        self.copy_code_button.clicked.connect(self.copy_code)
        self.qr_button.clicked.connect(self.show_qr)
        self.edit_teacher_button = QPushButton(_("Edit teacher…"))
        self.edit_teacher_button.setEnabled(False)
        connect_unchecked(self.edit_teacher_button.clicked, self.edit_teacher)
        self.teacher_table.itemSelectionChanged.connect(
            lambda: self.edit_teacher_button.setEnabled(self.selected_teacher() is not None)
        )
        self.teacher_table.doubleClicked.connect(lambda _i: self.edit_teacher())
        teachers_page = QWidget()
        teachers_layout = QVBoxLayout(teachers_page)
        teachers_layout.setContentsMargins(0, 0, 0, 0)
        teachers_layout.addWidget(button_bar(self.edit_teacher_button))
        teachers_layout.addWidget(self.teacher_table, 1)
        codes_page = QWidget()
        codes_layout = QVBoxLayout(codes_page)
        codes_layout.setContentsMargins(0, 0, 0, 0)
        codes_layout.addWidget(
            button_bar(self.issue_code_button, self.copy_code_button, self.qr_button)
        )
        codes_layout.addWidget(self.code_table, 1)
        self._tabs = [
            (self.seat_table, _("Seats")),
            (self.teacher_table, _("Teachers")),
            (self.invoice_table, _("Invoices")),
            (self.cancellation_table, _("Cancellations")),
            (self.code_table, _("Codes")),
            (self.history_table, _("History")),
        ]
        for table, title in self._tabs:
            pages = {self.code_table: codes_page, self.teacher_table: teachers_page}
            self.tabs.addTab(pages.get(table, table), title)
        # User packages and per-pupil plans (M*, F*): a tab of its own, read when shown.
        self.licences = SchoolLicencesTab(db)
        self.licences.changed.connect(self.refresh)
        self.tabs.addTab(self.licences, _("Packages and pupils"))
        # The contract's wrapped lines need more height in French or at 150 % than the splitter
        # may leave below the table; the stacked pages cannot pass a height-for-width up, so
        # the labels were squeezed and cut. Scrolled instead, the text stays whole.
        info_scroll = QScrollArea()
        info_scroll.setWidget(info)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        info_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        info_scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 62)
        info_scroll.setMaximumWidth(self.fontMetrics().averageCharWidth() * 80)
        row.addWidget(info_scroll)
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
        self.licences.set_database(db)
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
            self.detail = browse_school_detail.school_detail(self._db, number)
        except Exception as exc:  # a school deleted meanwhile: say so in place of the panel
            self.detail = None
            self._empty.setText(message_of(exc))
            self._stack.setCurrentIndex(0)
            return
        self._fill(self.detail)
        self._stack.setCurrentIndex(1)

    def refresh(self) -> None:
        self.show_school(self.number)

    def edit_school(self) -> None:
        from lehrer_licenses.ui.dialogs.edit_school import EditSchoolDialog

        if self.number is None:
            return
        dialog = EditSchoolDialog(self._db, self.number, self)
        if dialog.exec() and dialog.result_doc is not None:
            self.refresh()
            self.school_edited.emit(dialog.result_doc.school)

    def selected_teacher(self) -> TeacherRow | None:
        rows = self.teacher_table.selectionModel().selectedRows()
        if self.detail is None or not rows or rows[0].row() >= len(self.detail.teachers):
            return None
        return self.detail.teachers[rows[0].row()]

    def edit_teacher(self) -> None:
        from lehrer_licenses.ui.dialogs.edit_school import EditTeacherDialog

        teacher = self.selected_teacher()
        if teacher is None:
            return
        dialog = EditTeacherDialog(self._db, teacher.id, self)
        if dialog.exec() and dialog.result_doc is not None:
            self.refresh()

    def _fill(self, d: SchoolDetail) -> None:
        self.licences.show_school(d.number)
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
        self.codes = list(reversed(codes.code_history(self._db, d.number)))  # newest first
        self.code_table.set_rows(
            [
                [
                    str(code.serial),
                    fmt.day(code.issued_on),
                    str(code.seats),
                    fmt.day(code.valid_until),
                    _(_CODE_REASONS.get(code.reason, code.reason)),
                    code.code,
                ]
                for code in self.codes
            ]
        )
        if self.codes:
            self.code_table.selectRow(0)
        self._code_selection()
        self.issue_code_button.setEnabled(c is not None and c.seats_held > 0)
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

    # --- registration codes ----------------------------------------------------------------------

    def selected_code(self) -> CodeView | None:
        rows = self.code_table.selectionModel().selectedRows()
        return self.codes[rows[0].row()] if rows and rows[0].row() < len(self.codes) else None

    def _code_selection(self) -> None:
        chosen = self.selected_code() is not None
        self.copy_code_button.setEnabled(chosen)
        self.qr_button.setEnabled(chosen)

    def issue_code(self) -> CodeView | None:
        """A new code for the running contract (L6), signed with the key of this machine."""
        if self.detail is None:
            return None
        try:
            issued = codes.issue_code_now(self._db, self.detail.number)
        except (DomainError, OSError) as exc:  # e.g. the signing key is missing
            show_error(self, exc, _("No code issued"))
            return None
        self.refresh()
        self.tabs.setCurrentIndex(4)
        self.code_issued.emit(issued.school)
        return issued

    def copy_code(self) -> None:
        code = self.selected_code()
        if code is not None:
            copy_code(code.code)

    def show_qr(self) -> None:
        code = self.selected_code()
        if code is not None:
            CodeQrDialog(code, self).exec()

    @staticmethod
    def _teacher_note(t: TeacherRow) -> str:
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
