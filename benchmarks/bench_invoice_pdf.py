"""How long an invoice PDF with the Swiss QR-bill takes to render (not a test).

    .venv/bin/python benchmarks/bench_invoice_pdf.py [--renders 200]

Prints medians in milliseconds for:

- ``invoice, new QR code``: a one-page CHF invoice with the QR-bill, every render a different
  invoice number (so a different QR code): the cost of a year-end batch run, per invoice;
- ``invoice, same document again``: the same invoice rendered again (preview, print, save): the
  QR module matrix comes from the cache;
- ``raw reportlab canvas``: the very same strings, lines and rectangles (recorded from one render)
  replayed on a bare reportlab canvas, with the same embedded fonts and the same QR rectangles:
  the floor any layout code on the canvas could reach;
- the parts: QR-bill validation by ``qrbill`` and QR encoding by ``segno``;
- ``payment reminder letter with QR-bill``: a dunning letter (``documents.letters``), every
  render a different amount (so a different QR code).
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

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from lehrer_licenses.documents import invoice_pdf, qrcodes, render_invoice
from lehrer_licenses.documents.letters import render_letter
from lehrer_licenses.documents.samples import sample_document
from lehrer_licenses.documents.swiss_qr_bill import build_qr_bill
from lehrer_licenses.documents.text import REGULAR, ensure_fonts
from lehrer_licenses.services.letters import dunning_letter

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
)


class RecordingCanvas(Canvas):
    """A canvas that notes every drawing call made by the renderer (outermost calls only)."""

    log: ClassVar[list[tuple[str, tuple, dict]]] = []
    depth: ClassVar[int] = 0


def _recorder(name: str) -> Callable:
    base = getattr(Canvas, name)

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


def record(doc) -> list[tuple[str, tuple, dict]]:
    RecordingCanvas.log = []
    original = invoice_pdf.Canvas
    invoice_pdf.Canvas = RecordingCanvas
    try:
        render_invoice(doc)
    finally:
        invoice_pdf.Canvas = original
    return list(RecordingCanvas.log)


def replay(log: list[tuple[str, tuple, dict]]) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=REGULAR)
    for name, args, kwargs in log:
        getattr(canvas, name)(*args, **kwargs)
    canvas.save()
    return buffer.getvalue()


def median_ms(fn: Callable[[int], object], runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    runs = parser.parse_args().renders

    ensure_fonts()
    doc = sample_document(language="de", currency="CHF")
    pages = render_invoice(doc).count(b"/Type /Page\n")
    unique = [replace(doc, number=f"2026-{i:04d}") for i in range(runs)]
    log = record(doc)

    def fresh(i: int) -> None:
        render_invoice(unique[i])

    def again(_i: int) -> None:
        render_invoice(doc)

    def raw(_i: int) -> None:
        replay(log)

    def validate(i: int) -> None:
        build_qr_bill(
            vendor=doc.vendor,
            debtor=doc.recipient,
            amount=doc.payable,
            currency="CHF",
            reference=doc.reference,
            additional_information=f"Rechnung 2026-{i:04d}",
        )

    payload = build_qr_bill(
        vendor=doc.vendor,
        debtor=doc.recipient,
        amount=doc.payable,
        currency="CHF",
        reference=doc.reference,
        additional_information="Rechnung 2026-0001",
    ).payload

    def encode(i: int) -> None:
        qrcodes.qr_matrix.__wrapped__(payload.replace("0001", f"{i:04d}"))

    letters = [
        dunning_letter(
            vendor=doc.vendor,
            recipient=doc.recipient,
            school_number=doc.school_number,
            language="de",
            currency="CHF",
            on=doc.issue_date,
            level=1,
            invoice_number="2026-00017",
            invoice_date=doc.issue_date,
            due_date=doc.due_date,
            payable=doc.payable,
            settled=Decimal(i),
            fee=Decimal("0.00"),
            earlier_fees=Decimal("0.00"),
            pay_by=doc.due_date,
            previous_reminder=None,
            reference=doc.reference,
        )
        for i in range(runs)
    ]

    def letter(i: int) -> None:
        render_letter(letters[i])

    qr_runs = max(20, runs // 5)
    results = [
        ("invoice, new QR code each time", median_ms(fresh, runs)),
        ("invoice, same document again", median_ms(again, runs)),
        ("raw reportlab canvas, same content", median_ms(raw, runs)),
        ("  part: QR-bill validation (qrbill)", median_ms(validate, runs)),
        ("  part: QR code encoding (segno)", median_ms(encode, qr_runs)),
        ("payment reminder letter with QR-bill", median_ms(letter, runs)),
    ]
    print(f"one-page CHF invoice with QR-bill ({pages} page), median of {runs} renders")
    for label, value in results:
        print(f"{label:40s} {value:7.2f} ms")


if __name__ == "__main__":
    main()
