"""Capacity packages with subject add-ons, Mathegym-style (M1-M11). Pure rules, no I/O.

Package sizes and prices are catalogue data on a ``PlanKind.PACKAGE`` plan, as price components:

    package:<capacity>   the annual price of the package for at most <capacity> users (M3)
    addon:<capacity>     the annual price of one subject add-on at that package size (M3, M10)
    full:<capacity>      the annual price of the full package (all subjects) at that size
    upgrade_fee          the one-time fee of a mid-year upgrade (M8; 150.00)

Readings of the vendor page chosen here (the page is silent on them):

- A licence year is 365 days from activation (M1), not a calendar year: a year that spans
  29 February ends a day earlier in the calendar (``periods.anniversary_term``).
- "Unused for more than a year" (M4) is more than 365 days since the account was last used (or,
  never used, since it was registered): on day 365 it still counts, on day 366 it does not.
- An upgrade (M8) may go to any larger package, not only the next one; the quote suggests the
  smallest package that fits. Its difference is taken between the annual prices of the price list
  the running licence year was sold on (valid on its first day): a price change during the year
  only applies at a renewal (M11). The restart option starts a new licence year at the price
  valid on its first day, like an activation.
- A price increase applies at a renewal only when it was announced at least 6 months before the
  renewal date (M11, ``renewal_price``); one announced later is skipped for that renewal and
  applies from the next one. Decreases always apply. The renewal price is shown from 6 months
  before the renewal on: from then on it cannot change any more.
- The add-on refund (M10) is price x remaining days / 365, remaining days = 365 - days used,
  days used = (move date - add-on start) in days: on its first day the whole price, on its last
  day price / 365, rounded half-up to the cent.
- Moving to the full package during a licence year costs the difference of the annual prices of
  the full and the current package (term unchanged, like an upgrade but without the fee).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from lehrer_licenses.domain.catalogue import Plan, PlanKind, PricePoint
from lehrer_licenses.domain.errors import DomainError, PriceMissing
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.periods import Term, anniversary_term, notice_deadline
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.i18n import _

Translate = Callable[[str], str]

PACKAGE = "package"
ADDON = "addon"
FULL = "full"
UPGRADE_FEE = "upgrade_fee"

ANNOUNCE_MONTHS = 6  # M11: increases announced at least this long before the renewal
INACTIVE_AFTER_DAYS = 365  # M4: accounts unused for longer drop out of the count

UPGRADE = "upgrade"
RESTART = "restart"


def component(prefix: str, capacity: int) -> str:
    return f"{prefix}:{capacity}"


def _require_package_plan(plan: Plan) -> None:
    if plan.kind is not PlanKind.PACKAGE:
        raise DomainError(_("plan {plan} is not sold as user packages").format(plan=plan.code))


# --- sizes and prices (M3) ------------------------------------------------------------------


def package_sizes(plan: Plan, on: date) -> tuple[int, ...]:
    """The package capacities on sale on ``on``, smallest first."""
    sizes = set()
    for point in plan.prices:
        prefix, _sep, size = point.component.partition(":")
        if prefix == PACKAGE and size.isdigit() and point.valid_from <= on:
            sizes.add(int(size))
    return tuple(sorted(sizes))


def _unknown_size(plan: Plan, capacity: int, on: date) -> DomainError:
    sizes = ", ".join(str(s) for s in package_sizes(plan, on)) or "-"
    return PriceMissing(
        _("Plan {plan} has no package for {n} users on {day}; sizes: {sizes}").format(
            plan=plan.code, n=capacity, day=on.isoformat(), sizes=sizes
        )
    )


def package_price(plan: Plan, capacity: int, on: date) -> Decimal:
    """The annual price of the package of ``capacity`` users valid on ``on``."""
    _require_package_plan(plan)
    if not plan.has_price(component(PACKAGE, capacity), on):
        raise _unknown_size(plan, capacity, on)
    return plan.price(component(PACKAGE, capacity), on)


def addon_price(plan: Plan, capacity: int, on: date) -> Decimal:
    """The annual price of one subject add-on for a package of ``capacity`` users (M3)."""
    _require_package_plan(plan)
    if not plan.has_price(component(ADDON, capacity), on):
        raise _unknown_size(plan, capacity, on)
    return plan.price(component(ADDON, capacity), on)


def smallest_fitting(plan: Plan, users: int, on: date) -> int | None:
    """The smallest package for at least ``users`` users, or None when none is big enough."""
    for size in package_sizes(plan, on):
        if size >= users:
            return size
    return None


# --- the licence year and notice (M1) -------------------------------------------------------


def licence_year(start: date, days: int = 365) -> Term:
    """The licence year starting on ``start``: 365 days, both ends included (M1)."""
    return anniversary_term(start, days)


def cancellation_deadline(term: Term, notice_months: int = 3) -> date:
    """The last day a cancellation may arrive to end the licence at the end of ``term``.

    Example 8: activated 2026-02-01, the year ends 2027-01-31, the renewal is 2027-02-01 and the
    cancellation must arrive by 2026-10-31.
    """
    return notice_deadline(term.renewal_date, notice_months)


# --- prices at a renewal (M11) --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenewalPrice:
    component: str
    amount: Decimal
    valid_from: date
    # Increases valid by the renewal but announced too late: they apply from a later renewal.
    postponed: tuple[PricePoint, ...] = ()


def announcement_deadline(renewal_date: date) -> date:
    """The last day an increase may be announced to apply at ``renewal_date`` (M11)."""
    return renewal_date - relativedelta(months=ANNOUNCE_MONTHS)


def announced_in_time(point: PricePoint, renewal_date: date) -> bool:
    return point.announced_on is not None and point.announced_on <= announcement_deadline(
        renewal_date
    )


def renewal_price(plan: Plan, component_name: str, renewal_date: date) -> RenewalPrice:
    """The price of ``component_name`` for the licence year starting on ``renewal_date``.

    The prices valid by that day are taken oldest first; each one replaces the price before it
    unless it is an increase that was not announced at least 6 months before the renewal (M11).
    """
    points = sorted(
        (p for p in plan.prices if p.component == component_name and p.valid_from <= renewal_date),
        key=lambda p: p.valid_from,
    )
    if not points:
        raise PriceMissing(
            _("plan {plan} has no price for {component} valid on {day}").format(
                plan=plan.code, component=component_name, day=renewal_date.isoformat()
            )
        )
    current = points[0]
    postponed: list[PricePoint] = []
    for point in points[1:]:
        if point.amount <= current.amount or announced_in_time(point, renewal_date):
            current = point
        else:
            postponed.append(point)
    postponed = [p for p in postponed if p.valid_from > current.valid_from]
    return RenewalPrice(component_name, current.amount, current.valid_from, tuple(postponed))


def renewal_price_visible(renewal_date: date, on: date) -> bool:
    """From 6 months before the renewal on, its price is fixed and shown (M11)."""
    return on >= announcement_deadline(renewal_date)


# --- counting users (M3, M4, M5) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Account:
    """One registration of a person at the school, as the licensed program exports it."""

    person: str  # who it is: a pupil/teacher id or name; registrations of one person count once
    last_used: date | None = None
    registered_on: date | None = None
    removed_on: date | None = None  # a leaver's account deleted by the admin (M4)


def person_key(person: str) -> str:
    return " ".join(person.casefold().split())


def is_counted(account: Account, on: date) -> bool:
    if account.registered_on is not None and account.registered_on > on:
        return False
    if account.removed_on is not None and account.removed_on <= on:
        return False
    activity = [d for d in (account.last_used, account.registered_on) if d is not None and d <= on]
    if not activity:
        return account.last_used is None and account.registered_on is None
    return (on - max(activity)).days <= INACTIVE_AFTER_DAYS


def count_users(accounts: Iterable[Account], on: date) -> int:
    """Users a package holds on ``on``: distinct persons with an account used within the last
    365 days (M4); duplicate registrations of one person count once (M5); removed accounts and
    accounts registered later do not count."""
    return len({person_key(a.person) for a in accounts if is_counted(a, on) and a.person.strip()})


@dataclass(frozen=True, slots=True)
class CapacityCheck:
    users: int
    capacity: int
    over: int  # users above the capacity (0 when it fits)
    suggested: int | None  # the smallest package that fits, when over

    @property
    def fits(self) -> bool:
        return self.over == 0


def check_capacity(plan: Plan, capacity: int, users: int, on: date) -> CapacityCheck:
    if users < 0:
        raise DomainError(_("a user count cannot be negative: {n}").format(n=users))
    over = max(0, users - capacity)
    return CapacityCheck(users, capacity, over, smallest_fitting(plan, users, on) if over else None)


# --- lines ----------------------------------------------------------------------------------


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _one(code: str, text: str, amount: Decimal, term: Term | None) -> Line:
    amount = round_half_up(amount)
    return Line(
        code,
        text,
        Decimal(1),
        amount,
        amount,
        term.start if term else None,
        term.end if term else None,
    )


def package_lines(
    plan: Plan, capacity: int, term: Term, price: Decimal, tr: Translate
) -> list[Line]:
    return [
        _one(
            component(PACKAGE, capacity),
            tr("User package up to {n} users, licence year {start} – {end}").format(
                n=capacity, start=_d(term.start), end=_d(term.end)
            ),
            price,
            term,
        )
    ]


def activation_lines(plan: Plan, capacity: int, start: date, tr: Translate) -> list[Line]:
    """The first licence year of a package activated on ``start`` (M1)."""
    term = licence_year(start, plan.term_days)
    return package_lines(plan, capacity, term, package_price(plan, capacity, start), tr)


def addon_lines(
    subject: str, capacity: int, term: Term, price: Decimal, tr: Translate
) -> list[Line]:
    return [
        _one(
            component(ADDON, capacity),
            tr("Subject add-on {subject} (package of {n} users), {start} – {end}").format(
                subject=subject, n=capacity, start=_d(term.start), end=_d(term.end)
            ),
            price,
            term,
        )
    ]


# --- mid-year upgrade (M7, M8) --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpgradeOption:
    kind: str  # UPGRADE: fee + difference, term unchanged | RESTART: a new licence year now
    capacity_from: int
    capacity_to: int
    term: Term  # the licence year the school is in afterwards
    lines: tuple[Line, ...]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def upgrade_options(
    plan: Plan,
    *,
    current_capacity: int,
    new_capacity: int,
    term: Term,
    on: date,
    tr: Translate,
) -> tuple[UpgradeOption, UpgradeOption]:
    """Both ways to a larger package during the licence year ``term`` (M8).

    Upgrade: the one-time fee plus the difference of the annual prices, the year runs on.
    Restart: the rest of the year is given up and a new licence year starts on ``on`` at the full
    price of the new package. Example 9: 1,000.00 -> 1,400.00 gives 150.00 + 400.00 = 550.00.
    """
    _require_package_plan(plan)
    if not term.contains(on):
        raise DomainError(
            _("{day} is outside the licence year {start} to {end}").format(
                day=on.isoformat(), start=term.start.isoformat(), end=term.end.isoformat()
            )
        )
    if new_capacity <= current_capacity:
        raise DomainError(
            _(
                "an upgrade goes to a larger package than {n} users; a smaller package can be "
                "chosen at the renewal (M2)"
            ).format(n=current_capacity)
        )
    listed = term.start  # the price list the running year was sold on
    old_price = package_price(plan, current_capacity, listed)
    new_price = package_price(plan, new_capacity, listed)
    rest = Term(on, term.end)
    upgrade = UpgradeOption(
        UPGRADE,
        current_capacity,
        new_capacity,
        term,
        (
            _one(
                UPGRADE_FEE,
                tr("One-time fee for the upgrade to {n} users").format(n=new_capacity),
                plan.price(UPGRADE_FEE, on),
                None,
            ),
            _difference_line(current_capacity, new_capacity, new_price - old_price, rest, tr),
        ),
    )
    new_term = licence_year(on, plan.term_days)
    restart = UpgradeOption(
        RESTART,
        current_capacity,
        new_capacity,
        new_term,
        tuple(
            package_lines(plan, new_capacity, new_term, package_price(plan, new_capacity, on), tr)
        ),
    )
    return upgrade, restart


def renewed_year_upgrade_lines(
    plan: Plan,
    current_capacity: int,
    new_capacity: int,
    renewed: Term,
    *,
    full: bool,
    tr: Translate,
) -> list[Line]:
    """The renewed year's part of an upgrade dated before a renewal that was run ahead: the
    difference of the renewal prices of the two sizes for ``renewed`` (M2, M11), no second fee."""
    part = FULL if full else PACKAGE
    old = renewal_price(plan, component(part, current_capacity), renewed.start).amount
    new = renewal_price(plan, component(part, new_capacity), renewed.start).amount
    return [_difference_line(current_capacity, new_capacity, new - old, renewed, tr)]


def _difference_line(old: int, new: int, amount: Decimal, period: Term, tr: Translate) -> Line:
    return _one(
        "package_difference",
        tr(
            "Difference of the annual package prices {old} users → {new} users, {start} – {end}"
        ).format(old=old, new=new, start=_d(period.start), end=_d(period.end)),
        amount,
        period,
    )


def full_package_lines(
    plan: Plan, capacity: int, term: Term, on: date, tr: Translate
) -> list[Line]:
    """Moving to the full package during the year: the difference of the annual prices of the
    full and the current package on the year's price list; the year runs on (this project's
    reading; the page only says the add-ons are refunded)."""
    if not plan.has_price(component(FULL, capacity), term.start):
        raise _unknown_size(plan, capacity, term.start)
    difference = plan.price(component(FULL, capacity), term.start) - package_price(
        plan, capacity, term.start
    )
    rest = Term(on, term.end)
    return [
        _one(
            component(FULL, capacity),
            tr("Move to the full package ({n} users), {start} – {end}").format(
                n=capacity, start=_d(rest.start), end=_d(rest.end)
            ),
            difference,
            rest,
        )
    ]


# --- add-on refund (M10) --------------------------------------------------------------------


def addon_refund(price: Decimal, term: Term, move_date: date) -> Decimal:
    """What is refunded of an add-on paid ``price`` for ``term`` when the school moves to the
    full package on ``move_date``: price x remaining days / days of the year (M10)."""
    if not term.contains(move_date):
        raise DomainError(
            _("{day} is outside the add-on year {start} to {end}").format(
                day=move_date.isoformat(), start=term.start.isoformat(), end=term.end.isoformat()
            )
        )
    used = (move_date - term.start).days
    remaining = term.days - used
    return round_half_up(price * remaining / term.days)


def refund_lines(
    subject: str, price: Decimal, term: Term, move_date: date, tr: Translate
) -> list[Line]:
    refund = addon_refund(price, term, move_date)
    remaining = (term.end - move_date).days + 1
    return [
        Line(
            "addon_refund",
            tr(
                "Refund of the subject add-on {subject}, {days} of {total} days ({start} – {end})"
            ).format(
                subject=subject,
                days=remaining,
                total=term.days,
                start=_d(move_date),
                end=_d(term.end),
            ),
            Decimal(1),
            -refund,
            -refund,
            move_date,
            term.end,
        )
    ]
