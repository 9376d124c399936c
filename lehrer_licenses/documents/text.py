"""Fonts and plain-text layout for the reportlab canvas.

The documents embed DejaVu Sans (shipped in ``resources/fonts``) so that any name prints the same
on Windows, macOS and Linux. Text is drawn with ``drawString`` and wrapped here with the font's
own metrics: nothing a user typed is ever parsed as markup.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from lehrer_licenses.paths import font_path

REGULAR = "LLDejaVuSans"
BOLD = "LLDejaVuSans-Bold"

__all__ = ["BOLD", "REGULAR", "clean", "ensure_fonts", "fit", "stringWidth", "wrap", "wrap_code"]


@cache
def ensure_fonts() -> None:
    """Register the embedded fonts with reportlab once per process (parsing them takes ~30 ms).

    Also switches off reportlab's ASCII85 wrapping of compressed streams (process-wide): binary
    streams are standard PDF, the files get 20 % smaller, and without reportlab's optional C
    accelerator the pure-Python ASCII85 encoder costs several milliseconds per document.
    """
    rl_config.useA85 = 0
    for name, filename in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        path = font_path(filename)
        if not path.is_file():
            raise FileNotFoundError(f"the document font is missing: {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


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


def wrap(text: object, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points; explicit line breaks are kept.

    Breaks at spaces; a single word wider than the line is broken between characters.
    An empty text gives no lines.
    """
    value = clean(text)
    if not value.strip():
        return []
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        words = paragraph.split()
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
    return lines


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
        for piece in _break_word(group, font, size, width):
            if stringWidth(current + piece, font, size) <= width:
                current += piece
            else:
                lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines


def fit(text: str, font: str, size: float, width: float, minimum: float = 6.0) -> float:
    """The largest font size not above ``size`` (and not below ``minimum``) at which one line
    of ``text`` fits ``width``."""
    w = stringWidth(text, font, size)
    if w <= width or w == 0:
        return size
    return max(minimum, size * width / w)
