"""Starting the desktop app: ``lehrer-licenses`` with no command calls ``run``."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import (
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    QThread,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QWidget

import lehrer_licenses
from lehrer_licenses.i18n import LANGUAGES, SOURCE_LANGUAGE, _, set_ui_language
from lehrer_licenses.services.browse.first_page import read_first_page
from lehrer_licenses.ui import collector, formatting, workers
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui import style as app_style
from lehrer_licenses.ui.errors import install_excepthook, show_error
from lehrer_licenses.ui.handles import DATABASE_ENV_VAR, Database
from lehrer_licenses.ui.icons import icon
from lehrer_licenses.ui.main_window import MainWindow, remember
from lehrer_licenses.ui.models.schools_model import SchoolsModel
from lehrer_licenses.ui.open_elsewhere import warn_if_open_elsewhere
from lehrer_licenses.ui.settings import Settings

_qt_translator: QTranslator | None = None


def system_language() -> str:
    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def apply_language(settings: Settings) -> str:
    """UI language from the settings, else the OS; Qt's own buttons follow it too."""
    global _qt_translator
    language = settings[opt.UI_LANGUAGE] or system_language()
    set_ui_language(language)
    app = QApplication.instance()
    if _qt_translator is not None and app is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language != SOURCE_LANGUAGE and app is not None:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{language}", folder):
            app.installTranslator(translator)
            _qt_translator = translator
    formatting.set_locale(formatting.choose_locale(settings[opt.FORMAT_LOCALE]))
    return language


def database_target(db_arg: str | None, settings: Settings) -> str | None:
    """``--db`` first, then $LEHRER_LICENSES_DB, then the last database used if it is still
    there; None lets the store pick the default in the user data folder."""
    if db_arg:
        return db_arg
    if os.environ.get(DATABASE_ENV_VAR):
        return None
    last = settings[opt.LAST_DATABASE]
    if last and ("://" in last or Path(last).is_file()):
        return last
    return None


class App:
    """Owns the window so that it can be rebuilt in another language without a restart."""

    def __init__(self, db: Database | None, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.window = self._make_window()
        self.loading: workers.Task | None = None  # the database layer, loaded by ``launch``

    def attach(self, db: Database) -> None:
        """The database is open: build the views in the window shown meanwhile."""
        self.db = db
        self.window.attach(db)

    def _make_window(self) -> MainWindow:
        window = MainWindow(self.db, self.settings)
        window.language_requested.connect(self.change_language)
        return window

    def change_language(self, language: str) -> None:
        old = self.window
        old.save_state()
        self.settings[opt.UI_LANGUAGE] = language
        apply_language(self.settings)
        self.db = old.db  # the user may have opened another database meanwhile
        self.window = self._make_window()
        self.window.show()
        old.hide()
        old.deleteLater()


def first_run(window: MainWindow) -> None:
    """The assistant for a database nobody has set up yet (no schools, no vendor)."""
    # Imported here: the assistant's modules (vendor validation, demo data) are only needed on
    # a fresh database and cost a tenth of a second at every start otherwise.
    from lehrer_licenses.ui.dialogs.first_run import FirstRunWizard, needs_first_run

    if not needs_first_run(window.db):
        return
    wizard = FirstRunWizard(window.db, window)
    wizard.exec()
    window.refresh()


class _PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def show_painted(window: QWidget, timeout_ms: int = 3000) -> None:
    """Show ``window`` and return once its first frame ("Opening the database…") is painted.

    A window system maps and exposes a window a moment after show() (X11 through its server):
    one processEvents() right after show() ran before that, so the blocking open that follows
    left a black window for a second. Waiting for the paint costs nothing when it is
    immediate; the timeout keeps a window system that never exposes it from hanging the start.
    Events are processed here in a plain loop: a nested QEventLoop with a timer left a
    quit() pending after it was gone.
    """
    watch = _PaintWatch()
    window.installEventFilter(watch)
    try:
        window.show()
        deadline = QDeadlineTimer(timeout_ms)
        while not watch.painted and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if not watch.painted:
                QThread.msleep(5)
    finally:
        window.removeEventFilter(watch)


def create_application(argv: list[str] | None = None, style: str | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing or QApplication(argv if argv is not None else sys.argv[:1])
    if existing is None or style is not None:
        app_style.install(app, style)
    app.setOrganizationName(opt.ORGANISATION)
    app.setApplicationName(opt.APPLICATION)
    app.setWindowIcon(icon("app"))
    collector.install(app)
    return app


# What the database layer brings that the list needs once it is attached: opening the database
# (SQLAlchemy, Alembic, the models), the list's own queries and the selected school's details.
DATABASE_LAYER = (
    "lehrer_licenses.services.database_init",
    "lehrer_licenses.services.browse.schools",
    "lehrer_licenses.services.browse.school_detail",
)


def load_database_layer() -> None:
    """Import the database layer (about half a second); ``launch`` runs it on a worker while the
    first page is on the screen. Plain Python: no Qt object is touched."""
    for name in DATABASE_LAYER:
        importlib.import_module(name)
    _ = lehrer_licenses.__version__  # looked up in the installed package's metadata, then kept


def show_first_page(window: MainWindow, target: str | None) -> bool:
    """Put the schools list's first page in ``window`` before the database layer is loaded
    (services/browse/first_page.py): only for a desk file at this schema, when the window opens
    on the schools list, in an order the light reader knows; False leaves the window to
    ``attach_database`` as before."""
    if window.nav.currentRow() != 0:
        return False
    page = read_first_page(target, SchoolsModel.FIRST_PAGE, *window.schools_sort())
    if page is None:
        return False
    window.show_first_page(page)
    return True


def attach_database(controller: App, target: str | None) -> bool:
    """Open the database (migrating, locking: ``init_database``) and give it to the window;
    False, with the reason shown, when it cannot be opened."""
    from lehrer_licenses.services import database_init

    database_init.mask_logs()
    try:
        db, _installed = database_init.init_database(target)
    except Exception as exc:  # wrong path, no permission, a file that is not a database
        show_error(controller.window, exc, _("Cannot open the database"))
        return False
    # Set here rather than with the application: the version costs the start 40 ms of imports.
    QApplication.instance().setApplicationVersion(lehrer_licenses.__version__)
    remember(controller.settings, db)
    controller.attach(db)
    return True


def after_attach(controller: App) -> None:
    warn_if_open_elsewhere(controller.window, controller.window.db)
    first_run(controller.window)
    controller.window.start_daily_backup()


def launch(db_arg: str | None = None, settings: Settings | None = None) -> App | None:
    """Everything of ``run`` before its event loop; None when the database cannot be opened.

    The window first (it needs only Qt) with the schools list's first page, read without the
    database layer; then the database layer (SQLAlchemy, Alembic, the services: about half a
    second of imports) is loaded on a worker while the list is on the screen, and attached in
    the event loop; what the user did in the list meanwhile happens then. Without a first page
    (a server, another schema, another page to open on) the window shows "Opening the
    database…" while the database is opened here, as before."""
    settings = settings if settings is not None else Settings()
    apply_language(settings)
    install_excepthook()
    controller = App(None, settings)
    target = database_target(db_arg, settings)
    listed = show_first_page(controller.window, target)
    show_painted(controller.window)
    if not listed:
        if not attach_database(controller, target):
            return None
        after_attach(controller)
        return controller

    def attach(_outcome: object = None) -> None:
        # An import that failed on the worker fails again here, where its error is shown.
        if attach_database(controller, target):
            after_attach(controller)
        else:
            QApplication.exit(2)

    task = workers.Task(lambda _progress: load_database_layer())
    task.signals.succeeded.connect(attach)
    task.signals.failed.connect(attach)
    controller.loading = workers.start(task)  # kept: the task's signals live as long as it
    return controller


def run(db_arg: str | None = None) -> int:
    app = create_application()
    controller = launch(db_arg)
    if controller is None:
        return 2
    try:
        return app.exec()
    finally:
        if controller.window.db is not None:
            controller.window.db.dispose()
