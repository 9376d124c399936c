"""Invoice totals: net, VAT, total, cash rounding and payable (DESIGN section 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lehrer_licenses.domain.money import Money, payable_rounding, round_half_up
from lehrer_licenses.domain.pricing import Line


@dataclass(frozen=True, slots=True)
class Totals:
    net: Money
    vat_rate: Decimal  # percent, e.g. Decimal("8.1")
    vat: Money
    total: Money
    rounding: Money
    payable: Money


def compute_totals(lines: Sequence[Line], vat_rate: Decimal, currency: str) -> Totals:
    net = sum((line.amount for line in lines), Decimal("0.00"))
    net = round_half_up(net)
    vat = round_half_up(net * vat_rate / Decimal(100))
    total = Money(net + vat, currency)
    payable, rounding = payable_rounding(total)
    return Totals(Money(net, currency), vat_rate, Money(vat, currency), total, rounding, payable)
