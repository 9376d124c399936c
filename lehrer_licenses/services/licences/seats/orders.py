"""Ordering seats: first order (L2), reorder (L3), reactivation after a reduction (L5) and
resumption after a lapse (L12). ``quote_order`` shows exactly what ``order_seats`` will write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import BASE, SUBSCRIPTION, Billing, PlanKind
from lehrer_licenses.domain.periods import term_containing
from lehrer_licenses.domain.pricing import Line, price_new_seats, price_renewal
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.billing.drafts import InvoiceView, create_draft, invoice_view
from lehrer_licenses.services.billing.drafts import preview_invoice as _preview
from lehrer_licenses.services.catalogue import plan_from_row, plan_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.seats.contracts import (
    ACTIVE,
    RELEASED,
    active_seats,
    default_plan_code,
    latest_subscription,
    require_in_term,
    running_subscription,
    term_of,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import School, Seat, Subscription


@dataclass
class OrderQuote:
    school: str
    plan: str
    kind: str  # first_order | reorder | resumption
    seats: int
    seats_after: int
    term_start: date
    term_end: date
    invoice: InvoiceView
    notices: list[str] = field(default_factory=list)
    code: str | None = None  # the new registration code (L6), once ordered


@dataclass
class _Plan:
    school: School
    subscription: Subscription | None  # None: a new contract is started
    plan_code: str
    kind: str
    first_position: int
    seats_after: int
    term_start: date
    term_end: date
    lines: list[Line]
    notices: list[str]
    currency: str


def _plan_order(
    session: Session, school_number: str, seats: int, on: date, plan_code: str | None
) -> _Plan:
    if seats <= 0:
        raise InvalidInput(_("The number of seats must be at least 1, not {n}").format(n=seats))
    school = school_by_number(session, school_number)
    code = plan_code or default_plan_code(school)
    row = plan_row(session, code)
    plan = plan_from_row(row)
    if plan.kind is not PlanKind.PER_SEAT:
        raise InvalidInput(_("Plan {plan} is not sold per seat").format(plan=code))
    if plan.billing is Billing.ARREARS and not school.db_hosting:
        raise InvalidInput(
            _(
                "Plan {plan} is for DB-hosting schools; school {school} does not use DB-hosting"
            ).format(plan=code, school=school.number)
        )
    tr = gettext_for(school.language)
    sub = running_subscription(session, school, row.product_id)
    notices: list[str] = []
    if sub is not None and sub.plan_id != row.id:
        raise InvalidInput(
            _(
                "School {school} has a running contract on plan {current}; order "
                "on that plan or end it first"
            ).format(school=school.number, current=sub.plan.code)
        )
    if sub is None:
        term = term_containing(plan.term, on, anchor=on, days=plan.term_days)
        previous = latest_subscription(session, school)
        kind = "first_order"
        if previous is not None:
            kind = "resumption"
            notices.append(
                _(
                    "The contract lapsed on {day}: resuming needs new base licences for every "
                    "seat (L12)."
                ).format(day=format_date(previous.lapsed_on or previous.term_end))
            )
        lines = price_new_seats(
            plan,
            seats=seats,
            order_date=on,
            first_position=1,
            running_term=None,
            term_for_order=term,
            tr=tr,
        )
        return _Plan(
            school, None, code, kind, 1, seats, term.start, term.end, lines, notices, plan.currency
        )
    running = require_in_term(sub, on, _("an order"))
    held = len(active_seats(sub))
    given_up = [s for s in sub.seats if s.status == RELEASED]
    if given_up:
        last = max(s.released_on or s.acquired_on for s in given_up)
        keep_cost = plan.price(SUBSCRIPTION, on)
        notices.append(
            _(
                "This school gave up {n} seat(s) on {day}. A seat given up needs a new base "
                "licence of {currency} {base} when it is taken again (L5); keeping it would have "
                "cost the subscription of {currency} {keep} per year instead."
            ).format(
                n=len(given_up),
                day=format_date(last),
                currency=plan.currency,
                base=f"{plan.price(BASE, on):.2f}",
                keep=f"{keep_cost:.2f}",
            )
        )
    # Renewed ahead: the seats the school holds on the order day include those the run released
    # at the end of the running term, so the volume discount (L8) counts them there.
    held_running = held
    if running != term_of(sub):
        held_running = sum(
            1
            for s in sub.seats
            if s.status == ACTIVE or (s.released_on is not None and s.released_on >= on)
        )
    lines = price_new_seats(
        plan,
        seats=seats,
        order_date=on,
        first_position=held_running + 1,
        running_term=running,
        term_for_order=running,
        tr=tr,
    )
    if running != term_of(sub) and plan.billing is Billing.ADVANCE:
        lines += price_renewal(plan, seats=seats, term=term_of(sub), tr=tr, first_position=held + 1)
        notices.append(
            _(
                "The renewal into {year} was already run: this order also pays the new seats' "
                "subscription from {start} to {end}, as that renewal priced the others."
            ).format(
                year=sub.term_start.year,
                start=format_date(sub.term_start),
                end=format_date(sub.term_end),
            )
        )
    # New seats are numbered after every number the contract ever used, not after the count
    # held: a number given up stays in the history (assignments, letters, audit) as that seat's,
    # so reusing it would make "seat 1" name two different seats to a clerk reading it back.
    return _Plan(
        school,
        sub,
        code,
        "reorder",
        max((s.position for s in sub.seats), default=0) + 1,
        held + seats,
        running.start,
        sub.term_end,
        lines,
        notices,
        plan.currency,
    )


def quote_order(
    db: Database, school_number: str, seats: int, on: date, plan_code: str | None = None
) -> OrderQuote:
    """Everything the order would do, written nowhere."""
    with db.reading() as session:
        p = _plan_order(session, school_number, seats, on, plan_code)
        invoice = _preview(session, p.school, p.currency, "order", p.lines, on)
        return OrderQuote(
            p.school.number,
            p.plan_code,
            p.kind,
            seats,
            p.seats_after,
            p.term_start,
            p.term_end,
            invoice,
            p.notices,
        )


def order_seats(
    db: Database,
    school_number: str,
    seats: int,
    on: date,
    plan_code: str | None = None,
    keys: KeyStore | None = None,
) -> OrderQuote:
    """Add seats, write the draft invoice and issue the new registration code (L6), in one
    transaction."""
    signer = (keys or KeyStore()).load_private()  # before anything is written
    with db.transaction() as session:
        p = _plan_order(session, school_number, seats, on, plan_code)
        sub = p.subscription
        if sub is None:
            sub = Subscription(
                school_id=p.school.id,
                plan_id=plan_row(session, p.plan_code).id,
                status=ACTIVE,
                started_on=on,
                term_start=p.term_start,
                term_end=p.term_end,
            )
            session.add(sub)
            session.flush()
        added = [
            Seat(school_id=p.school.id, position=position, status=ACTIVE, acquired_on=on)
            for position in range(p.first_position, p.first_position + seats)
        ]
        sub.seats.extend(added)
        invoice = create_draft(session, p.school, sub, p.currency, "order", p.lines, on)
        session.flush()
        session.refresh(sub)
        code = issue_for(session, p.school, sub, on, "order", signer)
        audit.record(
            session,
            "order.seats",
            "subscription",
            sub.id,
            school_id=p.school.id,
            before={"seats": p.seats_after - seats},
            after={
                "seats": p.seats_after,
                "kind": p.kind,
                "invoice_id": invoice.id,
                "ordered_on": on,
                # which seats this order added, so that ``order_undo`` can remove exactly them
                "seat_ids": [seat.id for seat in added],
            },
        )
        session.flush()
        session.refresh(invoice)
        return OrderQuote(
            p.school.number,
            p.plan_code,
            p.kind,
            seats,
            p.seats_after,
            p.term_start,
            p.term_end,
            invoice_view(invoice),
            p.notices,
            code.code,
        )
