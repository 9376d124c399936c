"""Pricing of per-seat plans (L2, L3, L4, L7, L8, L13).

Every function returns invoice lines; amounts round half-up to 0.01 per line. Descriptions are
written in the school's language through the ``tr`` gettext function passed in.

Volume discounts (L8) are one line per tier run, computed on the sum of the discounted
components per seat and rounded once: 11 seats x 156.00 x 10 % = 171.60. Rounding each component
separately would give 171.61 and break worked example 7.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lehrer_licenses.domain.catalogue import (
    BASE,
    HOSTING,
    SUBSCRIPTION,
    SUBSCRIPTION_MONTH,
    Billing,
    Plan,
    tier_split,
)
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.periods import Term, months_inclusive
from lehrer_licenses.i18n import _

Translate = Callable[[str], str]
HUNDRED = Decimal(100)
TWELVE = Decimal(12)


@dataclass(frozen=True, slots=True)
class Line:
    code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    period_start: date | None = None
    period_end: date | None = None


def _line(
    code: str,
    description: str,
    quantity: int | Decimal,
    unit_price: Decimal,
    period: Term | None = None,
) -> Line:
    quantity = Decimal(quantity)
    return Line(
        code,
        description,
        quantity,
        unit_price,
        round_half_up(quantity * unit_price),
        period.start if period else None,
        period.end if period else None,
    )


def _require_seats(seats: int) -> None:
    if seats <= 0:
        raise DomainError(_("The number of seats must be at least 1, not {n}").format(n=seats))


def prorated_subscription(plan: Plan, order_date: date, term: Term) -> tuple[int, Decimal]:
    """(months, amount per seat) for a part-term from the order month to the term end (L3).

    With the cap on (this project's choice), the amount never exceeds the annual price.
    """
    months = months_inclusive(order_date, term.end)
    monthly = plan.price(SUBSCRIPTION_MONTH, order_date)
    amount = monthly * months
    if plan.proration_cap:
        amount = min(amount, plan.price(SUBSCRIPTION, order_date))
    return months, amount


def discount_lines(
    plan: Plan,
    on: date,
    first_position: int,
    seats: int,
    per_seat: Mapping[str, Decimal],
    tr: Translate,
) -> list[Line]:
    """Graduated/volume discount lines for seats at positions first_position.. (L8)."""
    table = plan.tier_table(on)
    if not table:
        return []
    base = sum(
        (amount for comp, amount in per_seat.items() if comp in plan.tier_components), Decimal(0)
    )
    lines = []
    for first, last, percent in tier_split(table, first_position, seats, plan.tier_mode):
        if percent == 0 or base == 0:
            continue
        count = last - first + 1
        unit = -(base * percent / HUNDRED)
        lines.append(
            Line(
                "volume_discount",
                tr("Volume discount {percent}% on seats {first}–{last}").format(
                    percent=f"{percent.normalize():f}", first=first, last=last
                ),
                Decimal(count),
                unit.normalize(),
                round_half_up(unit * count),
                None,
                None,
            )
        )
    return lines


def price_new_seats(
    plan: Plan,
    *,
    seats: int,
    order_date: date,
    first_position: int,
    running_term: Term | None,
    term_for_order: Term,
    tr: Translate,
) -> list[Line]:
    """Lines for ``seats`` new seats ordered on ``order_date``.

    ``running_term`` is the term of a running contract (reorder, L3) or None for a first order or
    a resumption after a lapse (L2, L12): then the subscription for the whole current term
    ``term_for_order`` is charged. Plans billed in arrears (DB-hosting, L7) charge only the base
    licences now; their subscription follows from the monthly counts.
    """
    _require_seats(seats)
    base = plan.price(BASE, order_date)
    lines = [_line(BASE, tr("Base licence (one-time)"), seats, base)]
    per_seat = {BASE: base}
    if plan.billing is Billing.ADVANCE:
        if running_term is None:
            sub = plan.price(SUBSCRIPTION, order_date)
            lines.append(
                _line(
                    SUBSCRIPTION,
                    tr("Update subscription {start} – {end}").format(
                        start=_d(term_for_order.start), end=_d(term_for_order.end)
                    ),
                    seats,
                    sub,
                    term_for_order,
                )
            )
            per_seat[SUBSCRIPTION] = sub
        else:
            months, amount = prorated_subscription(plan, order_date, running_term)
            period = Term(date(order_date.year, order_date.month, 1), running_term.end)
            monthly = plan.price(SUBSCRIPTION_MONTH, order_date)
            if amount < monthly * months:
                text = tr(
                    "Update subscription {start} – {end}, {months} months, capped at the "
                    "annual price"
                ).format(start=_d(period.start), end=_d(period.end), months=months)
            else:
                text = tr("Update subscription {start} – {end}, {months} months × {rate}").format(
                    start=_d(period.start), end=_d(period.end), months=months, rate=f"{monthly:.2f}"
                )
            lines.append(_line(SUBSCRIPTION_MONTH, text, seats, amount, period))
            per_seat[SUBSCRIPTION_MONTH] = amount
    lines += discount_lines(plan, order_date, first_position, seats, per_seat, tr)
    return lines


def price_renewal(
    plan: Plan, *, seats: int, term: Term, tr: Translate, first_position: int = 1
) -> list[Line]:
    """The subscription for ``seats`` seats for the new ``term``, invoiced in advance (L4).

    ``first_position`` above 1 prices seats added to a renewal already made (an order between
    the year-end run and 1 January): the volume discount (L8) goes on by position, so renewal
    plus addition costs what one renewal of all the seats would have cost."""
    _require_seats(seats)
    sub = plan.price(SUBSCRIPTION, term.start)
    lines = [
        _line(
            SUBSCRIPTION,
            tr("Update subscription {start} – {end}").format(
                start=_d(term.start), end=_d(term.end)
            ),
            seats,
            sub,
            term,
        )
    ]
    lines += discount_lines(plan, term.start, first_position, seats, {SUBSCRIPTION: sub}, tr)
    return lines


def price_usage_in_arrears(
    plan: Plan,
    *,
    term: Term,
    monthly_counts: Mapping[date, int],
    canton_licence: bool,
    tr: Translate,
) -> list[Line]:
    """DB-hosting: hosting and subscription per user-month of a finished term (L7).

    price/12 per user-month; a canton licence waives the subscription part. Volume discounts on
    the subscription apply per month to the users counted from the 50th on.
    """
    user_months = sum(monthly_counts.values())
    if user_months <= 0:
        return []
    lines = []
    hosting = plan.price(HOSTING, term.start)
    lines.append(
        Line(
            HOSTING,
            tr("DB-hosting {start} – {end}, {n} user-months").format(
                start=_d(term.start), end=_d(term.end), n=user_months
            ),
            Decimal(user_months),
            hosting / TWELVE,
            round_half_up(hosting * user_months / TWELVE),
            term.start,
            term.end,
        )
    )
    if canton_licence:
        return lines
    sub = plan.price(SUBSCRIPTION, term.start)
    lines.append(
        Line(
            SUBSCRIPTION,
            tr("Update subscription {start} – {end}, {n} user-months").format(
                start=_d(term.start), end=_d(term.end), n=user_months
            ),
            Decimal(user_months),
            sub / TWELVE,
            round_half_up(sub * user_months / TWELVE),
            term.start,
            term.end,
        )
    )
    table = plan.tier_table(term.start)
    if table and SUBSCRIPTION in plan.tier_components:
        discounted: dict[Decimal, int] = {}
        for count in monthly_counts.values():
            for first, last, percent in tier_split(table, 1, count, plan.tier_mode):
                if percent:
                    discounted[percent] = discounted.get(percent, 0) + last - first + 1
        for percent, months in sorted(discounted.items()):
            unit = -(sub / TWELVE * percent / HUNDRED)
            lines.append(
                Line(
                    "volume_discount",
                    tr("Volume discount {percent}% on {n} user-months").format(
                        percent=f"{percent.normalize():f}", n=months
                    ),
                    Decimal(months),
                    unit,
                    round_half_up(-(sub * months * percent) / (TWELVE * HUNDRED)),
                    term.start,
                    term.end,
                )
            )
    return lines


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")
