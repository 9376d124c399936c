"""What a renewal run shows per contract: its amounts, and the contracts and drafts it stops at
with the reason and the way to mend it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from lehrer_licenses.i18n import ngettext

if TYPE_CHECKING:
    from lehrer_licenses.services.season.year_end import RenewalItem, RenewalRun


def item_amounts(item: RenewalItem) -> tuple[Decimal, Decimal, str]:
    net = sum((inv.totals.net.amount for inv in item.invoices), Decimal("0.00"))
    payable = sum((inv.totals.payable.amount for inv in item.invoices), Decimal("0.00"))
    currency = item.invoices[0].currency if item.invoices else ""
    return net, payable, currency


def problems_text(run: RenewalRun) -> str:
    """Each contract the run stops at, and each draft it writes that cannot be issued yet, with
    the reason and the way to mend it ("" when there is none)."""
    failed = [(item, item.error) for item in run.items if item.action == "failed"]
    waiting = [(item, item.warning) for item in run.items if item.warning]
    groups = [
        (
            failed,
            ngettext(
                "{n} contract cannot be renewed until this is mended:",
                "{n} contracts cannot be renewed until these are mended:",
                len(failed),
            ),
        ),
        (
            waiting,
            ngettext(
                "{n} draft cannot be issued until this is mended:",
                "{n} drafts cannot be issued until these are mended:",
                len(waiting),
            ),
        ),
    ]
    parts = []
    for items, heading in groups:
        if items:
            parts.append(heading.format(n=len(items)))
            parts += [f"{item.school} {item.school_name}: {reason}" for item, reason in items]
    return "\n".join(parts)
