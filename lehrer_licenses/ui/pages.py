"""The main window's pages in navigation order: shared by the window and its View menu."""

from __future__ import annotations

from lehrer_licenses.i18n import N_

# The pages in navigation order: title (translated when shown) and icon.
PAGES = (
    (N_("Schools"), "schools"),
    (N_("Seats"), "seats"),
    (N_("Invoices"), "invoices"),
    (N_("Renewals"), "renewals"),
    (N_("Catalogue"), "catalogue"),
    (N_("History"), "history"),
)
# The attribute of each page's view, in nav order.
VIEW_NAMES = ("schools", "seats", "invoices", "renewals", "catalogue", "audit_log")
