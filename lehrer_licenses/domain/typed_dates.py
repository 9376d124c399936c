"""Dates as people type them into a date field, in one go: ``15.10.2026``, ``15.10.26``,
``15102026``, ``151026``, or ``2026-10-15``. The order of day, month and year is the locale's
(``order`` "dmy", "mdy" or "ymd"); a two-digit year is in this century, since contracts and
invoices are never a hundred years old."""

from __future__ import annotations

import re
from datetime import date

ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_typed_date(text: str, order: str = "dmy") -> date | None:
    """The date ``text`` means, or None while it is not (yet) one."""
    typed = text.strip()
    iso = ISO.fullmatch(typed)
    if iso:
        parts = {"y": iso[1], "m": iso[2], "d": iso[3]}
    else:
        pieces = [p for p in re.split(r"[./\-\s]+", typed) if p]
        if len(pieces) == 1 and pieces[0].isdigit() and len(pieces[0]) in (6, 8):
            digits = pieces[0]
            widths = {"d": 2, "m": 2, "y": len(digits) - 4}
            pieces, start = [], 0
            for key in order:
                pieces.append(digits[start : start + widths[key]])
                start += widths[key]
        if len(pieces) != 3 or not all(p.isdigit() for p in pieces):
            return None
        parts = dict(zip(order, pieces, strict=True))
    year = parts["y"]
    if len(year) == 2:
        year = f"20{year}"
    elif len(year) != 4:
        return None
    try:
        return date(int(year), int(parts["m"]), int(parts["d"]))
    except ValueError:
        return None


def order_of(display_format: str) -> str:
    """ "dmy" for "dd.MM.yyyy", "mdy" for "M/d/yyyy", "ymd" for "yyyy-MM-dd"."""
    positions = {key: display_format.find(letter) for key, letter in zip("dmy", "dMy", strict=True)}
    return "".join(sorted(positions, key=positions.__getitem__))
