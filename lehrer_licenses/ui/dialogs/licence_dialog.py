"""The frame shared by the package and per-pupil dialogs: a form, a live preview of what would be
written (priced by the services' quotes, which write nothing), the problem named inline, and one
button that commits, in the background, only what the preview showed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.billing.drafts import InvoiceView
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.dialogs.invoice_preview import InvoicePreview
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, NoticeBox, field_label, plain_label
from lehrer_licenses.ui.workers import Task, start

PREVIEW_DELAY_MS = 100


@dataclass
class Preview:
    """What the dialog shows before committing; ``ready`` enables the commit button."""

    summary: str = ""
    invoices: Sequence[tuple[str, InvoiceView]] = ()
    notices: list[str] = field(default_factory=list)
    ready: bool = True


def date_edit(on: date, month_only: bool = False) -> QDateEdit:
    return DateField(on, "MM.yyyy" if month_only else None)


class LicenceDialog(QDialog):
    """Subclasses build their fields into ``self.form``, call ``self.watch(...)`` on them and
    implement ``quote()`` (raise a DomainError for bad input) and ``job()``: the use case as a
    callable over plain values read from the fields on the UI thread, for the worker thread."""

    def __init__(
        self, db: Database, school: str, title: str, commit_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.school = school
        self.preview: Preview | None = None
        self.outcome: Any = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.notices = NoticeBox()
        self.error = InlineError()
        self._invoice_layout = QVBoxLayout()
        self._invoice_boxes: list[tuple[QGroupBox, InvoicePreview]] = []
        self.buttons = QDialogButtonBox()
        self.commit_button = self.buttons.addButton(
            commit_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.summary)
        layout.addWidget(self.notices)
        layout.addWidget(self.error)
        layout.addLayout(self._invoice_layout)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(720)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self._task: Task | None = None

    # --- for subclasses ----------------------------------------------------------------------

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(field_label(label) if label else "", widget)
        return widget

    def watch(self, *signals) -> None:
        for signal in signals:
            signal.connect(self._schedule)

    def quote(self) -> Preview:
        raise NotImplementedError

    def job(self) -> Callable[[], Any]:
        raise NotImplementedError

    # --- preview and commit ------------------------------------------------------------------

    def _schedule(self, *_args) -> None:
        self._timer.start()

    def refresh_preview(self) -> None:
        self._timer.stop()
        try:
            preview = self.quote()
        except DomainError as exc:
            self.preview = None
            self._show(Preview(ready=False), message_of(exc))
            return
        self.preview = preview
        self._show(preview, "")

    def _show(self, preview: Preview, error: str) -> None:
        self.error.show_message(error)
        self.summary.setText(preview.summary)
        self.summary.setVisible(bool(preview.summary))
        self.notices.set_messages(preview.notices)
        while len(self._invoice_boxes) < len(preview.invoices):
            box = QGroupBox()
            invoice = InvoicePreview()
            QVBoxLayout(box).addWidget(invoice)
            self._invoice_layout.addWidget(box)
            self._invoice_boxes.append((box, invoice))
        for index, (box, invoice) in enumerate(self._invoice_boxes):
            shown = index < len(preview.invoices)
            box.setVisible(shown)
            if shown:
                title, view = preview.invoices[index]
                box.setTitle(title)
                invoice.show_invoice(view)
        self.commit_button.setEnabled(preview.ready and not error)

    def invoice_previews(self) -> list[InvoicePreview]:
        return [invoice for box, invoice in self._invoice_boxes if not box.isHidden()]

    def commit(self) -> None:
        # A change still waiting for its preview: show it first, commit on the next click.
        if self._timer.isActive():
            self.refresh_preview()
            return
        if self.preview is None or not self.preview.ready or self._task is not None:
            return
        self.commit_button.setEnabled(False)
        self.error.show_message("")
        work = self.job()
        task = Task(lambda _progress: work())
        task.signals.succeeded.connect(self._written)
        task.signals.failed.connect(self._refused)
        self._task = start(task)

    def _written(self, outcome: Any) -> None:
        self._task = None
        self.outcome = outcome
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._task = None
        self.error.show_message(message_of(exc))
        self.commit_button.setEnabled(True)

    def done(self, result: int) -> None:
        if self._task is not None:  # never close under running work: it finishes first
            return
        super().done(result)
