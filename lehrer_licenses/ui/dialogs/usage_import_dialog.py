"""Import monthly DB-hosting user counts (L7) from a CSV file: the file is read and checked in
the background, then the dialog shows what will be recorded (school, month, count, and which
recorded month it replaces) or every problem (row, column, reason). Import is enabled only for
a clean file, and for one that replaces recorded months only once "Replace months already
recorded" is ticked; the import itself (all rows or none) also runs in the background."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _
from lehrer_licenses.services import usage_import
from lehrer_licenses.services.usage_import import UsageCheck, UsageImport, UsageImportRejected
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, ReadOnlyTable, error_colour, plain_label
from lehrer_licenses.ui.workers import Progress, Task, start

CSV_FILTER = "CSV (*.csv *.txt);;*"


class UsageImportDialog(QDialog):
    def __init__(
        self,
        db: Database,
        path: str | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._today = today
        self.check: UsageCheck | None = None  # the last check
        self.imported: UsageImport | None = None  # after a successful import
        self.task: Task | None = None
        self.setWindowTitle(_("Import usage counts"))

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No file chosen"))
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.again_button = QPushButton(_("Check again"))
        self.again_button.setToolTip(_("Read the file again after correcting it"))
        self.again_button.clicked.connect(lambda: self.load(self.path.text()))
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.again_button)

        self.hint = plain_label(
            _(
                "One row per school and month: school number, month (YYYY-MM) and the number of "
                "registered users counted that month (DB hosting, billed once a year). A header "
                "row is optional. Nothing is imported unless every row is correct."
            )
        )
        self.hint.setWordWrap(True)
        self.replace = QCheckBox(_("Replace months already recorded"))
        self.replace.setToolTip(
            _("Without this, a file that holds a month already recorded is not imported.")
        )
        self.replace.toggled.connect(lambda _on: self._update())
        self.state = plain_label()
        self.state.setWordWrap(True)
        self.error = InlineError()

        self.preview = ReadOnlyTable(
            [_("Row"), _("School"), _("Name"), _("Month"), _("Users"), _("Replaces")],
            numeric=(0, 4),
            stretch=2,
        )
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
        layout.addWidget(self.replace)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.tables, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 500)
        self._update()
        if path:
            self.load(path)

    # --- choosing and checking -----------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.windowTitle(), self.path.text() or str(Path.home()), CSV_FILTER
        )
        if path:
            self.load(path)

    def load(self, path: str) -> Task | None:
        """Read and check ``path`` in the background; the result replaces the tables."""
        if not path or self.task is not None:
            return None
        self.path.setText(path)
        self.check = None
        self.error.show_message("")
        self.state.setStyleSheet("")
        self.state.setText(_("Reading and checking {file}…").format(file=Path(path).name))
        db, today = self._db, self._today

        def work(_progress: Progress) -> UsageCheck:
            return usage_import.check_usage(db, path, today=today)

        return self._start(work, self._checked)

    def _start(self, work, on_success) -> Task:
        task = Task(work)
        task.signals.succeeded.connect(on_success)
        task.signals.failed.connect(self._failed)
        task.signals.finished.connect(self._finished)
        self.task = task
        self._update()
        return start(task)

    def _finished(self) -> None:
        self.task = None
        self._update()

    def _checked(self, check: UsageCheck) -> None:
        self.check = check
        self.show_check(check)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UsageImportRejected):  # the file or the database changed meanwhile
            self.check = UsageCheck([], exc.problems)
            self.show_check(self.check)
            return
        self.check = None
        self.state.setText("")
        self.error.show_message(message_of(exc))

    def show_check(self, check: UsageCheck) -> None:
        if check.problems:
            self.problems.set_rows(
                [(str(p.row), p.column, p.reason) for p in check.problems],
                tooltips=[p.reason for p in check.problems],  # a long reason is cut off
            )
            self.tables.setCurrentWidget(self.problems)
        else:
            self.preview.set_rows(
                [
                    (
                        str(r.row),
                        r.school,
                        r.school_name,
                        r.month.strftime("%Y-%m"),
                        str(r.count),
                        "" if r.previous is None else _("yes (was {n})").format(n=r.previous),
                    )
                    for r in check.rows
                ]
            )
            self.tables.setCurrentWidget(self.preview)
        self._update()

    def _update(self) -> None:
        """The state line and the buttons, from the last check and the checkbox."""
        busy = self.task is not None
        self.choose_button.setEnabled(not busy)
        self.again_button.setEnabled(not busy and bool(self.path.text()))
        self.replace.setEnabled(not busy and self.imported is None)
        check = self.check
        self.import_button.setEnabled(not busy and self.imported is None and self.importable())
        if busy or check is None:
            return
        if check.problems:
            self._say(
                _(
                    "Nothing can be imported: {n} problem(s). Correct the file, save it and "
                    "check it again."
                ).format(n=len(check.problems)),
                error=True,
            )
        elif not check.rows:
            self._say(_("The file holds no counts."), error=True)
        elif check.replacing and not self.replace.isChecked():
            self._say(
                _(
                    "{n} of the months are already recorded. Tick \u201cReplace months already "
                    "recorded\u201d to import the file."
                ).format(n=check.replacing),
                error=True,
            )
        else:
            self._say(
                _("{rows} count(s) for {schools} school(s) will be recorded, {replaced} of them "
                  "replacing a recorded month.").format(
                    rows=len(check.rows),
                    schools=len({r.school for r in check.rows}),
                    replaced=check.replacing,
                )
            )  # fmt: skip

    def _say(self, text: str, error: bool = False) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {error_colour()};" if error else "")

    def importable(self) -> bool:
        check = self.check
        return check is not None and check.ok and (not check.replacing or self.replace.isChecked())

    # --- importing -----------------------------------------------------------------------------

    def run_import(self) -> Task | None:
        if not self.importable() or self.task is not None:
            return None
        db, path, today = self._db, self.path.text(), self._today
        replace = self.replace.isChecked()
        self._say(_("Importing…"))

        def work(_progress: Progress) -> UsageImport:
            return usage_import.import_usage(db, path, replace=replace, today=today)

        return self._start(work, self._imported)

    def _imported(self, result: UsageImport) -> None:
        self.imported = result
        self.accept()
