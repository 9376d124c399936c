"""The kinds of billing documents (invoice, credit note, quote) and the states an invoice
goes through: quote -> draft -> issued -> paid / partly paid / overdue / credited.

Paid, partly paid and credited follow from the payments and the credit notes; overdue from the
due date and is never stored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lehrer_licenses.i18n import _
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.models import Invoice

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
QUOTE = "quote"

DRAFT = "draft"
ISSUED = "issued"
PARTLY_PAID = "partly_paid"
PAID = "paid"
CREDITED = "credited"  # voided by credit notes for its full amount
OVERDUE = "overdue"  # derived, never stored
QUOTED = "quote"
ACCEPTED = "accepted"
ZERO = Decimal("0.00")


def settled_status(payable: Decimal, paid: Decimal, credited: Decimal) -> str:
    """The stored status of an issued invoice from its payments and credit notes."""
    if credited >= payable:
        return CREDITED
    if paid + credited >= payable:
        return PAID
    if paid > 0:
        return PARTLY_PAID
    return ISSUED


def display_status(status: str, due: date | None, open_amount: Decimal, today: date) -> str:
    """The status shown: an issued or partly paid invoice past its due date is overdue."""
    if status in (ISSUED, PARTLY_PAID) and due is not None and due < today and open_amount > 0:
        return OVERDUE
    return status


def refuse_unless_draft(invoice: Invoice, action: str) -> None:
    if invoice.kind == QUOTE:
        raise InvalidInput(
            _("{number} is a quote and cannot be {action}; accepting it makes a draft").format(
                number=invoice.number, action=action
            )
        )
    if invoice.kind == CREDIT_NOTE:
        raise InvalidInput(
            _("credit note {number} was issued and cannot be {action}").format(
                number=invoice.number, action=action
            )
        )
    if invoice.status != DRAFT:
        raise InvalidInput(
            _(
                "invoice {number} is already issued (status {status}) and cannot be {action}: "
                "correct it with a credit note"
            ).format(number=invoice.number, status=invoice.status, action=action)
        )
