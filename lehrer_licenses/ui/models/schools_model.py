"""The schools table: fetched page by page as the user scrolls, sorted and filtered in SQL.

Qt asks ``canFetchMore``/``fetchMore`` when the view scrolls near the end, so a database of
20,000 schools costs one page query at start, not 20,000 rows. Sorting and searching re-query
from the first page: sorting loaded rows in Python would sort only what was scrolled through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services import browse
from lehrer_licenses.services.browse import SchoolRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.labels import school_status

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    key: str  # the sort key of browse.list_schools
    title: str  # marked with N_, translated when shown
    numeric: bool = False
    hidden: bool = False  # until the user shows it from the header's context menu


COLUMNS = (
    Column("number", N_("Number")),
    Column("name", N_("Name")),
    Column("postcode", N_("Postcode"), hidden=True),
    Column("city", N_("City")),
    Column("country", N_("Country")),
    Column("status", N_("Contract")),
    Column("plan", N_("Plan"), hidden=True),
    Column("term_end", N_("Term ends")),
    Column("seats", N_("Seats"), numeric=True),
    Column("free", N_("Free"), numeric=True),
    Column("open_total", N_("Open invoices"), numeric=True),
)
COLUMN_KEYS = [c.key for c in COLUMNS]


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
    if status == browse.STATUS_ENDING:
        return QColor("#b35c00")
    if status in (browse.STATUS_LAPSED, browse.STATUS_NONE):
        return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return None


class SchoolsModel(QAbstractTableModel):
    # Emitted after the first page of a new query (search, sort, refresh) is in.
    reloaded = Signal()

    def __init__(self, db: Database, page_size: int = PAGE_SIZE, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._page_size = page_size
        self._rows: list[SchoolRow] = []
        self._total = 0
        self._search = ""
        self._sort_key = "number"
        self._descending = False
        self.pages_fetched = 0
        self.reload()

    # --- query state ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Schools matching the search, loaded or not."""
        return self._total

    @property
    def search(self) -> str:
        return self._search

    def set_database(self, db: Database) -> None:
        self._db = db
        self.reload()

    def set_search(self, text: str) -> None:
        if text.strip() == self._search.strip():
            return
        self._search = text
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        self.reload()

    def reload(self) -> None:
        """Start over from the first page (after a search, a sort, or a change in the data)."""
        self.beginResetModel()
        self._rows = []
        self._total = browse.count_schools(self._db, self._search)
        self.pages_fetched = 0
        self.endResetModel()
        # Fetch the first page now: a view that is not shown yet would never ask for it.
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        self.reloaded.emit()

    # --- lazy fetching -------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = browse.list_schools(
            self._db,
            self._search,
            offset=len(self._rows),
            limit=self._page_size,
            sort_key=self._sort_key,
            descending=self._descending,
        )
        self.pages_fetched += 1
        if not page:
            # The data shrank under us (another clerk deleted schools): stop asking.
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def fetch_all_until(self, row: int) -> None:
        while row >= len(self._rows) and self.canFetchMore():
            self.fetchMore()

    # --- the table -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(row, column.key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row, column.key)
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "status":
            return status_colour(row.status)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def row_at(self, row: int) -> SchoolRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, number: str) -> int | None:
        """Where school ``number`` is among the loaded rows."""
        for i, row in enumerate(self._rows):
            if row.number == number:
                return i
        return None
