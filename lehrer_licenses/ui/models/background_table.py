"""A lazy table model whose pages and count are read on a worker thread.

For tables too big to read on the UI thread even one page at a time (the seats of 20,000
schools, the whole audit trail): a filter change starts one background query for the first
page; the table is reset when it arrives, and a newer filter makes an older answer count for
nothing. The total is counted in a second step (counting every row takes longer than finding
the first two hundred), so the list shows up first and its count a moment later. More rows are
read as the view scrolls (fetchMore), also in the background.

A subclass says what the current question is (``question``: a frozen value, so the worker never
reads the model's state) and how to answer it (``read``, ``read_count``); both run on a worker.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from shiboken6 import isValid

from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.lazy_table import CountedLater, Index, LazyTableModel, Row
from lehrer_licenses.ui.workers import Progress, Task, start

log = logging.getLogger(__name__)


class BackgroundTableModel(CountedLater, LazyTableModel[Row]):
    counted = Signal(int)  # the total of the current question, once known
    loading_changed = Signal(bool)
    failed = Signal(object)  # the exception of a query that went wrong

    def __init__(self, db: Database, page_size: int = 200, parent=None) -> None:
        self._generation = 0
        self._more = False
        self._loading = False
        self._fetching = False
        self._counted: int | None = None
        super().__init__(db, page_size, parent)

    # --- what a subclass provides --------------------------------------------------------------

    def question(self) -> Any:
        """What to read now (filter and sort), as a value the worker can keep."""
        return (self._search, self._sort_key, self._descending)

    def read(self, db: Database, question: Any, last: Row | None, offset: int, limit: int):
        """Up to ``limit`` rows after ``last`` (the last row loaded, at ``offset``)."""
        raise NotImplementedError

    def read_count(self, db: Database, question: Any) -> int:
        raise NotImplementedError

    # --- LazyTableModel ------------------------------------------------------------------------

    def count(self, db: Database, search: str) -> int:  # not used: counted in the background
        return 0

    @property
    def loading(self) -> bool:
        return self._loading

    def reload(self) -> None:
        """Ask for the first page of the current question in the background."""
        self._generation += 1
        generation = self._generation
        db, question, size = self._db, self.question(), self._page_size
        self._counted = None
        self._set_loading(True)

        def page(_progress: Progress) -> list:
            if generation != self._generation:
                return []  # overtaken while it waited for a worker: skip the query
            return self.read(db, question, None, 0, size + 1)

        def count(_progress: Progress) -> int:
            if generation != self._generation:
                return 0
            return self.read_count(db, question)

        task = Task(page)
        task.signals.succeeded.connect(lambda rows: self._page_done(generation, rows, count))
        task.signals.failed.connect(lambda exc: self._failed(generation, exc))
        start(task)

    def _current(self, generation: int) -> bool:
        """An answer for the latest question, to a model that still exists."""
        return isValid(self) and generation == self._generation

    def _page_done(self, generation: int, rows: list, count) -> None:
        if not self._current(generation):
            return  # a newer question is on its way
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

    def _show_first(self, rows: list) -> None:
        self.beginResetModel()
        self._more = len(rows) > self._page_size
        self._rows = rows[: self._page_size]
        self.pages_fetched = 1
        self.endResetModel()
        self.reloaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        log.error("reading a table failed: %s", exc)
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
        db, question, size = self._db, self.question(), self._page_size
        offset = len(self._rows)
        last = self._rows[-1] if self._rows else None

        def work(_progress: Progress) -> list:
            return self.read(db, question, last, offset, size + 1)

        task = Task(work)
        task.signals.succeeded.connect(lambda rows: self._append(generation, offset, rows))
        task.signals.finished.connect(self._fetch_finished)
        start(task)

    def _fetch_finished(self) -> None:
        if isValid(self):
            self._fetching = False

    def _append(self, generation: int, offset: int, rows: list) -> None:
        if not self._current(generation) or offset != len(self._rows):
            return
        self._more = len(rows) > self._page_size
        rows = rows[: self._page_size]
        self.pages_fetched += 1
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
