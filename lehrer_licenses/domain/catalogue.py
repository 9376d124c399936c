"""The catalogue: products, plans and their dated prices, tiers and rules.

A plan says how a licence is sold (its kind), in which currency, how its term runs, when a
cancellation must arrive, how it is billed and how part-terms are priced. Prices and tier tables
carry a valid-from date (L13) so an order is priced with what was valid on its date.

Price components used by the per-seat kind (the names are catalogue data, not code):
``base`` one-time base licence per seat; ``subscription`` per seat and term; ``subscription_month``
the monthly rate for part-terms (L3); ``hosting`` per user and year (L7).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from lehrer_licenses.domain.errors import PriceMissing
from lehrer_licenses.domain.periods import TermAlignment
from lehrer_licenses.i18n import _


class PlanKind(StrEnum):
    PER_SEAT = "per_seat"  # base licence + recurring subscription per seat (LehrerOffice)
    PACKAGE = "package"  # capacity packages of N users (Mathegym)
    PER_UNIT = "per_unit"  # usage per unit and month, pre-invested and settled (Focus PO)


class Billing(StrEnum):
    ADVANCE = "advance"  # the term is invoiced at its start
    ARREARS = "arrears"  # invoiced after the term from monthly counts (DB-hosting, L7)


class TierMode(StrEnum):
    GRADUATED = "graduated"  # only the units inside a band get its rate (L8)
    VOLUME = "volume"  # all units get the rate of the highest band reached


BASE = "base"
SUBSCRIPTION = "subscription"
SUBSCRIPTION_MONTH = "subscription_month"
HOSTING = "hosting"

NAME_LANGUAGES = ("de", "fr", "it", "en", "nl")


def localized_name(names: Mapping[str, str], language: str, fallback: str) -> str:
    """The display name in ``language``; the stored base name where none was given for it, so
    a plan the vendor added in one language still shows everywhere."""
    return names.get(language) or fallback


@dataclass(frozen=True, slots=True)
class PricePoint:
    component: str
    amount: Decimal
    valid_from: date
    # When the price was announced to customers; an increase applies at a renewal only when it
    # was announced at least 6 months before it (M11, ``domain.packages.renewal_price``).
    announced_on: date | None = None


@dataclass(frozen=True, slots=True)
class TierBand:
    """From the ``from_quantity``-th unit on, ``percent_off`` applies (within its table)."""

    from_quantity: int
    percent_off: Decimal
    valid_from: date


@dataclass(frozen=True, slots=True)
class Plan:
    code: str
    product_code: str
    name: str
    kind: PlanKind
    currency: str
    term: TermAlignment = TermAlignment.CALENDAR_YEAR
    term_days: int = 365
    notice_months: int = 2
    billing: Billing = Billing.ADVANCE
    proration_cap: bool = True
    prices: tuple[PricePoint, ...] = ()
    tiers: tuple[TierBand, ...] = ()
    tier_mode: TierMode = TierMode.GRADUATED
    tier_components: tuple[str, ...] = (BASE, SUBSCRIPTION, SUBSCRIPTION_MONTH)
    options: tuple[tuple[str, str], ...] = field(default=())
    # display names per language (catalogue data, shown in the UI and on documents); ``name``
    # stays the base name for a language without one
    names: tuple[tuple[str, str], ...] = field(default=())

    def display_name(self, language: str) -> str:
        return localized_name(dict(self.names), language, self.name)

    def price(self, component: str, on: date) -> Decimal:
        """The price of ``component`` valid on ``on``: the newest one not after that day."""
        candidates = [p for p in self.prices if p.component == component and p.valid_from <= on]
        if not candidates:
            raise PriceMissing(
                _("plan {plan} has no price for {component} valid on {day}").format(
                    plan=self.code, component=component, day=on.isoformat()
                )
            )
        return max(candidates, key=lambda p: p.valid_from).amount

    def has_price(self, component: str, on: date) -> bool:
        return any(p.component == component and p.valid_from <= on for p in self.prices)

    def tier_table(self, on: date) -> tuple[TierBand, ...]:
        """The tier table valid on ``on``: all bands sharing the newest valid-from date."""
        dates = [t.valid_from for t in self.tiers if t.valid_from <= on]
        if not dates:
            return ()
        newest = max(dates)
        return tuple(
            sorted((t for t in self.tiers if t.valid_from == newest), key=lambda t: t.from_quantity)
        )

    def option(self, key: str, default: str = "") -> str:
        return dict(self.options).get(key, default)


@dataclass(frozen=True, slots=True)
class Catalogue:
    plans: tuple[Plan, ...]

    def plan(self, code: str) -> Plan:
        for plan in self.plans:
            if plan.code == code:
                return plan
        raise PriceMissing(_("unknown plan: {code}").format(code=code))

    def codes(self) -> list[str]:
        return [p.code for p in self.plans]


def tier_split(
    table: Iterable[TierBand], first_unit: int, count: int, mode: TierMode = TierMode.GRADUATED
) -> list[tuple[int, int, Decimal]]:
    """Split units ``first_unit .. first_unit+count-1`` into (first, last, percent_off) runs.

    Graduated: each unit gets the rate of the band its position falls in (a school's 50th seat
    gets the "from 50" rate even when it is bought in a reorder). Volume: every unit gets the
    rate of the band the final quantity reaches.
    """
    bands = sorted(table, key=lambda t: t.from_quantity)
    if count <= 0:
        return []
    last_unit = first_unit + count - 1
    if mode is TierMode.VOLUME:
        rate = Decimal(0)
        for band in bands:
            if last_unit >= band.from_quantity:
                rate = band.percent_off
        return [(first_unit, last_unit, rate)]
    runs: list[tuple[int, int, Decimal]] = []
    edges = [(b.from_quantity, b.percent_off) for b in bands]
    unit = first_unit
    while unit <= last_unit:
        rate = Decimal(0)
        next_edge = None
        for start, percent in edges:
            if start <= unit:
                rate = percent
            elif next_edge is None:
                next_edge = start
        end = last_unit if next_edge is None else min(last_unit, next_edge - 1)
        runs.append((unit, end, rate))
        unit = end + 1
    return runs
