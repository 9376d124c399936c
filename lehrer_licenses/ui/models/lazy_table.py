"""A table model that reads its rows page by page from a services query, as the view scrolls.

Qt asks ``canFetchMore``/``fetchMore`` when the view nears the end of what is loaded, so a
database of 20,000 schools costs one page query at start, not 20,000 rows. Sorting and
searching start over from the first page in SQL: sorting the loaded rows in Python would sort
only what happened to be scrolled through.

A subclass says what a column is (``COLUMNS``), how to count and read a page, and how a row is
shown (``display`` and friends).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from lehrer_licenses.i18n import _, pgettext
from lehrer_licenses.ui.handles import Database

PAGE_SIZE = 200
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


@dataclass(frozen=True)
class Column:
    key: str  # the sort key of the services query
    title: str  # marked with N_, translated when shown
    numeric: bool = False
    hidden: bool = False  # until the user shows it from the header's context menu
    chars: int = 10  # initial width in average characters
    # The title's msgctxt (marked with NP_) where the bare word would be ambiguous: the "Open"
    # amount of an invoice is "Reste dû" in French, an "Open" invoice "Ouverte".
    context: str | None = None

    @property
    def heading(self) -> str:
        return _(self.title) if self.context is None else pgettext(self.context, self.title)


class LazyTableModel(QAbstractTableModel, Generic[Row]):
    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    DEFAULT_SORT: ClassVar[tuple[str, bool]] = ("number", False)
    # Rows read for the first page of a query when fewer than a page fill the screen, so that
    # a search shows its first rows sooner; scrolling then reads whole pages. None: a page.
    FIRST_PAGE: ClassVar[int | None] = None

    # Emitted after the first page of a new query (search, sort, refresh) is in.
    reloaded = Signal()

    def __init__(
        self,
        db: Database | None,
        page_size: int = PAGE_SIZE,
        parent=None,
        first_page: tuple[Sequence[Row], int] | None = None,
        sort: tuple[str, bool] | None = None,
    ) -> None:
        """``db`` None: the database is not open yet (the app's start); the model shows
        ``first_page`` (its rows in the order ``sort``, else the default one, and the total),
        read without it, and what the user asks for meanwhile (a search, a sort, more rows)
        waits for ``attach``."""
        super().__init__(parent)
        self._db = db
        self._page_size = page_size
        self._rows: list[Row] = []
        self._total = 0
        self._search = ""
        self._sort_key, self._descending = sort or self.DEFAULT_SORT
        self.pages_fetched = 0
        self._stale = False  # asked to reload before the database was there
        if first_page is None:
            self.reload()
        else:
            self._rows, self._total = list(first_page[0]), first_page[1]
            self.pages_fetched = 1

    # --- what a subclass provides --------------------------------------------------------------

    def count(self, db: Database, search: str) -> int:
        raise NotImplementedError

    def page(
        self, db: Database, search: str, offset: int, limit: int, sort_key: str, descending: bool
    ) -> list[Row]:
        raise NotImplementedError

    def display(self, row: Row, key: str) -> str:
        value = getattr(row, key, None)
        return "" if value is None else str(value)

    def role_data(self, row: Row, key: str, role: int) -> Any:
        """Anything beyond text and alignment (tooltips, colours)."""
        return None

    # --- query state ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Rows matching the search, loaded or not."""
        return self._total

    @property
    def search(self) -> str:
        return self._search

    @property
    def sort_order(self) -> tuple[str, bool]:
        return self._sort_key, self._descending

    def set_database(self, db: Database) -> None:
        self._db = db
        self.reload()

    def attach(self, db: Database) -> None:
        """The database the first page was read from is open: go on from the rows shown, or
        read what was asked for meanwhile."""
        self._db = db
        if self._stale:
            self.reload()

    def set_search(self, text: str) -> None:
        if text.strip() == self._search.strip():
            return
        self._search = text
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        key = self.COLUMNS[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        self.reload()

    def reload(self) -> None:
        """Start over from the first page (after a search, a sort, or a change in the data)."""
        if self._db is None:
            self._stale = True
            return
        self._stale = False
        self.beginResetModel()
        self._rows = []
        self._total = self.count(self._db, self._search)
        self.pages_fetched = 0
        self.endResetModel()
        # Fetch the first page now: a view that is not shown yet would never ask for it.
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        self.reloaded.emit()

    # --- lazy fetching -------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._db is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        limit = self._page_size
        if not self._rows and self.FIRST_PAGE is not None:
            limit = min(limit, self.FIRST_PAGE)
        rows = self.page(
            self._db, self._search, len(self._rows), limit, self._sort_key, self._descending
        )
        self.pages_fetched += 1
        if not rows:
            # The data shrank under us (another clerk deleted rows): stop asking.
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    # --- the table -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.heading
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column.key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        if role == Qt.ItemDataRole.UserRole:
            return row
        return self.role_data(row, column.key, role)

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.COLUMNS) if c.key == key)


class CountedLater:
    """For a LazyTableModel whose count of all rows arrives after its first page (read on a
    worker): ``_counted`` is None until then. Listed before LazyTableModel in the bases."""

    _counted: int | None
    _rows: list

    @property
    def total(self) -> int:
        """Rows matching the question once counted, else those loaded so far."""
        return self._counted if self._counted is not None else len(self._rows)

    @property
    def counted_total(self) -> int | None:
        return self._counted
