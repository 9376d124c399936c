"""PDFs rendered ahead, in worker processes (one per core), for a batch run that knows which
invoices it will write (the year-end run).

Rendering is about half the work of issuing an invoice, and a contract's transaction cannot
hand it off: the number is taken inside it. So before it starts writing, the run predicts each
invoice (the next numbers of the counter, the registration code it will sign, the priced lines)
and has them rendered by worker processes (``services.season.render_worker``) while it writes. In
each contract's transaction it builds the document from what it has just read and written, as
always, and takes the PDF rendered ahead only when that document is *equal* to the predicted
one (renders are byte-identical, ``documents.invoice_pdf``); otherwise (a clerk changed the
contract meanwhile, a number moved) it renders the document itself. Nothing is stored that the
transaction did not build, so crash safety and numbering are those of the run without it.

The predictions are made in a thread of the run's process (``predict``) while the run writes:
they read the database only, and a contract's transaction waits for its own prediction (or
the end of them) before it takes a PDF, so the first contract is written at once instead of
after every contract was predicted, and the predicting uses the time the writing waits for the
disk.

The worker is a plain ``python -m`` subprocess talking over pipes, not a multiprocessing pool:
it never imports the caller's main module and never inherits the run's open database.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from queue import SimpleQueue

from lehrer_licenses.documents import InvoiceDocument
from lehrer_licenses.services.season.render_worker import read_message, write_message

MIN_DOCUMENTS = 100  # below this, starting a process costs more than it saves
# Render processes: one per core, as rendering takes about as long as the run's writing; the
# run's process shares a core with them and mostly waits for the disk.
MAX_WORKERS = 4
# "off": never (render everything in the run's process); "always": whenever possible (tests)
ENV_VAR = "LEHRER_LICENSES_PRERENDER"


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class _Worker:
    """One render process and the keys sent to it, in the order it answers."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lehrer_licenses.services.season.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.sent: deque[str] = deque()


class PreRenderer:
    def __init__(self, workers: int = 1) -> None:
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):
                self._workers.append(_Worker())
        except OSError:
            if not self._workers:
                raise
        self._expected: dict[str, InvoiceDocument] = {}
        self._outbox: SimpleQueue[tuple[str, InvoiceDocument] | None] = SimpleQueue()
        self._dropped: set[str] = set()
        self._results: dict[str, bytes | None] = {}
        self._ready = threading.Condition()
        self._running = len(self._workers)  # workers still answering
        self._closing = False
        self._predicting = False
        self._predictor: threading.Thread | None = None
        self._predicted = 0  # contracts predicted, in the run's order
        self._writing = 0  # the contract the run writes (1 = its first)
        self.used = 0
        self.missed = 0
        for worker in self._workers:
            # Each worker's feeder takes the next document when the last one is in its pipe:
            # a worker that falls behind is given less.
            threading.Thread(target=self._feed, args=(worker,), daemon=True).start()
            threading.Thread(target=self._collect, args=(worker,), daemon=True).start()

    @property
    def _ended(self) -> bool:
        return self._running == 0

    @classmethod
    def start(cls, expected: int) -> PreRenderer | None:
        """A pre-renderer for ``expected`` documents, or None where it would not pay off (few
        documents, one CPU) or cannot run (a frozen build has no ``python -m``)."""
        mode = os.environ.get(ENV_VAR, "auto")
        if mode == "off" or getattr(sys, "frozen", False):
            return None
        if mode != "always" and (expected < MIN_DOCUMENTS or _usable_cpus() < 2):
            return None
        try:
            return cls(min(_usable_cpus(), MAX_WORKERS))
        except OSError:
            return None

    @property
    def closing(self) -> bool:
        """The run has ended: predictions still to make are of no use."""
        return self._closing

    def predict(self, predictions: Callable[[], None]) -> None:
        """Run ``predictions`` (which ``submit`` the documents, in the run's order) in a thread
        of their own; a failure among them only leaves the rest for the run to render."""

        def run() -> None:
            try:
                predictions()
            except Exception:  # a prediction is an optimisation: the run renders the rest
                pass
            finally:
                with self._ready:
                    self._predicting = False
                    self._ready.notify_all()

        self._predicting = True
        self._predictor = threading.Thread(target=run, daemon=True, name="year-end predictions")
        self._predictor.start()

    def join_predictions(self) -> None:
        """Wait until every prediction is made (or they have stopped)."""
        if self._predictor is not None:
            self._predictor.join()

    def predicted(self, contracts: int) -> None:
        """The first ``contracts`` of the run are predicted (those with nothing to bill too)."""
        with self._ready:
            self._predicted = contracts
            self._ready.notify_all()

    def writing(self, contract: int) -> None:
        """The run writes its ``contract``-th contract now: its invoices wait for its prediction
        and no longer."""
        self._writing = contract

    def submit(self, key: str, document: InvoiceDocument) -> None:
        with self._ready:
            self._expected[key] = document
            self._ready.notify_all()
        self._outbox.put((key, document))

    def take(self, key: str, document: InvoiceDocument) -> bytes | None:
        """The PDF rendered ahead for ``key`` if it was rendered from this very document."""
        with self._ready:
            self._ready.wait_for(
                lambda: (
                    key in self._expected
                    or self._predicted >= self._writing
                    or not self._predicting
                )
            )
            expected = self._expected.pop(key, None)
        if expected is None or expected != document:
            with self._ready:
                self._dropped.add(key)
                self._results.pop(key, None)
            self.missed += 1
            return None
        with self._ready:
            self._ready.wait_for(lambda: key in self._results or self._ended)
            pdf = self._results.pop(key, None)
        if pdf is None:
            self.missed += 1
        else:
            self.used += 1
        return pdf

    def close(self) -> None:
        self._closing = True  # a run that ended early leaves documents unsent: drop them
        self.join_predictions()
        for _ in self._workers:
            self._outbox.put(None)
        for worker in self._workers:
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()

    def _feed(self, worker: _Worker) -> None:
        assert worker.process.stdin is not None
        try:
            while (item := self._outbox.get()) is not None and not self._closing:
                key, document = item
                with self._ready:
                    worker.sent.append(key)
                write_message(worker.process.stdin, document)
        except (BrokenPipeError, OSError):
            pass
        finally:
            with contextlib.suppress(OSError):
                worker.process.stdin.close()

    def _collect(self, worker: _Worker) -> None:
        assert worker.process.stdout is not None
        try:
            while (message := read_message(worker.process.stdout)) is not None:
                ok, result = message
                with self._ready:
                    key = worker.sent.popleft()
                    if key in self._dropped:
                        self._dropped.discard(key)
                    else:
                        self._results[key] = result if ok else None
                    self._ready.notify_all()
        finally:
            with self._ready:
                self._running -= 1
                # A key whose worker ended unanswered is rendered by the run itself.
                for key in worker.sent:
                    self._results.setdefault(key, None)
                worker.sent.clear()
                self._ready.notify_all()
