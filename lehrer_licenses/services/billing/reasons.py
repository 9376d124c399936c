"""Words for the reason an invoice was made (stored as a code), for messages and the app."""

from __future__ import annotations

from lehrer_licenses.i18n import N_, _

INVOICE_REASONS = {
    # Not "Order": that msgid is the order button's verb ("Bestellen").
    "order": N_("Seat order"),
    "addon": N_("Subject add-on"),
    "pre_investment": N_("Pre-investment"),
    "settlement": N_("Settlement"),
    "upgrade": N_("Upgrade"),
    "refund": N_("Refund"),
    "trial": N_("Trial"),
    "renewal": N_("Renewal"),
    "usage": N_("DB-hosting usage"),
}


def invoice_reason(code: str) -> str:
    return _(INVOICE_REASONS[code]) if code in INVOICE_REASONS else code
