"""The paid year (F5): started after the trial with its pre-investment per part, and the
pre-investment rows a settlement credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import (
    PreInvestment,
    licence_year,
    pre_investment,
    pre_investment_lines,
    trial_refusals,
    variant_of,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.billing.drafts import (
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.contract_years import (
    plan_of_kind,
    running_of_kind,
)
from lehrer_licenses.services.licences.pupils.contract import (
    PRE_INVESTMENT,
    PupilResult,
    check_parts,
    pupil_trial,
    refuse,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    PreInvestmentRow,
    School,
    Subscription,
)

# --- the paid year (F5) ---------------------------------------------------------------------


def _plan_start(session: Session, school_number: str, plan_code: str, on: date, counts):
    check_parts(counts)
    school = school_by_number(session, school_number)
    row, plan = plan_of_kind(session, plan_code, PlanKind.PER_UNIT)
    if running_of_kind(session, school.id, PlanKind.PER_UNIT) is not None:
        raise InvalidInput(
            _(
                "School {school} has a running per-pupil subscription: upgrade it, or change "
                "it at the renewal"
            ).format(school=school.number)
        )
    trial = pupil_trial(session, school)
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
                day=format_date(trial.start_on)
            ),
        )
    refuse(reasons, school, _("a paid year"))
    term = licence_year(on, plan.term_days)
    parts = pre_investment(plan, counts, term)
    lines = pre_investment_lines(parts, term, gettext_for(school.language))
    notices = []
    if trial is not None and trial.ended_on is None and on <= trial.end_on:
        notices.append(
            _("The trial (until {end}) ends when the paid year starts.").format(
                end=format_date(trial.end_on)
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
