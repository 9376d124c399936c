"""The mid-year upgrade to a larger package (M7, M8): with the year running on (fee +
difference) or a new licence year from the day, quoted both ways and written as one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.packages import (
    RESTART,
    UPGRADE,
    UpgradeOption,
    renewed_year_upgrade_lines,
    upgrade_options,
)
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.contract_years import (
    require_in_year,
    term_of,
    year_before_renewal,
)
from lehrer_licenses.services.licences.packages.contract import PackageResult, running_package
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    AuditEntry,
    School,
    Subscription,
)

# --- mid-year upgrade (M7, M8) --------------------------------------------------------------


def _capacity_before_renewal(session: Session, sub: Subscription) -> int | None:
    """The package size of the year before the last renewal: as that renewal recorded it, or
    as an upgrade dated before it (and after the run) left it."""
    entries = session.execute(
        select(AuditEntry.action, AuditEntry.after)
        .where(
            AuditEntry.action.in_(("renewal.package.renew", f"package.{UPGRADE}")),
            AuditEntry.entity == "subscription",
            AuditEntry.entity_id == sub.id,
        )
        .order_by(AuditEntry.id.desc())
    )
    for action, after in entries:
        recorded = json.loads(after)
        if action == "renewal.package.renew":
            return recorded.get("quantity_before")
        if recorded.get("before_renewal"):
            return recorded.get("capacity")
    return None


def upgrade_choices(
    session: Session, school: School, sub: Subscription, plan: Plan, capacity: int, on: date
) -> list[UpgradeOption]:
    """Both ways to ``capacity`` users on ``on`` (M8); on a day before a renewal run ahead, the
    one way that keeps the year: the upgrade of the running year, plus the renewed year at the
    larger size, as its renewal would have priced it."""
    tr = gettext_for(school.language)
    year = year_before_renewal(sub, plan.term_days, on)
    if year is None:
        require_in_year(term_of(sub), on, _("an upgrade"))
        return list(
            upgrade_options(
                plan,
                current_capacity=sub.capacity or 0,
                new_capacity=capacity,
                term=term_of(sub),
                on=on,
                tr=tr,
            )
        )
    before = _capacity_before_renewal(session, sub)
    if before != sub.capacity:
        raise InvalidInput(
            _(
                "The renewal on {renewal} was run ahead and changed the package to {n} users: "
                "an upgrade dated {day}, before it, cannot be priced; date it {renewal} or later"
            ).format(renewal=format_date(sub.term_start), n=sub.capacity, day=format_date(on))
        )
    upgrade, _restart = upgrade_options(
        plan, current_capacity=before, new_capacity=capacity, term=year, on=on, tr=tr
    )
    renewed = renewed_year_upgrade_lines(
        plan, before, capacity, term_of(sub), full=sub.full_package, tr=tr
    )
    return [replace(upgrade, term=term_of(sub), lines=(*upgrade.lines, *renewed))]


@dataclass(frozen=True)
class PricedOption:
    """One way to a larger package (M8), with the invoice it would write."""

    option: str  # upgrade | restart
    capacity_from: int
    capacity_to: int
    amount: Decimal
    term_start: date
    term_end: date
    invoice: InvoiceView


@dataclass(frozen=True)
class UpgradeQuote:
    school: str
    on: date
    capacity: int | None
    term_start: date
    term_end: date
    options: list[PricedOption]


def upgrade_quotes(
    session: Session, school: School, sub: Subscription, plan: Plan, capacity: int, on: date
) -> list[PricedOption]:
    return [
        PricedOption(
            option.kind,
            option.capacity_from,
            option.capacity_to,
            option.amount,
            option.term.start,
            option.term.end,
            preview_invoice(session, school, plan.currency, "upgrade", list(option.lines), on),
        )
        for option in upgrade_choices(session, school, sub, plan, capacity, on)
    ]


def quote_upgrade(db: Database, school_number: str, capacity: int, on: date) -> UpgradeQuote:
    """Both ways to a larger package with their prices (M8), written nowhere: what the upgrade
    dialog shows."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub, plan = running_package(session, school)
        options = upgrade_quotes(session, school, sub, plan, capacity, on)
        return UpgradeQuote(school.number, on, sub.capacity, sub.term_start, sub.term_end, options)


def upgrade_package(
    db: Database,
    school_number: str,
    capacity: int,
    on: date,
    option: str = UPGRADE,
    keys: KeyStore | None = None,
) -> PackageResult:
    """Upgrade to ``capacity`` users: ``upgrade`` (fee + difference, the year runs on) or
    ``restart`` (a new licence year from ``on`` at the new package's price)."""
    if option not in (UPGRADE, RESTART):
        raise InvalidInput(
            _("An upgrade is either {upgrade} or {restart}, not {option}").format(
                upgrade=UPGRADE, restart=RESTART, option=option
            )
        )
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan = running_package(session, school)
        if option == RESTART and sub.ends_on is not None:
            raise InvalidInput(
                _(
                    "The package of school {school} is cancelled to end on {day}: a new licence "
                    "year cannot start; upgrade with the year running on instead"
                ).format(school=school.number, day=format_date(sub.ends_on))
            )
        choices = {o.kind: o for o in upgrade_choices(session, school, sub, plan, capacity, on)}
        if option not in choices:
            raise InvalidInput(
                _(
                    "The renewal on {renewal} was run ahead: a new licence year cannot start on "
                    "{day}, before it; upgrade with the year running on instead"
                ).format(renewal=format_date(sub.term_start), day=format_date(on))
            )
        chosen = choices[option]
        before = {
            "capacity": sub.capacity,
            "term_start": sub.term_start,
            "term_end": sub.term_end,
        }
        sub.capacity = capacity
        if option == RESTART:
            sub.term_start, sub.term_end = chosen.term.start, chosen.term.end
        if sub.renew_capacity is not None and sub.renew_capacity < capacity:
            sub.renew_capacity = None  # a smaller size asked for the renewal no longer applies
        invoice = create_draft(
            session, school, sub, plan.currency, "upgrade", list(chosen.lines), on
        )
        session.flush()
        code = issue_for(session, school, sub, on, "upgrade", signer)
        audit.record(
            session,
            f"package.{option}",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={
                "capacity": capacity,
                "term_start": sub.term_start,
                "term_end": sub.term_end,
                "invoice_id": invoice.id,
                "amount": chosen.amount,
                # dated before a renewal run ahead: the size of both years
                "before_renewal": on < sub.term_start,
            },
        )
        session.flush()
        session.refresh(invoice)
        return PackageResult(
            school.number,
            sub.plan.code,
            option,
            capacity,
            sub.term_start,
            sub.term_end,
            invoice_view(invoice),
            [],
            code.code,
        )
