"""The mid-year upgrade to a larger package (M7, M8): with the year running on (fee +
difference) or a new licence year from the day, quoted both ways and written as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.packages import (
    RESTART,
    UPGRADE,
    UpgradeOption,
    upgrade_options,
)
from lehrer_licenses.i18n import _, gettext_for
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
)
from lehrer_licenses.services.licences.packages.contract import PackageResult, running_package
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    School,
    Subscription,
)

# --- mid-year upgrade (M7, M8) --------------------------------------------------------------


def upgrade_choices(
    school: School, sub: Subscription, plan: Plan, capacity: int, on: date
) -> tuple[UpgradeOption, UpgradeOption]:
    require_in_year(term_of(sub), on, _("an upgrade"))
    return upgrade_options(
        plan,
        current_capacity=sub.capacity or 0,
        new_capacity=capacity,
        term=term_of(sub),
        on=on,
        tr=gettext_for(school.language),
    )


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
        for option in upgrade_choices(school, sub, plan, capacity, on)
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
            _("an upgrade is either {upgrade} or {restart}, not {option}").format(
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
                    "the package of school {school} is cancelled to end on {day}: a new licence "
                    "year cannot start; upgrade with the year running on instead"
                ).format(school=school.number, day=sub.ends_on.isoformat())
            )
        chosen = {o.kind: o for o in upgrade_choices(school, sub, plan, capacity, on)}[option]
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
