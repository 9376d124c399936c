"""File › Backup and Restore, and the daily backup at start, for the main window.

A mixin of MainWindow (it uses its ``db``, ``seats``, ``statusBar``, ``reopen``): the backup
work itself is services/backups.py, run here in the background with a progress dialog."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lehrer_licenses.i18n import _
from lehrer_licenses.ui import asking, workers
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.database_label import DB_FILTER, database_label
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.progress import run_with_progress
from lehrer_licenses.ui.workers import Progress, Task, start

if TYPE_CHECKING:
    from lehrer_licenses.services.backups import RestoreResult


class BackupActions:
    def _is_file(self) -> bool:
        return self.db.url.startswith("sqlite:///")

    def start_daily_backup(self) -> Task | None:
        """The first start of a day copies the database to backups/ (in the background)."""
        if not self._is_file():
            return None
        db = self.db

        def work(_progress: Progress):
            from lehrer_licenses.services import backups

            return backups.daily_backup(db)

        task = Task(work)
        task.signals.succeeded.connect(self._daily_backup_done)
        task.signals.failed.connect(
            lambda exc: self.statusBar().showMessage(
                _("The daily backup failed: {error}").format(error=message_of(exc)), 15000
            )
        )
        return start(task)

    def _daily_backup_done(self, info) -> None:
        if info is not None:
            self.statusBar().showMessage(
                _("Daily backup written: {path}").format(path=info.path), 8000
            )

    def backup(self, target: str | None = None) -> Task | None:
        if not self._is_file():
            asking.inform(
                self, _("Backup"), _("A database server is backed up with its own tools.")
            )
            return None
        if target is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            name = f"{Path(database_label(self.db)).stem}-{stamp}.sqlite"
            target = asking.save_file(
                self, _("Back up the database"), str(Path.home() / name), DB_FILTER
            )
            if target is None:
                return None
        db, path = self.db, Path(target)

        def work(_progress: Progress):
            from lehrer_licenses.services import backups

            return backups.make_backup(db, path)

        def done(info) -> None:
            self.statusBar().showMessage(
                _(
                    "Backup written and checked: {path} ({schools} schools, {invoices} invoices)"
                ).format(path=info.path, schools=info.schools, invoices=info.invoices),
                15000,
            )

        return run_with_progress(
            self, _("Backup"), _("Copying and checking the database…"), work, on_done=done
        )

    def restore(self, backup: str | None = None, confirmed: bool = False) -> Task | None:
        """Replace the open database by a backup: the app closes its connections first, the
        services check the file and keep the replaced database in backups/, then it reopens."""
        if not self._is_file():
            return None
        current = database_label(self.db)
        if backup is None:
            backup = asking.open_file(
                self, _("Restore from backup"), str(Path(current).parent / "backups"), DB_FILTER
            )
            if backup is None:
                return None
        if not confirmed:
            stamp = datetime.fromtimestamp(Path(backup).stat().st_mtime)
            if not asking.confirm_risky(
                self,
                _("Restore from backup"),
                _(
                    "The database\n{current}\nwill be replaced by the backup\n{backup}\nof "
                    "{when}. Everything entered since then is no longer shown; the database "
                    "replaced now is kept in the backups folder beside it. Restore?"
                ).format(current=current, backup=backup, when=fmt.moment(stamp)),
            ):
                return None
        seats = self._built.get("seats")
        if (seats is not None and seats.model.loading) or workers.running():
            self.statusBar().showMessage(_("Wait until the work in progress is done."), 8000)
            return None
        self.db.dispose()  # the restore refuses while connections are open
        source = Path(backup)

        def work(_progress: Progress):
            from lehrer_licenses.services import backups

            return backups.restore_backup(current, source)

        def done(result: RestoreResult) -> None:
            self.reopen(current)
            self.statusBar().showMessage(
                _("Restored from {backup}; the replaced database is kept as {saved}.").format(
                    backup=result.restored_from, saved=result.previous_saved_as or "\u2013"
                ),
                20000,
            )

        task = run_with_progress(
            self, _("Restore from backup"), _("Checking and restoring the backup…"), work, done
        )
        task.signals.failed.connect(lambda _exc: self.reopen(current))
        return task
