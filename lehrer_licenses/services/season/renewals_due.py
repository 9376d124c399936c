"""``renewals due --until DATE``: the renewal of contracts whose licence year runs from their own
start (user packages with their subject add-ons, M1/M2/M10/M11; per-pupil subscriptions,
F6/F7/F11), every renewal date up to DATE included.

The same guarantees as the calendar-year run: a package with its add-ons, or a per-pupil
subscription, is handled in a transaction of its own; each renewal invoice carries a unique
billing key, so a re-run or a crash half-way can never bill twice; the dry run computes the same
renewals on plain values and writes nothing.

Readings (see the domain modules): a package renews at the size chosen for the renewal (M2) and
at the price of ``renewal_price`` (M11, increases announced too late are postponed, with a
notice). An add-on renews at the add-on price of the package size on its renewal date; it lapses
when cancelled in time or when the package no longer runs then. A per-pupil subscription renews
with one settlement invoice (credit, use, next pre-investment); cancelled in time it ends without
a settlement (F7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
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
from lehrer_licenses.domain.per_pupil import (
    PART_12,
    PART_18,
    PART_38,
    PreInvestment,
    pupil_months,
    settlement,
    variant_of,
)
from lehrer_licenses.domain.periods import Term, month_start
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.domain.vat import VatRate
from lehrer_licenses.i18n import _, gettext_for
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.backups import make_backup
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.catalogue import load_catalogue, load_vat_rates
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.packages.addons import ADDON_REASON
from lehrer_licenses.services.licences.packages.common import ADDON_ACTIVE
from lehrer_licenses.services.licences.pupils.common import SETTLEMENT
from lehrer_licenses.services.licences.pupils.counts import monthly_counts
from lehrer_licenses.services.licences.pupils.notice import renewal_plan_code
from lehrer_licenses.services.licences.pupils.paid_year import (
    current_pre_investment,
    mark_settled,
    save_pre_investment,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE, LAPSED
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import Addon, Cancellation, Invoice, PlanRow, Subscription

Progress = Callable[[int, int], None]
ADDON_LAPSED = "lapsed"


@dataclass
class DueItem:
    school: str
    school_name: str
    contract: str  # package | addon | per_pupil
    id: int
    renewal: date
    action: str  # renew | lapse
    term_start: date | None = None
    term_end: date | None = None
    quantity: int | None = None  # package capacity, or the pupils of the new pre-investment
    invoice: InvoiceView | None = None
    settlement: dict[str, str] | None = None
    notices: list[str] = field(default_factory=list)
    code: str | None = None

    def to_json(self) -> dict:
        return {
            "school": self.school,
            "school_name": self.school_name,
            "contract": self.contract,
            "id": self.id,
            "renewal": self.renewal.isoformat(),
            "action": self.action,
            "term_start": self.term_start.isoformat() if self.term_start else None,
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "quantity": self.quantity,
            "settlement": self.settlement,
            "notices": self.notices,
            "code": self.code,
            "invoice": self.invoice.to_json() if self.invoice else None,
        }


@dataclass
class DueRun:
    until: date
    dry_run: bool
    items: list[DueItem] = field(default_factory=list)

    def summary(self) -> dict:
        amounts: dict[str, Decimal] = {}
        for item in self.items:
            if item.invoice is not None:
                cur = item.invoice.currency
                amounts[cur] = amounts.get(cur, Decimal("0.00")) + item.invoice.totals.net.amount
        return {
            "renewals": sum(1 for i in self.items if i.action == "renew"),
            "lapses": sum(1 for i in self.items if i.action == "lapse"),
            "invoices": sum(1 for i in self.items if i.invoice is not None),
            "net": {cur: money_text(v) for cur, v in sorted(amounts.items())},
        }

    def to_json(self) -> dict:
        return {
            "until": self.until.isoformat(),
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "items": [i.to_json() for i in self.items],
        }


@dataclass
class _Context:
    plans: dict[int, Plan]
    plan_ids: dict[str, int]
    vat_rates: list[VatRate]
    signer: Ed25519PrivateKey | None

    @classmethod
    def load(cls, session: Session, signer: Ed25519PrivateKey | None) -> _Context:
        catalogue = load_catalogue(session)
        ids = {code: id_ for code, id_ in session.execute(select(PlanRow.code, PlanRow.id))}
        return cls(
            {ids[p.code]: p for p in catalogue.plans},
            ids,
            load_vat_rates(session),
            signer,
        )


# --- what is due ----------------------------------------------------------------------------


def due_units(session: Session, until: date) -> list[tuple[str, int]]:
    """(kind, subscription id) of every contract with a renewal on or before ``until``."""
    packages = set(
        session.scalars(
            select(Subscription.id)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .where(
                Subscription.status == ACTIVE,
                Subscription.term_end < until,
                PlanRow.kind == PlanKind.PACKAGE.value,
            )
        )
    )
    packages |= set(
        session.scalars(
            select(Addon.subscription_id).where(
                Addon.status == ADDON_ACTIVE, Addon.term_end < until
            )
        )
    )
    pupils = session.scalars(
        select(Subscription.id)
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .where(
            Subscription.status == ACTIVE,
            Subscription.term_end < until,
            PlanRow.kind == PlanKind.PER_UNIT.value,
        )
    )
    return sorted([("package", i) for i in packages] + [("per_pupil", i) for i in pupils])


# --- packages and add-ons -------------------------------------------------------------------


@dataclass
class _Step:
    contract: str
    id: int
    renewal: date
    action: str
    term: Term | None = None
    quantity: int | None = None
    lines: list[Line] = field(default_factory=list)
    billing_key: str | None = None
    notices: list[str] = field(default_factory=list)
    settlement: dict[str, str] | None = None
    next_parts: list[PreInvestment] = field(default_factory=list)
    plan_code: str | None = None


def _postponed_notice(price, renewal: date) -> list[str]:
    return [
        _(
            "The increase to {amount} from {valid_from} was announced on {announced}, less than "
            "6 months before the renewal on {renewal}: it applies from a later renewal (M11)."
        ).format(
            amount=money_text(p.amount),
            valid_from=p.valid_from.isoformat(),
            announced=p.announced_on.isoformat() if p.announced_on else "-",
            renewal=renewal.isoformat(),
        )
        for p in price.postponed
    ]


def _package_steps(sub: Subscription, plan: Plan, until: date, tr) -> list[_Step]:
    steps: list[_Step] = []
    if sub.status != ACTIVE:
        return steps
    term = Term(sub.term_start, sub.term_end)
    capacity, renew_capacity = sub.capacity or 0, sub.renew_capacity
    prefix = FULL if sub.full_package else PACKAGE
    while term.renewal_date <= until:
        renewal = term.renewal_date
        if sub.ends_on is not None and sub.ends_on <= term.end:
            steps.append(_Step("package", sub.id, renewal, "lapse", quantity=capacity))
            break
        capacity, renew_capacity = renew_capacity or capacity, None
        price = renewal_price(plan, component(prefix, capacity), renewal)
        term = licence_year(renewal, plan.term_days)
        steps.append(
            _Step(
                "package",
                sub.id,
                renewal,
                "renew",
                term,
                capacity,
                package_lines(plan, capacity, term, price.amount, tr),
                f"package-renewal:{sub.id}:{renewal.isoformat()}",
                _postponed_notice(price, renewal),
            )
        )
    return steps


def _capacity_on(sub: Subscription, steps: list[_Step], day: date) -> int | None:
    """The package size on ``day`` (None when the package does not run then)."""
    if sub.status != ACTIVE:
        return sub.capacity if sub.lapsed_on is None or day < sub.lapsed_on else None
    capacity = sub.capacity
    for step in steps:
        if step.renewal > day:
            break
        if step.action == "lapse":
            return None
        capacity = step.quantity
    return capacity


def _addon_steps(
    addon: Addon, sub: Subscription, package_steps: list[_Step], plan: Plan, until: date, tr
) -> list[_Step]:
    steps: list[_Step] = []
    term = Term(addon.term_start, addon.term_end)
    while term.renewal_date <= until:
        renewal = term.renewal_date
        capacity = _capacity_on(sub, package_steps, renewal)
        if addon.ends_on is not None and addon.ends_on <= term.end:
            steps.append(_Step("addon", addon.id, renewal, "lapse"))
            break
        if capacity is None:
            steps.append(
                _Step(
                    "addon",
                    addon.id,
                    renewal,
                    "lapse",
                    notices=[
                        _("The package no longer runs on {day}: the add-on ends.").format(
                            day=renewal.isoformat()
                        )
                    ],
                )
            )
            break
        price = renewal_price(plan, component(ADDON, capacity), renewal)
        term = licence_year(renewal, plan.term_days)
        steps.append(
            _Step(
                "addon",
                addon.id,
                renewal,
                "renew",
                term,
                capacity,
                addon_lines(addon.subject, capacity, term, price.amount, tr),
                f"addon:{addon.id}:{renewal.isoformat()}",
                _postponed_notice(price, renewal),
            )
        )
    return steps


def _package_unit(session: Session, sub: Subscription, until: date, ctx: _Context):
    plan = ctx.plans[sub.plan_id]
    tr = gettext_for(sub.school.language)
    steps = _package_steps(sub, plan, until, tr)
    addons = session.scalars(
        select(Addon)
        .where(
            Addon.subscription_id == sub.id, Addon.status == ADDON_ACTIVE, Addon.term_end < until
        )
        .order_by(Addon.id)
    ).all()
    addon_steps = {a.id: _addon_steps(a, sub, steps, plan, until, tr) for a in addons}
    ordered = sorted(
        [*steps, *(s for group in addon_steps.values() for s in group)],
        key=lambda s: (s.renewal, s.contract != "package", s.id),
    )
    return plan, ordered, {a.id: a for a in addons}


def _apply_package(
    session: Session, sub: Subscription, plan: Plan, step: _Step, addons, ctx: _Context
) -> DueItem:
    school = sub.school
    item = DueItem(school.number, school.name, step.contract, step.id, step.renewal, step.action)
    item.notices = list(step.notices)
    if step.contract == "package":
        if step.action == "lapse":
            sub.status, sub.lapsed_on = LAPSED, step.renewal
            _apply_cancellations(session, sub.id, step.renewal)
        else:
            assert step.term is not None
            invoice = create_draft(
                session, school, sub, plan.currency, "renewal", step.lines, step.renewal,
                step.billing_key, ctx.vat_rates,
            )  # fmt: skip
            sub.term_start, sub.term_end = step.term.start, step.term.end
            sub.capacity, sub.renew_capacity = step.quantity, None
            session.flush()
            session.refresh(sub)
            assert ctx.signer is not None
            item.code = issue_for(session, school, sub, step.renewal, "renewal", ctx.signer).code
            session.refresh(invoice)
            item.invoice = invoice_view(invoice)
    else:
        addon = addons[step.id]
        if step.action == "lapse":
            addon.status = ADDON_LAPSED
        else:
            assert step.term is not None
            addon.term_start, addon.term_end = step.term.start, step.term.end
            addon.capacity = step.quantity or addon.capacity
            addon.price = sum((line.amount for line in step.lines), Decimal("0.00"))
            invoice = create_draft(
                session, school, sub, plan.currency, ADDON_REASON, step.lines, step.renewal,
                step.billing_key, ctx.vat_rates,
            )  # fmt: skip
            invoice.addon_id = addon.id
            session.flush()
            session.refresh(invoice)
            item.invoice = invoice_view(invoice)
    item.term_start = step.term.start if step.term else None
    item.term_end = step.term.end if step.term else None
    item.quantity = step.quantity
    audit.record(
        session,
        f"renewal.{step.contract}.{step.action}",
        "addon" if step.contract == "addon" else "subscription",
        step.id,
        school_id=school.id,
        after={
            "renewal": step.renewal,
            "term_end": item.term_end,
            "quantity": step.quantity,
            "invoice_id": item.invoice.id if item.invoice else None,
        },
    )
    return item


def _apply_cancellations(session: Session, sub_id: int, renewal: date) -> None:
    for cancellation in session.scalars(
        select(Cancellation).where(
            Cancellation.subscription_id == sub_id,
            Cancellation.status == "pending",
            Cancellation.effective_on < renewal,
        )
    ):
        cancellation.status = "applied"


# --- per-pupil subscriptions ----------------------------------------------------------------


def _next_counts(
    counts: list[tuple[date, str, int]],
    parts: tuple[str, ...],
    renewal: date,
    previous: list[PreInvestment],
) -> tuple[dict[str, int], list[str]]:
    """The pupils of the next pre-investment: the count of the renewal's month, else the latest
    before it, else the previous pre-investment; grades 1-8 are grades 1-2 plus 3-8."""
    limit = month_start(renewal)
    latest: dict[str, tuple[date, int]] = {}
    for month, part, count in counts:
        if month <= limit and (part not in latest or month > latest[part][0]):
            latest[part] = (month, count)
    before = {p.part: p.pupils for p in previous}
    result, notices = {}, []
    for part in parts:
        if part in latest:
            month, count = latest[part]
            result[part] = count
            if month < limit:
                notices.append(
                    _(
                        "No count for {month} yet: the pre-investment for {part} uses the count "
                        "of {used}."
                    ).format(month=limit.strftime("%Y-%m"), part=part, used=month.strftime("%Y-%m"))
                )
        elif part == PART_18 and PART_12 in latest and PART_38 in latest:
            result[part] = latest[PART_12][1] + latest[PART_38][1]
        elif part in before:
            result[part] = before[part]
            notices.append(
                _("No count for {part}: the pre-investment keeps the {n} pupils of the last one.")
                .format(part=part, n=before[part])
            )  # fmt: skip
        else:
            result[part] = 0
            notices.append(
                _("No count for {part}: record one and correct the draft.").format(part=part)
            )
    return result, notices


def _pupil_steps(session: Session, sub: Subscription, until: date, ctx: _Context) -> list[_Step]:
    school = sub.school
    tr = gettext_for(school.language)
    counts = monthly_counts(session, school.id)
    plan = ctx.plans[sub.plan_id]
    term = Term(sub.term_start, sub.term_end)
    previous = current_pre_investment(session, sub)
    steps: list[_Step] = []
    while term.renewal_date <= until:
        renewal = term.renewal_date
        if sub.ends_on is not None and sub.ends_on <= term.end:
            steps.append(
                _Step(
                    "per_pupil",
                    sub.id,
                    renewal,
                    "lapse",
                    notices=[_("Cancelled in time: no settlement (F7).")],
                )
            )
            break
        code = renewal_plan_code(sub, renewal)
        new_plan = ctx.plans[ctx.plan_ids[code]] if code else plan
        new_term = licence_year(renewal, new_plan.term_days)
        next_counts, notices = _next_counts(counts, variant_of(new_plan).parts, renewal, previous)
        result, parts = settlement(
            old_plan=plan,
            old_term=term,
            old_pre_investment=previous,
            old_pupil_months=pupil_months(counts, term),
            used_until=term.end,
            new_plan=new_plan,
            new_term=new_term,
            new_counts=next_counts,
            tr=tr,
        )
        steps.append(
            _Step(
                "per_pupil",
                sub.id,
                renewal,
                "renew",
                new_term,
                sum(p.pupils for p in parts),
                result.lines,
                f"pupil-renewal:{sub.id}:{renewal.isoformat()}",
                notices,
                result.parts_json(),
                parts,
                new_plan.code,
            )
        )
        plan, term, previous = new_plan, new_term, parts
    return steps


def _apply_pupils(session: Session, sub: Subscription, step: _Step, ctx: _Context) -> DueItem:
    school = sub.school
    item = DueItem(
        school.number, school.name, "per_pupil", sub.id, step.renewal, step.action,
        notices=list(step.notices), settlement=step.settlement,
    )  # fmt: skip
    if step.action == "lapse":
        sub.status, sub.lapsed_on = LAPSED, step.renewal
        _apply_cancellations(session, sub.id, step.renewal)
    else:
        assert step.term is not None and step.plan_code is not None
        plan = ctx.plans[ctx.plan_ids[step.plan_code]]
        invoice = create_draft(
            session, school, sub, plan.currency, SETTLEMENT, step.lines, step.renewal,
            step.billing_key, ctx.vat_rates,
        )  # fmt: skip
        mark_settled(session, sub, sub.term_start)
        sub.plan_id = ctx.plan_ids[step.plan_code]
        sub.term_start, sub.term_end = step.term.start, step.term.end
        if renewal_plan_code(sub, step.renewal) == step.plan_code:
            sub.renew_plan_code = None
        save_pre_investment(
            session, school, sub, sub.plan_id, step.term, step.next_parts, invoice.id
        )
        session.refresh(sub)
        assert ctx.signer is not None
        item.code = issue_for(session, school, sub, step.renewal, "renewal", ctx.signer).code
        session.refresh(invoice)
        item.invoice = invoice_view(invoice)
        item.term_start, item.term_end, item.quantity = (
            step.term.start,
            step.term.end,
            step.quantity,
        )
    audit.record(
        session,
        f"renewal.per_pupil.{step.action}",
        "subscription",
        sub.id,
        school_id=school.id,
        after={
            "renewal": step.renewal,
            "term_end": item.term_end,
            "pupils": step.quantity,
            "settlement": step.settlement,
            "invoice_id": item.invoice.id if item.invoice else None,
        },
    )
    return item


# --- the run --------------------------------------------------------------------------------


def _preview(session: Session, sub: Subscription, plan: Plan, step: _Step, ctx) -> DueItem:
    school = sub.school
    item = DueItem(
        school.number, school.name, step.contract, step.id, step.renewal, step.action,
        step.term.start if step.term else None, step.term.end if step.term else None,
        step.quantity, None, step.settlement, list(step.notices),
    )  # fmt: skip
    if step.action == "renew":
        reason = {"package": "renewal", "addon": ADDON_REASON}.get(step.contract, SETTLEMENT)
        item.invoice = preview_invoice(
            session, school, plan.currency, reason, step.lines, step.renewal, ctx.vat_rates
        )
    return item


def _unit(session: Session, kind: str, sub: Subscription, until: date, ctx, write: bool):
    items = []
    if kind == "package":
        plan, steps, addons = _package_unit(session, sub, until, ctx)
        for step in steps:
            if write and step.billing_key and _billed(session, step.billing_key):
                continue
            items.append(
                _apply_package(session, sub, plan, step, addons, ctx)
                if write
                else _preview(session, sub, plan, step, ctx)
            )
    else:
        for step in _pupil_steps(session, sub, until, ctx):
            if write and step.billing_key and _billed(session, step.billing_key):
                continue
            plan = ctx.plans[ctx.plan_ids[step.plan_code]] if step.plan_code else None
            items.append(
                _apply_pupils(session, sub, step, ctx)
                if write
                else _preview(session, sub, plan or ctx.plans[sub.plan_id], step, ctx)
            )
    return items


def _billed(session: Session, key: str) -> bool:
    return session.scalar(select(Invoice.id).where(Invoice.billing_key == key)) is not None


def run_due_renewals(
    db: Database,
    until: date,
    *,
    dry_run: bool = True,
    progress: Progress | None = None,
    keys: KeyStore | None = None,
) -> DueRun:
    """Renew every package (with its add-ons) and per-pupil subscription with a renewal date on
    or before ``until``; a dry run shows the same without writing."""
    run = DueRun(until, dry_run)
    signer = None if dry_run else (keys or KeyStore()).load_private()
    with db.reading() as session:
        units = due_units(session, until)
        ctx = _Context.load(session, signer)
    if units and not dry_run and db.url.startswith("sqlite:///"):
        make_backup(db, reason=f"before-renewals-until-{until.isoformat()}")
    for done, (kind, sub_id) in enumerate(units, start=1):
        if dry_run:
            with db.reading() as session:
                run.items += _unit(
                    session, kind, session.get(Subscription, sub_id), until, ctx, False
                )
        else:
            # One transaction per contract: a crash loses at most the contract being written.
            with db.transaction() as session:
                run.items += _unit(
                    session, kind, session.get(Subscription, sub_id), until, ctx, True
                )
        if progress:
            progress(done, len(units))
    return run
