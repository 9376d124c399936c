"""The school's running user package and what its use cases share: the add-on states and the
result of a use case that writes an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.documents import Address
from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.packages import (
    cancellation_deadline,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
)
from lehrer_licenses.services.billing.printing import bill_to, stored_address
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.contract_years import (
    running_of_kind,
)
from lehrer_licenses.store.models import (
    Addon,
    Invoice,
    School,
    Subscription,
)

REFUND = "refund"
ADDON_ACTIVE = "active"
ADDON_REFUNDED = "refunded"
ADDON_LAPSED = "lapsed"
ADDON_REASON = "addon"  # the invoice reason of an add-on's own invoices


@dataclass(frozen=True)
class BillingAddress:
    """Where an add-on's invoices go, when not to the school (M10)."""

    name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""

    def is_empty(self) -> bool:
        return not any((self.name, self.street, self.postcode, self.city, self.country))


@dataclass
class PackageResult:
    school: str
    plan: str
    action: str  # activation | upgrade | restart | full_package
    capacity: int
    term_start: date
    term_end: date
    invoice: InvoiceView
    notices: list[str] = field(default_factory=list)
    code: str | None = None
    refunds: list[InvoiceView] = field(default_factory=list)

    @property
    def cancellation_deadline(self) -> date:
        """The last day a cancellation may arrive to end the package with this licence year."""
        return cancellation_deadline(Term(self.term_start, self.term_end))


def running_package(session: Session, school: School) -> tuple[Subscription, Plan]:
    sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
    if sub is None:
        raise InvalidInput(
            _("School {school} has no running user package").format(school=school.number)
        )
    return sub, plan_from_row(sub.plan)


def addon_billing_party(addon: Addon) -> Address | None:
    """The add-on's own billing address (M10), None when its invoices go to the school."""
    if not addon.billing_name.strip():
        return None
    return stored_address(addon, "billing_")


def bill_addon(invoice: Invoice, addon: Addon) -> None:
    """The invoice is the add-on's and goes to whoever pays for it (M10)."""
    invoice.addon_id = addon.id
    bill_to(invoice, addon_billing_party(addon))
