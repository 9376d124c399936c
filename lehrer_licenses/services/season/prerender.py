"""Invoice PDFs rendered in worker processes (one per core but the run's) while a batch run
writes (the year-end run).

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

from lehrer_licenses.documents import InvoiceDocument
from lehrer_licenses.services.season.render_worker import read_message, write_message

MIN_DOCUMENTS = 100  # below this, starting a process costs more than it saves
# Render processes: one per core but the run's own, which renders too while it waits for its
# group's PDFs (a core more oversubscribed the machine: on two cores, two workers beside the run
# took 15 % more CPU time per PDF and made the year-end of 20,000 schools no faster).
MAX_WORKERS = 4
# Documents sent to a worker before it answered: one being rendered and the next ones in its
# pipe, enough to keep it busy while the run's process holds the GIL for a render of its own.
IN_FLIGHT = 4
# "off": never (render everything in the run's process); "always": whenever possible (tests)
ENV_VAR = "LEHRER_LICENSES_PRERENDER"


def _render_here(document: InvoiceDocument) -> bytes | None:
    """A render in the run's process; None when it fails (the run renders it again and reports
    why)."""
    from lehrer_licenses.documents import render_invoice

    try:
        return render_invoice(document)
    except Exception:
        return None


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
        self.answering = True  # until its output ends
        self.accepting = True  # until writing to it failed


class RenderWorkers:
    """The run's thread sends the documents (``submit``, ``result``); a thread per worker
    collects its PDFs. No thread of the run's process wakes per document but the collector
    that receives its PDF: each wake-up takes the GIL from the run, which gets it back a
    switch interval later at worst."""

    def __init__(self, workers: int = 1) -> None:
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):
                self._workers.append(_Worker())
        except OSError:
            if not self._workers:
                raise
        self._outbox: deque[tuple[str, InvoiceDocument]] = deque()  # not yet sent
        self._waiting: set[str] = set()  # submitted, not yet answered, still wanted
        self._results: dict[str, bytes | None] = {}
        self._ready = threading.Condition()
        self._running = len(self._workers)  # workers still answering
        self.used = 0  # PDFs rendered while the run wrote (by a worker, or stolen)
        self.stolen = 0  # of those, rendered by the run's process while it waited
        self.missed = 0  # documents the run had to render itself
        for worker in self._workers:
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
            return cls(max(1, min(_usable_cpus() - 1, MAX_WORKERS)))
        except OSError:
            return None

    def submit(self, key: str, document: InvoiceDocument) -> None:
        """Have ``document`` rendered; ``key`` (unique in the run) asks for its PDF."""
        with self._ready:
            self._waiting.add(key)
            self._outbox.append((key, document))
        self._send()

    def result(self, key: str) -> bytes | None:
        """The PDF of the document submitted as ``key`` (waiting for it), or None when no
        worker could render it: the caller renders it itself.

        While it waits, the run's process renders the newest documents not yet sent to a worker
        itself (the workers go on with the oldest): otherwise its core would idle while the
        workers catch up."""
        while True:
            self._send()  # a worker that answered meanwhile takes its next ones first
            with self._ready:
                if key not in self._waiting or self._running == 0:
                    break
                if not self._outbox:
                    self._ready.wait()
                    continue
                stolen, document = self._outbox.pop()
                if stolen not in self._waiting:
                    continue  # dropped
            pdf = _render_here(document)
            with self._ready:
                if stolen in self._waiting:
                    self._waiting.discard(stolen)
                    self._results[stolen] = pdf
                    self.stolen += pdf is not None
        with self._ready:
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
        """End the workers: a run that ended early leaves documents unsent, which are dropped."""
        with self._ready:
            self._outbox.clear()
        for worker in self._workers:
            assert worker.process.stdin is not None
            with contextlib.suppress(OSError):
                worker.process.stdin.close()  # the worker ends at the end of its input
        for worker in self._workers:
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()

    def _send(self) -> None:
        """Send each worker the oldest documents of the outbox until it holds ``IN_FLIGHT``.

        Only the run's thread sends, outside the lock: a write that waits for a worker to read
        (a pipe smaller than a few documents) never keeps its collector from the lock, so the
        worker's answers are read and it goes on reading."""
        while True:
            with self._ready:
                worker = next(
                    (
                        w
                        for w in self._workers
                        if w.accepting and w.answering and len(w.sent) < IN_FLIGHT
                    ),
                    None,
                )
                if worker is None:
                    return
                while self._outbox:
                    key, document = self._outbox.popleft()
                    if key in self._waiting:
                        break
                else:
                    return
                worker.sent.append(key)
            assert worker.process.stdin is not None
            try:
                write_message(worker.process.stdin, document)
            except OSError:  # the worker is gone: what it held goes back to the run
                worker.accepting = False
                self._give_back(worker)

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
                    self._ready.notify()  # the run, if it waits
        finally:
            with self._ready:
                self._running -= 1
                worker.answering = False
            self._give_back(worker)

    def _give_back(self, worker: _Worker) -> None:
        """A key whose worker ended unanswered is rendered by the run itself."""
        with self._ready:
            for key in worker.sent:
                if key in self._waiting:
                    self._waiting.discard(key)
                    self._results[key] = None
            worker.sent.clear()
            self._ready.notify()
