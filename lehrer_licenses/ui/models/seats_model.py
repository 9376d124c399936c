"""All running seats of all schools (``browse_seats``), filtered in SQL and read off the UI thread.

The demo database has 420,000 seats. A filter change starts one background query for the first
page; the table is reset when it arrives, and a newer filter makes an older answer count for
nothing. The total is counted in a second step of the same task (counting every seat takes
longer than finding the first two hundred), so the list shows up first and its count a moment
later. More rows are read as the view scrolls (fetchMore), also in the background.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from shiboken6 import isValid

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services import browse_seats
from lehrer_licenses.services.browse_seats import SeatFilter, SeatListRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.lazy_table import Column, Index, LazyTableModel
from lehrer_licenses.ui.workers import Progress, Task, start

COLUMNS = (
    Column("school", N_("School"), chars=28),
    Column("position", N_("Seat"), numeric=True, chars=5),
    Column("state", N_("State"), chars=18),
    Column("holder", N_("Held by"), chars=22),
    Column("since", N_("Since"), chars=10),
    Column("acquired", N_("Acquired"), chars=10),
    Column("release_on", N_("Runs until"), chars=10),
)

log = logging.getLogger(__name__)

_STATE_NAMES = {
    browse_seats.STATE_FREE: N_("free"),
    browse_seats.STATE_HELD: N_("held"),
    browse_seats.STATE_FROZEN: N_("held, frozen"),
    browse_seats.STATE_PENDING: N_("cancelled"),
}


def state_name(state: str) -> str:
    return _(_STATE_NAMES[state]) if state in _STATE_NAMES else state


class SeatsModel(LazyTableModel[SeatListRow]):
    COLUMNS = COLUMNS
    DEFAULT_SORT = ("school", False)

    counted = Signal(int)  # the total of the current filter, once known
    loading_changed = Signal(bool)
    failed = Signal(object)  # the exception of a query that went wrong

    def __init__(self, db: Database, page_size: int = 200, parent=None) -> None:
        self._filter = SeatFilter()
        self._generation = 0
        self._more = False
        self._loading = False
        self._fetching = False
        self._counted: int | None = None
        super().__init__(db, page_size, parent)

    # --- LazyTableModel ------------------------------------------------------------------------

    def count(self, db: Database, search: str) -> int:  # not used: counted in the background
        return 0

    def page(self, db, search, offset, limit, sort_key, descending) -> list[SeatListRow]:
        return browse_seats.list_seats(db, self._filter, offset, limit, sort_key, descending)

    @property
    def total(self) -> int:
        """Rows matching the filter once counted, else those loaded so far."""
        return self._counted if self._counted is not None else len(self._rows)

    @property
    def counted_total(self) -> int | None:
        return self._counted

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def filter(self) -> SeatFilter:
        return self._filter

    def set_filter(self, flt: SeatFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.reload()

    def reload(self) -> None:
        """Ask for the first page of the current filter and sort in the background."""
        self._generation += 1
        generation = self._generation
        db, flt, size = self._db, self._filter, self._page_size
        key, descending = self._sort_key, self._descending
        self._counted = None
        self._set_loading(True)

        def page(_progress: Progress) -> list[SeatListRow]:
            if generation != self._generation:
                return []  # overtaken while it waited for a worker: skip the query
            return browse_seats.list_seats(db, flt, 0, size + 1, key, descending)

        def count(_progress: Progress) -> int:
            if generation != self._generation:
                return 0
            return browse_seats.count_seats(db, flt)

        task = Task(page)
        task.signals.succeeded.connect(lambda rows: self._page_done(generation, rows, count))
        task.signals.failed.connect(lambda exc: self._failed(generation, exc))
        start(task)

    def _current(self, generation: int) -> bool:
        """An answer for the latest question, to a model that still exists."""
        return isValid(self) and generation == self._generation

    def _page_done(self, generation: int, rows: list[SeatListRow], count) -> None:
        if not self._current(generation):
            return  # a newer filter is on its way
        self._show_first(rows)
        self._set_loading(False)
        if not self._more:
            self._counted = len(self._rows)
            self.counted.emit(self._counted)
            return
        task = Task(count)
        task.signals.succeeded.connect(lambda total: self._count_done(generation, total))
        start(task)

    def _count_done(self, generation: int, total: int) -> None:
        if self._current(generation):
            self._counted = total
            self.counted.emit(total)

    def _show_first(self, rows: list[SeatListRow]) -> None:
        self.beginResetModel()
        self._more = len(rows) > self._page_size
        self._rows = rows[: self._page_size]
        self.pages_fetched = 1
        self.endResetModel()
        self.reloaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        log.error("reading the seats failed: %s", exc)
        self._show_first([])
        self._set_loading(False)
        self.failed.emit(exc)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # --- lazy fetching, in the background -----------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore():
            return
        self._fetching = True
        generation = self._generation
        db, flt, offset, size = self._db, self._filter, len(self._rows), self._page_size
        key, descending = self._sort_key, self._descending

        def work(_progress: Progress) -> list[SeatListRow]:
            return browse_seats.list_seats(db, flt, offset, size + 1, key, descending)

        task = Task(work)
        task.signals.succeeded.connect(lambda rows: self._append(generation, offset, rows))
        task.signals.finished.connect(self._fetch_finished)
        start(task)

    def _fetch_finished(self) -> None:
        if isValid(self):
            self._fetching = False

    def _append(self, generation: int, offset: int, rows: list[SeatListRow]) -> None:
        if not self._current(generation) or offset != len(self._rows):
            return
        self._more = len(rows) > self._page_size
        rows = rows[: self._page_size]
        self.pages_fetched += 1
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    # --- showing ---------------------------------------------------------------------------------

    def display(self, row: SeatListRow, key: str) -> str:
        if key == "school":
            return f"{row.school} \u2013 {row.school_name}"
        if key == "position":
            return str(row.position)
        if key == "state":
            return state_name(row.state)
        if key == "holder":
            return row.holder or ""
        if key == "since":
            return fmt.day(row.holder_since)
        if key == "acquired":
            return fmt.day(row.acquired_on)
        if key == "release_on":
            return fmt.day(row.release_on)
        return super().display(row, key)

    def role_data(self, row: SeatListRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and key == "state":
            if row.state == browse_seats.STATE_FROZEN:
                return _("Frozen users are kept but cost nothing until unfrozen (L9).")
            if row.state == browse_seats.STATE_PENDING:
                return _("Cancelled: the seat runs until {day}.").format(
                    day=fmt.day(row.release_on)
                )
            if row.state == browse_seats.STATE_FREE:
                return _("Free: assign it to a teacher at no cost (L10).")
        return None

    def row_of_seat(self, seat_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.seat_id == seat_id:
                return i
        return None
