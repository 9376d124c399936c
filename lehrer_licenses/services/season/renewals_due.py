"""``renewals due --until DATE``: the renewal of contracts whose licence year runs from their own
start (user packages with their subject add-ons, M1/M2/M10/M11; per-pupil subscriptions,
F6/F7/F11), every renewal date up to DATE included.

The same guarantees as the calendar-year run: a package with its add-ons, or a per-pupil
subscription, is handled in a transaction of its own; each renewal invoice carries a unique
billing key, so a re-run or a crash half-way can never bill twice; the dry run computes the same
renewals on plain values and writes nothing.

What a renewal step is and does, per model, lives in ``licences.renewal_steps`` and the models'
``renewal`` modules (readings there); this module finds what is due and runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import Settlement
from lehrer_licenses.services.backups import backup_before_batch
from lehrer_licenses.services.billing.drafts import InvoiceView, invoice_view
from lehrer_licenses.services.licences.packages.contract import ADDON_ACTIVE
from lehrer_licenses.services.licences.packages.renewal import ADDONS, PACKAGES
from lehrer_licenses.services.licences.pupils.renewal import PUPILS
from lehrer_licenses.services.licences.renewal_steps import (
    LAPSE,
    RENEW,
    RenewalContext,
    RenewalStep,
    RenewingModel,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import Addon, Invoice, PlanRow, School, Subscription

Progress = Callable[[int, int], None]


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
    settlement: Settlement | None = None  # per-pupil: credit, use, next pre-investment
    notices: list[str] = field(default_factory=list)
    code: str | None = None


@dataclass(frozen=True)
class DueSummary:
    renewals: int
    lapses: int
    invoices: int
    net: dict[str, Decimal]  # per currency, sorted by currency


@dataclass
class DueRun:
    until: date
    dry_run: bool
    items: list[DueItem] = field(default_factory=list)

    def summary(self) -> DueSummary:
        amounts: dict[str, Decimal] = {}
        for item in self.items:
            if item.invoice is not None:
                cur = item.invoice.currency
                amounts[cur] = amounts.get(cur, Decimal("0.00")) + item.invoice.totals.net.amount
        return DueSummary(
            sum(1 for i in self.items if i.action == RENEW),
            sum(1 for i in self.items if i.action == LAPSE),
            sum(1 for i in self.items if i.invoice is not None),
            dict(sorted(amounts.items())),
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


Planned = list[tuple[RenewingModel, object, RenewalStep]]


def _package_unit(session: Session, sub: Subscription, until: date, ctx) -> Planned:
    """The package's steps and those of its add-ons due by ``until``, in date order (a package
    renews before its add-ons on the same day: they follow its size, M3)."""
    steps = PACKAGES.renewal_steps(session, sub, until, ctx)
    addons = session.scalars(
        select(Addon)
        .where(
            Addon.subscription_id == sub.id, Addon.status == ADDON_ACTIVE, Addon.term_end < until
        )
        .order_by(Addon.id)
    ).all()
    planned: Planned = [(PACKAGES, sub, s) for s in steps]
    for addon in addons:
        planned += [(ADDONS, addon, s) for s in ADDONS.renewal_steps(addon, until, ctx, steps)]
    return sorted(planned, key=lambda p: (p[2].renewal, p[2].contract != "package", p[2].id))


def _item(school: School, step: RenewalStep, invoice: InvoiceView | None, code=None) -> DueItem:
    return DueItem(
        school.number, school.name, step.contract, step.id, step.renewal, step.action,
        step.term.start if step.term else None, step.term.end if step.term else None,
        step.quantity, invoice, step.settlement, list(step.notices), code,
    )  # fmt: skip


def _unit(session: Session, kind: str, sub: Subscription, until: date, ctx, write: bool):
    if kind == "package":
        planned = _package_unit(session, sub, until, ctx)
    else:
        planned = [(PUPILS, sub, s) for s in PUPILS.renewal_steps(session, sub, until, ctx)]
    items = []
    for model, contract, step in planned:
        if not write:
            items.append(_item(sub.school, step, model.preview(session, contract, step, ctx)))
        elif not (step.billing_key and _billed(session, step.billing_key)):
            done = model.apply(session, contract, step, ctx)
            view = invoice_view(done.invoice) if done.invoice is not None else None
            items.append(_item(sub.school, step, view, done.code))
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
    no_backup: bool = False,
) -> DueRun:
    """Renew every package (with its add-ons) and per-pupil subscription with a renewal date on
    or before ``until``; a dry run shows the same without writing. The real run backs up first
    (a server: see ``backup_before_batch``; ``no_backup`` is the user's choice to go without)."""
    run = DueRun(until, dry_run)
    signer = None if dry_run else (keys or KeyStore()).load_private()
    with db.reading() as session:
        units = due_units(session, until)
        ctx = RenewalContext.load(session, signer)
    if units and not dry_run:
        backup_before_batch(db, f"before-renewals-until-{until.isoformat()}", no_backup=no_backup)
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
