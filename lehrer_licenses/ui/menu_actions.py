"""The main window's menus and the actions behind them that open a dialog: new school, order,
cancellation, imports, export, settings, about.

A mixin of MainWindow (it uses its ``db``, ``settings``, ``schools``, ``statusBar``,
``show_view``, ``refresh``, ``_refresh_built`` and the database actions); the window keeps the
frame, the views and the database they show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from lehrer_licenses.i18n import LANGUAGES, _, ngettext
from lehrer_licenses.ui import asking
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.database_label import database_label
from lehrer_licenses.ui.icons import icon
from lehrer_licenses.ui.labels import LANGUAGE_NAMES
from lehrer_licenses.ui.pages import PAGES
from lehrer_licenses.ui.widgets import connect_unchecked


class MenuActions:
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
        new_action = self._action(_("&New database…"), self.new_database, "Ctrl+Shift+N")
        open_action = self._action(_("&Open database file…"), self.open_database, "Ctrl+Shift+O")
        file_menu.addAction(new_action)
        file_menu.addAction(open_action)
        self.connect_action = self._action(_("&Connect to server…"), self.connect_server)
        file_menu.addAction(self.connect_action)
        self.recent_menu = file_menu.addMenu(_("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        # The list's first page is shown (and the event loop runs) before the database is open
        # (ui/app.launch): another database, language or the about box wait for it too.
        self._needs_views += [new_action, open_action, self.connect_action]
        self._needs_views.append(self.recent_menu.menuAction())
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
        self._needs_views.append(language_menu.menuAction())
        current = self.settings[opt.UI_LANGUAGE]
        for code in ("", *LANGUAGES):
            name = LANGUAGE_NAMES.get(code, _("As the system"))
            action = language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, c=code: self.language_requested.emit(c))

        help_menu = bar.addMenu(_("&Help"))
        about_action = self._action(_("&About lehrer-licenses"), self.about)
        help_menu.addAction(about_action)
        self._needs_views.append(about_action)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings[opt.RECENT_DATABASES]
        if not recent:
            self.recent_menu.addAction(_("No recent databases")).setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.switch_database(p))

    # --- actions behind the menus -------------------------------------------------------------

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

        dialog = SettingsDialog(self.db, self.settings, self, access=self.access)
        if dialog.exec():
            if dialog.language_changed:
                self.language_requested.emit(self.settings[opt.UI_LANGUAGE])
            else:
                self.refresh()  # number and date formats
        return dialog

    def about(self) -> None:
        asking.show_box(self.about_box())

    def about_box(self) -> QMessageBox:
        from lehrer_licenses import __version__
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
