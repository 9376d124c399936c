"""TrueType font subsets without their hinting, for embedding.

Hinting is the bytecode a TrueType font carries to snap its outlines to a screen's pixel grid
at small sizes: the ``fpgm``, ``prep`` and ``cvt `` tables and each glyph's instructions. In the
Liberation Sans subsets every invoice embeds it is half of the glyph data, and it made up a third
of each invoice file (33 of 96 KB). PDF viewers rasterise embedded fonts with their own
renderers and printers at print resolution, where hinting does not apply; PDF producers that
subset with fontTools (WeasyPrint, for one) drop it by default. The outlines, metrics and the
``name`` table with the fonts' copyright and licence are kept byte for byte.
"""

from __future__ import annotations

import itertools
import struct

from reportlab.pdfbase.ttfonts import TTFontMaker

__all__ = ["without_hinting"]

_HINTING_TABLES = frozenset((b"cvt ", b"fpgm", b"prep", b"hdmx", b"VDMX", b"LTSH"))

# Composite glyph component flags (OpenType 'glyf' table).
_ARG_1_AND_2_ARE_WORDS = 0x0001
_WE_HAVE_A_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
_WE_HAVE_A_TWO_BY_TWO = 0x0080
_WE_HAVE_INSTRUCTIONS = 0x0100


# Simple glyph point flags: the repeat flag, and a coordinate's size in bytes from its two flags
# (x: 0x02 "short", 0x10 "same or positive"; y: 0x04 and 0x20, shifted to x's places).
_REPEAT_FLAG = 0x08
_COORDINATE_BYTES = {0x00: 2, 0x02: 1, 0x10: 0, 0x12: 1}


def _tables(font: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">H", font, 4)
    tables = {}
    for n in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sLLL", font, 12 + 16 * n)
        tables[tag] = font[offset : offset + length]
    return tables


def _glyph_without_instructions(glyph: bytes) -> bytes:
    if len(glyph) < 10:  # an empty glyph (the space)
        return glyph
    (contours,) = struct.unpack_from(">h", glyph)
    if contours >= 0:
        # A simple glyph: header, the contours' end points, the instructions, then the points'
        # flags and coordinates (up to their end: the source font may pad its glyphs).
        at = 10 + 2 * contours
        (length,) = struct.unpack_from(">H", glyph, at)
        points = struct.unpack_from(">H", glyph, at - 2)[0] + 1 if contours else 0
        start = end = at + 2 + length
        coordinates = 0
        while points > 0:
            flags = glyph[end]
            repeat = 1 + (glyph[end + 1] if flags & _REPEAT_FLAG else 0)
            end += 2 if flags & _REPEAT_FLAG else 1
            coordinates += repeat * (
                _COORDINATE_BYTES[flags & 0x12] + _COORDINATE_BYTES[(flags & 0x24) >> 1]
            )
            points -= repeat
        return glyph[:at] + b"\0\0" + glyph[start : end + coordinates]
    # A composite glyph: its components, then instructions if a component's flag says so.
    out = bytearray(glyph)
    at, flags = 10, _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        (flags,) = struct.unpack_from(">H", glyph, at)
        struct.pack_into(">H", out, at, flags & ~_WE_HAVE_INSTRUCTIONS)
        at += 4 + (4 if flags & _ARG_1_AND_2_ARE_WORDS else 2)
        if flags & _WE_HAVE_A_SCALE:
            at += 2
        elif flags & _WE_HAVE_AN_X_AND_Y_SCALE:
            at += 4
        elif flags & _WE_HAVE_A_TWO_BY_TWO:
            at += 8
    return bytes(out[:at])


def without_hinting(font: bytes) -> bytes:
    """The TrueType file ``font`` (a subset as reportlab makes it) without its hinting: the
    hinting tables dropped, each glyph's instructions removed, ``loca``, ``maxp``, ``head``
    and the checksums made to match."""
    tables = _tables(font)
    head, loca, glyf = tables[b"head"], tables[b"loca"], tables[b"glyf"]
    if struct.unpack_from(">h", head, 50)[0]:
        offsets = struct.unpack(f">{len(loca) // 4}L", loca)
    else:
        offsets = [2 * offset for offset in struct.unpack(f">{len(loca) // 2}H", loca)]
    glyphs, new_offsets = [], [0]
    for start, end in itertools.pairwise(offsets):
        glyph = _glyph_without_instructions(glyf[start:end])
        glyph += b"\0" * (-len(glyph) % 4)  # each glyph 4-byte aligned, as reportlab writes them
        glyphs.append(glyph)
        new_offsets.append(new_offsets[-1] + len(glyph))
    long_offsets = new_offsets[-1] > 2 * 0xFFFF
    if long_offsets:
        tables[b"loca"] = struct.pack(f">{len(new_offsets)}L", *new_offsets)
    else:
        tables[b"loca"] = struct.pack(
            f">{len(new_offsets)}H", *(offset >> 1 for offset in new_offsets)
        )
    tables[b"glyf"] = b"".join(glyphs)
    head = bytearray(head)
    struct.pack_into(">h", head, 50, int(long_offsets))
    tables[b"head"] = bytes(head)
    maxp = bytearray(tables[b"maxp"])
    if len(maxp) >= 32:  # version 1.0: the limits of the bytecode interpreter, now unused
        struct.pack_into(">7H", maxp, 14, 1, 0, 0, 0, 0, 0, 0)
    tables[b"maxp"] = bytes(maxp)
    maker = TTFontMaker()
    for tag, data in tables.items():
        if tag not in _HINTING_TABLES:
            maker.add(tag.decode("latin-1"), data)
    return maker.makeStream()
