"""A readable line for one audit entry (a school's History tab and the global audit log)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse.history import AuditRow, HistoryRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels

# Audit keys worth showing, with their label; ids and internals are left out.
_KEYS = {
    "number": N_("number"),
    "credit_note": N_("credit note"),
    "amount": N_("amount"),
    "paid_on": N_("paid on"),
    "paid": N_("paid in all"),
    "level": N_("reminder"),
    "fee": N_("fee"),
    "open": N_("open"),
    "pay_by": N_("pay by"),
    "date": N_("date"),
    "due_date": N_("due"),
    "invoice_status": N_("invoice"),
    "letters": N_("letters"),
    "seats": N_("seats"),
    "kind": N_("kind"),
    "ordered_on": N_("ordered on"),
    "received": N_("received"),
    "effective": N_("runs until"),
    "in_time": N_("in time"),
    "seats_cancelled": N_("seats cancelled"),
    "whole_contract": N_("whole contract"),
    "teacher": N_("teacher"),
    "seat": N_("seat"),
    "on": N_("on"),
    "month": N_("month"),
    "count": N_("count"),
    "reason": N_("reason"),
    "net": N_("net"),
    "payable": N_("payable"),
    "term_end": N_("term ends"),
    "status": N_("status"),
    "name": N_("name"),
    "admin": N_("admin"),
    "frozen": N_("frozen"),
}


_KINDS = {
    "first_order": N_("first order"),
    "reorder": N_("reorder"),
    "resumption": N_("resumption"),
}


# Stored codes shown as words: a contract's or add-on's status, a code's "by hand" reason.
_STATUSES = {"active": N_("running"), "lapsed": N_("lapsed"), "refunded": N_("refunded")}
_OTHER_REASONS = {"manual": N_("by hand")}


_MONEY = frozenset({"amount", "paid", "fee", "open", "net", "payable"})


def _value(key: str, value: object, currency: str | None = None) -> str:
    if key == "kind" and value in _KINDS:
        return _(_KINDS[value])
    if key in ("status", "invoice_status") and isinstance(value, str):
        # a contract's status, else an invoice's (issued, partly paid, ...)
        return _(_STATUSES[value]) if value in _STATUSES else labels.invoice_status(value)
    if key == "reason" and isinstance(value, str):
        return _(_OTHER_REASONS[value]) if value in _OTHER_REASONS else labels.invoice_reason(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return "\u2013"
    if isinstance(value, date):
        return fmt.day(value)
    if isinstance(value, Decimal):
        return fmt.money(value, currency) if key in _MONEY and currency else fmt.number(value)
    return str(value)


def describe(entry: HistoryRow | AuditRow) -> str:
    parts = []
    # a draft's entry predates the number its invoice got later
    if entry.number and "number" not in entry.after and entry.action != "invoice.draft":
        parts.append(f"{_('number')}: {entry.number}")
    for key, label in _KEYS.items():
        if key not in entry.after:
            continue
        after = _value(key, entry.after[key], entry.currency)
        if key in entry.before and entry.before[key] != entry.after[key]:
            after = f"{_value(key, entry.before[key], entry.currency)} \u2192 {after}"
        parts.append(f"{_(label)}: {after}")
    return ", ".join(parts)
