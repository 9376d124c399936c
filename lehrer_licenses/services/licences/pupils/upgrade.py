"""The upgrade during the year (F10): the year restarts, and one invoice settles the old
year so far against the pre-investment of the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import (
    is_upgrade,
    licence_year,
    pupil_months,
    settlement,
    variant_of,
)
from lehrer_licenses.domain.periods import month_start
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
    require_in_year,
    term_of,
    year_before_renewal,
)
from lehrer_licenses.services.licences.pupils.contract import (
    SETTLEMENT,
    PupilResult,
    check_parts,
    running_pupils,
)
from lehrer_licenses.services.licences.pupils.counts import monthly_counts
from lehrer_licenses.services.licences.pupils.paid_year import (
    current_pre_investment,
    mark_settled,
    save_pre_investment,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore

# --- upgrade (F10) --------------------------------------------------------------------------


def _plan_upgrade(session: Session, school_number: str, plan_code: str, on: date, counts):
    check_parts(counts)
    school = school_by_number(session, school_number)
    sub, old_plan = running_pupils(session, school)
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
    if year_before_renewal(sub, old_plan.term_days, on) is not None:
        # The run settled the year the upgrade would restart (F6/F7 against F10): one
        # invoice cannot undo that settlement, so the clerk dates the upgrade after it.
        raise InvalidInput(
            _(
                "The renewal on {renewal} was run ahead and has settled the year before it: an "
                "upgrade dated {day} would restart a year already settled; date it {renewal} or "
                "later"
            ).format(renewal=format_date(sub.term_start), day=format_date(on))
        )
    require_in_year(old_term, on, _("an upgrade"))
    if on == old_term.start:
        raise InvalidInput(
            _("The licence year starts on {day}: change the plan of its first invoice instead")
            .format(day=format_date(on))
        )  # fmt: skip
    new_term = licence_year(on, new_plan.term_days)
    # The upgrade's own month is the new year's first (``use_months``): its count comes later.
    used = pupil_months(
        monthly_counts(session, school.id), old_term, month_start(on) - timedelta(days=1)
    )
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
                result,
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
            result,
            [],
            code.code,
        )
