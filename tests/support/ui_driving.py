"""Driving modal dialogs from a test: ``dialog.exec()`` blocks the test until the dialog closes,
so what the user does in it is queued before the click that opens it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None], seen: list) -> None:
    """Run ``act`` on the ``kind`` dialog once it is shown; ``act`` must end the dialog. The
    dialog lands in ``seen``, and so does an exception of ``act`` or a dialog left open (it is
    then rejected, so the test goes on and fails on it). QTest types ASCII only."""

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                seen.append(widget)
                try:
                    act(widget)
                except Exception as exc:
                    seen.append(exc)
                if widget.isVisible():  # act did not end it: end it, or the test hangs in exec
                    seen.append(AssertionError(f"{kind.__name__} still open"))
                    widget.reject()
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def file_printer(target):
    """An ``asking.printer`` answer: "print to file" into ``target`` (a PDF)."""
    from PySide6.QtPrintSupport import QPrinter

    def choose(_parent, _title):
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    return choose


@contextmanager
def speaking(settings, language: str):
    """The app in ``language`` while inside, as the settings dialog switches it; English after."""
    from lehrer_licenses.ui import app as desk_app
    from lehrer_licenses.ui import settings as opt

    settings[opt.UI_LANGUAGE] = language
    desk_app.apply_language(settings)
    try:
        yield language
    finally:
        settings[opt.UI_LANGUAGE] = "en"
        desk_app.apply_language(settings)
