"""Long work off the UI thread (DESIGN section 6), in the spirit of Anki's CollectionOp.

The work runs on a Python worker thread and never sees a Qt object: it gets a
``progress(done, total)`` callback and returns a result. Everything it reports travels through
one long-lived bridge QObject whose signals Qt queues to the UI thread, where the Task (and its
``signals``) lives and is also released. So no QObject is ever touched or deleted by the worker,
which is what makes QRunnable/QThread lifetimes fragile from Python.

The worker also never drops the last reference to anything the work holds: a work function is
often a closure over a view or a model, and a Python-owned QObject whose last reference goes in a
worker thread is destroyed there, which crashes Qt (seen as a segfault when a view was closed while
its page query ran). So the worker takes the work from the Task, which the UI thread keeps until it
has handled the end, lets go of it before reporting the end, and strips the frames from a failure.

Once the user asked to cancel, the progress callback raises Cancelled, so the work stops at its
next report. Use cases that commit per item (the renewal run) stop between two items and keep
what they committed.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
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


def _run(bridge: _Bridge, task_id: int, stop: threading.Event) -> None:
    """On the worker thread: only plain Python objects and the bridge's emit."""

    def progress(done: int, total: int) -> None:
        bridge.progress.emit(task_id, done, total)
        if stop.is_set():
            raise Cancelled(done, total)

    outcome, payload = _work_on(task_id, stop, progress)
    bridge.ended.emit(task_id, outcome, payload)


def _work_on(task_id: int, stop: threading.Event, progress: Progress) -> tuple[str, object]:
    """Run the task's work; its closure (and what it captured) is released with this frame,
    before the end is reported, so the UI thread's Task always holds the last reference."""
    try:
        if stop.is_set():
            raise Cancelled(0, 0)
        # No local name for the work: a failure's traceback keeps this frame's locals.
        return "succeeded", _running[task_id]._work(progress)
    except Cancelled as exc:
        return "cancelled", _without_frames(exc)
    except Exception as exc:  # handed to the UI thread, which shows it
        exc = _without_frames(exc)
        log.error("background task failed\n%s", exc.worker_traceback)  # type: ignore[attr-defined]
        return "failed", exc


def _without_frames(exc: BaseException) -> BaseException:
    """The exception with its traceback kept as text: a traceback holds its frames, and a frame
    holds the work function and so everything the closure captured."""
    exc.worker_traceback = "".join(traceback.format_exception(exc))  # type: ignore[attr-defined]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


def start(task: Task) -> Task:
    """Run ``task`` on a worker thread; call from the UI thread."""
    bridge, executor = _setup()
    task.id = next(_ids)
    _running[task.id] = task
    executor.submit(_run, bridge, task.id, task._cancel)
    return task


def running() -> int:
    return len(_running)
