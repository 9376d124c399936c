"""The main window: a navigation list on the left, one view per page, menus, shortcuts, and the
database in the status bar. Opening another database swaps it under every view.

It is built in two steps so that it shows at once on start: the frame (navigation, menus,
status bar) needs only Qt; the views, and with them SQLAlchemy, Alembic and the services (about
a second of imports), come in ``attach`` once the database is open. This module therefore
imports the views and services inside the methods that need them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from lehrer_licenses import __version__
from lehrer_licenses.i18n import LANGUAGES, N_, _, ngettext
from lehrer_licenses.ui import asking
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.backup_actions import BackupActions
from lehrer_licenses.ui.database_label import DB_FILTER, database_label
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.icons import icon
from lehrer_licenses.ui.settings import Settings
from lehrer_licenses.ui.widgets import connect_unchecked

# The pages in navigation order: title (translated when shown) and icon.
PAGES = (
    (N_("Schools"), "schools"),
    (N_("Seats"), "seats"),
    (N_("Invoices"), "invoices"),
    (N_("Renewals"), "renewals"),
    (N_("Catalogue"), "catalogue"),
    (N_("History"), "history"),
)
# The attribute of each page's view, in nav order.
VIEW_NAMES = ("schools", "seats", "invoices", "renewals", "catalogue", "audit_log")
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "fr": "Français",
    "it": "Italiano",
    "en": "English",
    "nl": "Nederlands",
}


def remember(settings: Settings, db: Database) -> None:
    """Recent files are files: a server URL is shown without its password and so could not be
    reopened from the list; it is left out."""
    if db.url.startswith("sqlite:///"):
        settings.add_recent_database(database_label(db))


class MainWindow(BackupActions, QMainWindow):
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
        return bool(self.views)

    def attach(self, db: Database) -> None:
        """Build the schools view on ``db``; the other views are built when first shown (or
        asked for), so the start pays only for the list the user sees first."""
        from lehrer_licenses.ui.views.schools import SchoolsView

        self.db = db
        self._built: dict[str, QWidget] = {}
        self.schools = SchoolsView(db)
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
        self.restore_state()

    def _show_page(self, row: int) -> None:
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

    # --- menus ---------------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        connect_unchecked(action.triggered, slot)
        return action

    def _build_menus(self) -> None:
        self._needs_views: list[QAction] = []
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(self._action(_("&New database…"), self.new_database, "Ctrl+Shift+N"))
        file_menu.addAction(
            self._action(_("&Open database file…"), self.open_database, "Ctrl+Shift+O")
        )
        self.connect_action = self._action(_("&Connect to server…"), self.connect_server)
        file_menu.addAction(self.connect_action)
        self.recent_menu = file_menu.addMenu(_("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.backup_action = self._action(_("&Backup…"), self.backup, "Ctrl+Shift+B")
        self.restore_action = self._action(_("&Restore from backup…"), self.restore)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        self.export_action = self._action(_("&Export…"), self.export_data, "Ctrl+Shift+E")
        file_menu.addAction(self.export_action)
        self._needs_views.append(self.export_action)
        file_menu.addSeparator()
        self.import_schools_action = self._action(
            _("&Import schools…"), lambda: self.import_csv("schools")
        )
        self.import_teachers_action = self._action(
            _("Import &teachers…"), lambda: self.import_csv("teachers")
        )
        file_menu.addAction(self.import_schools_action)
        file_menu.addAction(self.import_teachers_action)
        self._needs_views += [self.import_schools_action, self.import_teachers_action]
        self.import_usage_action = self._action(_("Import &usage counts…"), self.import_usage)
        file_menu.addAction(self.import_usage_action)
        self._needs_views.append(self.import_usage_action)
        file_menu.addSeparator()
        self.settings_action = self._action(_("&Settings…"), self.open_settings, "Ctrl+,")
        self._needs_views += [self.backup_action, self.restore_action, self.settings_action]
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit))

        school_menu = bar.addMenu(_("&Schools"))
        self.new_school_action = self._action(_("&New school…"), self.new_school, "Ctrl+N")
        self.order_action = self._action(_("&Order seats…"), self.order_seats, "Ctrl+O")
        self.cancel_action = self._action(
            _("Record a &cancellation…"), self.cancel_licences, "Ctrl+K"
        )
        self.find_action = self._action(_("&Find school"), self.focus_search, "Ctrl+F")
        for action in (self.new_school_action, self.order_action, self.cancel_action):
            school_menu.addAction(action)
        school_menu.addSeparator()
        school_menu.addAction(self.find_action)
        self._needs_views += [
            self.new_school_action,
            self.order_action,
            self.cancel_action,
            self.find_action,
        ]

        view_menu = bar.addMenu(_("&View"))
        for row, (title, _icon) in enumerate(PAGES):
            view_menu.addAction(
                self._action(_(title), lambda r=row: self.show_view(r), f"Ctrl+{row + 1}")
            )
        view_menu.addSeparator()
        refresh = self._action(_("&Refresh"), self.refresh, QKeySequence.StandardKey.Refresh)
        self._needs_views.append(refresh)
        view_menu.addAction(refresh)
        language_menu = view_menu.addMenu(_("&Language"))
        current = self.settings[opt.UI_LANGUAGE]
        for code in ("", *LANGUAGES):
            name = LANGUAGE_NAMES.get(code, _("As the system"))
            action = language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, c=code: self.language_requested.emit(c))

        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&About lehrer-licenses"), self.about))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings[opt.RECENT_DATABASES]
        if not recent:
            self.recent_menu.addAction(_("No recent databases")).setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.switch_database(p))

    # --- actions -------------------------------------------------------------------------------

    def show_view(self, row: int) -> None:
        self.nav.setCurrentRow(row)

    def focus_search(self) -> None:
        self.show_view(0)
        self.schools.focus_search()

    def refresh(self) -> None:
        self._refresh_built(*VIEW_NAMES)

    def new_school(self) -> None:
        from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog

        dialog = NewSchoolDialog(self.db, self)
        if dialog.exec() and dialog.number:
            self.show_view(0)
            self.schools.refresh(select=dialog.number)
            self.statusBar().showMessage(
                _("School {number} added.").format(number=dialog.number), 8000
            )

    def import_csv(self, kind: str, path: str | None = None):
        """Import schools or teachers from a CSV file (preview first, all rows or none)."""
        from lehrer_licenses.services.exchange.school_import import ImportedSchool
        from lehrer_licenses.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.db, kind, path, parent=self)
        if dialog.exec() and dialog.result_report:
            report = dialog.result_report
            row = report.rows[0]
            first = row.number if isinstance(row, ImportedSchool) else row.school
            self.show_view(0)
            self.schools.refresh(select=first)
            self._refresh_built("seats")
            n = len(report.rows)
            message = (
                ngettext("{n} school imported.", "{n} schools imported.", n)
                if kind == "schools"
                else ngettext("{n} teacher imported.", "{n} teachers imported.", n)
            )
            self.statusBar().showMessage(message.format(n=n), 8000)
        return dialog

    def import_usage(self, path: str | None = None):
        """Import monthly DB-hosting user counts from a CSV file (preview first, all or none)."""
        from lehrer_licenses.ui.dialogs.usage_import_dialog import UsageImportDialog

        dialog = UsageImportDialog(self.db, path, parent=self)
        if dialog.exec() and dialog.imported:
            n = dialog.imported.rows
            self.statusBar().showMessage(
                ngettext("{n} monthly count imported.", "{n} monthly counts imported.", n).format(
                    n=n
                ),
                8000,
            )
        return dialog

    def order_seats(self) -> None:
        from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog

        dialog = OrderSeatsDialog(self.db, self.schools.selected_number(), parent=self)
        if dialog.exec() and dialog.result_quote:
            q = dialog.result_quote
            self.schools.refresh(select=q.school)
            self._refresh_built("seats", "invoices")
            self.statusBar().showMessage(
                ngettext(
                    "{n} seat ordered for school {school}; a draft invoice was written.",
                    "{n} seats ordered for school {school}; a draft invoice was written.",
                    q.seats,
                ).format(n=q.seats, school=q.school),
                8000,
            )

    def cancel_licences(self) -> None:
        from lehrer_licenses.ui.dialogs.cancel import CancelDialog

        dialog = CancelDialog(self.db, self.schools.selected_number(), parent=self)
        if dialog.exec() and dialog.result_cancellation:
            r = dialog.result_cancellation
            self.schools.refresh(select=r.school)
            self._refresh_built("seats", "invoices")
            self.statusBar().showMessage(
                _("Cancellation recorded for school {school}.").format(school=r.school), 8000
            )

    def export_data(self):
        """Invoices, payments, schools or seats to a CSV or XLSX file (in the background)."""
        from lehrer_licenses.ui.dialogs.export_dialog import ExportDialog  # seldom used

        dialog = ExportDialog(self.db, self)
        if dialog.exec() and dialog.result_export is not None:
            result = dialog.result_export
            self.statusBar().showMessage(
                ngettext(
                    "{rows} row written to {path}", "{rows} rows written to {path}", result.rows
                ).format(rows=result.rows, path=result.path),
                15000,
            )
        return dialog

    def open_settings(self):
        from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog  # seldom used

        dialog = SettingsDialog(self.db, self.settings, self)
        if dialog.exec():
            if dialog.language_changed:
                self.language_requested.emit(self.settings[opt.UI_LANGUAGE])
            else:
                self.refresh()  # number and date formats
        return dialog

    def about(self) -> None:
        asking.show_box(self.about_box())

    def about_box(self) -> QMessageBox:
        from lehrer_licenses.services.database_init import schema_version

        box = QMessageBox(self)
        box.setWindowTitle(_("About lehrer-licenses"))
        box.setIconPixmap(icon("app").pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"lehrer-licenses {__version__}")
        box.setInformativeText(
            _(
                "An offline licence desk for school software: schools, seats, subscriptions, "
                "renewals and invoices.\n\nDatabase: {database}\nSchema: {schema}"
            ).format(database=database_label(self.db), schema=schema_version())
        )
        return box

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
