"""Import schools or teachers from a CSV file (ui/dialogs/csv_import_base.py does the choosing,
checking and importing in the background); with a template to start from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QWidget

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.exchange import school_import as csv_import
from lehrer_licenses.services.exchange.csv_reading import DELIMITER_NAMES
from lehrer_licenses.services.exchange.import_columns import (
    PREVIEW_TITLES,
    SCHOOL_PREVIEW,
    TEACHER_PREVIEW,
)
from lehrer_licenses.services.exchange.school_import import (
    ImportedSchool,
    ImportedTeacher,
    ImportRefused,
    ImportReport,
)
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.dialogs.csv_import_base import CSV_FILTER, CsvImportDialog
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import ReadOnlyTable
from lehrer_licenses.ui.workers import Progress


class ImportDialog(CsvImportDialog):
    def __init__(
        self, db: Database, kind: str, path: str | None = None, parent: QWidget | None = None
    ) -> None:
        fields = SCHOOL_PREVIEW if kind == "schools" else TEACHER_PREVIEW
        template_button = QPushButton(_("Save template…"))
        super().__init__(
            db,
            _("Import schools") if kind == "schools" else _("Import teachers"),
            _(
                "A CSV file as a spreadsheet saves it (UTF-8 or Windows-1252; separated by "
                "semicolons, commas or tabs), with a header row. The template shows the columns. "
                "Nothing is imported unless every row is correct."
            ),
            ReadOnlyTable(
                [_("Row")] + [_(PREVIEW_TITLES[f]) for f in fields], numeric=(0,), stretch=2
            ),
            parent,
            file_buttons=(template_button,),
        )
        self.kind = kind
        self.report: ImportReport | None = None  # the last check
        self.result_report: ImportReport | None = None  # after a successful import
        self._fields = fields
        self.template_button = template_button
        self.template_button.clicked.connect(self.save_template)
        self.resize(860, 520)
        self.update_buttons()
        if path:
            self.load(path)

    def save_template(self) -> None:
        target = asking.save_file(
            self, _("Save template"), str(Path.home() / f"{self.kind}.csv"), CSV_FILTER
        )
        if target is None:
            return
        try:
            csv_import.write_template(self.kind, Path(target))
        except Exception as exc:
            show_error(self, exc)
            return
        self.state.setText(_("Template saved: {path}").format(path=target))

    # --- the hooks of CsvImportDialog ----------------------------------------------------------

    def check_work(self, path: str):
        db, kind = self._db, self.kind

        def work(_progress: Progress) -> ImportReport:
            return csv_import.check_import(db, kind, path)

        return work

    def import_work(self, path: str):
        db, kind = self._db, self.kind

        def work(_progress: Progress) -> ImportReport:
            return csv_import.run_import(db, kind, path)

        return work

    def forget_check(self) -> None:
        self.report = None

    def refused(self, exc: BaseException) -> bool:
        if isinstance(exc, ImportRefused):  # the file changed between the check and the import
            self.checked(exc.report)
            return True
        return False

    def importable(self) -> bool:
        clean = self.report is not None and self.report.ok and bool(self.report.rows)
        return clean and self.result_report is None

    def keep_result(self, report: ImportReport) -> None:
        self.result_report = report

    def checked(self, report: ImportReport) -> None:
        self.report = report
        self.show_report(report)

    def show_report(self, report: ImportReport) -> None:
        if report.problems:
            self.show_problems(report.problems)
            return
        n = len(report.rows)
        what = (
            ngettext("{n} school will be created", "{n} schools will be created", n)
            if self.kind == "schools"
            else ngettext("{n} teacher will be created", "{n} teachers will be created", n)
        )
        said = _("{what} ({encoding}, separated by {delimiter}).").format(
            what=what.format(n=n),
            encoding=report.encoding,
            delimiter=_(DELIMITER_NAMES.get(report.delimiter, report.delimiter)),
        )
        if report.already_written:
            said += " " + _(
                "An import of this file stopped after {done} of its {total} teachers; this one "
                "writes the rest."
            ).format(done=report.already_written, total=report.already_written + n)
        self.say(said)
        self.show_preview([[str(row.row), *self._cells(row)] for row in report.rows])

    def _cells(self, row: ImportedSchool | ImportedTeacher) -> list[str]:
        values = [getattr(row, f) for f in self._fields]
        return [(_("yes") if v else "") if isinstance(v, bool) else str(v) for v in values]
