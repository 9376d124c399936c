"""Read-only queries for the school detail's "Packages and pupils" tab and its dialogs: the
school's user package with its add-ons (M1-M11) and its per-pupil subscription (F1-F11), in one
read, shaped for the view. Nothing here writes; the use cases are in ``packages``, ``addons``
and ``per_pupil``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.packages import (
    FULL,
    PACKAGE,
    announcement_deadline,
    cancellation_deadline,
    check_capacity,
    component,
    package_price,
    package_sizes,
    renewal_price,
    renewal_price_visible,
)
from lehrer_licenses.domain.per_pupil import (
    monthly_price,
    reminder_date,
    trial_refusals,
    variant_of,
)
from lehrer_licenses.domain.periods import Term, cancellation_effective
from lehrer_licenses.i18n import _
from lehrer_licenses.services.catalogue import load_catalogue, plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.contract_years import running_of_kind, term_of
from lehrer_licenses.services.licences.packages import addons
from lehrer_licenses.services.licences.packages import notice as package_notice
from lehrer_licenses.services.licences.packages import status as package_state
from lehrer_licenses.services.licences.packages import upgrade as package_upgrade
from lehrer_licenses.services.licences.pupils import notice as pupil_notice
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Addon,
    PreInvestmentRow,
    PupilCount,
    PupilTrial,
    School,
)


@dataclass(frozen=True)
class PackageInfo:
    plan: str
    currency: str
    capacity: int
    full_package: bool
    term_start: date
    term_end: date
    cancellation_deadline: date
    ends_on: date | None
    renew_capacity: int | None  # the size asked for the next licence year (M2)
    counted_on: date | None  # the latest user count (M3)
    users: int | None
    renewal_price: Decimal | None  # None until 6 months before the renewal (M11)
    price_visible_from: date

    @property
    def over_capacity(self) -> bool:
        return self.users is not None and self.users > self.capacity


# An add-on as the licences tab shows it (M10).
AddonInfo = package_state.AddonView


@dataclass(frozen=True)
class PupilPart:
    part: str
    pupils: int
    amount: Decimal


@dataclass(frozen=True)
class PupilInfo:
    plan: str
    variant: str
    parts: tuple[str, ...]
    currency: str
    term_start: date
    term_end: date
    notice_deadline: date
    reminder: date
    ends_on: date | None
    renew_plan: str | None
    pre_investment: tuple[PupilPart, ...]
    latest_month: date | None
    latest_counts: dict[str, int]

    @property
    def pre_investment_total(self) -> Decimal:
        return sum((p.amount for p in self.pre_investment), Decimal("0.00"))

    renewal: date | None = None

    @property
    def settlement_due(self) -> date | None:
        """The renewal that settles the year (F6); none when it ends with the year (F7)."""
        return None if self.ends_on is not None else self.renewal


@dataclass(frozen=True)
class LicencesView:
    school: str
    country: str
    terms_accepted_on: date | None
    dpa_reference: str | None
    dpa_signed_on: date | None
    trial: Term | None
    trial_ended_on: date | None
    package: PackageInfo | None
    addons: list[AddonInfo] = field(default_factory=list)
    pupils: PupilInfo | None = None


def _package(session: Session, school: School, on: date) -> PackageInfo | None:
    sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
    if sub is None:
        return None
    plan = plan_from_row(sub.plan)
    term = term_of(sub)
    latest = package_state.latest_count(session, sub.id)
    next_capacity = sub.renew_capacity or sub.capacity or 0
    price = None
    if renewal_price_visible(term.renewal_date, on):
        prefix = FULL if sub.full_package else PACKAGE
        name = component(prefix, next_capacity)
        if plan.has_price(name, term.renewal_date):
            price = renewal_price(plan, name, term.renewal_date).amount
    return PackageInfo(
        plan.code,
        plan.currency,
        sub.capacity or 0,
        sub.full_package,
        term.start,
        term.end,
        cancellation_deadline(term, plan.notice_months),
        sub.ends_on,
        sub.renew_capacity,
        latest.counted_on if latest else None,
        latest.users if latest else None,
        price,
        announcement_deadline(term.renewal_date),
    )


def _addons(session: Session, school: School) -> list[AddonInfo]:
    rows = session.scalars(
        select(Addon).where(Addon.school_id == school.id).order_by(Addon.id.desc())
    ).all()
    return [package_state.addon_view(a) for a in rows]


def _pupils(session: Session, school: School) -> PupilInfo | None:
    sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
    if sub is None:
        return None
    plan = plan_from_row(sub.plan)
    variant = variant_of(plan)
    term = term_of(sub)
    outcome = cancellation_effective(
        plan.term, term, term.start, plan.notice_months, plan.term_days
    )
    parts = session.scalars(
        select(PreInvestmentRow)
        .where(
            PreInvestmentRow.subscription_id == sub.id,
            PreInvestmentRow.term_start == sub.term_start,
        )
        .order_by(PreInvestmentRow.id)
    ).all()
    latest = session.scalar(
        select(PupilCount.month)
        .where(PupilCount.school_id == school.id)
        .order_by(PupilCount.month.desc())
        .limit(1)
    )
    counts = {}
    if latest is not None:
        counts = dict(
            session.execute(
                select(PupilCount.part, PupilCount.count).where(
                    PupilCount.school_id == school.id, PupilCount.month == latest
                )
            ).all()
        )
    return PupilInfo(
        plan.code,
        variant.name,
        variant.parts,
        plan.currency,
        term.start,
        term.end,
        outcome.deadline,
        reminder_date(term.renewal_date),
        sub.ends_on,
        sub.renew_plan_code,
        tuple(PupilPart(p.part, p.pupils, p.amount) for p in parts),
        latest,
        counts,
        term.renewal_date,
    )


def licences_of(db: Database, school_number: str, on: date | None = None) -> LicencesView:
    """Package, add-ons, agreements, trial and per-pupil subscription of one school."""
    on = on or date.today()
    with db.reading() as session:
        school = school_by_number(session, school_number)
        trial = session.scalar(select(PupilTrial).where(PupilTrial.school_id == school.id))
        return LicencesView(
            school.number,
            school.country,
            school.terms_accepted_on,
            school.dpa_reference,
            school.dpa_signed_on,
            Term(trial.start_on, trial.end_on) if trial else None,
            trial.ended_on if trial else None,
            _package(session, school, on),
            _addons(session, school),
            _pupils(session, school),
        )


def trial_missing(db: Database, school_number: str, on: date) -> list[str]:
    """What stands in the way of a free trial from ``on`` (F2, F4), in words; empty: nothing.
    The same reasons ``pupil_agreements.start_trial`` refuses with, shown before the user
    commits."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        trial = session.scalar(select(PupilTrial).where(PupilTrial.school_id == school.id))
        return trial_refusals(
            terms_accepted_on=school.terms_accepted_on,
            dpa_reference=school.dpa_reference,
            dpa_signed_on=school.dpa_signed_on,
            previous_trial=Term(trial.start_on, trial.end_on) if trial else None,
            on=on,
        )


@dataclass(frozen=True)
class PlanChoice:
    code: str
    name: str
    variant: str  # per-pupil plans: "1-2", "3-8 basis", ...
    parts: tuple[str, ...]


def package_plan_sizes(db: Database, on: date) -> dict[str, tuple[int, ...]]:
    """Every package plan's sizes on ``on`` (for the size choosers)."""
    with db.reading() as session:
        plans = load_catalogue(session).plans
    return {p.code: package_sizes(p, on) for p in plans if p.kind is PlanKind.PACKAGE}


def pupil_plans(db: Database) -> list[PlanChoice]:
    with db.reading() as session:
        plans = load_catalogue(session).plans
    choices = []
    for p in plans:
        if p.kind is PlanKind.PER_UNIT:
            variant = variant_of(p)
            choices.append(PlanChoice(p.code, p.name, variant.name, variant.parts))
    return choices


# --- previews for the dialogs (no writes) ---------------------------------------------------


# One way to a larger package (M8) with the invoice it would write, as the upgrade dialog shows it.
UpgradeChoice = package_upgrade.PricedOption


def upgrade_choices(
    db: Database, school_number: str, capacity: int, on: date
) -> list[UpgradeChoice]:
    """Both options of ``package_upgrade.quote_upgrade`` for the upgrade dialog (M8)."""
    return package_upgrade.quote_upgrade(db, school_number, capacity, on).options


@dataclass(frozen=True)
class CapacityPreview:
    capacity: int
    users: int
    over: int
    suggested: int | None  # the smallest package that holds them (M7), if any


def capacity_preview(db: Database, school_number: str, users: int, on: date) -> CapacityPreview:
    """How a user count would compare with the package (M3), before it is recorded."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
        if sub is None:
            raise InvalidInput(
                _("School {school} has no running user package").format(school=school.number)
            )
        check = check_capacity(plan_from_row(sub.plan), sub.capacity or 0, users, on)
        return CapacityPreview(check.capacity, check.users, check.over, check.suggested)


def package_year_price(db: Database, plan_code: str, capacity: int, on: date) -> Decimal:
    """The annual price of a package size on ``on`` (what a size change at the renewal costs)."""
    with db.reading() as session:
        (plan,) = [p for p in load_catalogue(session).plans if p.code == plan_code]
    return package_price(plan, capacity, on)


@dataclass(frozen=True)
class NoticePreview:
    deadline: date
    in_time: bool
    effective: date


def pupil_notice_preview(db: Database, school_number: str, received: date) -> NoticePreview:
    """When a downgrade or cancellation received on ``received`` takes effect (F11)."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        _sub, _plan, _term, o = pupil_notice.plan_notice(session, school, received)
        return NoticePreview(o.deadline, o.in_time, o.effective)


def package_cancel_preview(db: Database, school_number: str, received: date) -> NoticePreview:
    """When a cancellation of the package received on ``received`` takes effect (M1): the
    same reckoning and refusals as ``package_notice.cancel_package``, without writing."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        _sub, o = package_notice.plan_cancellation(session, school, received)
        return NoticePreview(o.deadline, o.in_time, o.effective)


def addon_cancel_preview(
    db: Database, school_number: str, addon_id: int, received: date
) -> NoticePreview:
    """When a cancellation of an add-on takes effect: its own year and notice (M10), as
    ``addons.cancel_addon`` reckons it, without writing."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        _addon, o = addons.plan_addon_cancellation(session, school, addon_id, received)
        return NoticePreview(o.deadline, o.in_time, o.effective)


def monthly_use(db: Database, school_number: str, counts: dict[str, int], month: date):
    """What a month's pupil counts will cost at the renewal settlement (F6): per part the
    pupils x the monthly price of the running plan; (part, pupils, unit price, amount)."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        if sub is None:
            return []
        plan = plan_from_row(sub.plan)
        rows = []
        for part in variant_of(plan).parts:
            if part in counts:
                unit = monthly_price(plan, part, month)
                rows.append((part, counts[part], unit, round_half_up(unit * counts[part])))
        return rows
