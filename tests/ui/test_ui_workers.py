"""Work off the UI thread reports back on the UI thread: result, failure, cancellation."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.ui.workers import Cancelled, Task, running, start


def test_result_and_progress_arrive_on_the_ui_thread(qtbot):
    ui_thread = threading.get_ident()
    seen = []

    def work(progress):
        assert threading.get_ident() != ui_thread
        for i in range(1, 4):
            progress(i, 3)
        return "done"

    task = Task(work)
    task.signals.progress.connect(lambda d, t: seen.append((d, t, threading.get_ident())))
    with qtbot.waitSignal(task.signals.succeeded, timeout=5000) as result:
        start(task)
    assert result.args == ["done"]
    assert [(d, t) for d, t, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert {ident for _, _, ident in seen} == {ui_thread}
    qtbot.waitUntil(lambda: running() == 0, timeout=2000)


def test_failure_is_handed_over_not_raised(qtbot):
    def work(progress):
        raise DomainError("no VAT rate for XX")

    task = Task(work)
    with qtbot.waitSignal(task.signals.failed, timeout=5000) as failure:
        start(task)
    assert str(failure.args[0]) == "no VAT rate for XX"


def test_cancel_stops_at_the_next_report(qtbot):
    gate = threading.Event()

    def work(progress):
        progress(1, 10)
        gate.wait(5)
        progress(2, 10)
        raise AssertionError("not reached")

    task = Task(work)
    task.signals.progress.connect(lambda d, t: (task.cancel(), gate.set()))
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000) as stopped:
        start(task)
    assert isinstance(stopped.args[0], Cancelled)
    # The UI thread may handle the first report while the worker is still inside it, in which
    # case that same report already stops; either way no work past the cancel happens.
    assert stopped.args[0].done in (1, 2)


class _Held:
    """Records the thread that let go of it last."""

    def __init__(self, released_in: list[str]) -> None:
        self._released_in = released_in

    def __del__(self) -> None:
        self._released_in.append(threading.current_thread().name)


def _closure_over(held: _Held, outcome: str):
    def work(progress):
        assert held is not None
        if outcome == "failed":
            raise DomainError("refused")
        return "done"

    return work


def test_what_the_work_holds_is_let_go_on_the_ui_thread(qtbot):
    """A work closure holds a view or a model; if the worker dropped the last reference, Qt
    would destroy that QObject in the worker thread and crash. Here the UI handles the end
    before the worker thread has returned (it waits on a direct slot until then), the
    worst order for it."""
    from lehrer_licenses.ui import workers

    for outcome in ("succeeded", "failed"):
        released_in: list[str] = []
        ui_done = threading.Event()
        task = Task(_closure_over(_Held(released_in), outcome))
        task.signals.finished.connect(ui_done.set)
        bridge, _executor = workers._setup()

        def hold_the_worker(_task_id, _outcome, _payload, ui_done=ui_done):
            if threading.current_thread() is not threading.main_thread():
                ui_done.wait(5)

        bridge.ended.connect(hold_the_worker, Qt.ConnectionType.DirectConnection)
        try:
            start(task)
            del task
            qtbot.waitUntil(ui_done.is_set, timeout=5000)
            qtbot.waitUntil(lambda: running() == 0, timeout=2000)
            qtbot.waitUntil(lambda released_in=released_in: bool(released_in), timeout=2000)
        finally:
            bridge.ended.disconnect(hold_the_worker)
        assert released_in == [threading.main_thread().name], outcome


class _Cyclic:
    """A reference cycle: only the cyclic garbage collector frees it."""

    def __init__(self, released_in: list[str]) -> None:
        self.me = self
        self._released_in = released_in

    def __del__(self) -> None:
        self._released_in.append(threading.current_thread().name)


def test_cycles_are_collected_on_the_ui_thread_while_workers_allocate(qtbot):
    """A cycle holding a Python-owned QObject, collected in a worker thread, leaves Qt a timer
    to a freed object. The app collects on the UI thread only (ui/collector.py)."""
    import gc

    assert not gc.isenabled()  # the app's (and these tests') collector is installed
    gc.collect()
    released_in: list[str] = []
    _Cyclic(released_in)

    def churn(progress):
        # Far more container allocations than generation 0's threshold.
        return len([[index] for index in range(300_000)])

    task = Task(churn)
    with qtbot.waitSignal(task.signals.succeeded, timeout=10_000):
        start(task)
    # Collected on the UI thread while the worker ran (its timer saw the count), or not yet;
    # never by the worker's own allocations.
    assert released_in in ([], [threading.main_thread().name])
    # The UI thread's timer collects once objects outnumber the threshold, as CPython would.
    kept = [[index] for index in range(2 * gc.get_threshold()[0])]
    qtbot.waitUntil(lambda: bool(released_in), timeout=5000)
    assert released_in == [threading.main_thread().name]
    assert len(kept) > 0
