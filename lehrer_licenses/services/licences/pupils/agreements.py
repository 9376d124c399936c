"""Terms and data-processing agreement (F4), and the one free trial (F2) they allow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.default_catalogue import TRIAL_PLAN
from lehrer_licenses.domain.per_pupil import (
    TRIAL_VARIANT,
    trial_refusals,
    trial_term,
    variant_of,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.domain.regcode import LicenceKind
from lehrer_licenses.i18n import _
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import record_code
from lehrer_licenses.services.licences.contract_years import (
    plan_of_kind,
    running_of_kind,
)
from lehrer_licenses.services.licences.pupils.contract import pupil_trial, refuse
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    PupilTrial,
)


@dataclass(frozen=True)
class Agreements:
    """The school's accepted terms and data-processing agreement on file (F4)."""

    school: str
    terms_accepted_on: date | None
    dpa_reference: str | None
    dpa_signed_on: date | None


@dataclass(frozen=True)
class TrialStarted:
    school: str
    plan: str
    variant: str
    start: date
    end: date
    code: str


# --- terms and DPA (F4) ---------------------------------------------------------------------


def record_agreements(
    db: Database,
    school_number: str,
    *,
    terms_accepted_on: date | None = None,
    dpa_reference: str | None = None,
    dpa_signed_on: date | None = None,
) -> Agreements:
    """Record that the general terms were accepted and/or the data-processing agreement with the
    school board is on file (reference and date), as F4 asks before a trial."""
    if terms_accepted_on is None and dpa_reference is None and dpa_signed_on is None:
        raise InvalidInput(_("Give the date the terms were accepted, or the DPA's reference"))
    if (dpa_reference is None) != (dpa_signed_on is None):
        raise InvalidInput(
            _("A data-processing agreement needs both its reference and the date it was signed")
        )
    if dpa_reference is not None and not dpa_reference.strip():
        raise InvalidInput(_("The reference of the data-processing agreement is empty"))
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
        return Agreements(school.number, **after)


# --- the trial (F2, F4) ---------------------------------------------------------------------


def start_trial(
    db: Database,
    school_number: str,
    on: date,
    until: date | None = None,
    keys: KeyStore | None = None,
) -> TrialStarted:
    """The free trial of "1-8 full" from ``on``, at most 6 months (F2); refused a second time,
    and refused without accepted terms and a DPA on file (F4), naming what is missing."""
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        previous = pupil_trial(session, school)
        reasons = trial_refusals(
            terms_accepted_on=school.terms_accepted_on,
            dpa_reference=school.dpa_reference,
            dpa_signed_on=school.dpa_signed_on,
            previous_trial=Term(previous.start_on, previous.end_on) if previous else None,
            on=on,
        )
        refuse(reasons, school, _("a trial"))
        running = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        if running is not None:
            raise InvalidInput(
                _("School {school} has a paid per-pupil subscription already").format(
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
        return TrialStarted(
            school.number,
            TRIAL_PLAN,
            variant_of(plan_from_row(row)).name,
            term.start,
            term.end,
            code.code,
        )
