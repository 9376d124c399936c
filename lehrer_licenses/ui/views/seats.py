"""The seats view: every running seat of every school, filtered by school, teacher and state;
add teachers, assign, transfer and free seats, freeze users, record monthly counts.

Filtering happens in SQL on a worker thread (``SeatsModel``), so typing in the filter never
stalls the window even on a database of 400,000 seats.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.browse.seats import SeatFilter, SeatListRow
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.seat_dialogs import (
    AddTeacherDialog,
    AssignSeatDialog,
    FreeSeatDialog,
    TransferSeatDialog,
    UsageDialog,
)
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.seats_model import SeatsModel, state_name
from lehrer_licenses.ui.views.lazy_table_view import LazyTableView
from lehrer_licenses.ui.widgets import ReadOnlyTable, button_bar, plain_label, section_title
from lehrer_licenses.ui.workers import Task, start

FILTER_DELAY_MS = 150


class SeatsView(QWidget):
    changed = Signal(str)  # a school's seats or teachers changed (its number)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.today: date | None = None  # tests and screenshots fix the day
        self.model = SeatsModel(db, parent=self)

        self.school = QLineEdit()
        self.school.setPlaceholderText(_("School number"))
        self.school.setClearButtonEnabled(True)
        self.school.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000000000") + 40)
        self.teacher = QLineEdit()
        self.teacher.setPlaceholderText(_("Teacher's name"))
        self.teacher.setClearButtonEnabled(True)
        self.state = QComboBox()
        self.state.addItem(_("All seats"), "")
        for state in browse_seats.STATES:
            self.state.addItem(state_name(state), state)
        self.count_label = QLabel()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.school.textChanged.connect(self._debounce.start)
        self.teacher.textChanged.connect(self._debounce.start)
        self.school.returnPressed.connect(self.apply_filter)
        self.teacher.returnPressed.connect(self.apply_filter)
        self.state.currentIndexChanged.connect(self.apply_filter)

        filters = QHBoxLayout()
        filters.addWidget(self.school)
        filters.addWidget(self.teacher, 1)
        filters.addWidget(self.state)
        filters.addWidget(self.count_label)

        self.add_button = QPushButton(_("Add teacher…"))
        self.assign_button = QPushButton(_("Assign…"))
        self.transfer_button = QPushButton(_("Transfer…"))
        self.free_button = QPushButton(_("Free…"))
        self.freeze_button = QPushButton(_("Freeze"))
        self.usage_button = QPushButton(_("Monthly count…"))
        self.add_button.clicked.connect(self.add_teacher)
        self.assign_button.clicked.connect(self.assign)
        self.transfer_button.clicked.connect(self.transfer)
        self.free_button.clicked.connect(self.free)
        self.freeze_button.clicked.connect(self.toggle_frozen)
        self.usage_button.clicked.connect(self.record_usage)
        actions = button_bar(
            self.add_button,
            self.assign_button,
            self.transfer_button,
            self.free_button,
            self.freeze_button,
            self.usage_button,
        )

        self.table = LazyTableView(self.model, stretch="school")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self._default_action())
        self.model.reloaded.connect(self._after_reload)
        self.model.counted.connect(lambda _n: self._update_count())
        self.model.loading_changed.connect(lambda _l: self._update_count())
        self.model.rowsInserted.connect(self._update_count)
        self.model.failed.connect(lambda exc: show_error(self, exc))

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        self.title = section_title("")
        self.subtitle = plain_label()
        self.subtitle.setWordWrap(True)
        self.holders = ReadOnlyTable([_("Held by"), _("From"), _("Until"), _("Note")])
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.subtitle)
        detail_layout.addWidget(self.holders, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 160])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(actions)
        layout.addWidget(self.splitter, 1)
        self._keep_seat: int | None = None
        self._warmed = False
        self._show(None)
        self._update_count()

    def showEvent(self, event) -> None:
        """On first show, fold the teachers' names for the name filter in the background (a
        second on 480,000 teachers), so that the first search does not wait for it."""
        super().showEvent(event)
        if not self._warmed:
            self._warmed = True
            db = self._db
            start(Task(lambda _progress: browse_seats.warm_up(db)))

    # --- what the main window calls ------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self._db = db
        self._keep_seat = None
        self.model.set_database(db)

    def refresh(self) -> None:
        self._keep_seat = self._selected_id()
        self.model.reload()

    def show_school(self, number: str) -> None:
        self.school.setText(number)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._debounce.stop()
        self._keep_seat = self._selected_id()
        self.model.set_filter(
            SeatFilter(
                school=self.school.text().strip().split(" ")[0] if self.school.text() else "",
                teacher=self.teacher.text().strip(),
                state=self.state.currentData() or "",
            )
        )

    def selected(self) -> SeatListRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(index, flags)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    # --- actions -------------------------------------------------------------------------------

    def _school_for_dialog(self) -> str | None:
        seat = self.selected()
        if seat is not None:
            return seat.school
        return self.model.filter.school or None

    def add_teacher(self) -> None:
        dialog = AddTeacherDialog(self._db, self._school_for_dialog(), self.today, self)
        if dialog.exec():
            self._changed(dialog.school.number)

    def assign(self) -> None:
        seat = self.selected()
        if seat is not None and seat.teacher_id is None:
            dialog = AssignSeatDialog(self._db, seat, self.today, self)
            if dialog.exec():
                self._changed(seat.school)

    def transfer(self) -> None:
        seat = self.selected()
        if seat is not None and seat.teacher_id is not None:
            dialog = TransferSeatDialog(self._db, seat, self.today, self)
            if dialog.exec():
                self._changed(seat.school)

    def free(self) -> None:
        seat = self.selected()
        if seat is not None and seat.teacher_id is not None:
            dialog = FreeSeatDialog(self._db, seat, self.today, self)
            if dialog.exec():
                self._changed(seat.school)

    def toggle_frozen(self) -> None:
        seat = self.selected()
        if seat is None or seat.teacher_id is None:
            return
        try:
            seats.set_frozen(self._db, seat.teacher_id, not seat.frozen)
        except DomainError as exc:
            show_error(self, exc)
            return
        self._changed(seat.school)

    def record_usage(self) -> None:
        dialog = UsageDialog(self._db, self._school_for_dialog(), self.today, self)
        if dialog.exec():
            self._changed(dialog.school.number)

    def _default_action(self) -> None:
        seat = self.selected()
        if seat is None:
            return
        if seat.teacher_id is None:
            self.assign()
        else:
            self.transfer()

    def _changed(self, number: str | None) -> None:
        self.refresh()
        if number:
            self.changed.emit(number)

    # --- internals -----------------------------------------------------------------------------

    def _selected_id(self) -> int | None:
        seat = self.selected()
        return seat.seat_id if seat else None

    def _after_reload(self) -> None:
        self._update_count()
        wanted, self._keep_seat = self._keep_seat, None
        row = self.model.row_of_seat(wanted) if wanted is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.select_row(row)
        else:
            self._show(None)

    def _update_count(self, *_args) -> None:
        if self.model.loading:
            self.count_label.setText(_("Searching…"))
        elif self.model.counted_total is None:
            self.count_label.setText(_("{n}+ seats").format(n=self.model.rowCount()))
        else:
            total = self.model.counted_total
            self.count_label.setText(ngettext("{n} seat", "{n} seats", total).format(n=total))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected())

    def _show(self, seat: SeatListRow | None) -> None:
        held = seat is not None and seat.teacher_id is not None
        self.assign_button.setEnabled(seat is not None and not held)
        self.transfer_button.setEnabled(held)
        self.free_button.setEnabled(held)
        self.freeze_button.setEnabled(held)
        self.freeze_button.setText(_("Unfreeze") if seat and seat.frozen else _("Freeze"))
        if seat is None:
            self.title.setText(_("No seat selected"))
            self.subtitle.setText("")
            self.holders.set_rows([])
            return
        self.title.setText(
            _("Seat {n} of {school} {name}").format(
                n=seat.position, school=seat.school, name=seat.school_name
            )
        )
        parts = [
            state_name(seat.state),
            _("plan {plan}").format(plan=f"{seat.plan} \u2013 {seat.plan_name}"),
            _("acquired on {day}").format(day=fmt.day(seat.acquired_on)),
        ]
        if seat.release_on:
            parts.append(_("runs until {day}").format(day=fmt.day(seat.release_on)))
        self.subtitle.setText(" \u00b7 ".join(parts))
        self.holders.set_rows(
            [
                [
                    h.name,
                    fmt.day(h.start_on),
                    fmt.day(h.end_on),
                    _("left on {day}").format(day=fmt.day(h.left_on)) if h.left_on else "",
                ]
                for h in browse_seats.seat_holders(self._db, seat.seat_id)
            ]
        )
