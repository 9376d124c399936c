"""Invoice PDFs rendered in worker processes (one per core) while a batch run writes (the
year-end run).

Rendering is about half the work of issuing an invoice. The run builds each invoice's document
in its transaction, as every issue does, hands it to a worker (``submit``) and goes on with the
next contract; at the end of its group of contracts it takes the PDFs back (``result``) and
stores them in the same transaction (``services.billing.pdf_batch``). Renders are
byte-identical wherever they run (``documents.invoice_pdf``), so the stored PDF is the one the
run would have rendered itself; a document whose worker died or failed is rendered by the run.

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
from queue import SimpleQueue

from lehrer_licenses.documents import InvoiceDocument
from lehrer_licenses.services.season.render_worker import read_message, write_message

MIN_DOCUMENTS = 100  # below this, starting a process costs more than it saves
# Render processes: one per core; the run's process shares a core with them and waits for
# the disk part of the time.
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


class RenderWorkers:
    def __init__(self, workers: int = 1) -> None:
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):
                self._workers.append(_Worker())
        except OSError:
            if not self._workers:
                raise
        self._outbox: SimpleQueue[tuple[str, InvoiceDocument] | None] = SimpleQueue()
        self._waiting: set[str] = set()  # submitted, not yet answered, still wanted
        self._results: dict[str, bytes | None] = {}
        self._ready = threading.Condition()
        self._running = len(self._workers)  # workers still answering
        self._closing = False
        self.used = 0  # PDFs the workers rendered and the run took
        self.missed = 0  # documents the run had to render itself
        for worker in self._workers:
            # Each worker's feeder takes the next document when the last one is in its pipe:
            # a worker that falls behind is given less.
            threading.Thread(target=self._feed, args=(worker,), daemon=True).start()
            threading.Thread(target=self._collect, args=(worker,), daemon=True).start()

    @classmethod
    def start(cls, expected: int) -> RenderWorkers | None:
        """Render workers for about ``expected`` documents, or None where they would not pay
        off (few documents, one CPU) or cannot run (a frozen build has no ``python -m``)."""
        mode = os.environ.get(ENV_VAR, "auto")
        if mode == "off" or getattr(sys, "frozen", False):
            return None
        if mode != "always" and (expected < MIN_DOCUMENTS or _usable_cpus() < 2):
            return None
        try:
            return cls(min(_usable_cpus(), MAX_WORKERS))
        except OSError:
            return None

    def submit(self, key: str, document: InvoiceDocument) -> None:
        """Have ``document`` rendered; ``key`` (unique in the run) asks for its PDF."""
        with self._ready:
            self._waiting.add(key)
        self._outbox.put((key, document))

    def result(self, key: str) -> bytes | None:
        """The PDF of the document submitted as ``key`` (waiting for it), or None when no
        worker could render it: the caller renders it itself."""
        with self._ready:
            self._ready.wait_for(lambda: key not in self._waiting or self._running == 0)
            self._waiting.discard(key)
            pdf = self._results.pop(key, None)
        if pdf is None:
            self.missed += 1
        else:
            self.used += 1
        return pdf

    def drop(self, key: str) -> None:
        """The document of ``key`` is no longer wanted (its contract was rolled back)."""
        with self._ready:
            self._waiting.discard(key)
            self._results.pop(key, None)

    def close(self) -> None:
        self._closing = True  # a run that ended early leaves documents unsent: drop them
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
                    if key not in self._waiting:
                        continue  # dropped before it was sent
                    worker.sent.append(key)
                write_message(worker.process.stdin, document)
        except (BrokenPipeError, OSError):
            # The worker is gone, perhaps after its collector gave back what it held: what
            # this feeder sent since then goes back to the run too.
            self._give_back(worker)
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
                    if key in self._waiting:
                        self._waiting.discard(key)
                        self._results[key] = result if ok else None
                    self._ready.notify_all()
        finally:
            with self._ready:
                self._running -= 1
            self._give_back(worker)

    def _give_back(self, worker: _Worker) -> None:
        """A key whose worker ended unanswered is rendered by the run itself."""
        with self._ready:
            for key in worker.sent:
                if key in self._waiting:
                    self._waiting.discard(key)
                    self._results[key] = None
            worker.sent.clear()
            self._ready.notify_all()
