"""The schools view: search-as-you-type over a lazily fetched, SQL-sorted table, and the
selected school's details below it."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.browse.first_page import FirstPage
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.lazy_table import PAGE_SIZE
from lehrer_licenses.ui.models.schools_model import SchoolsModel
from lehrer_licenses.ui.views.lazy_table_view import LazyTableView

if TYPE_CHECKING:
    from lehrer_licenses.ui.views.school_detail import SchoolDetailPanel

SEARCH_DELAY_MS = 150
# After a search (and at the start), the first school's details follow once the typing paused:
# reading them (contract, seats, invoices: 30-70 ms on 20,000 schools) at every keystroke kept
# the list waiting, and the panel's modules (licences, billing) cost the start 0.2-0.3 s more.
DETAIL_DELAY_MS = 150


class SearchField(QLineEdit):
    """The search box; Down is passed on as a signal. (The view filtered the box's events
    before: a filter that is a Python object was still called for the box's cursor-blink timer
    while the view was being destroyed, and crashed the process.)"""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SchoolsView(QWidget):
    school_selected = Signal(object)  # the number, or None
    new_school_requested = Signal()
    order_requested = Signal()
    cancel_requested = Signal()

    def __init__(
        self,
        db: Database | None,
        parent: QWidget | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        """``db`` None: the app's start shows ``first_page`` (read without the database layer)
        until ``attach``; a click, a search or a sort meanwhile is carried out then."""
        super().__init__(parent)
        page = sort = None
        if first_page is not None:
            page = (first_page.rows, first_page.total)
            sort = (first_page.sort_key, first_page.descending)
        self.model = SchoolsModel(db, parent=self, first_page=page, sort=sort)

        self.search = SearchField()
        # The shortcut as the platform and language write it ("Strg+F" in German, "⌘F" on a Mac).
        shortcut = QKeySequence("Ctrl+F").toString(QKeySequence.SequenceFormat.NativeText)
        self.search.setPlaceholderText(
            _("Search by name, number, postcode or city ({shortcut})").format(shortcut=shortcut)
        )
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_search)
        # The list is being filled for a typed search or for the start: the details wait.
        self._searching = True
        # Details that wait: a single-shot timer of Qt's own that holds the view only weakly
        # (``_show_later``). A QTimer child of the view crashed the tests: a view let go of with
        # it running can be destroyed by Python's garbage collector on a worker thread, where Qt
        # cannot stop the timer, which then fired into freed memory.
        self._detail_pending = False
        self._detail_generation = 0
        # A header click re-sorts the list: its details wait as a search's do (the first
        # click built the detail panel, 150 ms of the click at 200,000 schools).
        self._sorted_as = self.model.sort_order
        self._sorting = False
        self._db = db
        self._detail: SchoolDetailPanel | None = None
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_search)
        self.search.down_pressed.connect(self._down_from_search)

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

        self.table = LazyTableView(self.model, stretch="name")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self._order_pending = False  # a double click before the database was there
        self.model.reloaded.connect(self._after_reload)
        self.model.rowsInserted.connect(self._update_count)
        self.model.counted.connect(self._update_count)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(QWidget())  # the detail panel's place until it is built
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._enable_changes(db is not None)
        self._keep_selection: str | None = None
        self._after_reload()  # the model read its first page before we listened
        self._searching = False

    # --- what the main window calls ------------------------------------------------------------

    @property
    def detail(self) -> SchoolDetailPanel:
        """The selected school's panel, built when first needed."""
        if self._detail is None:
            from lehrer_licenses.ui.views.school_detail import SchoolDetailPanel

            self._detail = SchoolDetailPanel(self._db)
            self._detail.school_edited.connect(self._school_edited)
            sizes = self.splitter.sizes()
            self.splitter.replaceWidget(1, self._detail).deleteLater()
            self.splitter.setSizes(sizes)
        return self._detail

    def _school_edited(self, number: str) -> None:
        self.refresh(select=number)

    def attach(self, db: Database) -> None:
        """The database of the first page is open: what the user did meanwhile happens now."""
        self._db = db
        self._enable_changes(True)
        # A search typed meanwhile is in the model already (``apply_search``): it reads it now.
        self.model.attach(db)
        # Rows the user scrolled to meanwhile: the table asks for them when it lays out again.
        self.table.updateGeometries()
        if self._detail_pending and self.isVisible():
            self._show_later()  # as at any start: the details once the list is in
        if self._order_pending:
            self._order_pending = False
            # After the start's own work (``attach`` is part of it), as the double click would.
            QTimer.singleShot(0, self._order_after_start)

    def _enable_changes(self, enabled: bool) -> None:
        """The buttons that change schools, as the menu's actions: with the database."""
        for button in (self.new_button, self.order_button, self.cancel_button):
            button.setEnabled(enabled)

    def _order_after_start(self) -> None:
        self.order_requested.emit()

    def set_database(self, db: Database) -> None:
        self._db = db
        if self._detail is not None:
            self._detail.set_database(db)
        self._keep_selection = None
        self.model.set_database(db)

    def _down_from_search(self) -> None:
        # Down from the search box goes on to the list, as in a browser's address bar.
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        if self.selected_number() is None and self.model.rowCount() > 0:
            self.table.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_search(self) -> None:
        self._debounce.stop()
        self._keep_selection = self.selected_number()
        self._searching = True
        try:
            self.model.set_search(self.search.text())
        finally:
            self._searching = False

    def refresh(self, select: str | None = None) -> None:
        """Re-read everything (after a change), keeping or moving the selection."""
        self._keep_selection = select or self.selected_number()
        self.model.reload()

    def show_school(self, number: str) -> None:
        """Search for one school and select it (the audit log opens a school this way): a
        search that hid it would otherwise leave nothing to select."""
        self._debounce.stop()
        self.search.blockSignals(True)
        self.search.setText(number)
        self.search.blockSignals(False)
        self._keep_selection = number
        if self.model.search.strip() == number.strip():
            self.model.reload()
        else:
            self.model.set_search(number)

    def selected_number(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.row_at(rows[0].row())
        return row.number if row else None

    def select_number(self, number: str) -> bool:
        """Select school ``number`` (if it is in the list) and show its details now."""
        if not self._select(number):
            return False
        if self._detail_pending or self.detail.number != number:
            self._show(number)
        return True

    def _select(self, number: str) -> bool:
        row = self.model.row_of(number)
        # The first page is short (SchoolsModel.FIRST_PAGE); a school asked for by name (after
        # an edit, an order, from the audit log) is looked for in a page's worth of rows, as
        # before. Not while typing: that would read a page more at every keystroke.
        while row is None and not self._searching and self._can_fetch_more():
            self.model.fetchMore(QModelIndex())
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
        self._sorting = self.model.sort_order != self._sorted_as
        self._sorted_as = self.model.sort_order
        try:
            self._select_after_reload()
        finally:
            self._sorting = False

    def _select_after_reload(self) -> None:
        wanted = self._keep_selection
        self._keep_selection = None
        if wanted and self._select(wanted):
            return
        # Otherwise the first school: an empty detail panel is half a window of nothing.
        first = self.model.row_at(0)
        if not (first and self._select(first.number)):
            self._show(None)

    def _update_count(self, *_args) -> None:
        total = self.model.counted_total
        shown = fmt.quantity  # 99,370 (in the UI language's digits grouping), not 99370
        if total is None:
            # The first page is shown; the count follows from a worker (SchoolsModel).
            loaded = self.model.rowCount()
            if self.model.search.strip():
                self.count_label.setText(_("{n}+ found").format(n=shown(loaded)))
            else:
                self.count_label.setText(_("{n}+ schools").format(n=shown(loaded)))
        elif self.model.search.strip():
            self.count_label.setText(_("{n} found").format(n=shown(total)))
        else:
            self.count_label.setText(
                ngettext("{n} school", "{n} schools", total).format(n=shown(total))
            )

    def _can_fetch_more(self) -> bool:
        return self.model.canFetchMore(QModelIndex()) and self.model.rowCount() < PAGE_SIZE

    def _double_clicked(self, _index: QModelIndex) -> None:
        if self._db is None:
            self._order_pending = True
        else:
            self.order_requested.emit()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected_number())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._detail_pending:
            self._show_later()

    def _show_later(self) -> None:
        self._detail_generation += 1
        generation, view = self._detail_generation, weakref.ref(self)

        def show() -> None:
            alive = view()
            if (
                alive is not None
                and isValid(alive)
                and alive._detail_pending
                and alive._detail_generation == generation
                and alive.isVisible()
            ):
                alive._show(alive.selected_number())

        QTimer.singleShot(DETAIL_DELAY_MS, show)

    def _show(self, number: str | None) -> None:
        # While typing, no hit leaves the panel as it is too, when it is not built yet: building
        # it (its modules) for the message "select a school" cost the first such keystroke 0.25 s.
        if self._db is None:  # the start's first page: the details follow ``attach``
            self._detail_pending = True
            return
        if (self._searching or self._sorting) and (number is not None or self._detail is None):
            self._detail_pending = True
            if self.isVisible():
                self._show_later()
            return
        self._detail_pending = False
        self._detail_generation += 1
        if number != self.detail.number or number is None:
            self.detail.show_school(number)
        else:
            self.detail.refresh()
        self.school_selected.emit(number)
