"""The schools table over ``browse_schools.list_schools``: paged, sorted and searched in SQL.

The first page of a search is read at once (typing waits for it); how many schools the search
finds is counted afterwards on a worker (``counted``), as the seats view does: counting the
100,000 matches of "schule" at 200,000 schools took longer than finding the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse.first_page import (
    STATUS_ENDING,
    STATUS_LAPSED,
    STATUS_NONE,
    SchoolRow,
)
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.labels import school_status, warning_colour
from lehrer_licenses.ui.models.lazy_table import Column, CountedLater, Index, LazyTableModel
from lehrer_licenses.ui.workers import Progress, Task, start

COLUMNS = (
    Column("number", N_("Number"), chars=8),
    Column("name", N_("Name"), chars=24),
    Column("postcode", N_("Postcode"), hidden=True, chars=7),
    Column("city", N_("City"), chars=15),
    Column("country", N_("Country"), chars=7),
    Column("status", N_("Contract"), chars=13),
    Column("plan", N_("Plan"), hidden=True, chars=10),
    Column("term_end", N_("Term ends"), chars=10),
    Column("seats", N_("Seats"), numeric=True, chars=6),
    Column("free", N_("Free"), numeric=True, chars=5),
    Column("open_total", N_("Open invoices"), numeric=True, chars=14),
)


def display(row: SchoolRow, key: str) -> str:
    if key == "status":
        return school_status(row.status)
    if key == "term_end":
        return fmt.day(row.term_end)
    if key == "seats":
        return str(row.seats) if row.seats else ""
    if key == "free":
        return str(row.seats_free) if row.seats else ""
    if key == "open_total":
        if row.open_mixed_currencies:
            return _("several currencies")
        return fmt.money(row.open_total, row.open_currency) if row.open_total else ""
    value = getattr(row, key)
    return "" if value is None else str(value)


def tooltip(row: SchoolRow, key: str) -> str | None:
    if key in ("seats", "free") and row.seats:
        text = _("{seats} seats: {assigned} held by teachers, {free} free").format(
            seats=row.seats, assigned=row.seats_assigned, free=row.seats_free
        )
        if row.seats_cancel_pending:
            text += "\n" + _("{n} cancelled, running until the cancellation takes effect").format(
                n=row.seats_cancel_pending
            )
        return text
    return None


def status_colour(status: str) -> QColor | None:
    """Only the contract cell is coloured: greying whole rows made them look disabled."""
    if status == STATUS_ENDING:
        return warning_colour()
    if status in (STATUS_LAPSED, STATUS_NONE):
        return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return None


class SchoolsModel(CountedLater, LazyTableModel[SchoolRow]):
    COLUMNS = COLUMNS
    DEFAULT_SORT = ("number", False)
    # A screen shows 15-40 schools; the figures of 200 took 25 ms of every keystroke.
    FIRST_PAGE = 60

    counted = Signal(int)  # the total of the current search, once known

    def __init__(
        self,
        db: Database | None,
        page_size: int = 200,
        parent=None,
        first_page: tuple[Sequence[SchoolRow], int] | None = None,
        sort: tuple[str, bool] | None = None,
    ) -> None:
        self._generation = 0
        self._counted: int | None = None
        self._more = False
        super().__init__(db, page_size, parent, first_page, sort)
        if first_page is not None:  # read with its count at the start (first_page.py)
            self._counted = first_page[1]
            self._more = len(self._rows) < self._counted

    # browse.schools is imported when the database is there: with it come SQLAlchemy and the
    # models, which the start's first page does without (services/browse/first_page.py).
    def count(self, db: Database, search: str) -> int:
        from lehrer_licenses.services.browse import schools as browse_schools

        return browse_schools.count_schools(db, search)

    def page(self, db, search, offset, limit, sort_key, descending) -> list[SchoolRow]:
        from lehrer_licenses.services.browse import schools as browse_schools

        return browse_schools.list_schools(db, search, offset, limit, sort_key, descending)

    def reload(self) -> None:
        if self._db is None:  # the start: asked for before the database is there
            self._stale = True
            return
        self._stale = False
        self._generation += 1
        self._counted = None
        self.beginResetModel()
        self._rows = []
        self.pages_fetched = 0
        self._more = True
        self.endResetModel()
        self.fetchMore(QModelIndex())
        if self._counted is None:
            self._count_later()
        self.reloaded.emit()

    def _count_later(self) -> None:
        generation, db, search = self._generation, self._db, self._search

        def work(_progress: Progress) -> int | None:
            if generation != self._generation:
                return None  # typed on while it waited for a worker: not worth counting
            return self.count(db, search)

        task = Task(work)
        task.signals.succeeded.connect(lambda total: self._count_done(generation, total))
        start(task)

    def _count_done(self, generation: int, total: int | None) -> None:
        if total is not None and isValid(self) and generation == self._generation:
            self._set_counted(total)

    def _set_counted(self, total: int) -> None:
        self._counted = total
        self.counted.emit(total)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or not self._more or self._db is None:
            return False
        return self._counted is None or len(self._rows) < self._counted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        limit = self._page_size
        if not self._rows and self.FIRST_PAGE is not None:
            limit = min(limit, self.FIRST_PAGE)
        first = len(self._rows)
        rows = self.page(self._db, self._search, first, limit, self._sort_key, self._descending)
        self.pages_fetched += 1
        # A short page is the last one, and then the count is known without counting.
        self._more = len(rows) == limit
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if not self._more and self._counted != len(self._rows):
            self._set_counted(len(self._rows))

    def display(self, row: SchoolRow, key: str) -> str:
        return display(row, key)

    def role_data(self, row: SchoolRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return status_colour(row.status)
        return None

    def row_of(self, number: str) -> int | None:
        """Where school ``number`` is among the loaded rows."""
        for i, row in enumerate(self._rows):
            if row.number == number:
                return i
        return None
