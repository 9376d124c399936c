"""The PDF file of a drawn document, assembled from bytes made once per process.

reportlab's ``canvas.save()`` builds an object tree for every document and formats it object by
object in Python: the four objects of every font subset, the page, its resources, the catalogue
(40 % of a document's time). Here a document's file is written directly: the page content
streams as the canvas wrote them, and each font subset's objects (its font file, widths,
ToUnicode map and descriptor) from :mod:`~lehrer_licenses.documents.text`'s per-process caches,
of which only the object numbers are formatted per document. The objects come in a fixed order
(catalogue, pages, information, fonts by their fixed resource names, pages with their
contents), so the file is a pure function of what was drawn.

A document with anything else (an image such as a vendor's logo, annotations, colour spaces,
transparency) is written by reportlab as before: :func:`pdf_bytes` answers ``None``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFString

__all__ = ["pdf_bytes"]

# Compressed content streams and font files are binary; a comment line of high bytes says so.
HEADER = b"%PDF-1.4\n%\x93\x8c\x8b\x9e lehrer-licenses\n"
_PAGE_ID = re.compile(r"Page\d+")
_PAGE_KEYS = {
    "Parent",
    "MediaBox",
    "Resources",
    "Contents",
    "CropBox",
    "Rotate",
    "Thumb",
    "Annots",
    "B",
    "Dur",
    "Hid",
    "Trans",
    "AA",
    "PieceInfo",
    "LastModified",
    "SeparationInfo",
    "ArtBox",
    "TrimBox",
    "BleedBox",
    "ID",
    "PZ",
    "pagewidth",
    "pageheight",
    "hasImages",
    "compression",
    "stream",
    "XObjects",
    "ExtGState",
    "_colorsUsed",
    "_shadingUsed",
    "__InternalName__",
}
_EMPTY = (None, 0, "", [], {})


def _plain_page(page: object) -> bool:
    """Whether a reportlab page holds a content stream and nothing else this writer leaves out."""
    attrs = vars(page)
    if not attrs.keys() <= _PAGE_KEYS or not isinstance(attrs.get("stream"), str):
        return False
    if attrs.get("Rotate", 0) or any(
        attrs.get(key) not in _EMPTY
        for key in ("CropBox", "Thumb", "Annots", "B", "Dur", "Hid", "AA", "PieceInfo")
    ):
        return False
    if any(
        attrs.get(key) is not None
        for key in ("LastModified", "SeparationInfo", "ArtBox", "TrimBox", "BleedBox", "ID", "PZ")
    ):
        return False
    trans = attrs.get("Trans")
    if trans is not None and getattr(trans, "dict", None):
        return False
    return not (
        getattr(page, "XObjects", None)
        or getattr(page, "ExtGState", None)
        or getattr(page, "_colorsUsed", None)
        or getattr(page, "_shadingUsed", None)
    )


_ESCAPES = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


def _string(text: str) -> bytes:
    """A PDF text string: literal when printable ASCII, else UTF-16 with its byte order mark."""
    if text.isascii() and text.isprintable():
        return b"(%s)" % text.translate(_ESCAPES).encode("ascii")
    return b"<FEFF%s>" % text.encode("utf-16-be").hex().upper().encode("ascii")


def _information(doc) -> bytes:
    """The document information dictionary with reportlab's entries (``PDFInfo``)."""
    info, stamp = doc.info, doc._timeStamp
    year, month, day, hour, minute, second = stamp.YMDhms
    date = _string(
        f"D:{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}{second:02d}"
        f"{stamp.dhh:+03d}'{stamp.dmm:02d}'"
    )
    return b"<< /Title %s /Author %s /Subject %s /Keywords %s /Creator %s /Producer %s" % (
        _string(info.title),
        _string(info.author),
        _string(info.subject),
        _string(info.keywords),
        _string(info.creator),
        _string(info.producer),
    ) + b" /CreationDate %s /ModDate %s /Trapped /%s >>" % (
        date,
        date,
        info.trapped.encode("ascii"),
    )


def pdf_bytes(canvas, deflate: Callable[[bytes], bytes]) -> bytes | None:
    """The file of ``canvas`` (its pages shown, content streams compressed by ``deflate``), or
    None when it holds more than pages of text and paths in fonts that write their own subsets
    (``text``'s embedded fonts: ``resource_name``, ``subsets_of``, ``subset_objects``)."""
    doc = canvas._doc
    outlines = doc.Outlines
    if not doc.compression or doc.encrypt.info() is not None or doc.info._dateFormatter:
        return None
    if outlines.levelstack or outlines.mydestinations is not None:
        return None
    if not all(key == "BasicFonts" or _PAGE_ID.fullmatch(key) for key in doc.idToObject):
        return None
    if doc.idToObject["BasicFonts"].dict:
        return None
    if not all(hasattr(font, "subset_objects") for font in doc.delayedFonts):
        return None
    catalog = vars(doc.Catalog)
    if not catalog.keys() <= {"Pages", "Lang", "Outlines"}:
        return None
    pages = doc.Pages.pages
    if not pages or not all(_plain_page(page) for page in pages):
        return None

    used = sorted(doc.delayedFonts, key=lambda font: font.resource_name)
    # Object numbers: 1 catalogue, 2 page tree, 3 information, 4 font resources, then each
    # font subset's four objects, then each page and its content stream.
    subsets = [(font, n, subset) for font in used for n, subset in font.subsets_of(doc)]
    first_page = 5 + 4 * len(subsets)
    page_numbers = range(first_page, first_page + 2 * len(pages), 2)

    lang = catalog.get("Lang")
    lang_entry = b""
    if lang is not None:
        text = lang if isinstance(lang, PDFString) else PDFString(str(lang))
        lang_entry = b" /Lang " + text.format(doc)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R /PageMode /UseNone" + lang_entry + b" >>",
        b"<< /Type /Pages /Count %d /Kids [ %s ] >>"
        % (len(pages), b" ".join(b"%d 0 R" % n for n in page_numbers)),
        _information(doc),
    ]
    resources = []
    number = 5
    font_objects: list[bytes] = []
    for font, n, subset in subsets:
        name, parts = font.subset_objects(doc, n, subset, number)
        resources.append(b"/%s %d 0 R" % (name.encode("ascii"), number))
        font_objects.extend(parts)
        number += 4
    objects.append(b"<< " + b" ".join(resources) + b" >>")
    objects.extend(font_objects)
    for page, number in zip(pages, page_numbers, strict=True):
        box = fp_str(0, 0, page.pagewidth, page.pageheight).encode("ascii")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [ %s ] /Resources << /Font 4 0 R"
            b" /ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ] >> /Rotate 0 /Contents %d 0 R >>"
            % (box, number + 1)
        )
        content = deflate(page.stream.encode("latin-1"))
        objects.append(
            b"<< /Filter [ /FlateDecode ] /Length %d >>\nstream\n%s\nendstream"
            % (len(content), content)
        )
    for font in used:
        font.forget(doc)

    # The file's identifier: a digest of every object but the font files (the font objects
    # before them name their glyphs and widths).
    identity = hashlib.md5(usedforsecurity=False)
    font_files = range(7, first_page, 4)  # 0-based: the fourth object of each subset
    out = [HEADER]
    offsets = []
    position = len(HEADER)
    for index, body in enumerate(objects):
        chunk = b"%d 0 obj\n%s\nendobj\n" % (index + 1, body)
        offsets.append(position)
        position += len(chunk)
        out.append(chunk)
        if index not in font_files:
            identity.update(body)
    digest = identity.hexdigest().encode("ascii")
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)]
    xref.extend(b"%010d 00000 n \n" % offset for offset in offsets)
    out.append(b"".join(xref))
    out.append(
        b"trailer\n<< /ID [ <%s> <%s> ] /Info 3 0 R /Root 1 0 R /Size %d >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (digest, digest, len(objects) + 1, position)
    )
    return b"".join(out)
