"""Per-pupil subscriptions (F1-F11): terms and data-processing agreement, the one free trial,
the paid year with its pre-investment, monthly pupil counts, the mid-year upgrade with its
settlement, downgrade or cancellation within the notice period, and reminders.

Every use case is one transaction with an audit entry. The renewal settlement runs in
``services.season.renewals_due``. Rules and readings: ``domain/per_pupil.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.default_catalogue import TRIAL_PLAN
from lehrer_licenses.domain.per_pupil import (
    PARTS,
    TRIAL_VARIANT,
    PreInvestment,
    is_upgrade,
    licence_year,
    pre_investment,
    pre_investment_lines,
    pupil_months,
    reminder_date,
    settlement,
    trial_refusals,
    trial_term,
    variant_of,
)
from lehrer_licenses.domain.periods import Term, cancellation_effective, month_start
from lehrer_licenses.domain.regcode import LicenceKind
from lehrer_licenses.i18n import _, gettext_for
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for, record_code
from lehrer_licenses.services.licences.contract_years import (
    plan_of_kind,
    require_in_year,
    running_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    Cancellation,
    PlanRow,
    PreInvestmentRow,
    PupilCount,
    PupilTrial,
    School,
    Subscription,
)

PRE_INVESTMENT = "pre_investment"
SETTLEMENT = "settlement"


@dataclass
class PupilResult:
    school: str
    plan: str
    variant: str
    action: str  # start | upgrade
    term_start: date
    term_end: date
    pupils: dict[str, int]
    invoice: InvoiceView
    parts: dict[str, str] | None = None  # the settlement's three parts (upgrade)
    notices: list[str] = field(default_factory=list)
    code: str | None = None

    def to_json(self) -> dict:
        return {
            "school": self.school,
            "plan": self.plan,
            "variant": self.variant,
            "action": self.action,
            "term_start": self.term_start.isoformat(),
            "term_end": self.term_end.isoformat(),
            "pupils": self.pupils,
            "settlement": self.parts,
            "notices": self.notices,
            "code": self.code,
            "invoice": self.invoice.to_json(),
        }


def _running(session: Session, school: School) -> tuple[Subscription, Plan]:
    sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
    if sub is None:
        raise InvalidInput(
            _("school {school} has no running per-pupil subscription").format(school=school.number)
        )
    return sub, plan_from_row(sub.plan)


def _trial(session: Session, school: School) -> PupilTrial | None:
    return session.scalar(select(PupilTrial).where(PupilTrial.school_id == school.id))


def _refuse(reasons: list[str], school: School, what: str) -> None:
    if reasons:
        raise InvalidInput(
            _("{what} for school {school} is refused: {reasons}").format(
                what=what, school=school.number, reasons="; ".join(reasons)
            )
        )


# --- terms and DPA (F4) ---------------------------------------------------------------------


def record_agreements(
    db: Database,
    school_number: str,
    *,
    terms_accepted_on: date | None = None,
    dpa_reference: str | None = None,
    dpa_signed_on: date | None = None,
) -> dict:
    """Record that the general terms were accepted and/or the data-processing agreement with the
    school board is on file (reference and date), as F4 asks before a trial."""
    if terms_accepted_on is None and dpa_reference is None and dpa_signed_on is None:
        raise InvalidInput(_("give the date the terms were accepted, or the DPA's reference"))
    if (dpa_reference is None) != (dpa_signed_on is None):
        raise InvalidInput(
            _("a data-processing agreement needs both its reference and the date it was signed")
        )
    if dpa_reference is not None and not dpa_reference.strip():
        raise InvalidInput(_("the reference of the data-processing agreement is empty"))
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        before = {
            "terms_accepted_on": school.terms_accepted_on,
            "dpa_reference": school.dpa_reference,
            "dpa_signed_on": school.dpa_signed_on,
        }
        if terms_accepted_on is not None:
            school.terms_accepted_on = terms_accepted_on
        if dpa_reference is not None:
            school.dpa_reference = dpa_reference.strip()
            school.dpa_signed_on = dpa_signed_on
        after = {
            "terms_accepted_on": school.terms_accepted_on,
            "dpa_reference": school.dpa_reference,
            "dpa_signed_on": school.dpa_signed_on,
        }
        audit.record(
            session, "pupils.agreements", "school", school.id, school_id=school.id,
            before=before, after=after,
        )  # fmt: skip
        return {"school": school.number, **{k: _iso(v) for k, v in after.items()}}


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


# --- the trial (F2, F4) ---------------------------------------------------------------------


def start_trial(
    db: Database,
    school_number: str,
    on: date,
    until: date | None = None,
    keys: KeyStore | None = None,
) -> dict:
    """The free trial of "1-8 full" from ``on``, at most 6 months (F2); refused a second time,
    and refused without accepted terms and a DPA on file (F4), naming what is missing."""
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        previous = _trial(session, school)
        reasons = trial_refusals(
            terms_accepted_on=school.terms_accepted_on,
            dpa_reference=school.dpa_reference,
            dpa_signed_on=school.dpa_signed_on,
            previous_trial=Term(previous.start_on, previous.end_on) if previous else None,
            on=on,
        )
        _refuse(reasons, school, _("a trial"))
        running = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        if running is not None:
            raise InvalidInput(
                _("school {school} has a paid per-pupil subscription already").format(
                    school=school.number
                )
            )
        term = trial_term(on, until)
        row, _plan = plan_of_kind(session, TRIAL_PLAN, PlanKind.PER_UNIT)
        trial = PupilTrial(
            school_id=school.id,
            plan_id=row.id,
            start_on=term.start,
            end_on=term.end,
            created_at=datetime.now(),
        )
        session.add(trial)
        session.flush()
        code = record_code(
            session,
            school,
            subscription_id=None,
            product=row.product.code,
            kind=LicenceKind.PUPILS,
            variant=TRIAL_VARIANT,
            quantity=0,
            valid_until=term.end,
            on=on,
            reason="trial",
            signer=signer,
        )
        audit.record(
            session,
            "pupils.trial",
            "pupil_trial",
            trial.id,
            school_id=school.id,
            after={"start": term.start, "end": term.end, "plan": TRIAL_PLAN},
        )
        return {
            "school": school.number,
            "plan": TRIAL_PLAN,
            "variant": variant_of(plan_from_row(row)).name,
            "start": term.start.isoformat(),
            "end": term.end.isoformat(),
            "code": code.code,
        }


# --- the paid year (F5) ---------------------------------------------------------------------


def _check_parts(counts: Mapping[str, int]) -> None:
    unknown = sorted(set(counts) - set(PARTS))
    if unknown:
        raise InvalidInput(
            _("unknown part(s) {parts}: the parts are {known}").format(
                parts=", ".join(unknown), known=", ".join(PARTS)
            )
        )


def _plan_start(session: Session, school_number: str, plan_code: str, on: date, counts):
    _check_parts(counts)
    school = school_by_number(session, school_number)
    row, plan = plan_of_kind(session, plan_code, PlanKind.PER_UNIT)
    if running_of_kind(session, school.id, PlanKind.PER_UNIT) is not None:
        raise InvalidInput(
            _(
                "school {school} has a running per-pupil subscription: upgrade it, or change "
                "it at the renewal"
            ).format(school=school.number)
        )
    trial = _trial(session, school)
    reasons = trial_refusals(
        terms_accepted_on=school.terms_accepted_on,
        dpa_reference=school.dpa_reference,
        dpa_signed_on=school.dpa_signed_on,
        previous_trial=None,
        on=on,
    )
    if trial is None:
        reasons.insert(
            0, _("every paid year is preceded by the free trial, and this school had none")
        )
    elif on < trial.start_on:
        reasons.insert(
            0,
            _("the paid year cannot start before the trial ({day})").format(
                day=trial.start_on.isoformat()
            ),
        )
    _refuse(reasons, school, _("a paid year"))
    term = licence_year(on, plan.term_days)
    parts = pre_investment(plan, counts, term)
    lines = pre_investment_lines(parts, term, gettext_for(school.language))
    notices = []
    if trial is not None and trial.ended_on is None and on <= trial.end_on:
        notices.append(
            _("The trial (until {end}) ends when the paid year starts.").format(
                end=trial.end_on.isoformat()
            )
        )
    return school, row, plan, trial, term, parts, lines, notices


def start_paid_year(
    db: Database,
    school_number: str,
    plan_code: str,
    on: date,
    counts: Mapping[str, int],
    *,
    quote: bool = False,
    keys: KeyStore | None = None,
) -> PupilResult:
    """Start the paid year on ``plan_code`` on ``on`` with the pupils counted in the covered
    grades per part: the pre-investment invoice (F5) and a code with the variant and pupils."""
    if quote:
        with db.reading() as session:
            school, row, plan, _t, term, parts, lines, notices = _plan_start(
                session, school_number, plan_code, on, counts
            )
            return PupilResult(
                school.number,
                plan.code,
                variant_of(plan).name,
                "start",
                term.start,
                term.end,
                {p.part: p.pupils for p in parts},
                preview_invoice(session, school, plan.currency, PRE_INVESTMENT, lines, on),
                None,
                notices,
            )
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school, row, plan, trial, term, parts, lines, notices = _plan_start(
            session, school_number, plan_code, on, counts
        )
        if trial is not None and trial.ended_on is None and on <= trial.end_on:
            trial.ended_on = on
        sub = Subscription(
            school_id=school.id,
            plan_id=row.id,
            status=ACTIVE,
            started_on=on,
            term_start=term.start,
            term_end=term.end,
            full_package=False,
        )
        session.add(sub)
        session.flush()
        invoice = create_draft(session, school, sub, plan.currency, PRE_INVESTMENT, lines, on)
        save_pre_investment(session, school, sub, row.id, term, parts, invoice.id)
        session.refresh(sub)
        code = issue_for(session, school, sub, on, "order", signer)
        audit.record(
            session,
            "pupils.start",
            "subscription",
            sub.id,
            school_id=school.id,
            after={
                "plan": plan.code,
                "term_start": term.start,
                "term_end": term.end,
                "pupils": {p.part: p.pupils for p in parts},
                "invoice_id": invoice.id,
            },
        )
        session.flush()
        session.refresh(invoice)
        return PupilResult(
            school.number,
            plan.code,
            variant_of(plan).name,
            "start",
            term.start,
            term.end,
            {p.part: p.pupils for p in parts},
            invoice_view(invoice),
            None,
            notices,
            code.code,
        )


def save_pre_investment(
    session: Session,
    school: School,
    sub: Subscription,
    plan_id: int,
    term: Term,
    parts: list[PreInvestment],
    invoice_id: int | None,
) -> None:
    for p in parts:
        session.add(
            PreInvestmentRow(
                school_id=school.id,
                subscription_id=sub.id,
                plan_id=plan_id,
                term_start=term.start,
                term_end=term.end,
                part=p.part,
                pupils=p.pupils,
                unit_price=p.unit_price,
                amount=p.amount,
                invoice_id=invoice_id,
                settled=False,
                created_at=datetime.now(),
            )
        )
    session.flush()


def current_pre_investment(session: Session, sub: Subscription) -> list[PreInvestment]:
    rows = session.scalars(
        select(PreInvestmentRow)
        .where(
            PreInvestmentRow.subscription_id == sub.id,
            PreInvestmentRow.term_start == sub.term_start,
        )
        .order_by(PreInvestmentRow.id)
    )
    return [PreInvestment(r.part, r.pupils, r.unit_price, r.amount) for r in rows]


def mark_settled(session: Session, sub: Subscription, term_start: date) -> None:
    for row in session.scalars(
        select(PreInvestmentRow).where(
            PreInvestmentRow.subscription_id == sub.id, PreInvestmentRow.term_start == term_start
        )
    ):
        row.settled = True


def monthly_counts(session: Session, school_id: int) -> list[tuple[date, str, int]]:
    return [
        (month, part, count)
        for month, part, count in session.execute(
            select(PupilCount.month, PupilCount.part, PupilCount.count).where(
                PupilCount.school_id == school_id
            )
        )
    ]


# --- monthly counts (F5) --------------------------------------------------------------------


def record_pupil_counts(
    db: Database, school_number: str, month: date, counts: Mapping[str, int]
) -> dict:
    """Record the pupils with data processed in the last 9 months, per part, for ``month``."""
    month = month_start(month)
    if not counts:
        raise InvalidInput(_("give at least one count, e.g. 3-8=210"))
    _check_parts(counts)
    for part, count in counts.items():
        if count < 0:
            raise InvalidInput(
                _("a pupil count cannot be negative: {part}={n}").format(part=part, n=count)
            )
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        first = session.scalar(
            select(Subscription.started_on)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .where(Subscription.school_id == school.id, PlanRow.kind == PlanKind.PER_UNIT.value)
            .order_by(Subscription.started_on)
            .limit(1)
        )
        if first is None:
            raise InvalidInput(
                _("school {school} has no per-pupil subscription to count pupils for").format(
                    school=school.number
                )
            )
        if month < month_start(first):
            raise InvalidInput(
                _("{month} is before the subscription started on {day}").format(
                    month=month.strftime("%Y-%m"), day=first.isoformat()
                )
            )
        notices = []
        sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        if sub is not None:
            parts = variant_of(plan_from_row(sub.plan)).parts
            others = sorted(set(counts) - set(parts))
            if others:
                notices.append(
                    _("The running plan has the part(s) {parts}, not {others}.").format(
                        parts=", ".join(parts), others=", ".join(others)
                    )
                )
        before = {}
        for part, count in sorted(counts.items()):
            row = session.scalar(
                select(PupilCount).where(
                    PupilCount.school_id == school.id,
                    PupilCount.month == month,
                    PupilCount.part == part,
                )
            )
            if row is None:
                session.add(
                    PupilCount(
                        school_id=school.id,
                        month=month,
                        part=part,
                        count=count,
                        created_at=datetime.now(),
                    )
                )
            else:
                before[part] = row.count
                row.count = count
        session.flush()
        audit.record(
            session,
            "pupils.count",
            "pupil_count",
            None,
            school_id=school.id,
            before=before,
            after={"month": month, **counts},
        )
        return {
            "school": school.number,
            "month": month.strftime("%Y-%m"),
            "counts": dict(sorted(counts.items())),
            "notices": notices,
        }


# --- upgrade (F10) --------------------------------------------------------------------------


def _plan_upgrade(session: Session, school_number: str, plan_code: str, on: date, counts):
    _check_parts(counts)
    school = school_by_number(session, school_number)
    sub, old_plan = _running(session, school)
    row, new_plan = plan_of_kind(session, plan_code, PlanKind.PER_UNIT)
    old_variant, new_variant = variant_of(old_plan), variant_of(new_plan)
    if not is_upgrade(old_variant, new_variant):
        raise InvalidInput(
            _(
                "{old} to {new} is no upgrade; a downgrade or another change waits for the "
                "renewal and needs notice (F11)"
            ).format(old=old_variant.name, new=new_variant.name)
        )
    old_term = term_of(sub)
    require_in_year(old_term, on, _("an upgrade"))
    if on == old_term.start:
        raise InvalidInput(
            _("the licence year starts on {day}: change the plan of its first invoice instead")
            .format(day=on.isoformat())
        )  # fmt: skip
    new_term = licence_year(on, new_plan.term_days)
    used = pupil_months(monthly_counts(session, school.id), old_term, on)
    result, parts = settlement(
        old_plan=old_plan,
        old_term=old_term,
        old_pre_investment=current_pre_investment(session, sub),
        old_pupil_months=used,
        used_until=on,
        new_plan=new_plan,
        new_term=new_term,
        new_counts=counts,
        tr=gettext_for(school.language),
    )
    return school, sub, row, new_plan, old_term, new_term, result, parts


def upgrade_pupils(
    db: Database,
    school_number: str,
    plan_code: str,
    on: date,
    counts: Mapping[str, int],
    *,
    quote: bool = False,
    keys: KeyStore | None = None,
) -> PupilResult:
    """Upgrade during the year (F10): the subscription year restarts on ``on``, and one invoice
    settles the old year so far (its pre-investment credited, its use charged) against the
    pre-investment of the new one."""
    if quote:
        with db.reading() as session:
            school, _sub, _row, plan, _old, term, result, parts = _plan_upgrade(
                session, school_number, plan_code, on, counts
            )
            return PupilResult(
                school.number,
                plan.code,
                variant_of(plan).name,
                "upgrade",
                term.start,
                term.end,
                {p.part: p.pupils for p in parts},
                preview_invoice(session, school, plan.currency, SETTLEMENT, result.lines, on),
                result.parts_json(),
            )
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school, sub, row, plan, old_term, term, result, parts = _plan_upgrade(
            session, school_number, plan_code, on, counts
        )
        before = {"plan": sub.plan.code, "term_start": sub.term_start, "term_end": sub.term_end}
        invoice = create_draft(
            session,
            school,
            sub,
            plan.currency,
            SETTLEMENT,
            result.lines,
            on,
            f"pupil-upgrade:{sub.id}:{on.isoformat()}",
        )
        mark_settled(session, sub, old_term.start)
        sub.plan_id, sub.term_start, sub.term_end = row.id, term.start, term.end
        sub.renew_plan_code = None
        save_pre_investment(session, school, sub, row.id, term, parts, invoice.id)
        session.refresh(sub)
        code = issue_for(session, school, sub, on, "upgrade", signer)
        audit.record(
            session,
            "pupils.upgrade",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={
                "plan": plan.code,
                "term_start": term.start,
                "term_end": term.end,
                "invoice_id": invoice.id,
                **{f"settlement_{k}": v for k, v in result.parts_json().items()},
            },
        )
        session.flush()
        session.refresh(invoice)
        return PupilResult(
            school.number,
            plan.code,
            variant_of(plan).name,
            "upgrade",
            term.start,
            term.end,
            {p.part: p.pupils for p in parts},
            invoice_view(invoice),
            result.parts_json(),
            [],
            code.code,
        )


# --- downgrade and cancellation (F11), reminders (F9) ---------------------------------------


def plan_notice(session: Session, school: School, received: date):
    """The running subscription and when a downgrade or cancellation received on ``received``
    takes effect (F11), with the refusals of both; writes nothing."""
    sub, plan = _running(session, school)
    term = term_of(sub)
    require_in_year(term, received, _("a notice received"))
    if sub.ends_on is not None:
        raise InvalidInput(
            _("the subscription of school {school} is already cancelled, ending on {day}").format(
                school=school.number, day=sub.ends_on.isoformat()
            )
        )
    outcome = cancellation_effective(plan.term, term, received, plan.notice_months, plan.term_days)
    return sub, plan, term, outcome


def change_at_renewal(db: Database, school_number: str, plan_code: str, received: date) -> dict:
    """Downgrade (or switch) to ``plan_code`` from a renewal on (F11): received within the notice
    period it applies at the coming renewal; later, at the one after it."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        _row, new_plan = plan_of_kind(session, plan_code, PlanKind.PER_UNIT)
        sub, plan, term, outcome = plan_notice(session, school, received)
        if new_plan.code == plan.code:
            raise InvalidInput(
                _("school {school} is on plan {plan} already").format(
                    school=school.number, plan=plan.code
                )
            )
        if is_upgrade(variant_of(plan), variant_of(new_plan)):
            raise InvalidInput(
                _("{old} to {new} is an upgrade: it can be done now (F10)").format(
                    old=variant_of(plan).name, new=variant_of(new_plan).name
                )
            )
        from_day = outcome.effective + (term.renewal_date - term.end)
        before = {"renew_plan_code": sub.renew_plan_code}
        sub.renew_plan_code = new_plan.code
        if not outcome.in_time:
            # Too late for the coming renewal: it renews as it is, the change comes a year later.
            sub.renew_plan_code = f"{new_plan.code}@{from_day.isoformat()}"
        audit.record(
            session,
            "pupils.change_at_renewal",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={"plan": new_plan.code, "from": from_day, "in_time": outcome.in_time},
        )
        return {
            "school": school.number,
            "plan": plan.code,
            "new_plan": new_plan.code,
            "received": received.isoformat(),
            "deadline": outcome.deadline.isoformat(),
            "in_time": outcome.in_time,
            "from": from_day.isoformat(),
        }


def cancel_pupils(db: Database, school_number: str, received: date) -> dict:
    """Cancel within the notice period (F11): in time, the subscription ends with its year and
    nothing is settled (F7); later, it ends a year later."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, _plan, _term, outcome = plan_notice(session, school, received)
        sub.ends_on = outcome.effective
        record = Cancellation(
            school_id=school.id,
            subscription_id=sub.id,
            received_on=received,
            seats=None,
            deadline=outcome.deadline,
            in_time=outcome.in_time,
            effective_on=outcome.effective,
            status="pending",
        )
        session.add(record)
        session.flush()
        audit.record(
            session,
            "pupils.cancel",
            "cancellation",
            record.id,
            school_id=school.id,
            after={
                "received": received,
                "deadline": outcome.deadline,
                "in_time": outcome.in_time,
                "effective": outcome.effective,
            },
        )
        return {
            "school": school.number,
            "received": received.isoformat(),
            "deadline": outcome.deadline.isoformat(),
            "in_time": outcome.in_time,
            "effective": outcome.effective.isoformat(),
        }


def renewal_plan_code(sub: Subscription, renewal: date) -> str | None:
    """The plan a downgrade asks for at ``renewal`` (None: renew on the same plan)."""
    if not sub.renew_plan_code:
        return None
    code, _sep, from_day = sub.renew_plan_code.partition("@")
    if from_day and date.fromisoformat(from_day) > renewal:
        return None
    return code


def reminders_due(db: Database, on: date) -> list[dict]:
    """Per-pupil subscriptions whose notice reminder is due on ``on`` (F9): from 2 months before
    the renewal until it, not cancelled."""
    with db.reading() as session:
        rows = session.execute(
            select(Subscription, School)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .join(School, School.id == Subscription.school_id)
            .where(
                Subscription.status == ACTIVE,
                PlanRow.kind == PlanKind.PER_UNIT.value,
                Subscription.term_end >= on,
                Subscription.ends_on.is_(None),
            )
            .order_by(Subscription.term_end, School.number)
        ).all()
        due = []
        for sub, school in rows:
            term = term_of(sub)
            plan = plan_from_row(sub.plan)
            if reminder_date(term.renewal_date) <= on:
                outcome = cancellation_effective(
                    plan.term, term, on, plan.notice_months, plan.term_days
                )
                due.append(
                    {
                        "school": school.number,
                        "school_name": school.name,
                        "plan": plan.code,
                        "renewal": term.renewal_date.isoformat(),
                        "reminder": reminder_date(term.renewal_date).isoformat(),
                        "notice_deadline": outcome.deadline.isoformat(),
                    }
                )
        return due


def pupil_status(db: Database, school_number: str) -> dict:
    """Agreements, trial, the running subscription with its pre-investment and pending change."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        trial = _trial(session, school)
        sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        doc = {
            "school": school.number,
            "terms_accepted_on": _iso(school.terms_accepted_on),
            "dpa_reference": school.dpa_reference,
            "dpa_signed_on": _iso(school.dpa_signed_on),
            "trial": (
                {
                    "start": trial.start_on.isoformat(),
                    "end": trial.end_on.isoformat(),
                    "ended_on": _iso(trial.ended_on),
                }
                if trial
                else None
            ),
            "subscription": None,
        }
        if sub is not None:
            plan = plan_from_row(sub.plan)
            term = term_of(sub)
            outcome = cancellation_effective(
                plan.term, term, term.start, plan.notice_months, plan.term_days
            )
            doc["subscription"] = {
                "plan": plan.code,
                "variant": variant_of(plan).name,
                "term_start": term.start.isoformat(),
                "term_end": term.end.isoformat(),
                "notice_deadline": outcome.deadline.isoformat(),
                "reminder": reminder_date(term.renewal_date).isoformat(),
                "ends_on": _iso(sub.ends_on),
                "renew_plan": sub.renew_plan_code,
                "pre_investment": [
                    {"part": p.part, "pupils": p.pupils, "amount": f"{p.amount:.2f}"}
                    for p in current_pre_investment(session, sub)
                ],
            }
        return doc
