"""Long work off the UI thread (DESIGN section 6), in the spirit of Anki's CollectionOp.

The work runs on a Python worker thread and never sees a Qt object: it gets a
``progress(done, total)`` callback and returns a result. Everything it reports travels through
one long-lived bridge QObject whose signals Qt queues to the UI thread, where the Task (and its
``signals``) lives and is also released. So no QObject is ever touched or deleted by the worker,
which is what makes QRunnable/QThread lifetimes fragile from Python.

Once the user asked to cancel, the progress callback raises Cancelled, so the work stops at its
next report. Use cases that commit per item (the renewal run) stop between two items and keep
what they committed.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
MAX_WORKERS = 2


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


class _Bridge(QObject):
    """Lives in the UI thread for the whole session; workers emit, Qt queues."""

    progress = Signal(int, int, int)  # task id, done, total
    ended = Signal(int, str, object)  # task id, outcome, payload


class Task:
    def __init__(self, work: Callable[[Progress], Any]) -> None:
        self.signals = TaskSignals()
        self._work = work
        self._cancel = threading.Event()
        self.id = 0

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()


_bridge: _Bridge | None = None
_executor: ThreadPoolExecutor | None = None
_running: dict[int, Task] = {}
_ids = itertools.count(1)


def _on_progress(task_id: int, done: int, total: int) -> None:
    task = _running.get(task_id)
    if task is not None:
        task.signals.progress.emit(done, total)


def _on_ended(task_id: int, outcome: str, payload: object) -> None:
    task = _running.pop(task_id, None)
    if task is None:
        return
    getattr(task.signals, outcome).emit(payload)
    task.signals.finished.emit()


def _setup() -> tuple[_Bridge, ThreadPoolExecutor]:
    global _bridge, _executor
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.progress.connect(_on_progress)
        _bridge.ended.connect(_on_ended)
        _executor = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="lehrer-licenses-task")
    assert _executor is not None
    return _bridge, _executor


def _run(
    bridge: _Bridge, task_id: int, work: Callable[[Progress], Any], stop: threading.Event
) -> None:
    """On the worker thread: only plain Python objects and the bridge's emit."""

    def progress(done: int, total: int) -> None:
        bridge.progress.emit(task_id, done, total)
        if stop.is_set():
            raise Cancelled(done, total)

    try:
        if stop.is_set():
            raise Cancelled(0, 0)
        result = work(progress)
    except Cancelled as exc:
        bridge.ended.emit(task_id, "cancelled", exc)
    except Exception as exc:  # handed to the UI thread, which shows it
        log.exception("background task failed")
        bridge.ended.emit(task_id, "failed", exc)
    else:
        bridge.ended.emit(task_id, "succeeded", result)


def start(task: Task) -> Task:
    """Run ``task`` on a worker thread; call from the UI thread."""
    bridge, executor = _setup()
    task.id = next(_ids)
    _running[task.id] = task
    executor.submit(_run, bridge, task.id, task._work, task._cancel)
    return task


def running() -> int:
    return len(_running)
