"""The per-pupil subscription as the school sees it: agreements, trial, the running
subscription with its pre-investment and pending change.
"""

from __future__ import annotations

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import (
    reminder_date,
    variant_of,
)
from lehrer_licenses.domain.periods import cancellation_effective
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.licences.contract_years import (
    running_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.pupils.common import iso_day, pupil_trial
from lehrer_licenses.services.licences.pupils.paid_year import current_pre_investment
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database


def pupil_status(db: Database, school_number: str) -> dict:
    """Agreements, trial, the running subscription with its pre-investment and pending change."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        trial = pupil_trial(session, school)
        sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        doc = {
            "school": school.number,
            "terms_accepted_on": iso_day(school.terms_accepted_on),
            "dpa_reference": school.dpa_reference,
            "dpa_signed_on": iso_day(school.dpa_signed_on),
            "trial": (
                {
                    "start": trial.start_on.isoformat(),
                    "end": trial.end_on.isoformat(),
                    "ended_on": iso_day(trial.ended_on),
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
                "ends_on": iso_day(sub.ends_on),
                "renew_plan": sub.renew_plan_code,
                "pre_investment": [
                    {"part": p.part, "pupils": p.pupils, "amount": f"{p.amount:.2f}"}
                    for p in current_pre_investment(session, sub)
                ],
            }
        return doc
