"""Work off the UI thread reports back on the UI thread: result, failure, cancellation."""

from __future__ import annotations

import threading

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
