"""QR codes: encoded here (ISO/IEC 18004, model 2), drawn as vector rectangles on the canvas.

Why an encoder of our own: a year-end run prints a new QR-bill (and often a registration code)
on every invoice and letter, and segno, a fine pure-Python library, needs 30-80 ms per QR-bill
code, most of it choosing the mask. zxing-cpp's writer is fast (C++, ~2 ms) but cannot write
what a QR-bill must carry: UTF-8 bytes in byte mode without an ECI header (given text it picks
ISO 8859-1/-2 or adds ECI 26; given bytes it always adds ECI 899, "binary"). So this module encodes
with the same choices as ``segno.make_qr(data, error=..., boost_error=False, encoding="utf-8")``
- one segment, numeric / alphanumeric / byte mode, the smallest version, the mask with the
lowest penalty computed exactly as segno computes it - and gives the very same module matrix
(``tests/documents/test_qr_encoder.py`` compares them over all 40 versions). The work is done on
``bytes`` and big integers (C speed): about 1 ms for a QR-bill code instead of 30-80 ms.

Drawing: each dark module becomes a unit square of a single filled path, drawn in module units
under a scaling transformation: razor sharp at any resolution, and no Python code per module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import chain, compress
from operator import itemgetter

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

Matrix = Sequence[bytes]

__all__ = [
    "Matrix",
    "draw_matrix",
    "draw_qr",
    "draw_swiss_cross",
    "epc_payload",
    "qr_matrix",
]

# -- tables (ISO/IEC 18004:2015 tables 7 and 9, annex E) --------------------------------------

_LEVELS = {"l": 0, "m": 1, "q": 2, "h": 3}
_FORMAT_LEVEL_BITS = (1, 0, 3, 2)  # L, M, Q, H as written in the format information

# Error correction codewords per block, by level (L, M, Q, H) and version (index 0 unused).
_ECC_PER_BLOCK = (
    (-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    (-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    (-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    (-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
)  # fmt: skip
# Number of error correction blocks, by level and version.
_BLOCKS = (
    (-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
     8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    (-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    (-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    (-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
)  # fmt: skip

_NUMERIC, _ALPHANUMERIC, _BYTE = 1, 2, 4  # mode indicators
_ALNUM_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ord(ch): i for i, ch in enumerate(_ALNUM_CHARS)}
_ALNUM_RE = re.compile(rb"[0-9A-Z $%*+\-./:]+\Z")
_DIGITS_RE = re.compile(rb"[0-9]+\Z")

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _raw_data_modules(version: int) -> int:
    """Modules left for data and error correction codewords (and remainder bits)."""
    result = (16 * version + 128) * version + 64
    if version >= 2:
        count = version // 7 + 2
        result -= (25 * count - 10) * count - 55
        if version >= 7:
            result -= 36
    return result


def _data_codewords(version: int, level: int) -> int:
    return (
        _raw_data_modules(version) // 8 - _ECC_PER_BLOCK[level][version] * _BLOCKS[level][version]
    )


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    size = version * 4 + 17
    return [6, *[size - 7 - i * step for i in range(count - 1)][::-1]]


def _count_bits(mode: int, version: int) -> int:
    """Length of the character count indicator."""
    column = 0 if version < 10 else 1 if version < 27 else 2
    return {_NUMERIC: (10, 12, 14), _ALPHANUMERIC: (9, 11, 13), _BYTE: (8, 16, 16)}[mode][column]


@lru_cache(maxsize=32)
def _ecc_table(degree: int) -> tuple[int, ...]:
    """For each leading factor, the generator polynomial of ``degree`` times it, as an integer
    of ``degree`` bytes: the remainder of the polynomial division is then a shift and an XOR
    per data codeword."""
    divisor = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            divisor[j] = _gf_mul(divisor[j], root)
            if j + 1 < degree:
                divisor[j] ^= divisor[j + 1]
        root = _gf_mul(root, 0x02)
    return tuple(
        int.from_bytes(bytes(_gf_mul(coef, factor) for coef in divisor), "big")
        for factor in range(256)
    )


def _ecc(block: bytes, degree: int) -> bytes:
    table = _ecc_table(degree)
    shift = 8 * (degree - 1)
    full = (1 << (8 * degree)) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder << 8) & full) ^ table[byte ^ (remainder >> shift)]
    return remainder.to_bytes(degree, "big")


# -- the symbol's layout per version ------------------------------------------------------------


class _Layout:
    """What is fixed for a version: the function patterns, the data module positions in
    placement order, and the eight masks over the data region (all as flat row-major bytes)."""

    def __init__(self, version: int) -> None:
        size = version * 4 + 17
        self.size = size
        unset = 2
        grid = bytearray([unset]) * (size * size)

        def put(row: int, col: int, value: int) -> None:
            grid[row * size + col] = value

        # Format information (and the dark module) and version information: reserved, light
        # while the masks are evaluated (as segno does), written at the end. Reserved
        # first: the timing patterns cross the format information at (6, 8) and (8, 6).
        for i in range(9):
            put(i, 8, 0)
            put(8, i, 0)
        for i in range(1, 9):
            put(size - i, 8, 0)
            put(8, size - i, 0)
        if version >= 7:
            for i in range(6):
                for k in range(3):
                    put(i, size - 11 + k, 0)
                    put(size - 11 + k, i, 0)

        for i in range(size):  # timing patterns
            put(6, i, 1 - i % 2)
            put(i, 6, 1 - i % 2)
        for centre_row, centre_col in ((3, 3), (3, size - 4), (size - 4, 3)):
            for dr in range(-4, 5):
                for dc in range(-4, 5):
                    row, col = centre_row + dr, centre_col + dc
                    if 0 <= row < size and 0 <= col < size:
                        put(row, col, int(max(abs(dr), abs(dc)) not in (2, 4)))
        positions = _alignment_positions(version)
        last = len(positions) - 1
        for a, row in enumerate(positions):
            for b, col in enumerate(positions):
                if (a, b) in ((0, 0), (0, last), (last, 0)):
                    continue
                for dr in range(-2, 3):
                    for dc in range(-2, 3):
                        put(row + dr, col + dc, int(max(abs(dr), abs(dc)) != 1))

        data: list[int] = []  # zigzag placement order (ISO/IEC 18004 7.7.3)
        right = size - 1
        while right >= 1:
            if right == 6:
                right = 5
            upward = ((right + 1) & 2) == 0
            for vertical in range(size):
                row = size - 1 - vertical if upward else vertical
                for col in (right, right - 1):
                    if grid[row * size + col] == unset:
                        data.append(row * size + col)
            right -= 2
        self.data_modules = len(data)
        template = bytes(0 if v == unset else v for v in grid)
        # matrix = itemgetter(*gather)(template + placed bits): a data module takes its bit,
        # every other module its template value.
        gather = list(range(size * size))
        for order, index in enumerate(data):
            gather[index] = size * size + order
        self.template = template
        self.gather = itemgetter(*gather)

        mask_functions = (
            lambda r, c: (r + c) % 2 == 0,
            lambda r, c: r % 2 == 0,
            lambda r, c: c % 3 == 0,
            lambda r, c: (r + c) % 3 == 0,
            lambda r, c: (r // 2 + c // 3) % 2 == 0,
            lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
            lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
            lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
        )
        self.masks: list[int] = []  # flat, a byte per module
        self.row_masks: list[int] = []  # bit planes, see _planes()
        self.col_masks: list[int] = []
        for function in mask_functions:
            mask = bytearray(size * size)
            for index in data:
                if function(*divmod(index, size)):
                    mask[index] = 1
            self.masks.append(int.from_bytes(mask, "big"))
            rows, cols = _planes(bytes(mask), size)
            self.row_masks.append(rows)
            self.col_masks.append(cols)
        # Bit planes: a module at bit k of line j is bit j * (size + 4) + 4 + k; the four bits
        # before each line (and after the last) are the gap, light for N3, in no run for N1.
        width = size + 4
        line = ((1 << size) - 1) << 4
        self.modules = sum(line << (j * width) for j in range(size))
        self.gaps = ((1 << (width * size + 4)) - 1) ^ self.modules
        self.width = width


def _planes(flat: bytes, size: int) -> tuple[int, int]:
    """``flat`` (a byte 0/1 per module, row by row) as two integers with a bit per module: the
    rows one after the other, and the columns one after the other, each line behind a gap of
    four zero bits (bit 0 is the first gap bit: the string is reversed before parsing)."""
    gap = b"\x00\x00\x00\x00"
    rows = gap + gap.join([flat[i : i + size] for i in range(0, size * size, size)]) + gap
    cols = gap + gap.join([flat[j::size] for j in range(size)]) + gap
    return (
        int(rows.translate(_DIGITS)[::-1], 2),
        int(cols.translate(_DIGITS)[::-1], 2),
    )


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


@lru_cache(maxsize=41)
def _layout(version: int) -> _Layout:
    return _Layout(version)


# -- encoding --------------------------------------------------------------------------------


def _segment(data: bytes) -> tuple[int, int, int, int]:
    """(mode, character count, bits as an integer, number of bits) of one segment."""
    if _DIGITS_RE.match(data):
        value = length = 0
        for i in range(0, len(data), 3):
            chunk = data[i : i + 3]
            width = len(chunk) * 3 + 1
            value = (value << width) | int(chunk)
            length += width
        return _NUMERIC, len(data), value, length
    if _ALNUM_RE.match(data):
        value = length = 0
        for i in range(0, len(data) - 1, 2):
            value = (value << 11) | (_ALNUM_VALUE[data[i]] * 45 + _ALNUM_VALUE[data[i + 1]])
            length += 11
        if len(data) % 2:
            value = (value << 6) | _ALNUM_VALUE[data[-1]]
            length += 6
        return _ALPHANUMERIC, len(data), value, length
    return _BYTE, len(data), int.from_bytes(data, "big"), 8 * len(data)


def _penalty(rows: int, cols: int, layout: _Layout) -> int:
    """The mask penalty of ISO/IEC 18004 7.8.3, computed exactly as segno 1.6 does, on the bit
    planes of a masked symbol (the lines are processed in parallel by integer operations).

    N1: each run of 5 + i modules of one colour in a row or column scores 3 + i; N2: each 2 x 2
    block of one colour scores 3; N3: each 1:1:3:1:1 pattern (dark, light, 3 dark, light, dark)
    with four light modules or the symbol's edge before or after it scores 40, except where it
    overlaps a counted pattern (segno goes on searching behind a counted pattern); N4: 10 per
    5 % the share of dark modules is off 50 %.
    """
    modules = layout.modules
    width = layout.width
    score = 0
    for dark in (rows, cols):
        light = dark ^ modules
        for plane in (dark, light):
            five = plane & (plane >> 1) & (plane >> 2) & (plane >> 3) & (plane >> 4)
            # a run of n >= 5 sets n - 4 bits of ``five``; n - 2 = (n - 4) + 2 per run
            score += five.bit_count() + 2 * (five & ~(five << 1)).bit_count()
        open_ = light | layout.gaps
        found = (
            dark
            & (light >> 1)
            & (dark >> 2)
            & (dark >> 3)
            & (dark >> 4)
            & (light >> 5)
            & (dark >> 6)
        )
        before = (open_ << 1) & (open_ << 2) & (open_ << 3) & (open_ << 4)
        after = (open_ >> 7) & (open_ >> 8) & (open_ >> 9) & (open_ >> 10)
        counted_before = found & before
        skipped = (counted_before << 4) | (counted_before << 6)
        score += 40 * (found & (before | after) & ~skipped).bit_count()
    light = rows ^ modules
    for plane in (rows, light):
        pairs = plane & (plane >> width)  # same colour as the module below
        score += 3 * (pairs & (pairs >> 1)).bit_count()
    size = width - 4
    percent = rows.bit_count() / (size * size)
    score += 10 * int(abs(percent * 100 - 50) / 5)
    return score


def _format_bits(level: int, mask: int) -> int:
    data = (_FORMAT_LEVEL_BITS[level] << 3) | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return ((data << 10) | remainder) ^ 0x5412


def _version_bits(version: int) -> int:
    remainder = version
    for _ in range(12):
        remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
    return (version << 12) | remainder


def encode(data: str | bytes, *, error: str = "m", encoding: str = "utf-8") -> tuple[bytes, ...]:
    """The module matrix (rows of 0/1 bytes, no quiet zone) of a QR code for ``data``.

    Text is encoded with ``encoding`` (UTF-8 by default, no ECI header); bytes are taken as
    they are. The error correction level is exactly ``error`` (no boosting).
    """
    raw = data.encode(encoding) if isinstance(data, str) else bytes(data)
    level = _LEVELS[error.lower()]
    mode, count, value, length = _segment(raw)
    for version in range(1, 41):
        capacity = _data_codewords(version, level) * 8
        header = 4 + _count_bits(mode, version)
        if header + length <= capacity:
            break
    else:
        raise ValueError(f"{len(raw)} bytes do not fit a QR code at level {error.upper()}")

    # Bit stream: mode, count, data, terminator, zero bits to the byte boundary (segno writes a
    # whole zero byte when the stream is already aligned; a reader stops at the terminator, and
    # we do the same so that the symbols stay identical), then the pad codewords.
    bits = (mode << _count_bits(mode, version)) | count
    bits = (bits << length) | value
    used = header + length
    terminator = min(capacity - used, 4)
    bits <<= terminator
    used += terminator
    filler = 8 - used % 8
    bits <<= filler
    used += filler
    codewords = bits.to_bytes(used // 8, "big")
    pads = capacity // 8 - len(codewords)
    if pads > 0:
        codewords += (b"\xec\x11" * (pads // 2 + 1))[:pads]
    codewords = codewords[: capacity // 8]

    # Blocks and error correction, interleaved (ISO/IEC 18004 7.5, 7.6).
    blocks = _BLOCKS[level][version]
    degree = _ECC_PER_BLOCK[level][version]
    total = _raw_data_modules(version) // 8
    short = blocks - total % blocks
    short_length = total // blocks - degree
    data_blocks: list[bytes] = []
    position = 0
    for index in range(blocks):
        size = short_length + (0 if index < short else 1)
        data_blocks.append(codewords[position : position + size])
        position += size
    ecc_blocks = [_ecc(block, degree) for block in data_blocks]
    # Interleaved: the i-th codeword of every block in turn; the longer blocks' last data
    # codewords after the others' (zip stops at the shortest block).
    message = bytes(chain.from_iterable(zip(*data_blocks, strict=False)))
    message += bytes(block[short_length] for block in data_blocks[short:])
    message += bytes(chain.from_iterable(zip(*ecc_blocks, strict=True)))

    layout = _layout(version)
    size = layout.size
    stream = bin(int.from_bytes(message, "big"))[2:].zfill(8 * len(message))
    stream = stream.ljust(layout.data_modules, "0")  # remainder bits
    placed = bytes(layout.gather(layout.template + stream.encode("ascii").translate(_BITS)))
    row_plane, col_plane = _planes(placed, size)
    best_mask, best_score = 0, -1
    for mask in range(8):
        score = _penalty(
            row_plane ^ layout.row_masks[mask], col_plane ^ layout.col_masks[mask], layout
        )
        if best_score < 0 or score < best_score:
            best_mask, best_score = mask, score
    best = (int.from_bytes(placed, "big") ^ layout.masks[best_mask]).to_bytes(size * size, "big")
    matrix = bytearray(best)

    fmt = _format_bits(level, best_mask)
    for i in range(8):
        vertical = (fmt >> i) & 1
        horizontal = (fmt >> (14 - i)) & 1
        row = i if i < 6 else i + 1
        col = i if i < 6 else i + 1
        matrix[row * size + 8] = vertical  # column 8, top left
        matrix[8 * size + col] = horizontal  # row 8, top left
        matrix[8 * size + size - 1 - i] = vertical  # row 8, top right
        matrix[(size - 1 - i) * size + 8] = horizontal  # column 8, bottom left
    matrix[(size - 8) * size + 8] = 1  # the dark module
    if version >= 7:
        info = _version_bits(version)
        for i in range(18):
            bit = (info >> i) & 1
            a, b = size - 11 + i % 3, i // 3
            matrix[b * size + a] = bit
            matrix[a * size + b] = bit
    flat = bytes(matrix)
    return tuple(flat[i : i + size] for i in range(0, size * size, size))


_BITS = bytes.maketrans(b"01", b"\x00\x01")


@lru_cache(maxsize=256)
def qr_matrix(data: str | bytes, *, error: str = "m", encoding: str = "utf-8") -> Matrix:
    """The module matrix of ``data`` (see :func:`encode`), cached: a document rendered again
    (preview, print, save) does not encode twice."""
    return encode(data, error=error, encoding=encoding)


# -- EPC QR code ("GiroCode") ----------------------------------------------------------------

_EPC_ENCODINGS = (
    "utf-8", "iso-8859-1", "iso-8859-2", "iso-8859-4", "iso-8859-5", "iso-8859-7",
    "iso-8859-10", "iso-8859-15",
)  # fmt: skip


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal,
    text: str | None = None,
    reference: str | None = None,
    bic: str | None = None,
) -> bytes:
    """The payload of an EPC QR code (EPC069-12 version 002, SEPA credit transfer).

    The same bytes as ``segno.helpers.make_epc_qr``: the first of ISO 8859-1, -2, -4, -5, -7,
    -10, -15 that can carry the text (else UTF-8), named by its number in the third line.
    Raises ``ValueError`` for data the standard does not allow.
    """
    if bool(text) == bool(reference):
        raise ValueError("either a text or a creditor reference (ISO 11649) must be provided")
    if text and len(text) > 140:
        raise ValueError(f"the text has {len(text)} characters, at most 140 are allowed")
    if reference and len(reference) > 35:
        raise ValueError(f"the reference has {len(reference)} characters, at most 35 are allowed")
    if not name or len(name) > 70:
        raise ValueError(f"the name must have 1 to 70 characters, got {name!r}")
    if not iban or not 4 < len(iban) <= 34:
        raise ValueError(f"the IBAN must have 5 to 34 characters, got {iban!r}")
    if bic and len(bic) not in (8, 11):
        raise ValueError(f"the BIC must have 8 or 11 characters, got {bic!r}")
    amount = Decimal(amount)
    if not Decimal("0.01") <= amount <= Decimal("999999999.99"):
        raise ValueError(f"the amount {amount} is outside 0.01 to 999999999.99")
    fields = [
        "BCD",
        "002",
        "",
        "SCT",
        bic or "",
        name,
        iban,
        f"EUR{amount:.2f}".rstrip("0").rstrip("."),
        "",
        reference or "",
    ]
    if text:
        fields.append(text)
    joined = "\n".join(fields)
    charset = 1
    for number, codec in enumerate(_EPC_ENCODINGS[1:], start=2):
        try:
            joined.encode(codec)
        except UnicodeEncodeError:
            continue
        charset = number
        break
    fields[2] = str(charset)
    payload = "\n".join(fields).encode(_EPC_ENCODINGS[charset - 1])
    if len(payload) > 331:
        raise ValueError(f"the payload has {len(payload)} bytes, at most 331 are allowed")
    return payload


# -- drawing ---------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _module_squares(size: int) -> tuple[str, ...]:
    """The path operator of each module's unit square, row by row (for a symbol of ``size``)."""
    return tuple(f"{col} {row} 1 1 re" for row in range(size) for col in range(size))


def _path(matrix: Matrix) -> str:
    """One path of a unit square per dark module (adjacent squares of one filled path merge
    without seams). Picked by ``itertools.compress``, so no Python code runs per module."""
    return "\n".join(compress(_module_squares(len(matrix)), b"".join(matrix))) + "\nf"


def draw_matrix(canvas: Canvas, matrix: Matrix, x: float, top: float, size: float) -> None:
    """Draw ``matrix`` as a ``size`` x ``size`` point square whose top left corner is (x, top).

    Coordinates are reportlab points from the bottom left of the page; the quiet zone around the
    code is the caller's business (keep 4 modules, or the 5 mm the QR-bill asks for, free).
    """
    module = size / len(matrix)
    canvas.saveState()
    # Module units, rows growing downwards from the top left corner; integer coordinates keep
    # the content stream short, and one path means one fill (no hairline seams between runs).
    canvas.transform(module, 0, 0, -module, x, top)
    canvas.setFillGray(0)
    canvas.addLiteral(_path(matrix))
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
