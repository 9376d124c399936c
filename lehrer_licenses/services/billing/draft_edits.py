"""Editing and deleting drafts (an issued invoice never changes). A draft bound to a delivered
licence cannot simply be deleted: the licence would stay delivered but unbilled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lehrer_licenses.domain.invoice import compute_totals
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import line_columns, total_columns
from lehrer_licenses.services.billing.lookups import InvoiceRecord, find_invoice, invoice_record
from lehrer_licenses.services.billing.states import ZERO, refuse_unless_draft
from lehrer_licenses.services.billing.vat_regimes import priced_regime
from lehrer_licenses.services.catalogue import load_vat_rates
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoiceLine


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal


# Drafts written by a use case that delivered a licence (seats, a term, a package, an add-on,
# pupils): deleting one would leave the licence delivered but unbilled.
LICENCE_REASONS = frozenset(
    {"order", "renewal", "usage", "addon", "pre_investment", "settlement", "upgrade"}
)


def _refuse_licence_bound(invoice: Invoice) -> None:
    if invoice.reason == "order":
        raise InvalidInput(
            _(
                "draft #{id} belongs to an order whose seats were delivered and cannot simply "
                "be deleted: undo the order (`invoice undo-order {id}`)"
            ).format(id=invoice.id)
        )
    if (
        invoice.billing_key
        or invoice.reason in LICENCE_REASONS
        or invoice.subscription_id is not None
        or invoice.addon_id is not None
    ):
        raise InvalidInput(
            _(
                "draft #{id} bills a licence already delivered ({reason}) and cannot be deleted: "
                "change its lines (`invoice edit {id}`) or issue it and write a credit note"
            ).format(id=invoice.id, reason=invoice.reason)
        )


@dataclass(frozen=True)
class DeletedDraft:
    id: int


def delete_draft(db: Database, key: str) -> DeletedDraft:
    """Delete a draft not tied to a delivered licence (an order's draft: ``order_undo``)."""
    with db.transaction() as session:
        invoice = find_invoice(session, key, lock=True)
        refuse_unless_draft(invoice, _("deleted"))
        _refuse_licence_bound(invoice)
        snapshot = {
            "school": invoice.school.number,
            "reason": invoice.reason,
            "date": invoice.invoice_date,
            "payable": invoice.payable,
            "lines": [line.description for line in invoice.lines],
        }
        invoice_id, school_id = invoice.id, invoice.school_id
        session.delete(invoice)
        audit.record(
            session, "invoice.delete", "invoice", invoice_id, school_id=school_id, before=snapshot
        )
        return DeletedDraft(invoice_id)


def edit_draft(
    db: Database,
    key: str,
    *,
    add: Sequence[LineInput] = (),
    remove: Sequence[int] = (),
    on: date | None = None,
) -> InvoiceRecord:
    """Remove lines (by position, 1-based), add lines, change the date; totals are recomputed."""
    with db.transaction() as session:
        invoice = find_invoice(session, key, lock=True)
        refuse_unless_draft(invoice, _("edited"))
        positions = {line.position for line in invoice.lines}
        wrong = sorted(set(remove) - positions)
        if wrong:
            raise InvalidInput(
                _("draft {id} has no line {positions}").format(
                    id=invoice.id, positions=", ".join(str(p) for p in wrong)
                )
            )
        for item in add:
            if not item.description.strip():
                raise InvalidInput(_("a line needs a description"))
            if item.quantity == 0:
                raise InvalidInput(_("a line needs a quantity other than 0"))
        before = {
            "date": invoice.invoice_date,
            "payable": invoice.payable,
            "lines": [line.description for line in invoice.lines],
        }
        kept = [line for line in invoice.lines if line.position not in set(remove)]
        new_lines = [
            Line(
                line.code,
                line.description,
                line.quantity,
                line.unit_price,
                line.amount,
                line.period_start,
                line.period_end,
            )
            for line in kept
        ] + [
            Line(
                "manual",
                item.description.strip(),
                item.quantity,
                item.unit_price,
                round_half_up(item.quantity * item.unit_price),
            )
            for item in add
        ]
        if not new_lines:
            raise InvalidInput(_("a draft needs at least one line; delete the draft instead"))
        day = on or invoice.invoice_date
        # The regime as declared now: a draft is not issued yet, so it follows the settings.
        regime, rate = priced_regime(session, invoice.school, load_vat_rates(session), day)
        invoice.vat_regime = regime.encode()
        totals = compute_totals(new_lines, rate, invoice.currency)
        invoice.lines.clear()
        session.flush()
        for position, line in enumerate(new_lines, start=1):
            invoice.lines.append(InvoiceLine(**line_columns(position, line)))
        invoice.invoice_date = day
        for column, value in total_columns(totals).items():
            setattr(invoice, column, value)
        session.flush()
        audit.record(
            session,
            "invoice.edit",
            "invoice",
            invoice.id,
            school_id=invoice.school_id,
            before=before,
            after={
                "date": day,
                "payable": invoice.payable,
                "lines": [line.description for line in invoice.lines],
            },
        )
        return invoice_record(invoice, ZERO, ZERO, day)
