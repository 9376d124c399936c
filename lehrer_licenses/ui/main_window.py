"""The main window: a navigation list on the left, one view per page, and the database in the
status bar. Opening another database swaps it under every view. The menus and the dialogs they
open are menu_actions.py, backup and restore backup_actions.py.

It is built in two steps so that it shows at once on start: the frame (navigation, menus,
status bar) needs only Qt; the views, and with them SQLAlchemy, Alembic and the services (about
a second of imports), come in ``attach`` once the database is open. This module therefore
imports the views and services inside the methods that need them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from lehrer_licenses.i18n import _
from lehrer_licenses.services.browse.first_page import FirstPage
from lehrer_licenses.ui import asking
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.backup_actions import BackupActions
from lehrer_licenses.ui.database_label import DB_FILTER, database_label
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.icons import icon
from lehrer_licenses.ui.menu_actions import MenuActions
from lehrer_licenses.ui.pages import PAGES, VIEW_NAMES
from lehrer_licenses.ui.settings import Settings


def remember(settings: Settings, db: Database) -> None:
    """Recent files are files: a server URL is shown without its password and so could not be
    reopened from the list; it is left out."""
    if db.url.startswith("sqlite:///"):
        settings.add_recent_database(database_label(db))


class MainWindow(MenuActions, BackupActions, QMainWindow):
    language_requested = Signal(str)  # "" for the system's language

    def __init__(
        self, db: Database | None, settings: Settings, parent: QWidget | None = None
    ) -> None:
        """The frame at once; with a database the views too (``attach``), else when one is
        open."""
        super().__init__(parent)
        self.db = db  # type: ignore[assignment]  # None only until attach
        self.settings = settings
        self.views: list[tuple[QWidget, str, str]] = []
        self.setWindowTitle("lehrer-licenses")
        self.setWindowIcon(icon("app"))

        # Icons above their names: a narrow strip leaves the width to the tables.
        self.nav = QListWidget()
        self.nav.setViewMode(QListWidget.ViewMode.IconMode)
        self.nav.setMovement(QListWidget.Movement.Static)
        self.nav.setFlow(QListWidget.Flow.TopToBottom)
        self.nav.setWrapping(False)
        self.nav.setIconSize(QSize(32, 32))
        self.nav.setSpacing(4)
        titles = [_(title) for title, _icon in PAGES]
        for title, (_t, icon_name) in zip(titles, PAGES, strict=True):
            QListWidgetItem(icon(icon_name), title, self.nav)
        width = max(self.nav.fontMetrics().horizontalAdvance(t) for t in titles)
        width = max(width + 16, 72)
        for row in range(self.nav.count()):
            self.nav.item(row).setSizeHint(QSize(width, 32 + self.nav.fontMetrics().height() + 14))
        self.nav.setFixedWidth(width + 16)
        self.stack = QStackedWidget()
        self._opening = QLabel(_("Opening the database…"))
        self._opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._opening)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._path_label = QLabel()
        self._path_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self._path_label)
        self._build_menus()
        self.restore_geometry()
        for action in self._needs_views:
            action.setEnabled(False)
        if db is not None:
            self.attach(db)

    @property
    def attached(self) -> bool:
        return self.db is not None and bool(self.views)

    def schools_sort(self) -> tuple[str, bool]:
        """The order the schools list was left in (its header's saved state), without building
        the list: the start reads its first page in that order."""
        from lehrer_licenses.ui.models.schools_model import COLUMNS, SchoolsModel

        header = QHeaderView(Qt.Orientation.Horizontal)
        state = self.settings[opt.SCHOOLS_HEADER]
        if state.isEmpty() or not header.restoreState(state):
            return SchoolsModel.DEFAULT_SORT
        section = header.sortIndicatorSection()
        if not 0 <= section < len(COLUMNS):
            return SchoolsModel.DEFAULT_SORT
        return COLUMNS[section].key, header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def show_first_page(self, page: FirstPage) -> None:
        """The schools list from the start's light read, before the database is open: it is
        shown at once, and ``attach`` gives it the database."""
        from lehrer_licenses.ui.views.schools import SchoolsView

        self._add_views(SchoolsView(None, first_page=page))
        self.restore_state()

    def attach(self, db: Database) -> None:
        """Build the schools view on ``db`` (or give it to the one showing the first page); the
        other views are built when first shown (or asked for), so the start pays only for the
        list the user sees first."""
        from lehrer_licenses.ui.views.schools import SchoolsView

        self.db = db
        first_page = bool(self.views)
        if first_page:
            self.schools.attach(db)
        else:
            self._add_views(SchoolsView(db))
        self._show_database()
        for action in self._needs_views:
            action.setEnabled(True)
        is_file = self._is_file()
        self.backup_action.setEnabled(is_file)
        self.restore_action.setEnabled(is_file)
        self._apply_access()
        self.schools.new_school_requested.connect(self.new_school)
        self.schools.order_requested.connect(self.order_seats)
        self.schools.cancel_requested.connect(self.cancel_licences)
        if first_page:
            # A page chosen in the navigation meanwhile is built now.
            self._show_page(self.nav.currentRow())
        else:
            self.restore_state()

    def _add_views(self, schools: QWidget) -> None:
        self._built: dict[str, QWidget] = {}
        self.schools = schools
        self._built["schools"] = self.schools
        # Empty stand-ins keep the stack's pages in nav order until their view is built.
        widgets = [self.schools, *(QWidget() for _name in VIEW_NAMES[1:])]
        self.views = [
            (widget, _(title), icon_name)
            for widget, (title, icon_name) in zip(widgets, PAGES, strict=True)
        ]
        self.stack.removeWidget(self._opening)
        self._opening.deleteLater()
        for widget in widgets:
            self.stack.addWidget(widget)
        self.nav.currentRowChanged.connect(self._show_page)

    def _show_page(self, row: int) -> None:
        if self.db is None:  # the start's first page: the page chosen is shown on ``attach``
            return
        if 0 <= row < len(VIEW_NAMES):
            self._view(VIEW_NAMES[row])
        self.stack.setCurrentIndex(row)

    def _view(self, name: str) -> QWidget:
        view = self._built.get(name)
        return view if view is not None else self._build_view(name)

    def _build_view(self, name: str) -> QWidget:
        from lehrer_licenses.ui.views.audit_log import AuditLogView
        from lehrer_licenses.ui.views.catalogue import CatalogueView
        from lehrer_licenses.ui.views.invoices import InvoicesView
        from lehrer_licenses.ui.views.renewals import RenewalsView
        from lehrer_licenses.ui.views.seats import SeatsView

        kinds = {
            "seats": SeatsView,
            "invoices": InvoicesView,
            "renewals": RenewalsView,
            "catalogue": CatalogueView,
            "audit_log": AuditLogView,
        }
        view = kinds[name](self.db)
        self._built[name] = view
        row = VIEW_NAMES.index(name)
        stand_in = self.stack.widget(row)
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, view)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        self.stack.setCurrentIndex(current)
        _old, title, icon_name = self.views[row]
        self.views[row] = (view, title, icon_name)
        if name in ("invoices", "catalogue", "renewals"):
            view.set_access(self.access)
        if name == "renewals":
            view.renewed.connect(self.schools.refresh)
            view.renewed.connect(lambda: self._refresh_built("invoices", "seats"))
        elif name in ("seats", "invoices"):
            view.changed.connect(lambda *_args: self.schools.refresh())
        elif name == "audit_log":
            view.school_requested.connect(
                lambda number: (self.show_view(0), self.schools.show_school(number))
            )
        return view

    def _refresh_built(self, *names: str) -> None:
        """Refresh those of ``names`` that are built; one built later reads fresh data then."""
        for name in names:
            view = self._built.get(name)
            if view is not None:
                view.refresh()

    seats = property(lambda self: self._view("seats"))
    invoices = property(lambda self: self._view("invoices"))
    renewals = property(lambda self: self._view("renewals"))
    catalogue = property(lambda self: self._view("catalogue"))
    audit_log = property(lambda self: self._view("audit_log"))

    # --- actions -------------------------------------------------------------------------------

    def show_view(self, row: int) -> None:
        self.nav.setCurrentRow(row)

    def focus_search(self) -> None:
        self.show_view(0)
        self.schools.focus_search()

    def refresh(self) -> None:
        self._refresh_built(*VIEW_NAMES)

    # --- databases -----------------------------------------------------------------------------

    def _start_folder(self) -> str:
        label = database_label(self.db)
        return str(Path(label).parent) if "://" not in label else ""

    def open_database(self) -> None:
        path = asking.open_file(self, _("Open database"), self._start_folder(), DB_FILTER)
        if path is not None:
            self.switch_database(path)

    def new_database(self) -> None:
        path = asking.save_file(
            self,
            _("New database"),
            str(Path(self._start_folder()) / "licences.sqlite"),
            DB_FILTER,
            confirm_overwrite=False,
        )
        if path is None:
            return
        if Path(path).exists():
            asking.inform(
                self,
                _("New database"),
                _("{path} exists already; it is opened, not replaced.").format(path=path),
            )
        self.switch_database(path)

    def reopen(self, path: str) -> None:
        """Open ``path`` again under every view (after a restore)."""
        from lehrer_licenses.services.database_init import init_database

        try:
            db, _installed = init_database(path)
        except Exception as exc:
            show_error(self, exc, _("Cannot open the database"))
            return
        self._set_database(db)

    def switch_database(self, path: str) -> bool:
        from lehrer_licenses.services.database_init import init_database

        try:
            db, _installed = init_database(path)
        except Exception as exc:  # a missing, locked or foreign file: say so, keep the old one
            show_error(self, exc, _("Cannot open the database"))
            return False
        old = self.db
        self._set_database(db)
        old.dispose()
        remember(self.settings, db)
        return True

    def _set_database(self, db: Database) -> None:
        from lehrer_licenses.ui.open_elsewhere import warn_if_open_elsewhere

        self.db = db
        warn_if_open_elsewhere(self, db)
        for view in self._built.values():
            view.set_database(db)
        self._show_database()
        is_file = self._is_file()
        self.backup_action.setEnabled(is_file)
        self.restore_action.setEnabled(is_file)
        self._apply_access()

    def _apply_access(self) -> None:
        """Offer only what the user's server role allows (everything on a database file)."""
        from lehrer_licenses.services.access import ACCOUNTANT, current_access
        from lehrer_licenses.ui.permissions import permit

        self.access = current_access(self.db)
        permit(self.export_action, self.access, ACCOUNTANT)
        for name in ("invoices", "catalogue", "renewals"):
            if name in self._built:
                self._built[name].set_access(self.access)

    def connect_server(self):
        """File › Connect to server…: the dialog opens the server database, or says why not."""
        from lehrer_licenses.ui.dialogs.connect_server import ConnectServerDialog

        dialog = ConnectServerDialog(self.settings[opt.RECENT_SERVERS], self)
        if dialog.exec() and dialog.database is not None:
            old = self.db
            self._set_database(dialog.database)
            old.dispose()
            self.settings.add_recent_server(dialog.address.label())
        return dialog

    def _show_database(self) -> None:
        label = database_label(self.db)
        self._path_label.setText(_("Database: {path}").format(path=label))
        self.setWindowTitle(f"lehrer-licenses \u2013 {Path(label).name or label}")

    # --- window state --------------------------------------------------------------------------

    def restore_geometry(self) -> None:
        geometry = self.settings[opt.WINDOW_GEOMETRY]
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        self.clamp_to_screen()
        state = self.settings[opt.WINDOW_STATE]
        if not state.isEmpty():
            self.restoreState(state)
        row = self.settings[opt.CURRENT_VIEW]
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row if 0 <= row < len(PAGES) else 0)
        self.nav.blockSignals(False)

    def clamp_to_screen(self) -> None:
        """Keep the window on its screen's free area: a size saved on a larger screen, or at
        another scale factor (QT_SCALE_FACTOR=1.5), came back larger than the screen."""
        if self.isMaximized() or self.isFullScreen():
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        width = min(self.width(), area.width())
        height = min(self.height(), area.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), area.left()), area.left() + area.width() - width)
        y = min(max(self.y(), area.top()), area.top() + area.height() - height)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def restore_state(self) -> None:
        """The views' own state (after ``attach``)."""
        splitter = self.settings[opt.SCHOOLS_SPLITTER]
        if splitter.isEmpty() or not self.schools.splitter.restoreState(splitter):
            self.schools.splitter.setSizes([420, 340])
        header = self.settings[opt.SCHOOLS_HEADER]
        if not header.isEmpty():
            self.schools.table.restore_header(header)
        row = self.settings[opt.CURRENT_VIEW]
        self.show_view(row if 0 <= row < len(self.views) else 0)
        self.stack.setCurrentIndex(self.nav.currentRow())

    def save_state(self) -> None:
        self.settings[opt.WINDOW_GEOMETRY] = self.saveGeometry()
        self.settings[opt.WINDOW_STATE] = self.saveState()
        self.settings[opt.CURRENT_VIEW] = self.nav.currentRow()
        if not self.attached:
            self.settings.sync()
            return
        self.settings[opt.SCHOOLS_SPLITTER] = self.schools.splitter.saveState()
        self.settings[opt.SCHOOLS_HEADER] = self.schools.table.horizontalHeader().saveState()
        self.settings[opt.CURRENT_VIEW] = self.nav.currentRow()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        renewals = self._built.get("renewals") if self.attached else None
        if renewals is not None and renewals.task is not None:
            if not asking.confirm(
                self,
                _("A renewal is running"),
                _("Stop it after the current contract and quit?"),
            ):
                event.ignore()
                return
            renewals.cancel()
        self.save_state()
        super().closeEvent(event)
