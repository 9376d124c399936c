"""Long work off the UI thread (DESIGN section 6), in the spirit of Anki's CollectionOp.

A Task runs one function on the global QThreadPool and reports back through Qt signals, which
Qt delivers on the UI thread: the function never touches a widget, the UI thread never waits.
The function receives a ``progress(done, total)`` callback; once the user asked to cancel, that
callback raises Cancelled, so the work stops at its next report. Use cases that commit per item
(the renewal run) stop between two items and keep what they committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """Raised inside the work function when the user pressed Cancel."""

    def __init__(self, done: int = 0, total: int = 0) -> None:
        super().__init__(f"cancelled after {done} of {total}")
        self.done = done
        self.total = total


class TaskSignals(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal(object)  # the Cancelled exception, with how far it got
    finished = Signal()  # after any of the three above


class Task(QRunnable):
    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        # The pool must not delete the runnable while Python still holds it for cancel().
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._work = work
        self._cancel_requested = False
        self._done = 0
        self._total = 0

    def cancel(self) -> None:
        self._cancel_requested = True

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_requested

    def _report(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        self.signals.progress.emit(done, total)
        if self._cancel_requested:
            raise Cancelled(done, total)

    def run(self) -> None:
        try:
            result = self._work(self._report)
        except Cancelled as exc:
            self.signals.cancelled.emit(exc)
        except Exception as exc:  # handed to the UI thread, which shows it
            log.exception("background task failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        self.signals.finished.emit()


def start(task: Task) -> Task:
    QThreadPool.globalInstance().start(task)
    return task
