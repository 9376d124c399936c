"""User packages and their subject add-ons as licence models: notice and cancellation (M1, M10)
and their renewal steps. A package renews at the size chosen for the renewal (M2) and at the
price of ``renewal_price`` (M11, increases announced too late are postponed, with a notice). An
add-on renews at the add-on price of the package size on its renewal date; it lapses when
cancelled in time or when the package no longer runs then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.packages import (
    ADDON,
    FULL,
    PACKAGE,
    addon_lines,
    component,
    licence_year,
    package_lines,
    renewal_price,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.packages.contract import (
    ADDON_LAPSED,
    ADDON_REASON,
    bill_addon,
)
from lehrer_licenses.services.licences.renewal_steps import (
    LAPSE,
    RENEW,
    RenewalContext,
    RenewalStep,
    RenewingModel,
    postponed_notices,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.store.models import Addon, Cancellation, Invoice, Subscription


def addon_notice_months(plan: Plan) -> int:
    return int(plan.option("addon_notice_months", "3"))


def _year_step(
    name: str,
    contract_id: int,
    renewal: date,
    plan: Plan,
    part: str,
    capacity: int,
    key: str,
    lines: Callable[[Term, Decimal], list[Line]],
) -> RenewalStep:
    """A new licence year from ``renewal`` at the renewal price of ``part`` for ``capacity``
    users (M11), billed under ``key:id:renewal``."""
    price = renewal_price(plan, component(part, capacity), renewal)
    term = licence_year(renewal, plan.term_days)
    return RenewalStep(
        name,
        contract_id,
        renewal,
        RENEW,
        term,
        capacity,
        lines(term, price.amount),
        f"{key}:{contract_id}:{renewal.isoformat()}",
        postponed_notices(price, renewal),
        plan_code=plan.code,
    )


@dataclass
class _PackageYear:
    plan: Plan
    tr: object
    capacity: int
    renew_capacity: int | None


class UserPackages(RenewingModel):
    """User packages: the licence year from their own start, the plan's notice period (M1)."""

    name = "package"
    cancel_action = "package.cancel"
    invoice_reason = "renewal"

    def plan(self, contract: Subscription) -> Plan:
        return plan_from_row(contract.plan)

    def renewal_steps(
        self, session: Session, sub: Subscription, until: date, ctx: RenewalContext
    ) -> list[RenewalStep]:
        if sub.status != ACTIVE:
            return []
        state = _PackageYear(
            ctx.plans[sub.plan_id],
            gettext_for(sub.school.language),
            sub.capacity or 0,
            sub.renew_capacity,
        )
        return self.walk(sub, until, state)

    def lapse_step(self, contract: Subscription, renewal: date, state: _PackageYear):
        return RenewalStep(self.name, contract.id, renewal, LAPSE, quantity=state.capacity)

    def renew_step(self, contract: Subscription, term: Term, renewal: date, state: _PackageYear):
        before = state.capacity
        state.capacity, state.renew_capacity = state.renew_capacity or state.capacity, None
        plan, capacity = state.plan, state.capacity
        step = _year_step(
            self.name, contract.id, renewal, plan, FULL if contract.full_package else PACKAGE,
            capacity, "package-renewal",
            lambda term, amount: package_lines(plan, capacity, term, amount, state.tr),
        )  # fmt: skip
        # kept in the audit entry: an upgrade dated before a renewal run ahead needs the size
        # the school had then (``packages.upgrade``)
        step.quantity_before = before
        return step

    def renew(self, session, contract: Subscription, step, invoice, ctx) -> str:
        assert step.term is not None and ctx.signer is not None
        contract.term_start, contract.term_end = step.term.start, step.term.end
        contract.capacity, contract.renew_capacity = step.quantity, None
        session.flush()
        session.refresh(contract)
        return issue_for(
            session, contract.school, contract, step.renewal, "renewal", ctx.signer
        ).code


def capacity_on(sub: Subscription, package_steps: list[RenewalStep], day: date) -> int | None:
    """The package size on ``day`` (None when the package does not run then)."""
    if sub.status != ACTIVE:
        return sub.capacity if sub.lapsed_on is None or day < sub.lapsed_on else None
    capacity = sub.capacity
    for step in package_steps:
        if step.renewal > day:
            break
        if step.action == LAPSE:
            return None
        capacity = step.quantity
    return capacity


@dataclass
class _AddonYear:
    plan: Plan
    tr: object
    package_steps: list[RenewalStep]


class Addons(RenewingModel):
    """Subject add-ons: a year from their own start and a notice period of their own (M10);
    their cancellation record and their invoices belong to the package's subscription."""

    name = "addon"
    cancel_action = "addon.cancel"
    invoice_reason = ADDON_REASON
    entity = "addon"

    def plan(self, contract: Addon) -> Plan:
        return plan_from_row(contract.subscription.plan)

    def notice_months(self, plan: Plan) -> int:
        return addon_notice_months(plan)

    def subscription_id(self, contract: Addon) -> int:
        return contract.subscription_id

    def audit_target(self, contract: Addon, record: Cancellation) -> tuple[str, int]:
        return "addon", contract.id

    def subscription(self, contract: Addon) -> Subscription:
        return contract.subscription

    def renewal_steps(
        self,
        addon: Addon,
        until: date,
        ctx: RenewalContext,
        package_steps: list[RenewalStep],
    ) -> list[RenewalStep]:
        sub = addon.subscription
        state = _AddonYear(ctx.plans[sub.plan_id], gettext_for(sub.school.language), package_steps)
        return self.walk(addon, until, state)

    def renew_step(self, contract: Addon, term: Term, renewal: date, state: _AddonYear):
        capacity = capacity_on(contract.subscription, state.package_steps, renewal)
        if capacity is None:
            notice = _("The package no longer runs on {day}: the add-on ends.").format(
                day=format_date(renewal)
            )
            return RenewalStep(self.name, contract.id, renewal, LAPSE, notices=[notice])
        return _year_step(
            self.name, contract.id, renewal, state.plan, ADDON, capacity, "addon",
            lambda term, amount: addon_lines(contract.subject, capacity, term, amount, state.tr),
        )  # fmt: skip

    def lapse(self, session: Session, contract: Addon, step: RenewalStep) -> None:
        contract.status = ADDON_LAPSED

    def renew(self, session, contract: Addon, step, invoice: Invoice, ctx) -> None:
        assert step.term is not None
        contract.term_start, contract.term_end = step.term.start, step.term.end
        contract.capacity = step.quantity or contract.capacity
        contract.price = sum((line.amount for line in step.lines), Decimal("0.00"))
        bill_addon(invoice, contract)
        session.flush()
        return None


PACKAGES = UserPackages()
ADDONS = Addons()
