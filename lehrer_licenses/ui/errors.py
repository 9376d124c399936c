"""Showing errors: a DomainError's message is for the clerk and is shown as it is; anything else
is a bug, shown briefly with the details folded away, never as a bare traceback."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.ui import asking

log = logging.getLogger(__name__)


def message_of(exc: BaseException) -> str:
    """The text to put in front of a user for ``exc``."""
    from lehrer_licenses.services.database_init import mask_text

    if isinstance(exc, DomainError):
        return mask_text(str(exc))
    return _("Something went wrong that should not have: {error}").format(
        error=f"{type(exc).__name__}: {exc}"
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning if isinstance(exc, DomainError) else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(title or _("Not possible"))
    box.setText(message_of(exc))
    if not isinstance(exc, DomainError):
        # A failure from a worker thread carries its traceback as text (ui/workers.py).
        details = getattr(exc, "worker_traceback", None)
        box.setDetailedText(details or "".join(traceback.format_exception(exc)))
    asking.show_box(box)


def install_excepthook() -> None:
    """Uncaught exceptions in slots end up here instead of aborting the app silently."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        if QApplication.instance() is not None:
            show_error(QApplication.activeWindow(), exc.with_traceback(tb))

    sys.excepthook = hook
