"""VAT rates per country with validity dates (L13: prices excl. VAT, VAT shown on documents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _

COUNTRIES = ("CH", "DE", "AT", "NL")


@dataclass(frozen=True, slots=True)
class VatRate:
    country: str
    rate: Decimal  # percent
    valid_from: date


DEFAULT_VAT_RATES = (
    VatRate("CH", Decimal("8.1"), date(2024, 1, 1)),
    VatRate("DE", Decimal("19"), date(2007, 1, 1)),
    VatRate("AT", Decimal("20"), date(1995, 1, 1)),
    VatRate("NL", Decimal("21"), date(2012, 10, 1)),
)


def vat_rate_for(rates: Iterable[VatRate], country: str, on: date) -> Decimal:
    candidates = [r for r in rates if r.country == country and r.valid_from <= on]
    if not candidates:
        raise DomainError(
            _("no VAT rate for {country} valid on {day}").format(
                country=country, day=on.isoformat()
            )
        )
    return max(candidates, key=lambda r: r.valid_from).rate
