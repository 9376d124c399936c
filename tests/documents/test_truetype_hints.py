"""The embedded font subsets leave out TrueType hinting (a third of each invoice's bytes), and
nothing else: poppler draws every page pixel for pixel as with the hinted subsets, and each font
file keeps its name table (copyright and licence) and valid checksums."""

from __future__ import annotations

import shutil
import struct
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from lehrer_licenses.documents import Address, render_invoice, text
from lehrer_licenses.documents.samples import sample_document

CODE = "LO1-ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
GREEK = Address(name="Σχολείο Αθηνών", street="Οδός Πανεπιστημίου", house_number="30",
                postcode="10679", city="Αθήνα", country="CH")  # fmt: skip
ACCENTS = Address(name="École Saint-Cyr-l'École, Łódź Ærø Ŝ", street="Rue des Écoles",
                  house_number="1", postcode="1200", city="Genève", country="CH")  # fmt: skip
DOCUMENTS = {
    "CHF invoice with a code and a QR-bill": lambda: sample_document(registration_code=CODE),
    "French EUR invoice, accents beyond the first subset": lambda: sample_document(
        currency="EUR", language="fr", recipient=ACCENTS
    ),
    "Greek school (DejaVu Sans)": lambda: sample_document(currency="EUR", recipient=GREEK),
}
HINTING = {b"cvt ", b"fpgm", b"prep"}


def _font_files(pdf: bytes) -> list[tuple[str, bytes]]:
    files = []
    for page in PdfReader(BytesIO(pdf)).pages:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            font = fonts[name].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            files.append((str(font["/BaseFont"]), descriptor["/FontFile2"].get_object().get_data()))
    return files


def _tables(font: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">H", font, 4)
    entries = [struct.unpack_from(">4sLLL", font, 12 + 16 * n) for n in range(count)]
    return {tag: font[offset : offset + length] for tag, _sum, offset, length in entries}


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _forget_font_files() -> None:
    text._subset_objects.cache_clear()
    for name in text._TTF_FILES:
        font = pdfmetrics._fonts.get(name)
        if font is not None:
            font.face._subset_files.clear()


@pytest.fixture
def hinted(monkeypatch):
    """Render with the subsets as reportlab makes them, hinting included."""
    _forget_font_files()
    monkeypatch.setattr(text, "without_hinting", lambda font: font)
    yield
    monkeypatch.undo()
    _forget_font_files()


def _pages(pdf: bytes) -> bytes:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: cannot rasterise the PDF")
    result = subprocess.run(
        ["pdftoppm", "-gray", "-r", "150", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def unhinted_pdfs() -> dict[str, bytes]:
    return {kind: render_invoice(make()) for kind, make in DOCUMENTS.items()}


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_the_embedded_font_files_carry_no_hinting_but_their_licence(unhinted_pdfs, kind):
    files = _font_files(unhinted_pdfs[kind])
    assert len(files) >= 3, [name for name, _ in files]
    for name, font in files:
        tables = _tables(font)
        assert not HINTING & set(tables), (name, sorted(tables))
        assert {b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp", b"cmap"} <= set(tables)
        assert b"C\0o\0p\0y\0r\0i\0g\0h\0t" in tables[b"name"] or b"Copyright" in tables[b"name"]
        for tag, data in tables.items():
            if tag != b"head":
                entry = font.index(tag, 12)
                assert struct.unpack_from(">L", font, entry + 4)[0] == _checksum(data), tag
        assert _checksum(font) == 0xB1B0AFBA, name  # the head table's checkSumAdjustment


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_poppler_draws_each_page_as_with_the_hinted_fonts(unhinted_pdfs, hinted, kind):
    pdf = render_invoice(DOCUMENTS[kind]())
    assert any(set(_tables(font)) >= HINTING for _, font in _font_files(pdf))  # really hinted
    assert len(unhinted_pdfs[kind]) < len(pdf) - 25_000
    assert _pages(unhinted_pdfs[kind]) == _pages(pdf)
