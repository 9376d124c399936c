"""How long the printed documents take to render, against the raw reportlab canvas (not a test).

    .venv/bin/python benchmarks/bench_invoice_pdf.py [--renders 200] [--rounds 5]

Every case renders a new document each time (a new invoice number or amount, so new QR codes),
as the year-end run does. The cases run in ``--rounds`` interleaved rounds (a busy machine slows
them all alike); the figures are medians over all renders, in milliseconds:

- ``CHF invoice + QR-bill, WinAnsi names``: 3 lines, QR-bill; every text is Windows-1252 (most
  Swiss and German schools); Liberation Sans is embedded all the same (PDF/A, issue 15);
- ``CHF invoice + QR-bill, "Łukasz Żółć"``: the same with a name beyond Windows-1252, printed by
  the second subset of Liberation Sans;
- ``EUR invoice + EPC QR``: 3 lines, a Dutch school, the EPC QR code ("GiroCode") with the
  invoice number as the payment purpose;
- ``order invoice + code + QR-bill``: 2 lines, a 185-character registration code (text and QR
  code) and the QR-bill, on one page;
- ``payment reminder letter + QR-bill``: a dunning letter (``documents.letters``);

and for each, ``raw canvas``: the very same drawing calls (recorded from one render) replayed on
a bare reportlab canvas with the same fonts, QR codes as the same path operators: the floor any
layout code on the canvas could reach, and the limit of the goals (issue 6: at most 3 x; issue 4:
at most 10 ms). The parts: QR-bill validation by ``qrbill`` and QR encoding, ours and segno's.
The CPU columns are the medians of the process's CPU time per render: on a shared machine the
figures to compare.

Issue 21 ("year-end PDFs": half the CPU of a render), 2026-12-06, nproc 2 shared with four other
sessions (load average 2.4-3.9), before = commit a68b10c, the two runs back to back, CPU render
in ms (after / before): CHF + QR-bill WinAnsi 7.59 -> 3.28 (0.43), "Łukasz Żółć" 7.71 -> 3.32
(0.43), EUR + EPC QR 4.49 -> 2.16 (0.48), order + code + QR-bill 9.97 -> 4.53 (0.45), reminder
letters 7.03 -> 3.29 (0.47) and 7.19 -> 2.95 (0.41). The 1,539 invoices of ``bench_year_end.py
--schools 2000`` rendered in one process (after 300 warm-up renders), 8 rounds alternating
before and after: after / before 0.478 (0.45-0.49 per round); that run's render workers (with
their start, imports and the pickled PDFs through a pipe): 12.69 / 11.39 -> 6.92 / 5.89 CPU s.
What was done: the file written by ``documents.pdf_file`` (font subsets' objects as bytes made
once per process) instead of ``canvas.save()``; a fixed first subset for every font (a random
registration code made a new TrueType subset in pure Python per invoice); the operators of
strings and of unchanging drawings kept per process; wrapped lines, fitted sizes and amounts
kept; QR codewords interleaved by ``zip``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import segno
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from lehrer_licenses.documents import invoice_pdf, qrcodes, render_invoice, text
from lehrer_licenses.documents.letters import render_letter
from lehrer_licenses.documents.samples import SWISS_SCHOOL, sample_document
from lehrer_licenses.documents.swiss_qr_bill import build_qr_bill
from lehrer_licenses.documents.text import DocumentCanvas
from lehrer_licenses.services.season.letters import dunning_letter

RECORDED = (
    "setFont",
    "drawString",
    "drawRightString",
    "drawCentredString",
    "setFillGray",
    "setStrokeGray",
    "setLineWidth",
    "setLineCap",
    "setDash",
    "line",
    "rect",
    "saveState",
    "restoreState",
    "translate",
    "rotate",
    "transform",
    "addLiteral",
    "drawImage",
    "showPage",
    "setTitle",
    "setAuthor",
    "setSubject",
    "setCreator",
)

# A realistic registration code (185 characters, 31 blocks of five).
CODE = (
    "06RGZ-D2MJ4-8C0GW-SN0HM-ZG9HG-3FNE5-5SSMC-ZRNZT-TNBCW-PSJ3S-HZ388-PZFD9-58P9W-BK5MS-J8XCF-"
    "4Z859-GX74T-BVX0D-X3AWS-EWFQ1-H1ZKH-N0RFK-9D3D3-YMWSR-M5WP4-M05YK-AHK6X-SHTDK-7FGPQ-H1NPZ-"
)
WINANSI_SCHOOL = replace(
    SWISS_SCHOOL, name="Primarschule Zürich-Nord", lines=("Schulverwaltung", "z. H. Frau Müller")
)


class RecordingCanvas(DocumentCanvas):
    """A document canvas that notes every drawing call made by a renderer (outermost only)."""

    log: ClassVar[list[tuple[str, tuple, dict]]] = []
    depth: ClassVar[int] = 0


def _recorder(name: str) -> Callable:
    base = getattr(DocumentCanvas, name)

    def method(self, *args, **kwargs):
        if RecordingCanvas.depth == 0:
            RecordingCanvas.log.append((name, args, kwargs))
        RecordingCanvas.depth += 1
        try:
            return base(self, *args, **kwargs)
        finally:
            RecordingCanvas.depth -= 1

    return method


for _name in RECORDED:
    setattr(RecordingCanvas, _name, _recorder(_name))


def record(render: Callable[[], bytes]) -> tuple[list[tuple[str, tuple, dict]], bytes]:
    """The drawing calls of one ``render()`` (the renderers make their canvas in invoice_pdf)."""
    RecordingCanvas.log = []
    text._DRAWN.clear()  # the drawings kept whole are drawn (and recorded) again
    original = invoice_pdf.DocumentCanvas
    invoice_pdf.DocumentCanvas = RecordingCanvas
    try:
        pdf = render()
    finally:
        invoice_pdf.DocumentCanvas = original
    return list(RecordingCanvas.log), pdf


def replay(log: list[tuple[str, tuple, dict]]) -> bytes:
    """The recorded calls on a bare reportlab canvas (the same registered fonts)."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    for name, args, kwargs in log:
        getattr(canvas, name)(*args, **kwargs)
    canvas.save()
    return buffer.getvalue()


def timed(fn: Callable[[int], object], indices: range, into: list[float], cpu: list[float]) -> None:
    """Each call's wall time into ``into``, its CPU time (this process) into ``cpu``."""
    for i in indices:
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(i)
        cpu.append(time.process_time() - start_cpu)
        into.append(time.perf_counter() - start)


def reminder(doc, i: int):
    return dunning_letter(
        vendor=doc.vendor,
        recipient=doc.recipient,
        school_number=doc.school_number,
        language="de",
        currency="CHF",
        on=doc.issue_date,
        level=1,
        invoice_number=f"2026-{i:05d}",
        invoice_date=doc.issue_date,
        due_date=doc.due_date,
        payable=doc.payable,
        settled=Decimal(i % 400),
        fee=Decimal("0.00"),
        earlier_fees=Decimal("0.00"),
        pay_by=doc.due_date,
        previous_reminder=None,
        reference=doc.reference,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200, help="renders per case")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    args = parser.parse_args()
    runs, rounds = args.renders, max(1, args.rounds)

    winansi = sample_document(language="de", recipient=WINANSI_SCHOOL)
    unicode_ = sample_document(language="de")
    euro = sample_document(language="nl", currency="EUR", reference="")  # purpose: the number
    order = sample_document(language="fr", lines=2, registration_code=CODE + "24702")
    # The letters' wording (services.season.letters) is made before the clock runs: only rendering.
    letters = {i: reminder(unicode_, i) for i in [*range(runs), 10**6, 10**6 + 1]}
    plain_letters = {i: reminder(winansi, i) for i in [*range(runs), 10**6, 10**6 + 1]}
    cases: list[tuple[str, Callable[[int], bytes]]] = [
        (
            "CHF invoice + QR-bill, WinAnsi names",
            lambda i: render_invoice(replace(winansi, number=f"2026-{i:05d}")),
        ),
        (
            'CHF invoice + QR-bill, "Łukasz Żółć"',
            lambda i: render_invoice(replace(unicode_, number=f"2026-{i:05d}")),
        ),
        ("EUR invoice + EPC QR", lambda i: render_invoice(replace(euro, number=f"2026-{i:05d}"))),
        (
            "order invoice + code + QR-bill",
            lambda i: render_invoice(
                replace(order, number=f"2026-{i:05d}", registration_code=CODE + f"{i:05d}")
            ),
        ),
        ("payment reminder letter + QR-bill", lambda i: render_letter(letters[i])),
        ("payment reminder letter, WinAnsi", lambda i: render_letter(plain_letters[i])),
    ]
    for _label, render in cases:  # warm up: fonts, catalogues, layouts of the QR versions
        render(10**6)

    logs = []  # (drawing calls, pages, fonts embedded, PDF size) per case
    for _label, render in cases:
        log, pdf = record(lambda render=render: render(10**6 + 1))
        logs.append((log, len(PdfReader(BytesIO(pdf)).pages), b"/FontFile2" in pdf, len(pdf)))

    payload = build_qr_bill(
        vendor=winansi.vendor,
        debtor=winansi.recipient,
        amount=winansi.payable,
        currency="CHF",
        reference=winansi.reference,
        additional_information="Rechnung 2026-00001",
    ).payload

    def validate(i: int) -> None:
        build_qr_bill(
            vendor=winansi.vendor,
            debtor=winansi.recipient,
            amount=winansi.payable,
            currency="CHF",
            reference=winansi.reference,
            additional_information=f"Rechnung 2026-{i:05d}",
        )

    def encode(i: int) -> None:
        qrcodes.encode(payload.replace("00001", f"{i:05d}"))

    def encode_segno(i: int) -> None:
        segno.make_qr(
            payload.replace("00001", f"{i:05d}"), error="m", boost_error=False, encoding="utf-8"
        )

    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def timed_as(key: str, fn: Callable[[int], object], indices: range) -> None:
        timed(fn, indices, times.setdefault(key, []), cpu.setdefault(key, []))

    per_round = max(1, runs // rounds)
    for r in range(rounds):
        indices = range(r * per_round, (r + 1) * per_round)
        for (label, render), (log, *_rest) in zip(cases, logs, strict=True):
            timed_as(label, render, indices)
            timed_as("raw " + label, lambda _i, log=log: replay(log), indices)
        timed_as("qrbill", validate, indices)
        timed_as("encode", encode, indices)
        small = range(indices.start, indices.start + max(4, per_round // 10))
        timed_as("segno", encode_segno, small)

    def ms(key: str, of: dict[str, list[float]] = times) -> float:
        return statistics.median(of[key]) * 1000

    print(
        f"median ms of {per_round * rounds} renders per case in {rounds} interleaved rounds; "
        "every render a new document (new QR codes)"
    )
    print(
        f"{'':38s} {'render':>8s} {'raw canvas':>11s} {'ratio':>6s}  pages  fonts     size"
        f"  {'CPU render':>10s} {'CPU raw':>8s}"
    )
    for (label, _render), (_log, pages, embedded, size) in zip(cases, logs, strict=True):
        ours, raw = ms(label), ms("raw " + label)
        fonts = "embedded" if embedded else "standard"
        print(
            f"{label:38s} {ours:8.2f} {raw:11.2f} {ours / raw:6.2f}  {pages:5d}  {fonts:8s}"
            f" {size / 1024:5.0f} KB  {ms(label, cpu):10.2f} {ms('raw ' + label, cpu):8.2f}"
        )
    print(f"{'  part: QR-bill validation (qrbill)':38s} {ms('qrbill'):8.2f}")
    print(f"{'  part: QR-bill QR code, our encoder':38s} {ms('encode'):8.2f}")
    print(f"{'  part: QR-bill QR code, segno':38s} {ms('segno'):8.2f}")


if __name__ == "__main__":
    main()
