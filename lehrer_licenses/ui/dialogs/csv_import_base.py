"""What every CSV import dialog shares: a file chosen and checked in the background, then either
a preview of what the import will write or every problem (row, column, reason); Import only
when the check allows it; the import itself (all rows or none) in the background too.

A subclass says how to check and import a file (``check_work``, ``import_work``), what the
preview shows (``show_check``), when Import is allowed (``importable``) and what the state line
says (``update_options``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, ReadOnlyTable, error_colour, plain_label
from lehrer_licenses.ui.workers import Task, start

CSV_FILTER = "CSV (*.csv *.txt);;*"


class CsvImportDialog(QDialog):
    def __init__(
        self,
        db: Database,
        title: str,
        hint: str,
        preview: ReadOnlyTable,
        parent: QWidget | None = None,
        file_buttons: tuple[QPushButton, ...] = (),
        options: tuple[QWidget, ...] = (),
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.task: Task | None = None
        self.setWindowTitle(title)

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No file chosen"))
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.again_button = QPushButton(_("Check again"))
        self.again_button.setToolTip(_("Read the file again after correcting it"))
        self.again_button.clicked.connect(lambda: self.load(self.path.text()))
        self._file_buttons = (self.choose_button, *file_buttons)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.again_button)
        for button in file_buttons:
            file_row.addWidget(button)

        self.hint = plain_label(hint)
        self.hint.setWordWrap(True)
        self.state = plain_label()
        self.state.setWordWrap(True)
        self.error = InlineError()

        self.preview = preview
        self.problems = ReadOnlyTable([_("Row"), _("Column"), _("Problem")], numeric=(0,))
        self.tables = QStackedWidget()
        self.tables.addWidget(self.preview)
        self.tables.addWidget(self.problems)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            _("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.hint)
        for option in options:
            layout.addWidget(option)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.tables, 1)
        layout.addWidget(self.buttons)

    # --- what a subclass says ------------------------------------------------------------------

    def check_work(self, path: str):
        """A function of the worker's progress that checks ``path`` and returns the check."""
        raise NotImplementedError

    def import_work(self, path: str):
        """A function of the worker's progress that imports ``path`` and returns the result."""
        raise NotImplementedError

    def forget_check(self) -> None:
        raise NotImplementedError

    def refused(self, exc: BaseException) -> bool:
        """Show the problems of an import refused because the file or the database changed
        after the check; False for any other failure."""
        return False

    def importable(self) -> bool:
        raise NotImplementedError

    def keep_result(self, result) -> None:
        raise NotImplementedError

    def update_options(self, busy: bool) -> None:
        """Enable or disable the subclass's own widgets, and say what the check found."""

    # --- choosing and checking -----------------------------------------------------------------

    def choose_file(self) -> None:
        path = asking.open_file(
            self, self.windowTitle(), self.path.text() or str(Path.home()), CSV_FILTER
        )
        if path is not None:
            self.load(path)

    def load(self, path: str) -> Task | None:
        """Read and check ``path`` in the background; the result replaces the tables."""
        if not path or self.task is not None:
            return None
        self.path.setText(path)
        self.forget_check()
        self.error.show_message("")
        self.say(_("Reading and checking {file}…").format(file=Path(path).name))
        return self._start(self.check_work(path), self.checked)

    def checked(self, check) -> None:
        raise NotImplementedError

    def _start(self, work, on_success) -> Task:
        task = Task(work)
        task.signals.succeeded.connect(on_success)
        task.signals.failed.connect(self._failed)
        task.signals.finished.connect(self._finished)
        self.task = task
        self.update_buttons()
        return start(task)

    def _finished(self) -> None:
        self.task = None
        self.update_buttons()

    def _failed(self, exc: BaseException) -> None:
        if self.refused(exc):
            return
        self.forget_check()
        self.say("")
        self.error.show_message(message_of(exc))

    def update_buttons(self) -> None:
        busy = self.task is not None
        for button in self._file_buttons:
            button.setEnabled(not busy)
        self.again_button.setEnabled(not busy and bool(self.path.text()))
        self.import_button.setEnabled(not busy and self.importable())
        self.update_options(busy)

    def show_problems(self, problems) -> None:
        self.say(
            ngettext(
                "Nothing can be imported: {n} problem. Correct the file, save it and "
                "check it again.",
                "Nothing can be imported: {n} problems. Correct the file, save it and "
                "check it again.",
                len(problems),
            ).format(n=len(problems)),
            error=True,
        )
        self.problems.set_rows(
            [("\u2013" if p.row is None else str(p.row), p.column, p.reason) for p in problems],
            tooltips=[p.reason for p in problems],  # a long reason is cut off
        )
        self.tables.setCurrentWidget(self.problems)

    def show_preview(self, rows) -> None:
        self.preview.set_rows(rows)
        self.tables.setCurrentWidget(self.preview)

    def say(self, text: str, error: bool = False) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {error_colour()};" if error else "")

    # --- importing -----------------------------------------------------------------------------

    def run_import(self) -> Task | None:
        if not self.importable() or self.task is not None:
            return None
        self.say(_("Importing…"))
        return self._start(self.import_work(self.path.text()), self._imported)

    def _imported(self, result) -> None:
        self.keep_result(result)
        self.accept()
