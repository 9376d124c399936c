"""The table widget for a LazyTableModel: SQL sorting on header click, column widths from the
column declarations, and a header menu to choose the columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from lehrer_licenses.ui.models.lazy_table import LazyTableModel
from lehrer_licenses.ui.style import plain_style


class LazyTableView(QTableView):
    def __init__(self, model: LazyTableModel, stretch: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyle(plain_style(self))  # its cells painted without a call into Python each
        self.setModel(model)
        self._stretch = stretch
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        average = self.fontMetrics().averageCharWidth()
        for column, spec in enumerate(model.COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            # Wide enough for the contents and for the (translated) title with its sort arrow.
            self.setColumnWidth(column, max(spec.chars * average + 16, self._title_width(column)))
            self.setColumnHidden(column, spec.hidden)
        header.setSectionResizeMode(model.column_of(stretch), QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        key, descending = model.sort_order
        # The indicator first: enabling sorting then asks the model for the order it already
        # has (a no-op), instead of column 0 ascending and then the real order (two queries).
        header.setSortIndicator(
            model.column_of(key),
            Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder,
        )
        self.setSortingEnabled(True)

    def _title_width(self, column: int) -> int:
        heading = self.model().COLUMNS[column].heading
        return self.horizontalHeader().fontMetrics().horizontalAdvance(heading) + 28

    def restore_header(self, state: QByteArray) -> bool:
        """The widths and order saved at the last quit, each column still as wide as its title:
        they were saved in the language of then, and "Open invoices" was narrower than
        "Offene Rechnungen" (which then read "ffene Rechnungen")."""
        header = self.horizontalHeader()
        if not header.restoreState(state):
            return False
        for column in range(header.count()):
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
                header.resizeSection(
                    column, max(header.sectionSize(column), self._title_width(column))
                )
        return True

    def _header_menu(self, pos: QPoint) -> None:
        """Right-click on the header: choose the columns (the header state is saved on quit)."""
        model: LazyTableModel = self.model()
        menu = QMenu(self)
        for column, spec in enumerate(model.COLUMNS):
            action = menu.addAction(spec.heading)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.setEnabled(spec.key != self._stretch)
            action.toggled.connect(lambda on, c=column: self.setColumnHidden(c, not on))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))
