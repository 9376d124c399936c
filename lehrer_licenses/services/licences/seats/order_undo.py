"""Undoing an order of seats entered by mistake (wrong seat count, wrong school), while its
invoice is still a draft: the seats it added, the contract if it started one, the draft, and a
new registration code for the seats that remain (L6), in one transaction.

Deleting the draft alone would leave the seats delivered but unbilled, so ``billing.delete_draft``
refuses order drafts and points here. Once the invoice is issued, the way back is a credit note.

Which seats an order added: its ``order.seats`` audit entry lists their ids (``seat_ids``) since
orders write it. An older entry only gives the seat count before and after and the order date;
its seats are those positions of the contract acquired on that day, and an order whose seats
cannot be matched exactly that way is refused (nothing is guessed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from lehrer_licenses.i18n import N_, _, format_date
from lehrer_licenses.services.billing.lookups import find_invoice
from lehrer_licenses.services.billing.reasons import invoice_reason
from lehrer_licenses.services.billing.states import ACCEPTED, DRAFT, INVOICE, QUOTE, QUOTED
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.seats.contracts import ACTIVE, active_seats
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    Addon,
    AuditEntry,
    Cancellation,
    Invoice,
    IssuedCode,
    PackageCount,
    PreInvestmentRow,
    Seat,
    SeatAssignment,
    Subscription,
)

ORDER_REASON = "order"
CODE_REASON = N_("correction")  # the reason of the code issued after an undo (school view)
_CONTRACT_KINDS = ("first_order", "resumption")  # orders that started a new contract


@dataclass
class OrderUndo:
    """What undoing the order removes (a dry run) or removed."""

    invoice_id: int
    school: str
    school_name: str
    kind: str  # first_order | reorder | resumption
    currency: str
    payable: Decimal
    positions: list[int]  # the seats removed, by position on the contract
    seats_before: int  # the contract's seats with the order
    seats_after: int  # ... and without it
    subscription_removed: bool
    freed_history: int  # past holders of the removed seats (who held them, now forgotten)
    dry_run: bool
    code: str | None = None  # the new registration code, once undone
    quote: str | None = None  # the accepted quote the order came from; open again
    lines: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """What is (or would be) removed, one sentence a line, in the UI language."""
        out = [
            _("removes {n} seat(s) of school {school} {name} (positions {positions})").format(
                n=len(self.positions),
                school=self.school,
                name=self.school_name,
                positions=", ".join(str(p) for p in self.positions),
            ),
            _("deletes the draft invoice #{id} over {currency} {amount}").format(
                id=self.invoice_id, currency=self.currency, amount=f"{self.payable:.2f}"
            ),
        ]
        if self.subscription_removed:
            out.append(
                _("removes the contract this order started: the school has no contract again")
            )
        if self.freed_history:
            out.append(
                _("removes the record of {n} past holder(s) of these seats").format(
                    n=self.freed_history
                )
            )
        if self.quote:
            out.append(_("opens quote {number} again").format(number=self.quote))
        if self.seats_after:
            out.append(
                _("issues a new registration code for the {n} remaining seat(s)").format(
                    n=self.seats_after
                )
            )
        else:
            out.append(_("issues no new registration code: no seats remain"))
        return out


@dataclass
class _Undo:
    invoice: Invoice
    sub: Subscription
    seats: list[Seat]
    entry_after: dict
    kind: str
    remove_subscription: bool
    quote: Invoice | None


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message)


def _not_undoable(invoice: Invoice, why: str) -> InvalidInput:
    return _refuse(
        _(
            "draft #{id} cannot be undone as an order: {why}; change its lines (`invoice edit "
            "{id}`) or issue it and write a credit note"
        ).format(id=invoice.id, why=why)
    )


def _too_late(invoice: Invoice, why: str) -> InvalidInput:
    return _refuse(
        _(
            "{why}; undo is no longer possible: change the draft's lines (`invoice edit {id}`) "
            "or issue it and write a credit note"
        ).format(why=why, id=invoice.id)
    )


def _order_entry(session: Session, invoice: Invoice) -> tuple[AuditEntry, dict] | None:
    """The ``order.seats`` audit entry that wrote this draft."""
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == "order.seats",
            AuditEntry.school_id == invoice.school_id,
            AuditEntry.entity_id == invoice.subscription_id,
        )
        .order_by(AuditEntry.id)
    )
    for row in rows:
        after = json.loads(row.after or "{}")
        if after.get("invoice_id") == invoice.id:
            return row, after
    return None


def _undone_invoices(session: Session, school_id: int) -> set[int]:
    rows = session.scalars(
        select(AuditEntry.after).where(
            AuditEntry.action == "order.undo", AuditEntry.school_id == school_id
        )
    )
    return {json.loads(after or "{}").get("invoice_id") for after in rows}


def _order_seats(
    session: Session, invoice: Invoice, sub: Subscription, after: dict, before: dict
) -> list[Seat]:
    """The seats the order added: by their ids, or for an order recorded before the ids were,
    by position and day; refused when that does not match exactly."""
    if "seat_ids" in after:
        ids = [int(i) for i in after["seat_ids"]]
        seats = list(session.scalars(select(Seat).where(Seat.id.in_(ids)).order_by(Seat.position)))
        if len(seats) != len(ids) or any(s.subscription_id != sub.id for s in seats):
            raise _refuse(
                _("some seats of the order on draft #{id} no longer exist").format(id=invoice.id)
            )
        return seats
    first, last = int(before.get("seats", 0)) + 1, int(after.get("seats", 0))
    ordered_on = date.fromisoformat(after.get("ordered_on", "0001-01-01"))
    seats = [
        s
        for s in sub.seats
        if first <= s.position <= last and s.acquired_on == ordered_on and s.status == ACTIVE
    ]
    if sorted(s.position for s in seats) != list(range(first, last + 1)):
        raise _refuse(
            _(
                "the seats of the order on draft #{id} ({day}) cannot be identified: it was "
                "recorded before orders listed their seats, and positions {first} to {last} of "
                "the contract no longer match it; change its lines (`invoice edit {id}`) or "
                "issue it and write a credit note"
            ).format(id=invoice.id, day=format_date(ordered_on), first=first, last=last)
        )
    return sorted(seats, key=lambda s: s.position)


def _refuse_later_changes(
    session: Session, invoice: Invoice, sub: Subscription, entry: AuditEntry
) -> None:
    """Nothing may build on the order: no later order, invoice, renewal or cancellation."""
    undone = _undone_invoices(session, invoice.school_id)
    later_orders = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == "order.seats",
            AuditEntry.entity_id == sub.id,
            AuditEntry.id > entry.id,
        )
        .order_by(AuditEntry.id)
    )
    for row in later_orders:
        other_id = json.loads(row.after or "{}").get("invoice_id")
        if other_id in undone:
            continue
        other = session.get(Invoice, other_id) if other_id else None
        name = (other.number or f"#{other.id}") if other else f"#{other_id}"
        raise _refuse(
            _(
                "a later order on the same contract (invoice {name}) builds on this one: "
                "undo that order first"
            ).format(name=name)
        )
    later = session.scalars(
        select(Invoice)
        .where(Invoice.subscription_id == sub.id, Invoice.id > invoice.id)
        .order_by(Invoice.id)
        .limit(1)
    ).first()
    if later is not None:
        raise _too_late(
            invoice,
            _("the contract has a later invoice ({name}, {reason}, {day})").format(
                name=later.number or f"#{later.id}",
                reason=invoice_reason(later.reason),
                day=format_date(later.invoice_date),
            ),
        )
    changed = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "subscription",
            AuditEntry.entity_id == sub.id,
            AuditEntry.id > entry.id,
            AuditEntry.action.not_in(("order.seats", "order.undo")),
        )
        .order_by(AuditEntry.id)
        .limit(1)
    ).first()
    if changed is not None:
        day = format_date(changed.at.date())
        raise _too_late(
            invoice,
            _("the contract was renewed or lapsed on {day}, after this order").format(day=day)
            if changed.action.startswith("renewal.")
            else _("the contract changed on {day}, after this order (its History says how)").format(
                day=day
            ),
        )
    # A cancellation recorded before the order may stand; any other one came after it.
    before_order = set(
        session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.action == "cancellation.record",
                AuditEntry.school_id == invoice.school_id,
                AuditEntry.id < entry.id,
            )
        )
    )
    cancelled = session.scalars(
        select(Cancellation)
        .where(Cancellation.subscription_id == sub.id, Cancellation.id.not_in(before_order))
        .limit(1)
    ).first()
    if cancelled is not None:
        raise _too_late(
            invoice,
            _("a cancellation received on {day} came after this order").format(
                day=format_date(cancelled.received_on)
            ),
        )


def _refuse_assigned(seats: list[Seat], school_number: str) -> None:
    held = [
        (seat, a) for seat in seats for a in seat.assignments if a.end_on is None
    ]  # open assignments: the seat is in use
    if held:
        raise _refuse(
            _(
                "seat(s) of this order are assigned: {who}; free them first (`seat free "
                "{school} --teacher {teacher}`)"
            ).format(
                who="; ".join(
                    _("seat {position} to {name} (teacher {id})").format(
                        position=seat.position,
                        name=f"{a.teacher.first_name} {a.teacher.last_name}",
                        id=a.teacher_id,
                    )
                    for seat, a in held
                ),
                school=school_number,
                teacher=held[0][1].teacher_id,
            )
        )
    released = [s for s in seats if s.status != ACTIVE or s.release_on is not None]
    if released:
        raise _refuse(
            _(
                "seat {position} of this order is cancelled or given up; undo is not possible"
            ).format(position=released[0].position)
        )


def _refuse_hangers_on(session: Session, sub: Subscription, seats: list[Seat]) -> None:
    """A contract the order started goes with it, unless something else hangs on it."""
    own = {s.id for s in seats}
    others = [s for s in sub.seats if s.id not in own]
    counts = {
        _("other seats"): len(others),
        _("package counts"): session.scalar(
            select(func.count()).where(PackageCount.subscription_id == sub.id)
        ),
        _("subject add-ons"): session.scalar(
            select(func.count()).where(Addon.subscription_id == sub.id)
        ),
        _("pupil pre-investments"): session.scalar(
            select(func.count()).where(PreInvestmentRow.subscription_id == sub.id)
        ),
        _("cancellations"): session.scalar(
            select(func.count()).where(Cancellation.subscription_id == sub.id)
        ),
    }
    found = [f"{what} ({n})" for what, n in counts.items() if n]
    if found:
        raise _refuse(
            _("the contract this order started has {what} as well; undo is not possible").format(
                what=", ".join(found)
            )
        )


def _accepted_quote(session: Session, invoice: Invoice) -> Invoice | None:
    quotes = session.scalars(
        select(Invoice).where(
            Invoice.kind == QUOTE,
            Invoice.status == ACCEPTED,
            Invoice.school_id == invoice.school_id,
        )
    )
    for quote in quotes:
        if json.loads(quote.details or "{}").get("draft_invoice_id") == invoice.id:
            return quote
    return None


def _plan(session: Session, key: str) -> _Undo:
    invoice = find_invoice(session, key, lock=True)
    if invoice.kind != INVOICE:
        raise _refuse(_("{key} is not an invoice of an order").format(key=key))
    if invoice.status != DRAFT:
        raise _refuse(
            _(
                "invoice {number} is already issued: undo is not possible; correct it with a "
                "credit note (`invoice credit {number}`)"
            ).format(number=invoice.number)
        )
    if invoice.reason != ORDER_REASON:
        raise _not_undoable(invoice, _("it is not an order"))
    found = _order_entry(session, invoice) if invoice.subscription_id else None
    if found is None:
        raise _not_undoable(invoice, _("it is not an order of seats"))
    entry, after = found
    before = json.loads(entry.before or "{}")
    sub = session.get(Subscription, invoice.subscription_id)
    assert sub is not None  # the invoice's foreign key
    seats = _order_seats(session, invoice, sub, after, before)
    _refuse_assigned(seats, invoice.school.number)
    _refuse_later_changes(session, invoice, sub, entry)
    kind = after.get("kind", "reorder")
    remove = kind in _CONTRACT_KINDS
    if remove:
        _refuse_hangers_on(session, sub, seats)
    return _Undo(invoice, sub, seats, after, kind, remove, _accepted_quote(session, invoice))


def _result(u: _Undo, dry_run: bool) -> OrderUndo:
    held = len(active_seats(u.sub))
    return OrderUndo(
        u.invoice.id,
        u.invoice.school.number,
        u.invoice.school.name,
        u.kind,
        u.invoice.currency,
        u.invoice.payable,
        [s.position for s in u.seats],
        held,
        0 if u.remove_subscription else held - len(u.seats),
        u.remove_subscription,
        sum(len(s.assignments) for s in u.seats),
        dry_run,
        quote=u.quote.number if u.quote else None,
    )


def undo_order(
    db: Database,
    key: str,
    *,
    dry_run: bool = False,
    on: date | None = None,
    keys: KeyStore | None = None,
) -> OrderUndo:
    """Undo the order whose draft invoice is ``key`` (id or number), or with ``dry_run`` say
    what that would remove. Refused, nothing written, when anything builds on the order."""
    if dry_run:
        with db.reading() as session:
            return _result(_plan(session, key), True)
    on = on or date.today()
    signer = (keys or KeyStore()).load_private()  # before anything is written
    with db.transaction() as session:
        u = _plan(session, key)
        result = _result(u, False)
        result.lines = [line.description for line in u.invoice.lines]
        seat_ids = [s.id for s in u.seats]
        school, sub, invoice_id = u.invoice.school, u.sub, u.invoice.id
        session.execute(delete(SeatAssignment).where(SeatAssignment.seat_id.in_(seat_ids)))
        for seat in u.seats:
            sub.seats.remove(seat)
            session.delete(seat)
        session.delete(u.invoice)
        if u.quote is not None:  # the quote can be accepted again
            details = json.loads(u.quote.details or "{}")
            details.pop("draft_invoice_id", None)
            u.quote.details = json.dumps(details)
            u.quote.status = QUOTED
        session.flush()
        code_serial = None
        if u.remove_subscription:
            # Codes already handed out stay in the history (their serials are never reused).
            session.execute(
                update(IssuedCode)
                .where(IssuedCode.subscription_id == sub.id)
                .values(subscription_id=None)
            )
            session.delete(sub)
        elif result.seats_after > 0:
            session.refresh(sub)
            code = issue_for(session, school, sub, on, CODE_REASON, signer)
            result.code, code_serial = code.code, code.serial
        audit.record(
            session,
            "order.undo",
            "subscription",
            sub.id,
            school_id=school.id,
            before={
                "seats": result.seats_before,
                "invoice_id": invoice_id,
                "payable": result.payable,
                "lines": result.lines,
            },
            after={
                "seats": result.seats_after,
                "invoice_id": invoice_id,
                "kind": result.kind,
                "removed_seat_ids": seat_ids,
                "removed_positions": result.positions,
                "subscription_removed": result.subscription_removed,
                "assignments_removed": result.freed_history,
                "quote_reopened": result.quote,
                "code_serial": code_serial,
            },
        )
        session.flush()
        return result
