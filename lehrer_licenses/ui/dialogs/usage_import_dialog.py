"""Import monthly DB-hosting user counts (L7) from a CSV file (ui/dialogs/csv_import_base.py does
the choosing, checking and importing in the background). The preview shows school, month, count
and which recorded month a row replaces; such a file is imported only once "Replace months
already recorded" is ticked."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.services.exchange import usage_import
from lehrer_licenses.services.exchange.usage_import import (
    UsageCheck,
    UsageImport,
    UsageImportRejected,
)
from lehrer_licenses.ui.dialogs.csv_import_base import CsvImportDialog
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import ReadOnlyTable
from lehrer_licenses.ui.workers import Progress


class UsageImportDialog(CsvImportDialog):
    def __init__(
        self,
        db: Database,
        path: str | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        replace = QCheckBox(_("Replace months already recorded"))
        replace.setToolTip(
            _("Without this, a file that holds a month already recorded is not imported.")
        )
        super().__init__(
            db,
            _("Import usage counts"),
            _(
                "One row per school and month: school number, month (YYYY-MM) and the number of "
                "registered users counted that month (DB hosting, billed once a year). A header "
                "row is optional. Nothing is imported unless every row is correct."
            ),
            ReadOnlyTable(
                [_("Row"), _("School"), _("Name"), _("Month"), _("Users"), _("Replaces")],
                numeric=(0, 4),
                stretch=2,
            ),
            parent,
            options=(replace,),
        )
        self._today = today
        self.check: UsageCheck | None = None  # the last check
        self.imported: UsageImport | None = None  # after a successful import
        self.replace = replace
        self.replace.toggled.connect(lambda _on: self.update_buttons())
        self.resize(820, 500)
        self.update_buttons()
        if path:
            self.load(path)

    # --- the hooks of CsvImportDialog ----------------------------------------------------------

    def check_work(self, path: str):
        db, today = self._db, self._today

        def work(_progress: Progress) -> UsageCheck:
            return usage_import.check_usage(db, path, today=today)

        return work

    def import_work(self, path: str):
        db, today, replace = self._db, self._today, self.replace.isChecked()

        def work(_progress: Progress) -> UsageImport:
            return usage_import.import_usage(db, path, replace=replace, today=today)

        return work

    def forget_check(self) -> None:
        self.check = None

    def refused(self, exc: BaseException) -> bool:
        if isinstance(exc, UsageImportRejected):  # the file or the database changed meanwhile
            self.checked(UsageCheck([], exc.problems))
            return True
        return False

    def importable(self) -> bool:
        check = self.check
        return (
            self.imported is None
            and check is not None
            and check.ok
            and (not check.replacing or self.replace.isChecked())
        )

    def keep_result(self, result: UsageImport) -> None:
        self.imported = result

    def checked(self, check: UsageCheck) -> None:
        self.check = check
        self.show_check(check)

    def show_check(self, check: UsageCheck) -> None:
        if check.problems:
            self.show_problems(check.problems)
        else:
            self.show_preview(
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
        self.update_buttons()

    def update_options(self, busy: bool) -> None:
        """The checkbox, and the state line from the last check and the checkbox."""
        self.replace.setEnabled(not busy and self.imported is None)
        check = self.check
        if busy or check is None or check.problems:
            return
        if not check.rows:
            self.say(_("The file holds no counts."), error=True)
        elif check.replacing and not self.replace.isChecked():
            self.say(
                _(
                    "{n} of the months are already recorded. Tick \u201cReplace months already "
                    "recorded\u201d to import the file."
                ).format(n=check.replacing),
                error=True,
            )
        else:
            self.say(
                _("{rows} count(s) for {schools} school(s) will be recorded, {replaced} of them "
                  "replacing a recorded month.").format(
                    rows=len(check.rows),
                    schools=len({r.school for r in check.rows}),
                    replaced=check.replacing,
                )
            )  # fmt: skip
