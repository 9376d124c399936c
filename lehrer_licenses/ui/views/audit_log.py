"""The global History view: every audit entry of every school (and of the changes not tied to a
school), newest first; filtered by text (school, who, what) and by a range of days.

Read-only, as the audit trail must be: there is nothing to edit here. A double-click on an
entry of a school opens that school in the schools view. The entries are read page by page off
the UI thread (``AuditLogModel``).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.browse.history import AuditFilter, AuditRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.audit_log_model import AuditLogModel
from lehrer_licenses.ui.views.lazy_table_view import LazyTableView

FILTER_DELAY_MS = 150


def _date_edit(on: date) -> QDateEdit:
    edit = DateField(on)
    edit.setEnabled(False)  # until its check box is ticked
    return edit


class AuditLogView(QWidget):
    school_requested = Signal(str)  # open this school (its number)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AuditLogModel(db, parent=self)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Filter by school, who or what"))
        self.search.setClearButtonEnabled(True)
        today = date.today()
        self.use_since = QCheckBox(_("From"))
        self.since = _date_edit(today - timedelta(days=30))
        self.use_until = QCheckBox(_("until"))
        self.until = _date_edit(today)
        self.count_label = QLabel()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_filter)
        for box, edit in ((self.use_since, self.since), (self.use_until, self.until)):
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(lambda _on: self.apply_filter())
            edit.dateChanged.connect(lambda _d: self.apply_filter())

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addSpacing(12)
        filters.addWidget(self.use_since)
        filters.addWidget(self.since)
        filters.addWidget(self.use_until)
        filters.addWidget(self.until)
        filters.addSpacing(12)
        filters.addWidget(self.count_label)

        self.table = LazyTableView(self.model, stretch="details")
        # One order only (newest first): the header shows it but does not change it.
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(
            self.model.column_of("at"), Qt.SortOrder.DescendingOrder
        )
        self.table.doubleClicked.connect(lambda index: self.open_school(index.row()))
        self.model.reloaded.connect(self._update_count)
        self.model.counted.connect(lambda _n: self._update_count())
        self.model.loading_changed.connect(lambda _l: self._update_count())
        self.model.rowsInserted.connect(self._update_count)
        self.model.failed.connect(lambda exc: show_error(self, exc))

        self.note = QLabel(
            _(
                "The audit trail records every change; it cannot be edited. Double-click an "
                "entry to open its school."
            )
        )
        self.note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._seen = False  # the first show needs no re-read: the model just read
        self._update_count()

    # --- what the main window calls ------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self.model.set_database(db)

    def refresh(self) -> None:
        self.model.reload()

    def showEvent(self, event) -> None:
        """Every use case writes entries: coming back to the log shows the new ones."""
        super().showEvent(event)
        if self._seen and not self.model.loading:
            self.model.reload()
        self._seen = True

    def current_filter(self) -> AuditFilter:
        text = self.search.text().strip()
        return AuditFilter(
            text=text,
            actions=labels.history_actions_matching(text),
            since=fmt.from_qdate(self.since.date()) if self.use_since.isChecked() else None,
            until=fmt.from_qdate(self.until.date()) if self.use_until.isChecked() else None,
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def set_range(self, since: date | None, until: date | None) -> None:
        """Both ends at once, one query (tests and the screenshots use it)."""
        for box, edit, day in (
            (self.use_since, self.since, since),
            (self.use_until, self.until, until),
        ):
            box.blockSignals(True)
            edit.blockSignals(True)
            box.setChecked(day is not None)
            edit.setEnabled(day is not None)
            if day is not None:
                edit.setDate(QDate(day.year, day.month, day.day))
            box.blockSignals(False)
            edit.blockSignals(False)
        self.apply_filter()

    def selected(self) -> AuditRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_school(self, row: int) -> None:
        entry = self.model.row_at(row)
        if entry is not None and entry.school:
            self.school_requested.emit(entry.school)

    # --- internals -----------------------------------------------------------------------------

    def _update_count(self, *_args) -> None:
        if self.model.loading:
            self.count_label.setText(_("Searching…"))
        elif self.model.counted_total is None:
            self.count_label.setText(_("{n}+ entries").format(n=self.model.rowCount()))
        else:
            total = self.model.counted_total
            self.count_label.setText(ngettext("{n} entry", "{n} entries", total).format(n=total))
