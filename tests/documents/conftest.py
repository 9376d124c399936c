"""Reading rendered documents back: their text (pypdf) and their QR codes (pdftoppm + zxing-cpp).

The QR codes are decoded from pixels, as a banking app would see them: the page is rasterised by
poppler's pdftoppm into a greyscale PGM (parsed here, no Pillow needed) and zxing-cpp reads it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO

import pytest
from pypdf import PdfReader

_SPACES = re.compile(r"[\u00a0\u202f]")


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page; no-break spaces read as plain spaces."""
    return list(_read_back(pdf))


@lru_cache(maxsize=32)
def _read_back(pdf: bytes) -> tuple[str, ...]:
    # Rendering is byte-identical for the same document (test_render_determinism), and tests of
    # one document in several languages or forms read the same bytes again: pypdf takes 0.1 s
    # for a page with a QR code (thousands of drawing operations), so each PDF is read once.
    reader = PdfReader(BytesIO(pdf))
    return tuple(_SPACES.sub(" ", page.extract_text() or "") for page in reader.pages)


def _parse_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary greyscale PGM ("P5", maxval 255)."""
    tokens: list[bytes] = []
    pos = 0
    while len(tokens) < 4:
        match = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        assert match is not None, "not a PGM header"
        tokens.append(match.group(2))
        pos = match.end()
    magic, width, height, maxval = tokens
    assert magic == b"P5" and maxval == b"255", (magic, maxval)
    pos += 1  # the single whitespace after maxval
    w, h = int(width), int(height)
    return w, h, data[pos : pos + w * h]


def decode_qr_codes(pdf: bytes, page: int = 1, dpi: int = 200) -> list[str]:
    """The texts of all QR codes on ``page`` (1-based), read from a ``dpi`` rasterisation."""
    return [text for text, _box in locate_qr_codes(pdf, page, dpi)]


def locate_qr_codes(
    pdf: bytes, page: int = 1, dpi: int = 200
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, (left, top, right, bottom) in mm from the page's top left) of every QR code."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: cannot rasterise the PDF")
    zxingcpp = pytest.importorskip("zxingcpp")
    result = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    width, height, pixels = _parse_pgm(result.stdout)
    image = memoryview(pixels).cast("B", (height, width))
    barcodes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    found = []
    for barcode in barcodes:
        corners = barcode.position
        points = (corners.top_left, corners.top_right, corners.bottom_left, corners.bottom_right)
        xs = [point.x * 25.4 / dpi for point in points]
        ys = [point.y * 25.4 / dpi for point in points]
        found.append((barcode.text, (min(xs), min(ys), max(xs), max(ys))))
    return found


@pytest.fixture
def texts() -> Callable[[bytes], list[str]]:
    return page_texts


@pytest.fixture
def qr_codes() -> Callable[..., list[str]]:
    return decode_qr_codes


@pytest.fixture
def qr_boxes() -> Callable[..., list[tuple[str, tuple[float, float, float, float]]]]:
    return locate_qr_codes
