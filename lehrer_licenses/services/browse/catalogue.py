"""Read queries of the catalogue view: products, their plans, every dated price (L13) with the
one in force marked, and the tier tables (L8), in three SELECTs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from lehrer_licenses.i18n import ui_language
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import PlanRow, PriceRow, Product, TierRow


@dataclass(frozen=True)
class PriceLine:
    component: str
    amount: Decimal
    valid_from: date
    announced_on: date | None
    note: str
    in_force: bool  # the price an order dated today pays
    future: bool


@dataclass(frozen=True)
class TierLine:
    from_quantity: int
    percent_off: Decimal
    valid_from: date
    note: str


@dataclass(frozen=True)
class PlanSummary:
    code: str
    product: str
    product_name: str  # in the UI's language, as ``name``
    name: str
    kind: str
    currency: str
    term: str
    notice_months: int
    billing: str
    proration_cap: bool
    prices: list[PriceLine] = field(default_factory=list)
    tiers: list[TierLine] = field(default_factory=list)

    @property
    def components(self) -> list[str]:
        return sorted({p.component for p in self.prices})


def catalogue_overview(
    db: Database, today: date | None = None, language: str | None = None
) -> list[PlanSummary]:
    today = today or date.today()
    language = language or ui_language()
    with db.reading() as session:
        plans = session.execute(
            select(PlanRow, Product)
            .join(Product, Product.id == PlanRow.product_id)
            .order_by(Product.id, PlanRow.code)  # the default catalogue first
        ).all()
        prices: dict[int, list[PriceRow]] = {}
        for price in session.scalars(
            select(PriceRow).order_by(PriceRow.component, PriceRow.valid_from)
        ):
            prices.setdefault(price.plan_id, []).append(price)
        tiers: dict[int, list[TierRow]] = {}
        for tier in session.scalars(
            select(TierRow).order_by(TierRow.valid_from, TierRow.from_quantity)
        ):
            tiers.setdefault(tier.plan_id, []).append(tier)
        result = []
        for plan, product in plans:
            rows = prices.get(plan.id, [])
            in_force: dict[str, PriceRow] = {}
            for price in rows:
                if price.valid_from <= today:
                    in_force[price.component] = price  # sorted by date: the last one wins
            result.append(
                PlanSummary(
                    code=plan.code,
                    product=product.code,
                    product_name=product.display_name(language),
                    name=plan.display_name(language),
                    kind=plan.kind,
                    currency=plan.currency,
                    term=plan.term,
                    notice_months=plan.notice_months,
                    billing=plan.billing,
                    proration_cap=plan.proration_cap,
                    prices=[
                        PriceLine(
                            p.component,
                            p.amount,
                            p.valid_from,
                            p.announced_on,
                            p.note or "",
                            in_force.get(p.component) is p,
                            p.valid_from > today,
                        )
                        for p in rows
                    ],
                    tiers=[
                        TierLine(t.from_quantity, t.percent_off, t.valid_from, t.note or "")
                        for t in tiers.get(plan.id, [])
                    ],
                )
            )
        return result
