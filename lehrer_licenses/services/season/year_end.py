"""The year-end renewal of calendar-year contracts (L4, L5, L7).

``--year Y`` renews into the term starting 1 January Y and bills the DB-hosting usage of Y-1 in
arrears. Each contract is handled in a savepoint of its own, a few dozen to a transaction: after
a crash, a re-run picks up exactly the contracts not yet renewed (their term still ends on
31 December Y-1), and the unique billing key of each renewal/usage invoice makes double billing
impossible.

Speed (benchmarks/bench_year_end.py): the catalogue, VAT table, vendor and signing key are read
once per run; a contract's transaction reads the contract in one statement and writes its rows as
plain INSERTs/UPDATEs (``services.billing.batch_issuing``, ``codes.insert_seat_code``, the audit
entries through ``store.audit.AuditJournal``), so no unit-of-work flush per row; with
``issue_on`` the invoices are predicted (in a thread, while the run writes) and their PDFs
rendered ahead in worker processes (``services.season.prerender``), taken only when equal to the
document the transaction builds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from lehrer_licenses.domain.catalogue import Billing, Plan, PlanKind
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.periods import TermAlignment, next_term
from lehrer_licenses.domain.pricing import Line, price_renewal, price_usage_in_arrears
from lehrer_licenses.domain.vat import VatRate
from lehrer_licenses.i18n import gettext_for
from lehrer_licenses.services.backups import backup_before_batch
from lehrer_licenses.services.billing.batch_issuing import insert_issued
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.billing.issuing import IssueRun, expected_document
from lehrer_licenses.services.billing.numbering import invoice_counter
from lehrer_licenses.services.billing.printing import require_postal_address
from lehrer_licenses.services.billing.vat_regimes import Regimes, load_regimes
from lehrer_licenses.services.billing.vendor import load_vendor
from lehrer_licenses.services.catalogue import load_vat_rates, plan_from_row
from lehrer_licenses.services.licences.codes import (
    expected_seat_code,
    insert_seat_code,
    issue_for,
    latest_serials,
)
from lehrer_licenses.services.licences.seats.contracts import (
    ACTIVE,
    LAPSED,
    RELEASED,
    active_seats,
    term_of,
)
from lehrer_licenses.services.licences.seats.hosting_usage import usage_for_year
from lehrer_licenses.services.season.prerender import PreRenderer
from lehrer_licenses.store import audit
from lehrer_licenses.store.audit import AuditJournal
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    Cancellation,
    Invoice,
    PlanRow,
    School,
    Seat,
    SeatAssignment,
    Subscription,
)

Progress = Callable[[int, int], None]
DRY_RUN_BATCH = 500
# A group of contracts written in one transaction: at most this many, or this long.
GROUP_CONTRACTS = 50
GROUP_SECONDS = 0.25


@dataclass
class RenewalItem:
    school: str
    school_name: str
    action: str  # renew | lapse | usage_only | failed (with the reason in error)
    seats_before: int
    seats_after: int
    seats_released: int
    invoices: list[InvoiceView] = field(default_factory=list)
    code: str | None = None
    error: str | None = None  # why this contract was left for a re-run
    warning: str | None = None  # why its draft cannot be issued yet, and how to mend it
    keys: list[str] = field(default_factory=list, repr=False)  # the billing keys of invoices


@dataclass(frozen=True)
class CurrencyTotals:
    net: Decimal
    payable: Decimal


@dataclass(frozen=True)
class RunSummary:
    schools: int
    renewed: int
    lapsed: int
    failed: int
    seats_renewed: int
    seats_released: int
    invoices: int
    amounts: Mapping[str, CurrencyTotals]  # by currency code, in code order


@dataclass
class RenewalRun:
    year: int
    dry_run: bool
    items: list[RenewalItem] = field(default_factory=list)

    def summary(self) -> RunSummary:
        per_currency: dict[str, tuple[Decimal, Decimal]] = {}
        for item in self.items:
            for inv in item.invoices:
                net, payable = per_currency.get(inv.currency, (Decimal("0.00"), Decimal("0.00")))
                per_currency[inv.currency] = (
                    net + inv.totals.net.amount,
                    payable + inv.totals.payable.amount,
                )
        return RunSummary(
            schools=len(self.items),
            renewed=sum(1 for i in self.items if i.action == "renew"),
            lapsed=sum(1 for i in self.items if i.action == "lapse"),
            failed=sum(1 for i in self.items if i.action == "failed"),
            seats_renewed=sum(i.seats_after for i in self.items if i.action == "renew"),
            seats_released=sum(i.seats_released for i in self.items),
            invoices=sum(len(i.invoices) for i in self.items),
            amounts={
                cur: CurrencyTotals(net, payable)
                for cur, (net, payable) in sorted(per_currency.items())
            },
        )


def due_subscription_ids(session: Session, year: int) -> list[int]:
    return list(
        session.scalars(
            select(Subscription.id)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .where(
                Subscription.status == ACTIVE,
                Subscription.term_end == date(year - 1, 12, 31),
                PlanRow.term == TermAlignment.CALENDAR_YEAR.value,
            )
            .order_by(Subscription.id)
        )
    )


_SEAT = Seat.__table__
_RELEASE_SEAT = (
    _SEAT.update()
    .where(_SEAT.c.id == bindparam("b_id"))
    .values(status=RELEASED, released_on=bindparam("b_day"))
)
_ASSIGNMENT = SeatAssignment.__table__
_END_ASSIGNMENT = (
    _ASSIGNMENT.update()
    .where(_ASSIGNMENT.c.seat_id == bindparam("b_id"), _ASSIGNMENT.c.end_on.is_(None))
    .values(end_on=bindparam("b_day"))
)
_CANCELLATION = Cancellation.__table__
_APPLY_CANCELLATIONS = (
    _CANCELLATION.update()
    .where(
        _CANCELLATION.c.subscription_id == bindparam("b_subscription"),
        _CANCELLATION.c.status == "pending",
        _CANCELLATION.c.effective_on <= bindparam("b_until"),
    )
    .values(status="applied")
)
_SUBSCRIPTION = Subscription.__table__
_UPDATE_SUBSCRIPTION = _SUBSCRIPTION.update().where(_SUBSCRIPTION.c.id == bindparam("b_id"))
# One contract with its school and seats, in one statement
_SCHOOL_OF = select(Subscription.school_id).where(Subscription.id == bindparam("b_id"))
_LOCK_SCHOOL = select(School.id).where(School.id == _SCHOOL_OF.scalar_subquery()).with_for_update()
_CONTRACT = (
    select(Subscription)
    .where(Subscription.id == bindparam("b_id"))
    .options(joinedload(Subscription.school), joinedload(Subscription.seats))
)


@dataclass
class _Context:
    """What every contract of a run needs and does not change during it: read once."""

    plans: dict[int, Plan]
    vat_rates: list[VatRate]
    regimes: Regimes
    signer: Ed25519PrivateKey | None
    codes: dict[int, tuple[str, str]]  # plan id -> (plan kind, product code) for the codes
    issue_on: date | None = None  # issue (number, PDF) the invoices on this date; None: drafts
    issuer: IssueRun | None = None
    ahead: PreRenderer | None = None  # the PDFs rendered ahead in worker processes

    @property
    def run_date(self) -> date:
        return self.issue_on or date.today()

    @classmethod
    def load(cls, session: Session, signer: Ed25519PrivateKey | None) -> _Context:
        rows = session.scalars(
            select(PlanRow).options(
                selectinload(PlanRow.prices),
                selectinload(PlanRow.tiers),
                selectinload(PlanRow.product),
            )
        )
        rows = list(rows)
        return cls(
            {row.id: plan_from_row(row) for row in rows},
            load_vat_rates(session),
            load_regimes(session),
            signer,
            {row.id: (row.kind, row.product.code) for row in rows},
        )


def _renew_one(
    session: Session,
    sub: Subscription,
    year: int,
    write: bool,
    ctx: _Context,
    check: bool = True,
) -> RenewalItem:
    school = sub.school
    plan = ctx.plans[sub.plan_id]
    old_term = term_of(sub)
    new_term = next_term(plan.term, old_term, plan.term_days)
    seats = active_seats(sub)
    releasing = [s for s in seats if s.release_on is not None and s.release_on <= old_term.end]
    whole = sub.ends_on is not None and sub.ends_on <= old_term.end
    remaining = 0 if whole else len(seats) - len(releasing)
    tr = gettext_for(school.language)
    journal = AuditJournal()

    bills: list[tuple[str, list[Line]]] = []
    if plan.billing is Billing.ARREARS:
        counts = usage_for_year(session, school.id, year - 1)
        lines = price_usage_in_arrears(
            plan, term=old_term, monthly_counts=counts, canton_licence=school.canton_licence, tr=tr
        )
        if lines:
            bills.append((f"usage:{sub.id}:{year - 1}", lines))
    elif remaining > 0:
        bills.append(
            (f"renewal:{sub.id}:{year}", price_renewal(plan, seats=remaining, term=new_term, tr=tr))
        )

    warning = None
    if bills and check:
        try:
            require_postal_address(school)
        except DomainError as exc:
            if ctx.issue_on is not None:
                # Issuing stops here for this school: checked before anything is written and
                # in the preview too, which otherwise promised an invoice that never came.
                raise
            warning = str(exc)  # a draft may wait for the address; issuing it will not
    action = "renew" if remaining > 0 else "lapse"
    if plan.billing is Billing.ARREARS and remaining == 0 and bills:
        action = "lapse"
    item = RenewalItem(
        school.number,
        school.name,
        action,
        len(seats),
        remaining,
        len(seats) - remaining,
        warning=warning,
    )
    drafts: list[Invoice] = []  # the invoices left as drafts (a run without an issue date)
    to_issue: list[tuple[InvoiceView, str]] = []  # issued after the code, which they carry
    for key, lines in bills:
        reason = "usage" if key.startswith("usage") else "renewal"
        if write and ctx.issuer is None:
            drafts.append(
                create_draft(
                    session,
                    school,
                    sub,
                    plan.currency,
                    reason,
                    lines,
                    new_term.start,
                    key,
                    ctx.vat_rates,
                    ctx.regimes,
                )
            )
            continue
        preview = preview_invoice(
            session,
            school,
            plan.currency,
            reason,
            lines,
            new_term.start,
            ctx.vat_rates,
            ctx.regimes,
        )
        if write:
            to_issue.append((preview, key))
        else:
            item.invoices.append(preview)
            item.keys.append(key)
    if not write:
        return item

    # Plain UPDATEs, and the loaded objects told the new values (``set_committed_value``), so
    # that nothing is left for a unit-of-work flush at the commit.
    ending = seats if remaining == 0 else releasing
    if ending:
        released = [{"b_id": seat.id, "b_day": seat.release_on or old_term.end} for seat in ending]
        session.execute(_RELEASE_SEAT, released)
        session.execute(_END_ASSIGNMENT, released)
        for seat, row in zip(ending, released, strict=True):
            set_committed_value(seat, "status", RELEASED)
            set_committed_value(seat, "released_on", row["b_day"])
    session.execute(_APPLY_CANCELLATIONS, {"b_subscription": sub.id, "b_until": old_term.end})
    before = {"term_end": old_term.end, "seats": len(seats)}
    changes = (
        {"status": LAPSED, "lapsed_on": new_term.start}
        if remaining == 0
        else {"term_start": new_term.start, "term_end": new_term.end}
    )
    session.execute(_UPDATE_SUBSCRIPTION, {"b_id": sub.id, **changes})  # SET from the keys
    for name, value in changes.items():
        set_committed_value(sub, name, value)
    if remaining > 0:
        assert ctx.signer is not None
        plan_kind, product = ctx.codes[sub.plan_id]
        if plan_kind == PlanKind.PER_SEAT.value:
            item.code = insert_seat_code(
                session,
                school,
                subscription_id=sub.id,
                product=product,
                seats=remaining,
                valid_until=new_term.end,
                on=ctx.run_date,
                reason="renewal",
                signer=ctx.signer,
                journal=journal,
            )
        else:
            item.code = issue_for(session, school, sub, ctx.run_date, "renewal", ctx.signer).code
    drafts_journal = AuditJournal()
    issued = []
    for preview, key in to_issue:  # after the code, so the invoice carries the new one
        assert ctx.issuer is not None
        code = item.code if preview.reason == "renewal" else None  # a usage invoice carries none
        issued.append(
            insert_issued(
                session,
                ctx.issuer,
                preview,
                school,
                sub.id,
                key,
                code,
                journal,
                drafts_journal,
                ctx.ahead,
                ctx.plans[sub.plan_id].display_name(school.language),
            ).view
        )
    # The invoices' "invoice.draft" entries first, where a run that leaves drafts writes them.
    journal.rows[:0] = drafts_journal.rows
    item.invoices = issued + [invoice_view(i) for i in drafts]
    audit.record(
        journal,
        f"renewal.{action}",
        "subscription",
        sub.id,
        school_id=school.id,
        before=before,
        after={
            "term_end": sub.term_end,
            "seats": remaining,
            "status": sub.status,
            "invoices": [i.id for i in item.invoices],
        },
    )
    session.flush()  # the ORM's writes of a draft run first, so the entries stay in order
    journal.write(session)
    return item


def run_renewals(
    db: Database,
    year: int,
    *,
    dry_run: bool = True,
    progress: Progress | None = None,
    keys: KeyStore | None = None,
    issue_on: date | None = None,
    no_backup: bool = False,
) -> RenewalRun:
    """Renew into ``year``. With ``issue_on`` the real run issues every invoice on that date
    (numbered, PDF stored) in the contract's own savepoint; without it they stay drafts.

    A contract that cannot be completed (a school without a postal address, say) is reported
    with the reason and left untouched for a re-run; the others go on.

    The real run backs the database up first; on a server that needs pg_dump or a dump of the
    last hour, unless ``no_backup`` says the user chose to go without.
    """
    run = RenewalRun(year, dry_run)
    signer = None if dry_run else (keys or KeyStore()).load_private()
    with db.reading() as session:
        ids = due_subscription_ids(session, year)
        ctx = _Context.load(session, signer)
        # A preview of an issuing run runs its checks: the vendor's here, each school's below.
        ctx.issue_on = issue_on
        if issue_on is not None:
            # IssueRun checks the vendor before anything is written
            issuer = IssueRun(load_vendor(session), issue_on)
            if not dry_run:
                ctx.issuer = issuer
    # a run with nothing due writes nothing, so it needs no backup (each is a whole database)
    if ids and not dry_run:
        backup_before_batch(db, f"before-renewal-{year}", no_backup=no_backup)
    done = 0
    if dry_run:
        for session, sub in _read_in_batches(db, ids):
            try:
                run.items.append(_renew_one(session, sub, year, False, ctx))
            except DomainError as exc:
                run.items.append(_failed(sub.school, exc))
            done += 1
            if progress:
                progress(done, len(ids))
        return run
    try:
        if ctx.issuer is not None:
            ctx.ahead = _render_ahead(db, ids, year, ctx)
        _write_contracts(db, ids, year, ctx, run, progress)
    finally:
        if ctx.ahead is not None:
            ctx.ahead.close()
    return run


def _failed(school: School, exc: DomainError) -> RenewalItem:
    """A contract left for a re-run, with the reason (which says how to mend it)."""
    return RenewalItem(school.number, school.name, "failed", 0, 0, 0, error=str(exc))


def _read_in_batches(db: Database, ids: list[int]) -> Iterator[tuple[Session, Subscription]]:
    """The contracts, read (not written) in batches: one reading session loads many."""
    for start in range(0, len(ids), DRY_RUN_BATCH):
        with db.reading() as session:
            subs = session.scalars(
                select(Subscription)
                .where(Subscription.id.in_(ids[start : start + DRY_RUN_BATCH]))
                .options(selectinload(Subscription.seats), joinedload(Subscription.school))
                .order_by(Subscription.id)
            )
            for sub in subs:
                yield session, sub


def _render_ahead(db: Database, ids: list[int], year: int, ctx: _Context) -> PreRenderer | None:
    """Predict the invoices the run will issue, in its order, and have them rendered in
    worker processes (``services.season.prerender``; a wrong prediction only costs a render).
    The predictions are made in a thread while the run writes, from the counter and the code
    serials as they stand before its first write."""
    assert ctx.issuer is not None and ctx.signer is not None
    ahead = PreRenderer.start(len(ids))
    if ahead is None:
        return None
    with db.reading() as session:
        seq = invoice_counter(session, ctx.issuer.on.year)
        serials = latest_serials(session)
    ahead.predict(lambda: _predict(db, ids, year, ctx, ahead, seq, serials))
    return ahead


def _predict(
    db: Database,
    ids: list[int],
    year: int,
    ctx: _Context,
    ahead: PreRenderer,
    seq: int,
    serials: dict[int, int],
) -> None:
    assert ctx.issuer is not None and ctx.signer is not None
    for done, (session, sub) in enumerate(_read_in_batches(db, ids), start=1):
        if ahead.closing:
            return
        try:
            # Unchecked: a prediction costs only a render, and the run checks each school.
            item = _renew_one(session, sub, year, False, ctx, check=False)
        except DomainError:  # the run reports it; its invoices (if any) get their own render
            ahead.predicted(done)
            continue
        code = None
        plan_kind, product = ctx.codes[sub.plan_id]
        if item.seats_after > 0 and plan_kind == PlanKind.PER_SEAT.value:
            plan = ctx.plans[sub.plan_id]
            serials[sub.school_id] = serial = serials.get(sub.school_id, 0) + 1
            code = expected_seat_code(
                sub.school,
                product=product,
                seats=item.seats_after,
                valid_until=next_term(plan.term, term_of(sub), plan.term_days).end,
                on=ctx.run_date,
                serial=serial,
                signer=ctx.signer,
            )
        for key, preview in zip(item.keys, item.invoices, strict=True):
            seq += 1
            printed_code = code if preview.reason == "renewal" else None
            document = expected_document(
                ctx.issuer,
                preview,
                sub.school,
                seq,
                printed_code,
                ctx.plans[sub.plan_id].display_name(sub.school.language),
            )
            ahead.submit(key, document)
        ahead.predicted(done)


def _write_contracts(
    db: Database,
    ids: list[int],
    year: int,
    ctx: _Context,
    run: RenewalRun,
    progress: Progress | None,
) -> None:
    done = 0
    while done < len(ids):
        # Several contracts to a transaction, each in a savepoint of its own: a contract that
        # fails is rolled back alone and reported; a crash loses at most the group being
        # written, which a re-run completes as it would a single contract. A commit per
        # contract paid the disk's flush (synchronous=FULL) and a session per contract.
        outcomes: list[RenewalItem | tuple[int, DomainError] | None] = []
        started = time.monotonic()
        # Without autoflush: the reads of a contract do not depend on its pending writes, and
        # one flush at its end costs far less than one before every query.
        with db.transaction() as session, session.no_autoflush:
            while (
                done < len(ids)
                and len(outcomes) < GROUP_CONTRACTS
                and time.monotonic() - started < GROUP_SECONDS
            ):
                sub_id = ids[done]
                done += 1
                if ctx.ahead is not None:
                    ctx.ahead.writing(done)
                outcomes.append(_write_one(session, sub_id, year, ctx))
        for position, outcome in enumerate(outcomes, start=done - len(outcomes) + 1):
            if isinstance(outcome, RenewalItem):
                run.items.append(outcome)
            elif outcome is not None:
                sub_id, exc = outcome
                with db.reading() as session:
                    run.items.append(_failed(session.get(Subscription, sub_id).school, exc))
            if progress:
                progress(position, len(ids))


def _write_one(
    session: Session, sub_id: int, year: int, ctx: _Context
) -> RenewalItem | tuple[int, DomainError] | None:
    """One contract in a savepoint of the group's transaction: its item, why it failed, or
    None when someone else renewed or ended it since the list was read."""
    try:
        with session.begin_nested():
            # Read in the transaction, after locking its school (as every change of a school's
            # contracts does): another run or a clerk may have changed it since the list was
            # read.
            session.execute(_LOCK_SCHOOL, {"b_id": sub_id})
            sub = session.scalars(_CONTRACT, {"b_id": sub_id}).unique().one()
            item = None
            if sub.status == ACTIVE and sub.term_end == date(year - 1, 12, 31):
                item = _renew_one(session, sub, year, True, ctx)
    except DomainError as exc:
        if ctx.issuer is not None:
            ctx.issuer.rolled_back()  # the counter is back where it stood: check in full
        return sub_id, exc
    if ctx.issuer is not None:
        # The group's transaction holds the counter (the write lock on SQLite, the counter's
        # row on a server) until it commits: nobody numbers in between.
        ctx.issuer.committed()
    return item
