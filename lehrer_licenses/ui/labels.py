"""Words for the codes the services return (statuses, reasons, audit actions)."""

from __future__ import annotations

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services import browse

_SCHOOL_STATUS = {
    browse.STATUS_ACTIVE: N_("Running"),
    browse.STATUS_ENDING: N_("Cancelled"),
    browse.STATUS_LAPSED: N_("Lapsed"),
    browse.STATUS_NONE: N_("No contract"),
}

_INVOICE_STATUS = {
    "draft": N_("Draft"),
    "issued": N_("Issued"),
    "paid": N_("Paid"),
    "preview": N_("Preview"),
    "cancelled": N_("Cancelled"),
}

_INVOICE_REASON = {
    "order": N_("Order"),
    "renewal": N_("Renewal"),
    "usage": N_("DB-hosting usage"),
}

_ORDER_KIND = {
    "first_order": N_("First order: base licence and subscription for the term"),
    "reorder": N_("Reorder on the running contract: subscription pro-rated to the term end"),
    "resumption": N_("Resumption after a lapse: new base licences"),
}

_RENEWAL_ACTION = {
    "renew": N_("Renew"),
    "lapse": N_("Lapse"),
    "usage_only": N_("Usage only"),
}

_HISTORY_ACTION = {
    "school.add": N_("School added"),
    "order.seats": N_("Seats ordered"),
    "invoice.draft": N_("Draft invoice"),
    "cancellation.record": N_("Cancellation received"),
    "teacher.add": N_("Teacher added"),
    "seat.assign": N_("Seat assigned"),
    "seat.transfer": N_("Seat transferred"),
    "seat.free": N_("Seat freed"),
    "user.freeze": N_("User frozen"),
    "user.unfreeze": N_("User unfrozen"),
    "usage.record": N_("Usage counted"),
    "renewal.renew": N_("Renewed"),
    "renewal.lapse": N_("Lapsed"),
    "code.issue": N_("Registration code issued"),
}

COUNTRY_NAMES = {
    "CH": N_("Switzerland"),
    "DE": N_("Germany"),
    "AT": N_("Austria"),
    "NL": N_("Netherlands"),
}

LANGUAGE_NAMES = {
    "de": "Deutsch",
    "fr": "Français",
    "it": "Italiano",
    "en": "English",
    "nl": "Nederlands",
}


def _lookup(table: dict[str, str], code: str) -> str:
    return _(table[code]) if code in table else code


def school_status(code: str) -> str:
    return _lookup(_SCHOOL_STATUS, code)


def invoice_status(code: str) -> str:
    return _lookup(_INVOICE_STATUS, code)


def invoice_reason(code: str) -> str:
    return _lookup(_INVOICE_REASON, code)


def order_kind(code: str) -> str:
    return _lookup(_ORDER_KIND, code)


def renewal_action(code: str) -> str:
    return _lookup(_RENEWAL_ACTION, code)


def history_action(code: str) -> str:
    return _lookup(_HISTORY_ACTION, code)


def country(code: str) -> str:
    return _lookup(COUNTRY_NAMES, code)
