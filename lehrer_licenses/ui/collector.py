"""Python's cyclic garbage collection, run on the UI thread only.

CPython collects cycles in whichever thread happens to allocate when a generation's threshold is
crossed. In this app that is often a background worker (ui/workers.py) reading thousands of rows,
and a cycle that holds a Python-owned QObject (a model, a timer, a dialog's helper) is then
destroyed in that thread: Qt cannot stop its timers from there and later delivers a timer event
to freed memory (a segfault, seen in the UI tests in some orders). So automatic collection is
switched off while the app runs, and the UI thread collects on a timer, by the same rules.
This is the usual remedy for PyQt/PySide apps with Python threads.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
# CPython walks the oldest generation only once the objects that reached it since its last full
# collection are a quarter of those it held then (gcmodule.c, long_lived_pending): a full
# collection visits every object of the process (0.3 s on a test process's grown heap), and by
# the thresholds alone one came every hundredth collection. Kept here: the objects in that
# generation after the last full collection (whoever ran it), and its count when one was put off.
_long_lived = {"total": 0, "put_off_at": 0}


def _after_collection(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2:
        _long_lived.update(total=len(gc.get_objects(2)), put_off_at=0)


def _full_collection_due(count: int, threshold: int) -> bool:
    if count <= _long_lived["put_off_at"] + threshold:
        return False  # counting the generation is not free either: again after as many again
    if len(gc.get_objects(2)) - _long_lived["total"] > _long_lived["total"] // 4:
        return True
    _long_lived["put_off_at"] = count
    return False


def collect_if_due() -> int:
    """Collect the oldest generation whose threshold was crossed, as CPython itself would."""
    if gc.isenabled():
        return 0
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return 0
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 2 if _full_collection_due(counts[2], thresholds[2]) else 1
    return gc.collect(generation)


class Collector(QObject):
    """Owned by the application; collects every INTERVAL_MS while the event loop runs."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_if_due)
        self._timer.start(INTERVAL_MS)


def install(app: QObject) -> None:
    """Collect on ``app``'s (the UI) thread from now on; once per application."""
    if app.findChild(Collector) is None:
        Collector(app)
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
    gc.disable()
