"""A progress dialog for a background Task: shows done/total, Cancel stops the work at its next
report (``workers.Cancelled``), and the callbacks run on the UI thread when it ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.workers import Progress, Task, start


def run_with_progress(
    parent: QWidget | None,
    title: str,
    label: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
    on_cancelled: Callable[[Any], None] | None = None,
) -> Task:
    dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # quick work never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(work)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def succeeded(result: Any) -> None:
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        show_error(parent, exc)

    def cancelled(exc: BaseException) -> None:
        if on_cancelled is not None:
            on_cancelled(exc)

    task.signals.progress.connect(progress)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(cancelled)
    task.signals.finished.connect(dialog.close)
    task.signals.finished.connect(dialog.deleteLater)
    dialog.canceled.connect(task.cancel)
    task.dialog = dialog  # type: ignore[attr-defined]  # tests look at it
    return start(task)
