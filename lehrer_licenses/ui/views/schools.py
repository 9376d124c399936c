"""The schools view: search-as-you-type over a lazily fetched, SQL-sorted table, and the
selected school's details beside it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.schools_model import COLUMNS, SchoolsModel
from lehrer_licenses.ui.views.school_detail import SchoolDetailPanel

SEARCH_DELAY_MS = 150
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
# Initial widths in average characters; the user's own widths are kept by the header state.
COLUMN_CHARS = {
    "number": 8,
    "name": 24,
    "postcode": 7,
    "city": 15,
    "country": 7,
    "status": 13,
    "plan": 10,
    "term_end": 10,
    "seats": 6,
    "free": 5,
    "open_total": 14,
}


class SchoolsView(QWidget):
    school_selected = Signal(object)  # the number, or None
    new_school_requested = Signal()
    order_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SchoolsModel(db, parent=self)

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, number, postcode or city (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_search)

        self.new_button = QPushButton(_("New school…"))
        self.order_button = QPushButton(_("Order seats…"))
        self.cancel_button = QPushButton(_("Cancel licences…"))
        self.new_button.clicked.connect(self.new_school_requested)
        self.order_button.clicked.connect(self.order_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        top.addWidget(self.order_button)
        top.addWidget(self.cancel_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        average = self.fontMetrics().averageCharWidth()
        for column, spec in enumerate(COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            # Wide enough for the contents and for the (translated) title with its sort arrow.
            title = header.fontMetrics().horizontalAdvance(_(spec.title)) + 28
            self.table.setColumnWidth(
                column, max(COLUMN_CHARS.get(spec.key, 10) * average + 16, title)
            )
            self.table.setColumnHidden(column, spec.hidden)
        header.setSectionResizeMode(COLUMN_INDEX["name"], QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.order_requested.emit())
        self.model.reloaded.connect(self._after_reload)
        self.model.rowsInserted.connect(self._update_count)

        self.detail = SchoolDetailPanel(db)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._keep_selection: str | None = None
        self._update_count()
        self._update_buttons()

    # --- what the main window calls ------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self.detail.set_database(db)
        self._keep_selection = None
        self.model.set_database(db)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_search(self) -> None:
        self._debounce.stop()
        self._keep_selection = self.selected_number()
        self.model.set_search(self.search.text())

    def refresh(self, select: str | None = None) -> None:
        """Re-read everything (after a change), keeping or moving the selection."""
        self._keep_selection = select or self.selected_number()
        self.model.reload()

    def selected_number(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.row_at(rows[0].row())
        return row.number if row else None

    def select_number(self, number: str) -> bool:
        row = self.model.row_of(number)
        if row is None:
            return False
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(index, flags)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    # --- internals -----------------------------------------------------------------------------

    def _after_reload(self) -> None:
        self._update_count()
        wanted = self._keep_selection
        self._keep_selection = None
        if not (wanted and self.select_number(wanted)):
            self._show(None)

    def _header_menu(self, pos: QPoint) -> None:
        """Right-click on the header: choose the columns (the header state is saved on quit)."""
        menu = QMenu(self)
        for column, spec in enumerate(COLUMNS):
            action = menu.addAction(_(spec.title))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(spec.key != "name")
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _update_count(self, *_args) -> None:
        total = self.model.total
        if self.model.search.strip():
            self.count_label.setText(_("{n} found").format(n=total))
        else:
            self.count_label.setText(_("{n} schools").format(n=total))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected_number())

    def _show(self, number: str | None) -> None:
        if number != self.detail.number or number is None:
            self.detail.show_school(number)
        else:
            self.detail.refresh()
        self._update_buttons()
        self.school_selected.emit(number)

    def _update_buttons(self) -> None:
        has = self.detail.number is not None
        self.cancel_button.setEnabled(has)
