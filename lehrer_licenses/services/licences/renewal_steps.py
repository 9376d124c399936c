"""The renewal of contracts with a licence year of their own (user packages, their subject
add-ons, per-pupil subscriptions), once for the three models.

A model plans the steps of one contract up to a day (each renewal date in turn: lapse when
cancelled in time, otherwise renew with the lines of the new year) and applies one step: a lapse
ends the contract and applies its pending cancellations; a renewal writes the draft invoice under
the step's billing key, moves the contract to its new year (and issues its code where it has
one), with one audit entry either way. What differs per model is what a new year costs and what
it changes; ``season.renewals_due`` runs the steps contract by contract.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.per_pupil import PreInvestment, Settlement
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.domain.vat import VatRate
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.billing.drafts import InvoiceView, create_draft, preview_invoice
from lehrer_licenses.services.billing.vat_regimes import Regimes, load_regimes
from lehrer_licenses.services.catalogue import load_catalogue, load_vat_rates
from lehrer_licenses.services.licences.cancellation import LicenceModel, apply_pending
from lehrer_licenses.services.licences.seats.contracts import LAPSED
from lehrer_licenses.store import audit
from lehrer_licenses.store.models import Invoice, PlanRow, School, Subscription

RENEW = "renew"
LAPSE = "lapse"


@dataclass
class RenewalStep:
    """One renewal date of one contract: what the run writes for it (or would, in a dry run)."""

    contract: str  # package | addon | per_pupil
    id: int
    renewal: date
    action: str  # renew | lapse
    term: Term | None = None
    quantity: int | None = None  # package capacity, or the pupils of the new pre-investment
    lines: list[Line] = field(default_factory=list)
    billing_key: str | None = None
    notices: list[str] = field(default_factory=list)
    settlement: Settlement | None = None
    next_parts: list[PreInvestment] = field(default_factory=list)
    plan_code: str | None = None  # the plan of the new year
    quantity_before: int | None = None  # the package capacity of the year before


@dataclass
class RenewalContext:
    """What a run loads once: the catalogue, the VAT rates and the signing key (None: dry run)."""

    plans: dict[int, Plan]
    plan_ids: dict[str, int]
    vat_rates: list[VatRate]
    signer: Ed25519PrivateKey | None
    regimes: Regimes | None = None

    @classmethod
    def load(cls, session: Session, signer: Ed25519PrivateKey | None) -> RenewalContext:
        catalogue = load_catalogue(session)
        ids = {code: id_ for code, id_ in session.execute(select(PlanRow.code, PlanRow.id))}
        return cls(
            {ids[p.code]: p for p in catalogue.plans},
            ids,
            load_vat_rates(session),
            signer,
            load_regimes(session),
        )

    def plan(self, code: str) -> Plan:
        return self.plans[self.plan_ids[code]]


@dataclass
class Renewed:
    """What applying a step wrote: the renewal invoice and the new registration code, if any."""

    invoice: Invoice | None = None
    code: str | None = None


def postponed_notices(price, renewal: date) -> list[str]:
    """The increases announced too late to apply at ``renewal`` (M11), in words."""
    return [
        _(
            "The increase to {amount} from {valid_from} was announced on {announced}, less than "
            "6 months before the renewal on {renewal}: it applies from a later renewal (M11)."
        ).format(
            amount=money_text(p.amount),
            valid_from=format_date(p.valid_from),
            announced=format_date(p.announced_on) if p.announced_on else "-",
            renewal=format_date(renewal),
        )
        for p in price.postponed
    ]


class RenewingModel(LicenceModel):
    """A licence model whose contracts renew on their own renewal dates."""

    #: the invoice reason of a renewal
    invoice_reason: ClassVar[str]
    #: the audit entity of a renewal step
    entity: ClassVar[str] = "subscription"

    # --- planning ---------------------------------------------------------------------------

    @abstractmethod
    def renew_step(self, contract: Any, term: Term, renewal: date, state: Any) -> RenewalStep:
        """The step at ``renewal`` of a contract not cancelled for it (``term`` ends the day
        before); may lapse when the model says the contract cannot go on."""

    def lapse_step(self, contract: Any, renewal: date, state: Any) -> RenewalStep:
        """The step at ``renewal`` of a contract cancelled in time for it."""
        return RenewalStep(self.name, contract.id, renewal, LAPSE)

    def walk(self, contract: Any, until: date, state: Any) -> list[RenewalStep]:
        """Every renewal date of ``contract`` up to ``until``, in turn, until it lapses."""
        steps: list[RenewalStep] = []
        term = self.term(contract)
        while term.renewal_date <= until:
            renewal = term.renewal_date
            if contract.ends_on is not None and contract.ends_on <= term.end:
                steps.append(self.lapse_step(contract, renewal, state))
                break
            step = self.renew_step(contract, term, renewal, state)
            steps.append(step)
            if step.action == LAPSE or step.term is None:
                break
            term = step.term
        return steps

    # --- applying ---------------------------------------------------------------------------

    def subscription(self, contract: Any) -> Subscription:
        """The subscription a renewal invoice is written on."""
        return contract

    def school(self, contract: Any) -> School:
        return self.subscription(contract).school

    def lapse(self, session: Session, contract: Any, step: RenewalStep) -> None:
        contract.status, contract.lapsed_on = LAPSED, step.renewal
        apply_pending(session, contract.id, step.renewal)

    @abstractmethod
    def renew(
        self,
        session: Session,
        contract: Any,
        step: RenewalStep,
        invoice: Invoice,
        ctx: RenewalContext,
    ) -> str | None:
        """Move the contract to the new year of ``step`` (its renewal invoice is ``invoice``);
        returns the new registration code, if the contract has one of its own."""

    def audit_after(self, step: RenewalStep, invoice_id: int | None) -> dict:
        return {
            "renewal": step.renewal,
            "term_end": step.term.end if step.term else None,
            "quantity": step.quantity,
            "quantity_before": step.quantity_before,
            "invoice_id": invoice_id,
        }

    def apply(
        self, session: Session, contract: Any, step: RenewalStep, ctx: RenewalContext
    ) -> Renewed:
        """Write ``step``: the lapse, or the renewal invoice and the new year; one audit entry."""
        renewed = Renewed()
        if step.action == LAPSE:
            self.lapse(session, contract, step)
        else:
            assert step.term is not None and step.plan_code is not None
            invoice = create_draft(
                session, self.school(contract), self.subscription(contract),
                ctx.plan(step.plan_code).currency, self.invoice_reason, step.lines,
                step.renewal, step.billing_key, ctx.vat_rates, ctx.regimes,
            )  # fmt: skip
            renewed.code = self.renew(session, contract, step, invoice, ctx)
            session.refresh(invoice)
            renewed.invoice = invoice
        audit.record(
            session,
            f"renewal.{self.name}.{step.action}",
            self.entity,
            contract.id,
            school_id=self.school(contract).id,
            after=self.audit_after(step, renewed.invoice.id if renewed.invoice else None),
        )
        return renewed

    def preview(
        self, session: Session, contract: Any, step: RenewalStep, ctx: RenewalContext
    ) -> InvoiceView | None:
        """The renewal invoice ``apply`` would write, written nowhere (None for a lapse)."""
        if step.action != RENEW or step.plan_code is None:
            return None
        return preview_invoice(
            session, self.school(contract), ctx.plan(step.plan_code).currency,
            self.invoice_reason, step.lines, step.renewal, ctx.vat_rates, ctx.regimes,
        )  # fmt: skip
