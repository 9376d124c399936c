"""The year-end renewal of calendar-year contracts (L4, L5, L7).

``--year Y`` renews into the term starting 1 January Y and bills the DB-hosting usage of Y-1 in
arrears. Each contract is handled in a savepoint of its own, a few dozen to a transaction: after
a crash, a re-run picks up exactly the contracts not yet renewed (their term still ends on
31 December Y-1), and the unique billing key of each renewal/usage invoice makes double billing
impossible.

Speed (benchmarks/bench_year_end.py): the catalogue, VAT table, vendor and signing key are read
once per run; a contract's savepoint reads the contract in one statement and writes its rows as
plain INSERTs/UPDATEs (``services.billing.batch_issuing``, ``codes.insert_seat_code``, the audit
entries through ``store.audit.AuditJournal``), so no unit-of-work flush per row; with
``issue_on`` each invoice's document goes to a render worker process as soon as it is built
(``services.season.prerender``), and the group's PDFs and audit entries are written at the end
of its transaction (``services.billing.pdf_batch``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Row, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from lehrer_licenses.domain.catalogue import Billing, Plan, PlanKind
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.periods import TermAlignment, next_term
from lehrer_licenses.domain.pricing import Line, price_renewal, price_usage_in_arrears
from lehrer_licenses.domain.vat import VatRate
from lehrer_licenses.i18n import gettext_for
from lehrer_licenses.services.backups import PendingBackup, backup_before_batch_checked_beside
from lehrer_licenses.services.billing.batch_issuing import insert_issued
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.billing.issuing import IssueRun
from lehrer_licenses.services.billing.pdf_batch import PdfBatch
from lehrer_licenses.services.billing.printing import require_postal_address
from lehrer_licenses.services.billing.vat_regimes import Regimes, load_regimes
from lehrer_licenses.services.billing.vendor import load_vendor
from lehrer_licenses.services.catalogue import load_vat_rates, plan_from_row
from lehrer_licenses.services.licences.codes import insert_seat_code, issue_for, latest_serials
from lehrer_licenses.services.licences.seats.contracts import (
    ACTIVE,
    LAPSED,
    RELEASED,
    active_seats,
    term_of,
)
from lehrer_licenses.services.licences.seats.hosting_usage import (
    usage_for_schools,
    usage_for_year,
)
from lehrer_licenses.services.season.contract_group import ContractGroup
from lehrer_licenses.services.season.prerender import RenderWorkers
from lehrer_licenses.store import audit
from lehrer_licenses.store.audit import AuditJournal
from lehrer_licenses.store.bulk import GroupInserts
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
from lehrer_licenses.store.wal_checkpoints import CheckpointsBeside

Progress = Callable[[int, int], None]
DRY_RUN_BATCH = 500
# A group of contracts written in one transaction: at most this many, or this long. Another
# program's write waits for the group (far below the busy timeout, 5 s); a group's commit
# and its first reads leave the render workers idle, so fewer groups are faster (20,000 schools:
# 73 s with groups of 0.25 s, 58 s with groups of 1 s).
GROUP_CONTRACTS = 200
GROUP_SECONDS = 1.0
# A tenth of a run at least, so that a small run's progress moves and the run can be told
# apart from its end (its contracts count as done when their group commits).
GROUPS_AT_LEAST = 10


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
# A group's contracts with their schools and seats, after locking the schools (on a server;
# SQLite's write lock is the whole file's), ordered so that two runs cannot deadlock.
_GROUP_SCHOOLS = select(Subscription.school_id).where(
    Subscription.id.in_(bindparam("b_ids", expanding=True))
)
_LOCK_SCHOOLS = (
    select(School.id).where(School.id.in_(_GROUP_SCHOOLS)).order_by(School.id).with_for_update()
)
_CONTRACTS = (
    select(Subscription)
    .where(Subscription.id.in_(bindparam("b_ids", expanding=True)))
    .options(joinedload(Subscription.school))
)
# Their active seats as plain rows: an ORM object per seat was a third of the run's own time.
_ACTIVE_SEATS = (
    select(_SEAT.c.subscription_id, _SEAT.c.id, _SEAT.c.release_on)
    .where(
        _SEAT.c.subscription_id.in_(bindparam("b_ids", expanding=True)),
        _SEAT.c.status == ACTIVE,
    )
    .order_by(_SEAT.c.subscription_id, _SEAT.c.position)
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
    workers: RenderWorkers | None = None  # render processes for the invoices' PDFs
    spare_ids: dict = field(default_factory=dict)  # a server's ids for the groups' new rows
    backup: PendingBackup | None = None  # checked before the first group commits
    checkpoints: CheckpointsBeside | None = None  # a SQLite file's, beside the groups

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
    group: ContractGroup | None = None,
    journal: AuditJournal | None = None,
    seats: Sequence[Row] | None = None,
) -> RenewalItem:
    """Renew (or lapse) ``sub``; with ``write``, in the caller's savepoint or ``group``. With
    the group's PDFs the invoices' PDFs and the audit entries (in ``journal``) are left for the
    group to write at the end of its transaction; otherwise they are written here. ``seats``:
    its active seats (id, release_on), when read beside it rather than loaded with it."""
    group = group or ContractGroup(session)
    pdfs = group.pdfs
    school = sub.school
    plan = ctx.plans[sub.plan_id]
    old_term = term_of(sub)
    new_term = next_term(plan.term, old_term, plan.term_days)
    seats = active_seats(sub) if seats is None else seats
    releasing = [s for s in seats if s.release_on is not None and s.release_on <= old_term.end]
    whole = sub.ends_on is not None and sub.ends_on <= old_term.end
    remaining = 0 if whole else len(seats) - len(releasing)
    tr = gettext_for(school.language)
    journal = AuditJournal() if journal is None else journal

    bills: list[tuple[str, list[Line]]] = []
    if plan.billing is Billing.ARREARS:
        if group.usage is not None:
            counts = group.usage[school.id]
        else:
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
    if bills:
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

    # Plain UPDATEs (the seats are rows here, not loaded objects), and the contract told its new
    # values (``set_committed_value``), so that nothing is left for a unit-of-work flush.
    ending = seats if remaining == 0 else releasing
    if ending:
        released = [{"b_id": seat.id, "b_day": seat.release_on or old_term.end} for seat in ending]
        group.execute(_RELEASE_SEAT, released)
        group.execute(_END_ASSIGNMENT, released)
    group.execute(_APPLY_CANCELLATIONS, [{"b_subscription": sub.id, "b_until": old_term.end}])
    before = {"term_end": old_term.end, "seats": len(seats)}
    changes = (
        {"status": LAPSED, "lapsed_on": new_term.start}
        if remaining == 0
        else {"term_start": new_term.start, "term_end": new_term.end}
    )
    group.execute(_UPDATE_SUBSCRIPTION, [{"b_id": sub.id, **changes}])  # SET from the keys
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
                serial=group.next_serial(school.id),
                inserts=group.inserts,
            )
        else:
            if group.inserts is not None:
                group.inserts.write()  # the ORM's insert takes the id after the highest
            item.code = issue_for(
                session,
                school,
                sub,
                ctx.run_date,
                "renewal",
                ctx.signer,
                journal=journal,
                serial=group.next_serial(school.id),
            ).code
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
                pdfs,
                ctx.plans[sub.plan_id].display_name(school.language),
                group.inserts,
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
    if pdfs is None:
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
        ctx.backup = backup_before_batch_checked_beside(
            db, f"before-renewal-{year}", no_backup=no_backup
        )
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
            ctx.workers = RenderWorkers.start(len(ids))
        with CheckpointsBeside(db) as ctx.checkpoints:
            _write_contracts(db, ids, year, ctx, run, progress)
    finally:
        if ctx.workers is not None:
            ctx.workers.close()
        if ctx.backup is not None:
            ctx.backup.wait()  # a run that failed before its first commit leaves no thread
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


def _write_contracts(
    db: Database,
    ids: list[int],
    year: int,
    ctx: _Context,
    run: RenewalRun,
    progress: Progress | None,
) -> None:
    issuing = ctx.issuer is not None
    done = 0
    while done < len(ids):
        try:
            outcomes = _write_group(db, ids, done, year, ctx, savepoints=False, later=issuing)
        except _GroupFailed:
            # Rolled back: the group again, each contract in a savepoint of its own, so that
            # the one that fails is rolled back alone and reported.
            if ctx.issuer is not None:
                ctx.issuer.rolled_back()  # the counter is back where it stood: check in full
            try:
                outcomes = _write_group(db, ids, done, year, ctx, savepoints=True, later=issuing)
            except _GroupFailed:  # a PDF could not be rendered: each in its contract's savepoint
                assert ctx.issuer is not None
                ctx.issuer.rolled_back()
                outcomes = _write_group(db, ids, done, year, ctx, savepoints=True, later=False)
        if ctx.checkpoints is not None:
            ctx.checkpoints.committed()
        for position, outcome in enumerate(outcomes, start=done + 1):
            if isinstance(outcome, RenewalItem):
                run.items.append(outcome)
            elif outcome is not None:
                sub_id, exc = outcome
                with db.reading() as session:
                    run.items.append(_failed(session.get(Subscription, sub_id).school, exc))
            if progress:
                progress(position, len(ids))
        done += len(outcomes)


class _GroupFailed(Exception):
    """A contract of a group written without savepoints failed, or a PDF of the group could not
    be rendered: the group's transaction is rolled back and the group written again."""


_Outcome = RenewalItem | tuple[int, DomainError] | None


def _write_group(
    db: Database,
    ids: list[int],
    start: int,
    year: int,
    ctx: _Context,
    *,
    savepoints: bool,
    later: bool,
) -> list[_Outcome]:
    """The contracts from ``ids[start]`` on, in one transaction: at most ``GROUP_CONTRACTS``
    (and a tenth of the run), or as many as ``GROUP_SECONDS`` take.

    Several contracts to a transaction: a crash loses at most the group being written, which a
    re-run completes as it would a single contract; a commit per contract paid the disk's flush
    (synchronous=FULL) and a session each. Without ``savepoints`` the first contract that fails
    raises ``_GroupFailed`` (the caller writes the group again with them: a savepoint per
    contract costs a tenth of the run, and a failure is rare); with them, a contract that fails
    is rolled back alone and reported. With ``later`` the PDFs are rendered (by the render
    workers) while the group is written, and stored with the audit entries at its end."""
    outcomes: list[_Outcome] = []
    pdfs = PdfBatch(ctx.workers) if later else None
    journals: list[AuditJournal] = []
    started = time.monotonic()
    size = min(GROUP_CONTRACTS, max(1, len(ids) // GROUPS_AT_LEAST))
    group_ids = ids[start : start + size]
    # Without autoflush: the reads of a contract do not depend on its pending writes, and one
    # flush at its end costs far less than one before every query.
    with db.transaction() as session, session.no_autoflush:
        if ctx.checkpoints is not None:
            ctx.checkpoints.hold(session)
        # Read in the transaction, after locking the schools (as every change of a school's
        # contracts does): another run or a clerk may have changed them since the list was read.
        if session.get_bind().dialect.name != "sqlite":
            session.execute(_LOCK_SCHOOLS, {"b_ids": group_ids})
        contracts = {sub.id: sub for sub in session.scalars(_CONTRACTS, {"b_ids": group_ids})}
        seats: dict[int, list[Row]] = {sub_id: [] for sub_id in group_ids}
        for row in session.execute(_ACTIVE_SEATS, {"b_ids": group_ids}):
            seats[row.subscription_id].append(row)
        group = ContractGroup(session, pdfs, deferred=not savepoints)
        group.usage = usage_for_schools(
            session,
            [
                sub.school_id
                for sub in contracts.values()
                if ctx.plans[sub.plan_id].billing is Billing.ARREARS
            ],
            year - 1,
        )
        if group.deferred:
            # A number or a serial taken meanwhile fails the group at its unique index: the
            # caller writes it again with a savepoint and the checks per contract.
            group.serials = latest_serials(session, [sub.school_id for sub in contracts.values()])
            group.inserts = GroupInserts(session, ctx.spare_ids)
            if ctx.issuer is not None:
                ctx.issuer.count_in_group()
        for sub_id in group_ids:
            if outcomes and time.monotonic() - started >= GROUP_SECONDS:
                break
            journal = AuditJournal()
            sub = contracts.get(sub_id)
            if savepoints:
                outcome = _write_one(session, sub_id, sub, seats[sub_id], year, ctx, group, journal)
            else:
                try:
                    outcome = _renewed(session, sub, seats[sub_id], year, ctx, group, journal)
                except (DomainError, IntegrityError) as exc:
                    raise _GroupFailed from exc
                if ctx.issuer is not None:
                    ctx.issuer.committed()
            outcomes.append(outcome)
            if isinstance(outcome, RenewalItem):
                journals.append(journal)
        try:
            group.write_deferred()
        except IntegrityError as exc:  # a number or a serial taken meanwhile (above)
            raise _GroupFailed from exc
        if group.deferred and ctx.issuer is not None:
            ctx.issuer.end_group(session)
        if pdfs is not None:
            entries = [row for journal in journals for row in journal.rows]
            try:
                pdfs.store(session, entries)
            except DomainError as exc:
                raise _GroupFailed from exc
            written = AuditJournal()
            written.rows = entries
            written.write(session)
        if ctx.backup is not None:
            ctx.backup.result()  # checked before anything of the run is committed
    return outcomes


def _renewed(
    session: Session,
    sub: Subscription | None,
    seats: list[Row],
    year: int,
    ctx: _Context,
    group: ContractGroup,
    journal: AuditJournal,
) -> RenewalItem | None:
    """The contract renewed (or lapsed), or None when someone else renewed or ended it since the
    list was read."""
    if sub is None or sub.status != ACTIVE or sub.term_end != date(year - 1, 12, 31):
        return None
    return _renew_one(session, sub, year, True, ctx, group, journal, seats)


def _write_one(
    session: Session,
    sub_id: int,
    sub: Subscription | None,
    seats: list[Row],
    year: int,
    ctx: _Context,
    group: ContractGroup,
    journal: AuditJournal,
) -> _Outcome:
    """One contract in a savepoint of the group's transaction: its item, why it failed, or
    None (``_renewed``)."""
    pdfs = group.pdfs
    mark = pdfs.mark() if pdfs is not None else 0
    try:
        with session.begin_nested():
            item = _renewed(session, sub, seats, year, ctx, group, journal)
    except DomainError as exc:
        if pdfs is not None:
            pdfs.rollback_to(mark)
        if ctx.issuer is not None:
            ctx.issuer.rolled_back()  # the counter is back where it stood: check in full
        return sub_id, exc
    if ctx.issuer is not None:
        # The group's transaction holds the counter (the write lock on SQLite, the counter's
        # row on a server) until it commits: nobody numbers in between.
        ctx.issuer.committed()
    return item
