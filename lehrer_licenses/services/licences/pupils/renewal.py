"""Per-pupil subscriptions as a licence model: notice and cancellation (F11) and their renewal
steps. A subscription renews with one settlement invoice (credit, use, next pre-investment) on
the plan a downgrade asked for, if any; cancelled in time it ends without a settlement (F7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.per_pupil import (
    PART_12,
    PART_18,
    PART_38,
    PreInvestment,
    licence_year,
    pupil_months,
    settlement,
    variant_of,
)
from lehrer_licenses.domain.periods import Term, month_start
from lehrer_licenses.i18n import _, gettext_for
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.pupils.contract import SETTLEMENT
from lehrer_licenses.services.licences.pupils.counts import monthly_counts
from lehrer_licenses.services.licences.pupils.paid_year import (
    current_pre_investment,
    mark_settled,
    save_pre_investment,
)
from lehrer_licenses.services.licences.renewal_steps import (
    LAPSE,
    RENEW,
    RenewalContext,
    RenewalStep,
    RenewingModel,
)
from lehrer_licenses.store.models import Subscription


def renewal_plan_code(sub: Subscription, renewal: date) -> str | None:
    """The plan a downgrade asks for at ``renewal`` (None: renew on the same plan)."""
    if not sub.renew_plan_code:
        return None
    code, _sep, from_day = sub.renew_plan_code.partition("@")
    if from_day and date.fromisoformat(from_day) > renewal:
        return None
    return code


def next_counts(
    counts: list[tuple[date, str, int]],
    parts: tuple[str, ...],
    renewal: date,
    previous: list[PreInvestment],
) -> tuple[dict[str, int], list[str]]:
    """The pupils of the next pre-investment: the count of the renewal's month, else the latest
    before it, else the previous pre-investment; grades 1-8 are grades 1-2 plus 3-8."""
    limit = month_start(renewal)
    latest: dict[str, tuple[date, int]] = {}
    for month, part, count in counts:
        if month <= limit and (part not in latest or month > latest[part][0]):
            latest[part] = (month, count)
    before = {p.part: p.pupils for p in previous}
    result, notices = {}, []
    for part in parts:
        if part in latest:
            month, count = latest[part]
            result[part] = count
            if month < limit:
                notices.append(
                    _(
                        "No count for {month} yet: the pre-investment for {part} uses the count "
                        "of {used}."
                    ).format(month=limit.strftime("%Y-%m"), part=part, used=month.strftime("%Y-%m"))
                )
        elif part == PART_18 and PART_12 in latest and PART_38 in latest:
            result[part] = latest[PART_12][1] + latest[PART_38][1]
        elif part in before:
            result[part] = before[part]
            notices.append(
                _("No count for {part}: the pre-investment keeps the {n} pupils of the last one.")
                .format(part=part, n=before[part])
            )  # fmt: skip
        else:
            result[part] = 0
            notices.append(
                _("No count for {part}: record one and correct the draft.").format(part=part)
            )
    return result, notices


@dataclass
class _SubscriptionYear:
    ctx: RenewalContext
    tr: object
    counts: list[tuple[date, str, int]]
    plan: Plan
    previous: list[PreInvestment]


class PupilSubscriptions(RenewingModel):
    """Per-pupil subscriptions: the subscription year from their own start, the plan's notice
    period (F11)."""

    name = "per_pupil"
    cancel_action = "pupils.cancel"
    invoice_reason = SETTLEMENT

    def plan(self, contract: Subscription) -> Plan:
        return plan_from_row(contract.plan)

    def renewal_steps(
        self, session: Session, sub: Subscription, until: date, ctx: RenewalContext
    ) -> list[RenewalStep]:
        state = _SubscriptionYear(
            ctx,
            gettext_for(sub.school.language),
            monthly_counts(session, sub.school_id),
            ctx.plans[sub.plan_id],
            current_pre_investment(session, sub),
        )
        return self.walk(sub, until, state)

    def lapse_step(self, contract: Subscription, renewal: date, state: _SubscriptionYear):
        notice = _("Cancelled in time: no settlement (F7).")
        return RenewalStep(self.name, contract.id, renewal, LAPSE, notices=[notice])

    def renew_step(
        self, contract: Subscription, term: Term, renewal: date, state: _SubscriptionYear
    ) -> RenewalStep:
        code = renewal_plan_code(contract, renewal)
        new_plan = state.ctx.plan(code) if code else state.plan
        new_term = licence_year(renewal, new_plan.term_days)
        counts, notices = next_counts(
            state.counts, variant_of(new_plan).parts, renewal, state.previous
        )
        result, parts = settlement(
            old_plan=state.plan,
            old_term=term,
            old_pre_investment=state.previous,
            old_pupil_months=pupil_months(state.counts, term),
            used_until=term.end,
            new_plan=new_plan,
            new_term=new_term,
            new_counts=counts,
            tr=state.tr,
        )
        state.plan, state.previous = new_plan, parts
        return RenewalStep(
            self.name,
            contract.id,
            renewal,
            RENEW,
            new_term,
            sum(p.pupils for p in parts),
            result.lines,
            f"pupil-renewal:{contract.id}:{renewal.isoformat()}",
            notices,
            result,
            parts,
            new_plan.code,
        )

    def audit_after(self, step: RenewalStep, invoice_id: int | None) -> dict:
        return {
            "renewal": step.renewal,
            "term_end": step.term.end if step.term else None,
            "pupils": step.quantity,
            "settlement": step.settlement.parts_json() if step.settlement else None,
            "invoice_id": invoice_id,
        }

    def renew(self, session, contract: Subscription, step, invoice, ctx) -> str:
        assert step.term is not None and step.plan_code is not None and ctx.signer is not None
        mark_settled(session, contract, contract.term_start)
        contract.plan_id = ctx.plan_ids[step.plan_code]
        contract.term_start, contract.term_end = step.term.start, step.term.end
        if renewal_plan_code(contract, step.renewal) == step.plan_code:
            contract.renew_plan_code = None
        save_pre_investment(
            session, contract.school, contract, contract.plan_id, step.term, step.next_parts,
            invoice.id,
        )  # fmt: skip
        session.refresh(contract)
        code = issue_for(session, contract.school, contract, step.renewal, "renewal", ctx.signer)
        return code.code


PUPILS = PupilSubscriptions()
