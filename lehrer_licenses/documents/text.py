"""Fonts and plain-text layout for the reportlab canvas.

Each document picks its fonts from the characters it prints (:func:`choose_fonts`):

1. ``LIBERATION``: Liberation Sans (shipped in ``resources/fonts``, SIL OFL), embedded as a
   subset. Metric-compatible with Arial and so with Helvetica: a document lays out as it did
   when it printed in Helvetica, and the QR-bill style guide names Liberation Sans too. It
   covers Latin, Greek and Cyrillic.
2. ``DEJAVU``: DejaVu Sans (shipped too), embedded, for the rare text beyond Liberation Sans.

Every font of every document is embedded: a Factur-X invoice is a PDF/A-3 file, and PDF/A
forbids the 14 standard fonts a viewer substitutes. Codes (registration codes) print in DejaVu
Sans Mono Bold (Courier's advance width, 0.6 em).
``STANDARD`` (Helvetica) is kept only as the metric reference the layout tests compare
Liberation Sans with; no document is rendered with it.

reportlab makes an embedded font's subsets in pure Python for every document (3-5 ms). Here the
first subset of every font holds the same characters in every document (the text fonts: ASCII,
Windows-1252, the letters of Central and South-Eastern European names; the code font: digits,
capitals and the dash), so its font file, widths, ToUnicode map and
descriptor are made and compressed once per process (``pdf_file`` writes them as bytes); a
document with other characters gets further codes or a small second subset. Each font has a
fixed resource name, so the operators that show a string of first-subset characters are the
same in every document: :class:`DocumentCanvas` keeps them for the strings it meets again at
the same place (labels, the vendor's details, recurring values), and drawings that never change
(:meth:`DocumentCanvas.drawn`: the QR-bill's separation lines and Swiss cross) are kept whole.

The choice is made from the document's data before the layout; a :class:`DocumentCanvas` then
checks every string it draws, and a string its font cannot print raises :class:`FontMissing`,
upon which the renderer starts again with the next font set (so a forgotten string can never
print as black boxes). Text is drawn with ``drawString`` and wrapped here with the font's own
metrics: nothing a user typed is ever parsed as markup.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF, fp_str, unicode2T1
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    TTFontFace,
    makeToUnicodeCMap,
)
from reportlab.pdfgen.canvas import Canvas

from lehrer_licenses.documents.pdf_file import pdf_bytes
from lehrer_licenses.documents.truetype_hints import without_hinting
from lehrer_licenses.paths import resource

REGULAR = "LLLiberationSans"
BOLD = "LLLiberationSans-Bold"
DEJAVU_REGULAR = "LLDejaVuSans"
DEJAVU_BOLD = "LLDejaVuSans-Bold"
CODE = "LLDejaVuSansMono-Bold"

__all__ = [
    "BOLD",
    "CODE",
    "DEJAVU",
    "FONT_SETS",
    "LIBERATION",
    "REGULAR",
    "STANDARD",
    "DocumentCanvas",
    "FontMissing",
    "FontSet",
    "choose_fonts",
    "clean",
    "document_texts",
    "drawn_once",
    "ensure_fonts",
    "fit",
    "stringWidth",
    "wrap",
    "wrap_code",
]

_TTF_FILES = {
    REGULAR: "LiberationSans-Regular.ttf",
    BOLD: "LiberationSans-Bold.ttf",
    DEJAVU_REGULAR: "DejaVuSans.ttf",
    DEJAVU_BOLD: "DejaVuSans-Bold.ttf",
    CODE: "DejaVuSansMono-Bold.ttf",
}
# A font of a few characters (the codes'): not ASCII at its codes and ``_COMMON``, but the
# characters they print.
_PLAIN_TTF = frozenset((CODE,))
_FIXED = {CODE: "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_WINANSI_FONTS = frozenset(
    ("Helvetica", "Helvetica-Bold", "Courier", "Courier-Bold", "Times-Roman", "Times-Bold")
)
# What the standard fonts print instead of characters WinAnsi lacks: the narrow no-break space
# of French amounts ("1 234,50") becomes a no-break space, Unicode hyphens a hyphen-minus.
_WINANSI_SUBSTITUTES = str.maketrans(
    {"\u202f": "\u00a0", "\u2009": " ", "\u2010": "-", "\u2011": "-", "\u2212": "-"}
)


@dataclass(frozen=True, slots=True)
class FontSet:
    """The fonts of one document: ``regular`` and ``bold`` text, ``code`` for codes."""

    name: str
    regular: str
    bold: str
    code: str = CODE
    embedded: bool = True

    def covers(self, text: str) -> bool:
        """Whether this set's text fonts print every character of ``text``."""
        if not self.embedded:
            return _winansi_ok(text)
        return set(text) <= _glyphs(self.regular) and set(text) <= _glyphs(self.bold)

    def code_font(self, code: str) -> str:
        """The monospaced font for a code it can print (every registration code), else bold."""
        if self.code in _TTF_FILES:
            return self.code if set(code) <= _glyphs(self.code) else self.bold
        return self.code if _winansi_ok(code) else self.bold


STANDARD = FontSet("standard", "Helvetica", "Helvetica-Bold", "Courier-Bold", embedded=False)
LIBERATION = FontSet("liberation", REGULAR, BOLD)
DEJAVU = FontSet("dejavu", DEJAVU_REGULAR, DEJAVU_BOLD)
FONT_SETS = (LIBERATION, DEJAVU)


def _winansi_ok(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.translate(_WINANSI_SUBSTITUTES).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _setup() -> None:
    """reportlab settings for every document (process-wide: all PDFs of the app are ours).

    Binary (not ASCII85) streams: standard PDF, 20 % smaller files, and no encoding pass.
    Page streams deflated at level 1 instead of 6: a fifth of the time (about 1 ms of a
    document's 6-10), files a few KB larger; font files are compressed once, at level 6.
    """
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress.encode = _deflate


def _deflate(data: str | bytes) -> bytes:
    return zlib.compress(data.encode("utf8") if isinstance(data, str) else data, 1)


# The characters of every document's first font subset, in this order (after ASCII, which
# reportlab places at its own codes): the letters of Latin-1 and Windows-1252, their punctuation
# that letters and addresses use, then the letters of Central and South-Eastern European names.
# Latin-1's other symbols (fractions, superscripts, currency signs, the pilcrow) are left to a
# second, per-document subset, as is any other character: each glyph here is in every invoice
# (their outlines were 4 KB of each file), and its font file is cached by its characters.
_LATIN_1_LEFT_OUT = frozenset("¡¢£¤¥¦¨¬¯±²³´¶¸¹¼½¾¿÷")
_COMMON = (
    "".join(ch for ch in map(chr, range(0xA1, 0x100)) if ch not in _LATIN_1_LEFT_OUT)
    + "€‚„…ŠŒŽ‘’“”•–—šœžŸ"
    + "ŁłŻżŹźŚśĆćŃńĄąĘęČčŘřĚěŮůĎďŤťŇňŐőŰűȘșȚțĂăĞğİıŞşĐđĽľĹĺŔŕ"
)


_SUBSET_LOCK = threading.Lock()
# Each embedded font's resource name on every page, the same in every document (reportlab numbers
# fonts in the order a document first uses them), so that the text a page shows does not depend
# on what was drawn before it.
_RESOURCE_NAMES = {
    REGULAR: "R",
    BOLD: "B",
    DEJAVU_REGULAR: "DR",
    DEJAVU_BOLD: "DB",
    CODE: "C",
}


class _StateKey:
    """A key of a font's state that is no document (weakly referenced, as documents are)."""


class _SubsetCachingFace(TTFontFace):
    """A face that makes each font subset (a TrueType file, in pure Python, without hinting:
    ``truetype_hints``) and compresses it once per process: a fixed first subset is then free
    for every document."""

    _subset_files: OrderedDict[tuple[int, ...], tuple[int, bytes]]

    def font_file(self, subset: list[int]) -> tuple[int, bytes]:
        """The subset's TrueType file: its length and its compressed bytes."""
        key = tuple(subset)
        with _SUBSET_LOCK:  # documents may be rendered in several threads
            cached = self._subset_files.get(key)
            if cached is not None:
                self._subset_files.move_to_end(key)
        if cached is None:
            raw = without_hinting(self.makeSubset(subset))
            cached = (len(raw), zlib.compress(raw))
            with _SUBSET_LOCK:
                self._subset_files[key] = cached
                if len(self._subset_files) > 64:
                    self._subset_files.popitem(last=False)
        return cached

    def descriptor_entries(self, fontname: str) -> bytes:
        """The font descriptor's entries but the font file's reference."""
        return (
            f"/Type /FontDescriptor /FontName /{fontname} /Flags "
            f"{(self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC} /FontBBox [ {fp_str(*self.bbox)} ]"
            f" /ItalicAngle {fp_str(self.italicAngle)} /Ascent {fp_str(self.ascent)} /Descent "
            f"{fp_str(self.descent)} /CapHeight {fp_str(self.capHeight)} /StemV "
            f"{fp_str(self.stemV)} /MissingWidth {fp_str(self.defaultWidth)}"
        ).encode("ascii")

    def addSubsetObjects(self, doc, fontname, subset):
        """As ``TTFontFace.addSubsetObjects``, with the font file taken from the cache."""
        length, packed = self.font_file(subset)
        font_file = pdfdoc.PDFStream()
        if doc.compression:
            font_file.content = packed
            font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        else:
            font_file.content = zlib.decompress(packed)
        font_file.dictionary["Length1"] = length
        font_file_ref = doc.Reference(font_file, f"fontFile:{self.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(self.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "FontFile2": font_file_ref,
                "MissingWidth": self.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)


@dataclass(frozen=True, slots=True)
class _SubsetObjects:
    """A font subset's PDF objects as bytes, but for the references between them."""

    font: bytes  # the font dictionary up to its references
    widths: bytes  # the widths array
    cmap: bytes  # the compressed ToUnicode map
    to_unicode: bytes  # the ToUnicode stream object
    descriptor: bytes  # the descriptor's entries up to the font file's reference
    font_file: bytes  # the FontFile2 stream object


class _DocumentFont(TTFont):
    """A TrueType font whose first subset holds the same characters in every document, so that
    its PDF objects come from per-process caches (``pdf_file``, or reportlab's ``addObjects`` for
    the documents left to reportlab); characters beyond go to further codes and subsets as
    usual. Its resource name is fixed, and a string of the first subset's characters is encoded
    by one ``str.translate`` (``encode_fixed``).

    The text fonts' first subset is ASCII at its own codes and ``_COMMON``; a code's font holds
    the characters of codes.
    """

    def __init__(self, name: str, filename: str) -> None:
        readable = name not in _PLAIN_TTF
        super().__init__(name, filename, asciiReadable=int(readable))
        self.face.__class__ = _SubsetCachingFace
        self.face._subset_files = OrderedDict()
        self.resource_name = _RESOURCE_NAMES[name]
        glyphs = self.face.charToGlyph
        fixed = [ord(ch) for ch in _FIXED.get(name, _COMMON) if ord(ch) in glyphs]
        template = self._template = self._readable(fixed) if readable else self._plain(fixed)
        # As splitString encodes: a no-break space prints as the space.
        table = {code: n for code, n in template.assignments.items() if n < 256}
        table[0xA0] = template.assignments[32]
        self._fixed_table = {code: chr(n) for code, n in table.items()}
        self.fixed_characters = frozenset(map(chr, table))

    def _readable(self, fixed: list[int]) -> TTFont.State:
        """ASCII at codes 32-127, ``fixed`` at 1-31 and 128-255."""
        state = TTFont.State(1, self)
        slots = [*range(1, 32), *range(128, 256)]
        assignments, subset = state.assignments, state.subsets[0]
        for slot, code in zip(slots, fixed, strict=False):
            assignments[code] = slot
            if slot < 32:
                subset[slot] = code
            else:
                subset.append(code)
        # Closed: a document's other characters start a second subset (code 256 on), so that
        # the first one's font file is the cached one in every document.
        state.nextCode = 256
        return state

    def _plain(self, fixed: list[int]) -> TTFont.State:
        """``fixed`` at the codes reportlab gives them in this order."""
        key = _StateKey()
        self.state[key] = TTFont.State(0, self)
        TTFont.splitString(self, "".join(map(chr, fixed)), key)
        return self.state.pop(key)

    def _state(self, doc: object) -> TTFont.State:
        state = self.state.get(doc)
        if state is None:
            template = self._template
            state = self.state[doc] = TTFont.State.__new__(TTFont.State)
            state.assignments = dict(template.assignments)
            state.subsets = [list(subset) for subset in template.subsets]
            state.nextCode = template.nextCode
            state.internalName = None
            state.frozen = 0
        return state

    def encode_fixed(self, text: str, doc: object) -> bytes:
        """``text``, all of whose characters are in ``fixed_characters``, in the first subset's
        codes (which are the same in every document)."""
        self._state(doc)
        return text.translate(self._fixed_table).encode("latin-1")

    def splitString(self, text, doc, encoding="utf-8"):
        self._state(doc)
        return super().splitString(text, doc, encoding)

    def getSubsetInternalName(self, subset, doc):
        state = self._state(doc)
        if subset < 0 or subset >= len(state.subsets):
            raise IndexError(f"Subset {subset} does not exist in font {self.fontName}")
        if state.internalName is None:
            state.internalName = self.resource_name
            doc.fontMapping[self.fontName] = "/" + self.resource_name
            doc.delayedFonts.append(self)
        return f"/{self.resource_name}+{subset}"

    def addObjects(self, doc):
        """As ``TTFont.addObjects``, with each subset's objects formatted once per process."""
        state = self._state(doc)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            parts = _subset_objects(self, n, tuple(subset))
            base_name = _base_name(self.face, n)
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = internal_name
            font.BaseFont = base_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = _Formatted(parts.widths)
            stream = pdfdoc.PDFStream()
            if doc.compression:
                stream.content = parts.cmap
                stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
            else:
                stream.content = zlib.decompress(parts.cmap)
            font.ToUnicode = doc.Reference(stream, "toUnicodeCMap:" + base_name)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base_name, subset)
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]

    def subsets_of(self, doc: object) -> list[tuple[int, tuple[int, ...]]]:
        """The subsets ``doc`` used, numbered."""
        return [(n, tuple(subset)) for n, subset in enumerate(self._state(doc).subsets)]

    def forget(self, doc: object) -> None:
        self.state.pop(doc, None)

    def subset_objects(
        self, doc: object, n: int, subset: tuple[int, ...], number: int
    ) -> tuple[str, list[bytes]]:
        """The resource name and the four objects (font, ToUnicode map, descriptor, font file)
        of subset ``n``, numbered from ``number``."""
        parts = _subset_objects(self, n, subset)
        return f"{self.resource_name}+{n}", [
            b"%s /FontDescriptor %d 0 R /ToUnicode %d 0 R >>"
            % (parts.font, number + 2, number + 1),
            parts.to_unicode,
            b"<< %s /FontFile2 %d 0 R >>" % (parts.descriptor, number + 3),
            parts.font_file,
        ]


def _base_name(face: TTFontFace, n: int) -> str:
    return b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")


@lru_cache(maxsize=128)
def _subset_objects(font: _DocumentFont, n: int, subset: tuple[int, ...]) -> _SubsetObjects:
    face = font.face
    base_name = _base_name(face, n)
    widths = f"[ {fp_str(*map(face.getCharWidth, subset))} ]".encode("ascii")
    cmap = zlib.compress(makeToUnicodeCMap(base_name, list(subset)).encode("latin-1"))
    length, packed = face.font_file(list(subset))
    return _SubsetObjects(
        font=(
            f"<< /Type /Font /Subtype /TrueType /Name /{font.resource_name}+{n} /BaseFont "
            f"/{base_name} /FirstChar 0 /LastChar {len(subset) - 1} /Widths "
        ).encode("ascii")
        + widths,
        widths=widths,
        cmap=cmap,
        to_unicode=b"<< /Filter [ /FlateDecode ] /Length %d >>\nstream\n%s\nendstream"
        % (len(cmap), cmap),
        descriptor=face.descriptor_entries(base_name),
        font_file=b"<< /Filter [ /FlateDecode ] /Length %d /Length1 %d >>\nstream\n%s\nendstream"
        % (len(packed), length, packed),
    )


class _Formatted(pdfdoc.PDFObject):
    """A PDF object formatted once (the widths of a font subset)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document):
        return self.data


@cache
def _register(name: str) -> TTFont:
    """Register one of the shipped TrueType fonts with reportlab (parsing takes 10-25 ms)."""
    _setup()
    path = resource("fonts", _TTF_FILES[name])
    font = _DocumentFont(name, str(path))
    _repair_advances(font.face)
    pdfmetrics.registerFont(font)
    return font


def _repair_advances(face: TTFontFace) -> None:
    """Give the glyphs past the font's last full horizontal metric their advance in font units.

    A TrueType font may list advances for its first glyphs only (``numberOfHMetrics`` in
    'hhea'; DejaVu Sans Mono lists 4 for 3316 glyphs), the rest sharing the last one. reportlab
    keeps that shared advance in thousandths of an em instead of font units, so the subsets it
    writes said "602" where the font says 1233/2048 em, and the embedded font disagreed with the
    PDF's /Widths (a PDF/A error, found by PDFBox Preflight).
    """
    face.seek_table("hhea")
    face.skip(34)
    listed = face.read_ushort()
    if 0 < listed < len(face.hmetrics):
        advance = face.hmetrics[listed - 1][0]
        face.hmetrics[listed:] = [(advance, lsb) for _scaled, lsb in face.hmetrics[listed:]]


@cache
def _glyphs(name: str) -> frozenset[str]:
    """The characters the shipped TrueType font ``name`` has a glyph for."""
    return frozenset(map(chr, _register(name).face.charToGlyph))


def ensure_fonts(fonts: FontSet = LIBERATION) -> None:
    """Make ``fonts`` ready for reportlab (registers the TrueType files once per process)."""
    _setup()
    if fonts.embedded:
        _register(fonts.regular)
        _register(fonts.bold)
        _register(fonts.code)


def choose_fonts(texts: Iterable[str]) -> FontSet:
    """The first font set (Liberation Sans, DejaVu Sans) that prints all ``texts``."""
    joined = "".join(texts)
    for fonts in FONT_SETS[:-1]:
        ensure_fonts(fonts)
        if fonts.covers(joined):
            return fonts
    ensure_fonts(FONT_SETS[-1])
    return FONT_SETS[-1]


def document_texts(*items: object) -> Iterator[str]:
    """Every string in ``items`` and in the dataclasses, tuples and lists they hold: what a
    document will print of its data (the catalogues' texts are WinAnsi, a test checks it)."""
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple | list):
            yield from document_texts(*item)
        else:
            names = _field_names(type(item))
            if names:
                yield from document_texts(*(getattr(item, name) for name in names))


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    """The field names of a dataclass (none for other types)."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(f.name for f in dataclasses.fields(kind))


class FontMissing(Exception):
    """A string cannot be printed with the document's fonts: render with the next set."""


# The operators of strings drawn before (``DocumentCanvas._shown``), by font, size, position and
# text; emptied when full, so it holds what recurs.
_SHOWN: dict[tuple, tuple[TTFont, str]] = {}
_SHOWN_LIMIT = 20_000
# The operators of drawings that are the same in every document (``DocumentCanvas.drawn``).
_DRAWN: dict[tuple, tuple[tuple[str, ...], tuple[TTFont, ...]]] = {}


class DocumentCanvas(Canvas):
    """A canvas that prints WinAnsi substitutes with the standard fonts and, when ``strict``,
    raises :class:`FontMissing` for a string its current font cannot print.

    Plain strings (no render mode, spacing or direction) are written as one ``BT ... Tj ET``
    object each, the operators reportlab's ``drawString`` writes for them, without its text
    object machinery: it is a quarter of the cost of a document otherwise.
    """

    def __init__(self, *args: object, strict: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._strict = strict
        self._fonts_used: set[TTFont] = set()
        self._recording: set[TTFont] | None = None  # the fonts a drawing kept (drawn) uses
        self._repeatable = True

    def drawn(self, key: tuple, draw: Callable[[Canvas], None]) -> None:
        """``draw(self)``: a drawing that leaves the canvas as it found it (saveState ...
        restoreState), the same for the same ``key`` in every document. Its operators are kept
        under ``key`` and written again for the next document without drawing, unless it
        printed characters beyond a first subset (their codes follow the document)."""
        hit = _DRAWN.get(key)
        if hit is not None:
            code, fonts = hit
            for font in fonts:
                font.getSubsetInternalName(0, self._doc)
            self._code.extend(code)
            return
        start = len(self._code)
        outer = self._recording, self._repeatable
        self._recording, self._repeatable = set(), True
        try:
            draw(self)
        finally:
            fonts, repeatable = self._recording, self._repeatable
            self._recording = outer[0]
            self._repeatable = outer[1] and repeatable
            if outer[0] is not None:
                outer[0].update(fonts)
        if repeatable:
            _DRAWN[key] = (tuple(self._code[start:]), tuple(fonts))

    def _checked(self, text: str) -> str:
        if text.isascii():  # every font prints ASCII (the common case, checked in C)
            return text
        font = self._fontname
        if font in _WINANSI_FONTS:
            text = text.translate(_WINANSI_SUBSTITUTES)
            if self._strict and not _winansi_ok(text):
                raise FontMissing(f"{font} cannot print {text!r}")
        elif self._strict and font in _TTF_FILES and not set(text) <= _glyphs(font):
            raise FontMissing(f"{font} cannot print {text!r}")
        return text

    def _show(self, x: float, y: float, text: str, key: tuple | None = None) -> bool:
        """Write ``text`` at (x, y); False if it needs reportlab's general way (a standard
        font printing some characters through a substitute font). A string of a first subset's
        characters is noted under ``key`` (see :meth:`_shown`)."""
        font = pdfmetrics.getFont(self._fontname)
        if font._dynamicFont:  # TrueType: one font resource per subset of 256 characters
            doc = self._doc
            size = fp_str(self._fontsize)
            fixed = getattr(font, "fixed_characters", None)
            if fixed is not None and fixed.issuperset(text):  # nearly every string
                if self._recording is not None:
                    self._recording.add(font)
                name = font.getSubsetInternalName(0, doc)
                chunk = escapePDF(font.encode_fixed(text, doc))
                shown = f"BT 1 0 0 1 {fp_str(x, y)} Tm {name} {size} Tf ({chunk}) Tj ET"
                self._code.append(shown)
                if key is not None:
                    if len(_SHOWN) >= _SHOWN_LIMIT:
                        _SHOWN.clear()
                    _SHOWN[key] = (font, shown)
                return True
            self._repeatable = False  # codes in this document's order
            parts = []
            current = -1
            for subset, chunk in font.splitString(text, doc):
                if subset != current:
                    parts.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf")
                    current = subset
                parts.append(f"({escapePDF(chunk)}) Tj")
            shown = " ".join(parts)
        else:  # a standard font, selected by setFont (Tf is part of the graphics state)
            self._repeatable = False
            pieces = unicode2T1(text, [font, *font.substitutionFonts])
            if len(pieces) > 1 or (pieces and pieces[0][0] is not font):
                return False
            shown = f"({escapePDF(pieces[0][1])}) Tj" if pieces else ""
        self._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {shown} ET")
        return True

    def _shown(self, key: tuple) -> bool:
        """Write the string ``key`` names as it was written before, if it was: labels, the
        vendor's details and many values recur at their places in every document. A first
        subset's codes are the same in every document, so the operators are too."""
        hit = _SHOWN.get(key)
        if hit is None:
            return False
        font, shown = hit
        if self._recording is not None:
            self._recording.add(font)
        if font not in self._fonts_used:
            font.getSubsetInternalName(0, self._doc)
            self._fonts_used.add(font)
        self._code.append(shown)
        return True

    def save(self) -> None:
        """As ``Canvas.save``, the file written by ``pdf_file`` unless it holds more than it
        writes (an image: then by reportlab)."""
        if len(self._code):
            self.showPage()
        data = pdf_bytes(self, _deflate)
        if data is None:
            self._doc.SaveToFile(self._filename, self)
        elif hasattr(self._filename, "write"):
            self._filename.write(data)
        else:
            with open(self._filename, "wb") as file:
                file.write(data)

    def _aligned(self, base: Callable, shift: float, x, y, text, args, kwargs) -> None:
        """Draw ``text`` starting ``shift`` times its width left of ``x`` (0 left-aligned, 1
        right-aligned, 0.5 centred), or by ``base`` (reportlab's way) what this way does not
        write."""
        if args or kwargs:
            self._repeatable = False
            base(self, x, y, self._checked(text), *args, **kwargs)
            return
        key = (self._fontname, self._fontsize, x, y, text, shift)
        if self._shown(key):
            return
        text = self._checked(text)
        start = x
        if shift:
            start -= shift * pdfmetrics.stringWidth(text, self._fontname, self._fontsize)
        if not self._show(start, y, text, key):
            base(self, x, y, text)

    def drawString(self, x, y, text, *args, **kwargs):
        self._aligned(Canvas.drawString, 0, x, y, text, args, kwargs)

    def drawRightString(self, x, y, text, *args, **kwargs):
        self._aligned(Canvas.drawRightString, 1, x, y, text, args, kwargs)

    def drawCentredString(self, x, y, text, *args, **kwargs):
        self._aligned(Canvas.drawCentredString, 0.5, x, y, text, args, kwargs)


def drawn_once(canvas: Canvas, key: tuple, draw: Callable[[Canvas], None]) -> None:
    """``draw(canvas)``, kept for the next document on a :class:`DocumentCanvas` (see
    :meth:`DocumentCanvas.drawn`)."""
    if isinstance(canvas, DocumentCanvas):
        canvas.drawn(key, draw)
    else:
        draw(canvas)


_string_width = pdfmetrics.stringWidth


def stringWidth(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points, as the document's canvas will print it."""
    if font in _WINANSI_FONTS and not text.isascii():
        text = text.translate(_WINANSI_SUBSTITUTES)
    return _string_width(text, font, size)


_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean(text: object) -> str:
    """User text made printable: line breaks kept, tabs to spaces, control characters dropped."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if value.isprintable():
        return value
    return "".join(ch for ch in value if ch == "\n" or unicodedata.category(ch) not in _DROP)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split one over-long word (an IBAN, a code, a URL) into pieces that fit ``width``."""
    pieces: list[str] = []
    current = ""
    current_width = 0.0
    for ch in word:
        w = stringWidth(ch, font, size)
        if current and current_width + w > width:
            pieces.append(current)
            current, current_width = "", 0.0
        current += ch
        current_width += w
    if current:
        pieces.append(current)
    return pieces


_BINDING = ("×", "x", "/")  # an operator binds the words on both sides


def _glued(words: list[str]) -> list[str]:
    """Words that must stay on one line joined: a count and its unit ("8 mois"), and a rate
    with both its sides ("8 / mois × 4.50"), as a reader takes them in."""
    glued: list[str] = []
    join_next = False
    for word in words:
        if glued and (join_next or word in _BINDING):
            glued[-1] += " " + word
        else:
            glued.append(word)
        join_next = word in _BINDING or word.isdigit()
    return glued


def wrap(text: object, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points; explicit line breaks are kept.

    Breaks at spaces; a single word wider than the line is broken between characters.
    An empty text gives no lines.
    """
    return list(_wrapped(clean(text), font, size, width))


# Most texts recur from document to document (the vendor's details, the labels, the terms), and
# wrapping measures every word: the lines are kept.
@lru_cache(maxsize=4096)
def _wrapped(value: str, font: str, size: float, width: float) -> tuple[str, ...]:
    if not value.strip():
        return ()
    if "\n" not in value and stringWidth(value, font, size) <= width:
        return (" ".join(value.split()),)  # the common case: one line
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        words = _glued(paragraph.split())
        if not words:
            lines.append("")
            continue
        current = ""
        current_width = 0.0
        for word in words:
            w = stringWidth(word, font, size)
            if current and current_width + space + w <= width:
                current += " " + word
                current_width += space + w
                continue
            if current:
                lines.append(current)
            if w <= width:
                current, current_width = word, w
                continue
            pieces = _break_word(word, font, size, width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
            current_width = stringWidth(current, font, size)
        lines.append(current)
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


def wrap_code(code: str, font: str, size: float, width: float) -> list[str]:
    """A code such as "LO1-ABCD-EFGH-..." in lines no wider than ``width``, broken after its
    dashes (a group longer than a line is broken between characters)."""
    groups = re.findall(r"[^-]+-*|-+", "".join(clean(code).split()))
    lines: list[str] = []
    current = ""
    for group in groups:
        if stringWidth(current + group, font, size) <= width:
            current += group
            continue
        if current:
            lines.append(current)
        current = ""
        if stringWidth(group, font, size) <= width:  # the group fits a line of its own
            current = group
            continue
        for piece in _break_word(group, font, size, width):
            if stringWidth(current + piece, font, size) <= width:
                current += piece
            else:
                lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines


@lru_cache(maxsize=4096)  # the same texts are fitted to the same places in every document
def fit(text: str, font: str, size: float, width: float, minimum: float = 6.0) -> float:
    """The largest font size not above ``size`` (and not below ``minimum``) at which one line
    of ``text`` fits ``width``."""
    w = stringWidth(text, font, size)
    if w <= width or w == 0:
        return size
    return max(minimum, size * width / w)
