"""What the payment standards can carry of a text a user typed: the one place that maps it.

The Swiss QR-bill accepts the Latin character set of SIX's Implementation Guidelines (v2.3,
4.1.1: Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and €); the EPC QR code of a
EUR invoice one of a few 8-bit sets. Typed text often holds typographic forms that look plain:
a ’ in "Collège de l’Ouest", „ “ around a name, an en dash, a non-breaking space, a line break
inside an imported address cell. Those are mapped to their plain forms here; anything else (a
Greek or Cyrillic letter, an emoji) cannot be carried and is refused when the school or address
is entered, edited or imported (``unpayable``), never found at issue time. The printed address
keeps the text as typed: only the payment code gets the mapped form.
"""

from __future__ import annotations

import re

# Typographic forms and their plain equivalents in the QR-bill character set.
_PLAIN = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\u2039": "'", "\u203a": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
        "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
        "\u2008": " ", "\u205f": " ", "\u3000": " ", "\t": " ",
        "\u2026": "...", "\u2022": "-", "\u00ad": "", "\u200b": "", "\u200d": "", "\ufeff": "",
    }
)  # fmt: skip
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|[\r\n\u2028\u2029\v\f\x85])+\s*")


def payment_form(text: str) -> str:
    """``text`` as a payment code carries it: typographic forms plain, line breaks as ", "."""
    joined = _LINE_BREAKS.sub(", ", text.strip())
    return joined.translate(_PLAIN)


def carried(ch: str) -> bool:
    """Whether the Swiss QR-bill (and so every payment code the app writes) carries ``ch``."""
    code = ord(ch)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xFF
        or 0x100 <= code <= 0x17F
        or 0x218 <= code <= 0x21B
        or code == 0x20AC
    )


def unpayable(text: str) -> list[str]:
    """The characters of ``text`` no payment code can carry, even in their plain form."""
    return sorted({ch for ch in payment_form(text) if not carried(ch)})


def shown(characters: list[str]) -> str:
    """ "'ж' (U+0436), '😀' (U+1F600)": for a message naming what is refused."""
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in characters)
