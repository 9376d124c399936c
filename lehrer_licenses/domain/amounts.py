"""Amounts as people type them: ``12,50``, ``12.50``, ``1'234.50``, ``1 234,50``, ``1.234,50``.

A clerk types the way their country writes, whatever the app's locale says, so both marks are
read as a decimal point where only one reading makes sense (``12,50`` is twelve and a half in any
locale). Where a mark could group thousands or start the decimals (``1.234``, ``1,234``) the
locale's group separator decides; if the mark is not that separator the text is refused with
both readings named, because booking a thousand times too much is worse than asking again.
Pure Python and Decimal only: the UI and the CLI share it."""

from __future__ import annotations

import re
from decimal import Decimal

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _

# Marks that only ever group thousands: spaces of all widths and apostrophes (de-CH 1'234.50).
_GROUPING_ONLY = re.compile(r"[\s\u00a0\u202f\u2009'\u2019\u00b4`]+")
_MARKS = ".,"


# What scripts write: a plain decimal with a point. The CLI takes it as it is (3.5125 a unit
# price, 1.234 a quantity) so that automation keeps working; only other forms are read.
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class AmountNotRead(DomainError):
    """The text is not an amount, or could mean two amounts."""


def _grouped_digits(whole: str, group_marks: str, text: str) -> str:
    """The digits of ``whole`` after checking that its groups are of three (1'234'567)."""
    groups = re.split(f"[{re.escape(group_marks)}]", whole) if group_marks else [whole]
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise AmountNotRead(
            _("“{text}” is not an amount: thousands are grouped by three digits.").format(text=text)
        )
    return "".join(groups)


def parse_amount(text: str, decimal_point: str = ".", group_separator: str = "'") -> Decimal:
    """The Decimal ``text`` means, read with the locale's ``decimal_point`` and
    ``group_separator``; AmountNotRead (with the reason) when it is not one or is ambiguous."""
    typed = text.strip()
    body = typed
    sign = ""
    if body and body[0] in "-\u2212+":
        sign = "-" if body[0] != "+" else ""
        body = body[1:].lstrip()
    body = _GROUPING_ONLY.sub("'", body)
    if not body or not re.fullmatch(r"[0-9'.,]+", body) or not re.search(r"[0-9]", body):
        raise AmountNotRead(_("“{text}” is not an amount.").format(text=typed))
    if body[0] == "'" or body[-1] in "'.,":
        raise AmountNotRead(_("“{text}” is not an amount.").format(text=typed))

    present = [mark for mark in _MARKS if mark in body]
    point: str | None = None
    if len(present) == 2:
        point = max(present, key=body.rindex)  # 1.234,50 and 1,234.50: the last one
    elif present:
        mark = present[0]
        whole, _sep, fraction = body.rpartition(mark)
        if body.count(mark) > 1:
            point = None  # 1.234.567: only thousands repeat
        elif "'" in whole or len(fraction) != 3 or not fraction.isdigit():
            point = mark  # 12,50 / 1'234.5: the mark cannot group thousands there
        elif whole.lstrip("'") in ("0", "") or len(whole) > 3:
            point = mark  # 0.125 and 1234.567 group no thousands either
        elif mark == group_separator:
            point = None
        else:
            as_point = Decimal(f"{whole}.{fraction}")
            raise AmountNotRead(
                _(
                    "“{text}” is ambiguous: it could be {small} or {large}. Type the decimals "
                    "(“{large}{point}00”) or leave the thousands mark out (“{large}”)."
                ).format(
                    text=typed,
                    small=f"{as_point:f}".replace(".", decimal_point),
                    large=f"{whole}{fraction}",
                    point=decimal_point,
                )
            )
    if point is not None and body.count(point) > 1:
        raise AmountNotRead(_("“{text}” has more than one decimal point.").format(text=typed))
    if point is None:
        whole, fraction = body, ""
    else:
        whole, _sep, fraction = body.rpartition(point)
    if "'" in fraction or any(mark in fraction for mark in _MARKS):
        raise AmountNotRead(
            _("“{text}” has a thousands mark after the decimal point.").format(text=typed)
        )
    group_marks = "'" + "".join(mark for mark in _MARKS if mark != point)
    digits = _grouped_digits(whole, group_marks, typed) or "0"
    return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")


def parse_typed_or_plain(text: str) -> Decimal:
    """The command line's amounts: a plain ``1234.50`` as it is, anything else as a person
    types it (``12,50``, ``1'234.50``, ``1 234,50``, ``1.234,50``), a point being the decimal
    point."""
    if _PLAIN.fullmatch(text.strip()):
        return Decimal(text.strip())
    return parse_amount(text, ".", "'")
