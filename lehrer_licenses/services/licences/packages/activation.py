"""Activating a user package (M1): the licence year of 365 days, its draft invoice and the
registration code carrying the capacity; the quote shows exactly what it would write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.default_catalogue import PACKAGE_PLAN
from lehrer_licenses.domain.packages import (
    activation_lines,
    licence_year,
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
from lehrer_licenses.services.licences.packages.contract import PackageResult
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    School,
    Subscription,
)

# --- activation (M1) ------------------------------------------------------------------------


@dataclass
class _Activation:
    school: School
    plan_code: str
    plan: Plan
    capacity: int
    term: Term
    lines: list
    notices: list[str]


def _plan_activation(
    session: Session, school_number: str, capacity: int, on: date, plan_code: str | None
) -> _Activation:
    school = school_by_number(session, school_number)
    code = plan_code or PACKAGE_PLAN
    _row, plan = plan_of_kind(session, code, PlanKind.PACKAGE)
    running = running_of_kind(session, school.id, PlanKind.PACKAGE)
    if running is not None:
        raise InvalidInput(
            _(
                "School {school} has a running package of {n} users until {end}: upgrade it, "
                "or change its size at the renewal"
            ).format(school=school.number, n=running.capacity, end=format_date(running.term_end))
        )
    tr = gettext_for(school.language)
    lines = activation_lines(plan, capacity, on, tr)
    notices = []
    if plan.option("sample_prices") == "true":
        notices.append(_("The prices of plan {plan} are samples.").format(plan=code))
    return _Activation(
        school, code, plan, capacity, licence_year(on, plan.term_days), lines, notices
    )


def quote_package(
    db: Database, school_number: str, capacity: int, on: date, plan_code: str | None = None
) -> PackageResult:
    """What ``order_package`` would write, written nowhere."""
    with db.reading() as session:
        a = _plan_activation(session, school_number, capacity, on, plan_code)
        invoice = preview_invoice(session, a.school, a.plan.currency, "order", a.lines, on)
        return PackageResult(
            a.school.number,
            a.plan_code,
            "activation",
            capacity,
            a.term.start,
            a.term.end,
            invoice,
            a.notices,
        )


def order_package(
    db: Database,
    school_number: str,
    capacity: int,
    on: date,
    plan_code: str | None = None,
    keys: KeyStore | None = None,
) -> PackageResult:
    """Activate a package of ``capacity`` users on ``on``: the licence year of 365 days starts
    (M1), the draft invoice and the registration code carrying the capacity are written."""
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        a = _plan_activation(session, school_number, capacity, on, plan_code)
        row, _plan = plan_of_kind(session, a.plan_code, PlanKind.PACKAGE)
        sub = Subscription(
            school_id=a.school.id,
            plan_id=row.id,
            status=ACTIVE,
            started_on=on,
            term_start=a.term.start,
            term_end=a.term.end,
            capacity=capacity,
            full_package=False,
        )
        session.add(sub)
        session.flush()
        invoice = create_draft(session, a.school, sub, a.plan.currency, "order", a.lines, on)
        session.refresh(sub)
        code = issue_for(session, a.school, sub, on, "order", signer)
        audit.record(
            session,
            "package.activate",
            "subscription",
            sub.id,
            school_id=a.school.id,
            after={
                "capacity": capacity,
                "term_start": a.term.start,
                "term_end": a.term.end,
                "invoice_id": invoice.id,
            },
        )
        session.flush()
        session.refresh(invoice)
        return PackageResult(
            a.school.number,
            a.plan_code,
            "activation",
            capacity,
            a.term.start,
            a.term.end,
            invoice_view(invoice),
            a.notices,
            code.code,
        )
