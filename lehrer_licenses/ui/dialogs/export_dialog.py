"""File ▸ Export…: invoices (per document or per VAT rate), payments, schools or seats to a CSV
or XLSX file for the accountant. The export runs in the background; the file appears only
when it is complete (services/exchange/exports.py), so Cancel or an error leaves nothing
half-written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.exchange import exports
from lehrer_licenses.ui import asking
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, field_label, plain_label
from lehrer_licenses.ui.workers import Progress, Task, start

# What can be exported: the service's name, the label, the file name suggested.
CHOICES = (
    ("invoices", N_("Invoices and credit notes"), "invoices"),
    ("vat_rates", N_("Invoices: sums per VAT rate"), "vat-rates"),
    ("payments", N_("Payments"), "payments"),
    ("schools", N_("Schools"), "schools"),
    ("seats", N_("Seats"), "seats"),
)
FORMATS = (
    ("xlsx", N_("Excel workbook (XLSX)")),
    ("csv", N_("CSV for bookkeeping (UTF-8, semicolons)")),
)
FILTERS = {"xlsx": "Excel (*.xlsx)", "csv": "CSV (*.csv)"}


class ExportDialog(QDialog):
    def __init__(
        self, db: Database, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.task: Task | None = None
        self.result_export = None  # services.exchange.exports.ExportResult once written
        today = today or date.today()
        self.setWindowTitle(_("Export"))

        self.what = QComboBox()
        for key, label, _name in CHOICES:
            self.what.addItem(_(label), key)
        self.format = QComboBox()
        for key, label in FORMATS:
            self.format.addItem(_(label), key)

        self.dated = QCheckBox(_("Only from"))
        self.date_from = self._date_edit(date(today.year, 1, 1))
        self.date_to = self._date_edit(today)
        span = QHBoxLayout()
        span.addWidget(self.dated)
        span.addWidget(self.date_from)
        span.addWidget(plain_label(_("to")))
        span.addWidget(self.date_to)
        span.addStretch(1)

        self.path = QLineEdit()
        self.path.setMinimumWidth(360)
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self.choose_file)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)

        self.note = plain_label()
        self.note.setWordWrap(True)
        self.error = InlineError()
        self.progress = QProgressBar()
        self.progress.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(field_label(_("Export")), self.what)
        form.addRow(field_label(_("Format")), self.format)
        form.addRow(field_label(_("Period")), span)
        form.addRow(field_label(_("File")), where)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText(_("Export"))
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

        self._folder = Path.home()
        self._today = today
        self._auto_name = ""
        self.what.currentIndexChanged.connect(self._changed)
        self.format.currentIndexChanged.connect(self._changed)
        self.dated.toggled.connect(self._changed)
        self._changed()

    def _date_edit(self, value: date) -> QDateEdit:
        return DateField(value)

    # --- state ---------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.what.currentData()

    @property
    def file_format(self) -> str:
        return self.format.currentData()

    def _suggested_name(self) -> str:
        name = next(n for key, _label, n in CHOICES if key == self.kind)
        return f"{name}-{self._today.isoformat()}.{self.file_format}"

    def _changed(self) -> None:
        has_dates = self.kind in exports.DATED
        self.dated.setEnabled(has_dates)
        on = has_dates and self.dated.isChecked()
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        # A suggested name follows the choices; a name the user gave keeps its stem.
        text, suggested = self.path.text().strip(), self._suggested_name()
        if not text:
            target = self._folder / suggested
        elif Path(text).name == self._auto_name:
            target = Path(text).parent / suggested
        else:
            target = Path(text).with_suffix(f".{self.file_format}")
        self._auto_name = suggested
        self.path.setText(str(target))
        self.note.setText(self._explanation())
        self.error.show_message("")

    def _explanation(self) -> str:
        if self.file_format == "csv":
            text = _(
                "CSV: UTF-8 with BOM, fields separated by semicolons, ISO dates (2026-03-11), "
                "amounts with a decimal point and two decimals (1234.50)."
            )
        else:
            text = _("XLSX: amounts as numbers with two decimals, dates as date cells.")
        if self.kind in ("invoices", "vat_rates"):
            text += " " + _(
                "Issued invoices and credit notes only; credit notes with negative amounts."
            )
        return (
            text
            + " "
            + _("Text a spreadsheet would take for a formula gets a leading apostrophe (').")
        )

    def choose_file(self) -> None:
        path = asking.save_file(self, _("Export to"), self.path.text(), FILTERS[self.file_format])
        if path is not None:
            self.path.setText(path)

    # --- running -------------------------------------------------------------------------------

    def request(self) -> dict:
        """What the export is asked to do (the dates only where they apply)."""
        dated = self.kind in exports.DATED and self.dated.isChecked()
        return {
            "kind": self.kind,
            "path": Path(self.path.text().strip()),
            "fmt": self.file_format,
            "date_from": fmt.from_qdate(self.date_from.date()) if dated else None,
            "date_to": fmt.from_qdate(self.date_to.date()) if dated else None,
        }

    def run_export(self) -> Task | None:
        if self.task is not None:
            return None
        if not self.path.text().strip():
            self.error.show_message(_("Choose a file to export to."))
            return None
        request = self.request()
        try:  # a bad range or file is said at once, not after a trip to the worker
            exports.check_request(request["kind"], request["date_from"], request["date_to"])
            exports.check_target(request["path"])
        except Exception as exc:
            self.error.show_message(message_of(exc))
            return None
        db = self._db

        def work(progress: Progress):
            return exports.export_data(db, progress=progress, **request)  # type: ignore[arg-type]

        self.task = Task(work)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.succeeded.connect(self._done)
        self.task.signals.failed.connect(self._failed)
        self.task.signals.cancelled.connect(lambda _exc: self._ended())
        self.error.show_message("")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.export_button.setEnabled(False)
        for widget in (self.what, self.format, self.dated, self.path):
            widget.setEnabled(False)
        return start(self.task)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _done(self, result) -> None:
        self.result_export = result
        self.task = None
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._ended()
        self.error.show_message(message_of(exc))

    def _ended(self) -> None:
        self.task = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        for widget in (self.what, self.format, self.dated, self.path):
            widget.setEnabled(True)
        self._changed_dates_only()

    def _changed_dates_only(self) -> None:
        on = self.kind in exports.DATED and self.dated.isChecked()
        self.dated.setEnabled(self.kind in exports.DATED)
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)

    def reject(self) -> None:
        """Cancel (or Esc, or closing the window) stops a running export, whose file is then
        never put in place; otherwise it closes the dialog."""
        if self.task is not None:
            self.task.cancel()
            return
        super().reject()
