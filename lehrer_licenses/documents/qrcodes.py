"""QR codes drawn as vector rectangles on a reportlab canvas (no images, no SVG round trip).

segno computes the module matrix; each horizontal run of dark modules becomes one rectangle of
a single filled path, drawn in module units under a scaling transformation, so the page content
stays small and the code is razor sharp at any resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import segno
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

Matrix = Sequence[Sequence[int]]


@lru_cache(maxsize=256)
def qr_matrix(data: str, *, error: str = "m", encoding: str | None = "utf-8") -> Matrix:
    """The module matrix (rows of 0/1, no quiet zone) of a QR code for ``data``.

    The error correction level is exactly ``error`` (no boosting): the Swiss QR-bill and the EPC
    QR code both require level M. segno picks the mask by the standard's penalty rules, which
    is most of the cost of a document (about 40 ms for a QR-bill in pure Python), so recent
    codes are cached: a document rendered again (preview, print, save) does not pay twice.
    """
    code = segno.make_qr(data, error=error, boost_error=False, encoding=encoding)
    return tuple(bytes(row) for row in code.matrix)


def draw_matrix(canvas: Canvas, matrix: Matrix, x: float, top: float, size: float) -> None:
    """Draw ``matrix`` as a ``size`` x ``size`` point square whose top left corner is (x, top).

    Coordinates are reportlab points from the bottom left of the page; the quiet zone around the
    code is the caller's business (keep 4 modules, or the 5 mm the QR-bill asks for, free).
    """
    n = len(matrix)
    module = size / n
    ops: list[str] = []
    append = ops.append
    for row_index, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                append(f"{start} {row_index} {col - start} 1 re")
            else:
                col += 1
    canvas.saveState()
    # Module units, rows growing downwards from the top left corner; integer coordinates keep
    # the content stream short, and one path means one fill (no hairline seams between runs).
    canvas.transform(module, 0, 0, -module, x, top)
    canvas.setFillGray(0)
    ops.append("f")
    canvas.addLiteral("\n".join(ops))
    canvas.restoreState()


def draw_qr(canvas: Canvas, data: str, x: float, top: float, size: float, **kwargs: str) -> None:
    """Encode ``data`` and draw it at (x, top) with side ``size`` points."""
    draw_matrix(canvas, qr_matrix(data, **kwargs), x, top, size)


def draw_swiss_cross(canvas: Canvas, centre_x: float, centre_y: float) -> None:
    """The Swiss cross of the QR-bill: 7 x 7 mm with a white margin, centred on the QR code.

    A white 7 mm square clears the modules under it, a black 6 mm square sits in it and the
    white cross (bars 7/6 mm wide and 35/9 mm long, the flag's proportions) is drawn on top.
    """
    canvas.saveState()
    canvas.setFillGray(1)
    canvas.rect(centre_x - 3.5 * mm, centre_y - 3.5 * mm, 7 * mm, 7 * mm, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.rect(centre_x - 3 * mm, centre_y - 3 * mm, 6 * mm, 6 * mm, stroke=0, fill=1)
    bar_w = 7 / 6 * mm
    bar_l = 35 / 9 * mm
    canvas.setFillGray(1)
    canvas.rect(centre_x - bar_w / 2, centre_y - bar_l / 2, bar_w, bar_l, stroke=0, fill=1)
    canvas.rect(centre_x - bar_l / 2, centre_y - bar_w / 2, bar_l, bar_w, stroke=0, fill=1)
    canvas.restoreState()
