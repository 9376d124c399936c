"""Words for the codes the services return (statuses, reasons, audit actions)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.billing.reasons import INVOICE_REASONS
from lehrer_licenses.services.browse import first_page as browse

_SCHOOL_STATUS = {
    browse.STATUS_ACTIVE: N_("Running"),
    browse.STATUS_ENDING: N_("Cancelled"),
    browse.STATUS_LAPSED: N_("Lapsed"),
    browse.STATUS_NONE: N_("No contract"),
}

_INVOICE_STATUS = {
    "draft": N_("Draft"),
    "issued": N_("Issued"),
    "partly_paid": N_("Partly paid"),
    "paid": N_("Paid"),
    "overdue": N_("Overdue"),
    "credited": N_("Credited"),
    "preview": N_("Preview"),
    "cancelled": N_("Cancelled"),
    "open": N_("Open"),
    "credit_note": N_("Credit notes"),
    "quote": N_("Quotes"),
}

_DOCUMENT_KIND = {
    "credit_note": N_("Credit note"),
    "quote": N_("Quote"),
}

_QUOTE_STATUS = {
    "quote": N_("Quote"),
    "accepted": N_("Quote, accepted"),
}

_INVOICE_REASON = INVOICE_REASONS

_ORDER_KIND = {
    "first_order": N_("First order: base licence and subscription for the term"),
    "reorder": N_("Reorder on the running contract: subscription pro-rated to the term end"),
    "resumption": N_("Resumption after a lapse: new base licences"),
}

_RENEWAL_ACTION = {
    "renew": N_("Renew"),
    "lapse": N_("Lapse"),
    "usage_only": N_("Usage only"),
    "failed": N_("Not renewed"),
}

_HISTORY_ACTION = {
    "invoice.issue": N_("Invoice issued"),
    "invoice.payment": N_("Payment received"),
    "invoice.payment_reversed": N_("Payment reversed"),
    "invoice.credit": N_("Credit note issued"),
    "invoice.delete": N_("Draft deleted"),
    "invoice.edit": N_("Draft changed"),
    "quote.create": N_("Quote written"),
    "quote.accept": N_("Quote accepted"),
    "invoice.reminder": N_("Payment reminder"),
    "database.restore": N_("Database restored"),
    "school.add": N_("School added"),
    "order.seats": N_("Seats ordered"),
    "order.undo": N_("Order undone"),
    "invoice.draft": N_("Draft invoice"),
    "cancellation.record": N_("Cancellation received"),
    "teacher.add": N_("Teacher added"),
    "teacher.import_undone": N_("Teacher import undone"),
    "seat.assign": N_("Seat assigned"),
    "seat.transfer": N_("Seat transferred"),
    "seat.free": N_("Seat freed"),
    "user.freeze": N_("User frozen"),
    "user.unfreeze": N_("User unfrozen"),
    "usage.record": N_("Usage counted"),
    "renewal.renew": N_("Renewed"),
    "renewal.lapse": N_("Lapsed"),
    "code.issue": N_("Registration code issued"),
    # Shown in the global audit log (issue 8) beside the school's own history.
    "addon.order": N_("Subject add-on ordered"),
    "addon.cancel": N_("Subject add-on cancelled"),
    "package.activate": N_("Package activated"),
    "package.cancel": N_("Package cancelled"),
    "package.change_at_renewal": N_("Package size for the renewal"),
    "package.count": N_("Package users counted"),
    "package.full": N_("Moved to the full package"),
    "pupils.agreements": N_("Terms and data-processing agreement"),
    "pupils.cancel": N_("Per-pupil subscription cancelled"),
    "pupils.change_at_renewal": N_("Per-pupil variant for the renewal"),
    "pupils.count": N_("Pupils counted"),
    "pupils.start": N_("Per-pupil subscription started"),
    "pupils.trial": N_("Trial started"),
    "pupils.upgrade": N_("Per-pupil upgrade"),
    "school.leitweg_id": N_("Leitweg-ID set"),
    "catalogue.install_defaults": N_("Default catalogue installed"),
    "catalogue.add_default_plans": N_("Default plans added"),
    "catalogue.add_price": N_("Price added"),
    "catalogue.add_tier": N_("Volume discount added"),
    "catalogue.rename": N_("Name changed"),
    "vendor.set": N_("Vendor details changed"),
    "vendor.regime": N_("VAT regime declared"),
    "demo.create": N_("Sample data created"),
    "letters.notice_reminder": N_("Notice-period reminders written"),
    "letters.renewal": N_("Renewal letters written"),
    "letters.price_increase": N_("Price-change notices written"),
    "database.move_to_server": N_("Database moved to a server"),
}

COUNTRY_NAMES = {
    "CH": N_("Switzerland"),
    "DE": N_("Germany"),
    "AT": N_("Austria"),
    "NL": N_("Netherlands"),
    # Further vendor countries (services/billing/vendor.VENDOR_COUNTRIES).
    "LI": N_("Liechtenstein"),
    "BE": N_("Belgium"),
    "LU": N_("Luxembourg"),
    "FR": N_("France"),
    "IT": N_("Italy"),
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


def document_status(kind: str, status: str) -> str:
    """The status column: an invoice's status, or what kind of document it is otherwise."""
    if kind == "quote":
        return _lookup(_QUOTE_STATUS, status)
    if kind != "invoice":
        return _lookup(_DOCUMENT_KIND, kind)
    return invoice_status(status)


def warning_colour() -> QColor:
    """Orange text that reads on light and dark backgrounds alike."""
    from lehrer_licenses.ui.widgets import dark_palette

    return QColor("#ffb454" if dark_palette() else "#b35c00")


def invoice_reason(code: str) -> str:
    return _lookup(_INVOICE_REASON, code)


def order_kind(code: str) -> str:
    return _lookup(_ORDER_KIND, code)


def renewal_action(code: str) -> str:
    return _lookup(_RENEWAL_ACTION, code)


def history_action(code: str) -> str:
    if code not in _HISTORY_ACTION and code.count(".") == 2:
        # a renewal step of a licence kind ("renewal.package.renew"): the step's own word
        head, _kind, step = code.split(".")
        return _lookup(_HISTORY_ACTION, f"{head}.{step}")
    return _lookup(_HISTORY_ACTION, code)


def history_actions_matching(text: str) -> tuple[str, ...]:
    """The audit action codes whose label, in the UI language, contains ``text`` (any case)."""
    needle = text.strip().casefold()
    if not needle:
        return ()
    return tuple(c for c, label in _HISTORY_ACTION.items() if needle in _(label).casefold())


def country(code: str) -> str:
    return _lookup(COUNTRY_NAMES, code)


def country_choice(code: str) -> str:
    """A country in a choice list: "Switzerland (CH)", never the code twice ("LI (LI)")."""
    name = country(code)
    return name if name == code else f"{name} ({code})"


_COMPONENTS = {
    "base": N_("Base licence (one-time)"),
    "subscription": N_("Subscription per year"),
    "subscription_month": N_("Subscription per month (pro rata)"),
    "hosting": N_("DB-hosting per user and year"),
    "upgrade_fee": N_("Upgrade fee"),
}
_COMPONENT_PARTS = {
    "package": N_("Package of {n} users"),
    "addon": N_("Subject add-on, package of {n}"),
    "full": N_("Full package of {n} users"),
    "pupil_month": N_("Per pupil and month, grades {n}"),
    "pupil_year": N_("Per pupil and year, grades {n}"),
}
_PLAN_KIND = {
    "per_seat": N_("per teacher seat"),
    "package": N_("user packages"),
    "per_unit": N_("per pupil"),
}
_BILLING = {
    "advance": N_("billed in advance"),
    "arrears": N_("billed in arrears from monthly counts"),
}


def price_component(code: str) -> str:
    """``base`` -> "Base licence (one-time)", ``addon:500`` -> "Subject add-on, package of 500"."""
    if code in _COMPONENTS:
        return _(_COMPONENTS[code])
    prefix, _sep, part = code.partition(":")
    if part and prefix in _COMPONENT_PARTS:
        return _(_COMPONENT_PARTS[prefix]).format(n=part)
    return code


def plan_kind(code: str) -> str:
    return _lookup(_PLAN_KIND, code)


def billing(code: str) -> str:
    return _lookup(_BILLING, code)
