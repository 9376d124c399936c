"""The catalogue view's query: plans by product, dated prices with the one in force, tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lehrer_licenses.services import catalogue
from lehrer_licenses.services.browse import catalogue as browse_catalogue


def test_prices_in_force_and_future(db):
    catalogue.add_price(db, "LO-LOCAL", "base", Decimal("119.00"), date(2027, 1, 1))
    catalogue.add_tier(db, "LO-LOCAL", 50, Decimal("10"), date(2026, 1, 1), note="sample")
    plans = {p.code: p for p in browse_catalogue.catalogue_overview(db, date(2026, 11, 22))}
    local = plans["LO-LOCAL"]
    assert local.product == "LO" and local.currency == "CHF"
    base = [p for p in local.prices if p.component == "base"]
    assert [(p.amount, p.in_force, p.future) for p in base] == [
        (Decimal("111.45"), True, False),
        (Decimal("119.00"), False, True),
    ]
    assert [(t.from_quantity, t.percent_off, t.note) for t in local.tiers] == [
        (50, Decimal("10"), "sample")
    ]
    assert "subscription_month" in local.components
    later = {p.code: p for p in browse_catalogue.catalogue_overview(db, date(2027, 1, 1))}
    assert [p.in_force for p in later["LO-LOCAL"].prices if p.component == "base"] == [
        False,
        True,
    ]
