"""The catalogue shipped with ``init``: LehrerOffice prices from the vendor page (seeds/).

No volume-discount table is shipped: the vendor's "Mengenrabatt" article is not in the seed, and
inventing one would put made-up discounts on real invoices. Add the vendor's table in the
Catalogue view or with ``catalogue tier add``; ``demo`` adds a sample one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lehrer_licenses.domain.catalogue import (
    BASE,
    HOSTING,
    SUBSCRIPTION,
    SUBSCRIPTION_MONTH,
    Billing,
    Plan,
    PlanKind,
    PricePoint,
    TierBand,
)
from lehrer_licenses.domain.periods import TermAlignment

PRODUCT_LEHREROFFICE = ("LO", "LehrerOffice Desktop")
PRICES_FROM = date(2024, 1, 1)

LOCAL_PLAN = "LO-LOCAL"
HOSTED_PLAN = "LO-HOSTED"


def _prices(**amounts: str) -> tuple[PricePoint, ...]:
    return tuple(PricePoint(c, Decimal(a), PRICES_FROM) for c, a in amounts.items())


DEFAULT_PLANS: tuple[Plan, ...] = (
    Plan(
        code=LOCAL_PLAN,
        product_code="LO",
        name="LehrerOffice Desktop, per teacher (local files or school database)",
        kind=PlanKind.PER_SEAT,
        currency="CHF",
        term=TermAlignment.CALENDAR_YEAR,
        notice_months=2,
        billing=Billing.ADVANCE,
        proration_cap=True,
        prices=_prices(**{BASE: "111.45", SUBSCRIPTION: "44.55", SUBSCRIPTION_MONTH: "4.50"}),
    ),
    Plan(
        code=HOSTED_PLAN,
        product_code="LO",
        name="LehrerOffice with DB-hosting, per registered user (billed yearly in arrears)",
        kind=PlanKind.PER_SEAT,
        currency="CHF",
        term=TermAlignment.CALENDAR_YEAR,
        notice_months=2,
        billing=Billing.ARREARS,
        proration_cap=True,
        prices=_prices(
            **{BASE: "111.45", SUBSCRIPTION: "44.55", SUBSCRIPTION_MONTH: "4.50", HOSTING: "42.15"}
        ),
    ),
)

# Example 7 of DESIGN.md; the demo data uses it, marked as a sample in the catalogue.
SAMPLE_VOLUME_TIERS = (TierBand(50, Decimal("10"), PRICES_FROM),)
