"""The per-pupil subscription as the school sees it: agreements, trial, the running
subscription with its pre-investment and pending change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import PreInvestment, reminder_date, variant_of
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.licences.contract_years import running_of_kind, term_of
from lehrer_licenses.services.licences.pupils.contract import pupil_trial
from lehrer_licenses.services.licences.pupils.paid_year import current_pre_investment
from lehrer_licenses.services.licences.pupils.renewal import PUPILS
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database


@dataclass(frozen=True)
class TrialState:
    start: date
    end: date
    ended_on: date | None


@dataclass(frozen=True)
class SubscriptionState:
    plan: str
    variant: str
    term_start: date
    term_end: date
    notice_deadline: date
    reminder: date
    ends_on: date | None
    renew_plan: str | None  # the downgrade asked for, ``CODE`` or ``CODE@FROM-DAY``
    pre_investment: list[PreInvestment]


@dataclass(frozen=True)
class PupilStatus:
    school: str
    terms_accepted_on: date | None
    dpa_reference: str | None
    dpa_signed_on: date | None
    trial: TrialState | None
    subscription: SubscriptionState | None


def pupil_status(db: Database, school_number: str) -> PupilStatus:
    """Agreements, trial, the running subscription with its pre-investment and pending change."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        trial = pupil_trial(session, school)
        sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        state = None
        if sub is not None:
            plan = plan_from_row(sub.plan)
            term = term_of(sub)
            state = SubscriptionState(
                plan.code,
                variant_of(plan).name,
                term.start,
                term.end,
                PUPILS.notice_deadline(sub),
                reminder_date(term.renewal_date),
                sub.ends_on,
                sub.renew_plan_code,
                current_pre_investment(session, sub),
            )
        return PupilStatus(
            school.number,
            school.terms_accepted_on,
            school.dpa_reference,
            school.dpa_signed_on,
            TrialState(trial.start_on, trial.end_on, trial.ended_on) if trial else None,
            state,
        )
