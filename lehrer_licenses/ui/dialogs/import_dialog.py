"""Import schools or teachers from a CSV file: the file is read and checked in the background,
then the dialog shows either what the import will create or every problem (row, column,
reason). The Import button is only enabled for a clean file; the import itself (all rows or
none) also runs in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
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
from lehrer_licenses.services import csv_import
from lehrer_licenses.services.csv_columns import (
    PREVIEW_TITLES,
    SCHOOL_PREVIEW,
    TEACHER_PREVIEW,
)
from lehrer_licenses.services.csv_import import ImportRefused, ImportReport
from lehrer_licenses.services.csv_reading import DELIMITER_NAMES
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, ReadOnlyTable, error_colour, plain_label
from lehrer_licenses.ui.workers import Progress, Task, start

CSV_FILTER = "CSV (*.csv *.txt);;*"


class ImportDialog(QDialog):
    def __init__(
        self, db: Database, kind: str, path: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.kind = kind
        self.report: ImportReport | None = None  # the last check
        self.result_report: ImportReport | None = None  # after a successful import
        self.task: Task | None = None
        self.setWindowTitle(_("Import schools") if kind == "schools" else _("Import teachers"))

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No file chosen"))
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.again_button = QPushButton(_("Check again"))
        self.again_button.setToolTip(_("Read the file again after correcting it"))
        self.again_button.clicked.connect(lambda: self.load(self.path.text()))
        self.template_button = QPushButton(_("Save template…"))
        self.template_button.clicked.connect(self.save_template)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.again_button)
        file_row.addWidget(self.template_button)

        self.hint = plain_label(
            _(
                "A CSV file as a spreadsheet saves it (UTF-8 or Windows-1252; separated by "
                "semicolons, commas or tabs), with a header row. The template shows the columns. "
                "Nothing is imported unless every row is correct."
            )
        )
        self.hint.setWordWrap(True)
        self.state = plain_label()
        self.state.setWordWrap(True)
        self.error = InlineError()

        fields = SCHOOL_PREVIEW if kind == "schools" else TEACHER_PREVIEW
        self._fields = fields
        self.preview = ReadOnlyTable(
            [_("Row")] + [_(PREVIEW_TITLES[f]) for f in fields], numeric=(0,), stretch=2
        )
        self.problems = ReadOnlyTable([_("Row"), _("Column"), _("Problem")], numeric=(0,))
        self.tables = QStackedWidget()
        self.tables.addWidget(self.preview)
        self.tables.addWidget(self.problems)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            _("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.tables, 1)
        layout.addWidget(self.buttons)
        self.resize(860, 520)
        self._set_busy(False)
        if path:
            self.load(path)

    # --- choosing and checking -----------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.windowTitle(), self.path.text() or str(Path.home()), CSV_FILTER
        )
        if path:
            self.load(path)

    def save_template(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save template"), str(Path.home() / f"{self.kind}.csv"), CSV_FILTER
        )
        if not target:
            return
        try:
            csv_import.write_template(self.kind, Path(target))
        except Exception as exc:
            show_error(self, exc)
            return
        self.state.setText(_("Template saved: {path}").format(path=target))

    def load(self, path: str) -> Task | None:
        """Read and check ``path`` in the background; the result replaces the tables."""
        if not path or self.task is not None:
            return None
        self.path.setText(path)
        self.report = None
        self.error.show_message("")
        self.state.setText(_("Reading and checking {file}…").format(file=Path(path).name))
        db, kind = self._db, self.kind

        def work(_progress: Progress) -> ImportReport:
            return csv_import.check_import(db, kind, path)

        return self._start(work, self._checked)

    def _start(self, work, on_success) -> Task:
        task = Task(work)
        task.signals.succeeded.connect(on_success)
        task.signals.failed.connect(self._failed)
        task.signals.finished.connect(self._finished)
        self.task = task
        self._set_busy(True)
        return start(task)

    def _finished(self) -> None:
        self.task = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.choose_button, self.template_button):
            button.setEnabled(not busy)
        self.again_button.setEnabled(not busy and bool(self.path.text()))
        clean = self.report is not None and self.report.ok and bool(self.report.rows)
        self.import_button.setEnabled(not busy and clean and self.result_report is None)

    def _checked(self, report: ImportReport) -> None:
        self.report = report
        self.show_report(report)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):  # the file changed between the check and the import
            self._checked(exc.report)
            return
        self.report = None
        self.state.setText("")
        self.error.show_message(message_of(exc))

    def show_report(self, report: ImportReport) -> None:
        if report.problems:
            self.state.setText(
                _(
                    "Nothing can be imported: {n} problem(s). Correct the file, save it and "
                    "check it again."
                ).format(n=len(report.problems))
            )
            self.state.setStyleSheet(f"color: {error_colour()};")
            self.problems.set_rows(
                [
                    ("\u2013" if p.row is None else str(p.row), p.column, p.reason)
                    for p in report.problems
                ],
                tooltips=[p.reason for p in report.problems],  # a long reason is cut off
            )
            self.tables.setCurrentWidget(self.problems)
            return
        self.state.setStyleSheet("")
        what = (
            _("{n} school(s) will be created")
            if self.kind == "schools"
            else _("{n} teacher(s) will be created")
        )
        self.state.setText(
            _("{what} ({encoding}, separated by {delimiter}).").format(
                what=what.format(n=len(report.rows)),
                encoding=report.encoding,
                delimiter=_(DELIMITER_NAMES.get(report.delimiter, report.delimiter)),
            )
        )
        self.preview.set_rows([[str(row["row"]), *self._cells(row)] for row in report.rows])
        self.tables.setCurrentWidget(self.preview)

    def _cells(self, row: dict) -> list[str]:
        return [
            (_("yes") if row[f] else "") if isinstance(row[f], bool) else str(row[f])
            for f in self._fields
        ]

    # --- importing -----------------------------------------------------------------------------

    def run_import(self) -> Task | None:
        if self.report is None or not self.report.ok or self.task is not None:
            return None
        db, kind, path = self._db, self.kind, self.path.text()
        self.state.setText(_("Importing…"))

        def work(_progress: Progress) -> ImportReport:
            return csv_import.run_import(db, kind, path)

        return self._start(work, self._imported)

    def _imported(self, report: ImportReport) -> None:
        self.result_report = report
        self.accept()
