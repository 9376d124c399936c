"""Letter batches for printing: the letters of a run in a chosen order, as one PDF.

- ``postcode`` (for posting): the vendor's own country first, then the other countries by code,
  then postcode (digits compared as numbers: "8050" after "800"), then name;
- ``number``: by school number;
- ``name``: by school name, ignoring case and accents ("École" beside "Ecole").

A school's letters stay together and in the run's order; ties fall back to the school number,
so the same run always prints the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from lehrer_licenses.documents.letters import Letter, render_letters
from lehrer_licenses.i18n import _
from lehrer_licenses.services.errors import InvalidInput

POSTCODE, NUMBER, NAME = "postcode", "number", "name"
ORDERS = (POSTCODE, NUMBER, NAME)


def _natural(text: str) -> tuple:
    """'8050' > '800', 'AB 12' < 'AB 9' is false: runs of digits compare as numbers."""
    parts = re.findall(r"\d+|\D+", text.strip().upper().replace(" ", ""))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _number(letter: Letter) -> tuple:
    return _natural(letter.school_number)


def sort_key(order: str) -> Callable[[Letter], tuple]:
    if order == POSTCODE:

        def postcode(letter: Letter) -> tuple:
            to = letter.recipient
            home = letter.vendor.address.country
            return (
                to.country != home,
                to.country,
                _natural(to.postcode),
                _folded(to.name),
                _number(letter),
            )

        return postcode
    if order == NUMBER:
        return _number
    if order == NAME:
        return lambda letter: (_folded(letter.recipient.name), _number(letter))
    raise InvalidInput(
        _("unknown order {order!r}; choose one of: {choices}").format(
            order=order, choices=", ".join(ORDERS)
        )
    )


def ordered(letters: Iterable[Letter], order: str) -> list[Letter]:
    """The letters sorted for printing; a school's letters stay together, in the run's order."""
    key = sort_key(order)
    groups: dict[str, list[Letter]] = {}
    for letter in letters:
        groups.setdefault(letter.school_number, []).append(letter)
    return [
        letter for group in sorted(groups.values(), key=lambda g: key(g[0])) for letter in group
    ]


def batch_pdf(letters: Sequence[Letter], order: str = POSTCODE) -> bytes:
    """One PDF with every letter, in ``order``."""
    return render_letters(ordered(letters, order))


def ordered_schools(letters: Sequence[Letter], order: str) -> list[str]:
    """The school numbers in printing order (once each)."""
    return list(dict.fromkeys(letter.school_number for letter in ordered(letters, order)))
