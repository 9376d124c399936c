"""The catalogue in the database, read as domain plans; installing the defaults."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.domain.catalogue import (
    NAME_LANGUAGES,
    Billing,
    Catalogue,
    Plan,
    PlanKind,
    PricePoint,
    TierBand,
    TierMode,
)
from lehrer_licenses.domain.default_catalogue import (
    ALL_DEFAULT_PLANS,
    PRODUCT_NAMES,
    SHIPPED_PRODUCT_NAMES,
)
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.periods import TermAlignment
from lehrer_licenses.domain.vat import DEFAULT_VAT_RATES, VatRate
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import PlanRow, PriceRow, Product, TierRow, VatRateRow
from lehrer_licenses.store.roles import ADMIN, require


def plan_from_row(row: PlanRow) -> Plan:
    return Plan(
        code=row.code,
        product_code=row.product.code,
        name=row.name,
        kind=PlanKind(row.kind),
        currency=row.currency,
        term=TermAlignment(row.term),
        term_days=row.term_days,
        notice_months=row.notice_months,
        billing=Billing(row.billing),
        proration_cap=row.proration_cap,
        # by date, then component as SQLite's index on them gives it; a server sorts text by
        # its locale and ties any way it likes
        prices=tuple(
            PricePoint(p.component, p.amount, p.valid_from, p.announced_on)
            for p in sorted(row.prices, key=lambda p: (p.valid_from, p.component, p.id))
        ),
        tiers=tuple(TierBand(t.from_quantity, t.percent_off, t.valid_from) for t in row.tiers),
        tier_mode=TierMode(row.tier_mode),
        tier_components=tuple(c for c in row.tier_components.split(",") if c),
        options=tuple(sorted(json.loads(row.options or "{}").items())),
        names=tuple(sorted(json.loads(row.names or "{}").items())),
    )


def names_json(names: dict[str, str]) -> str:
    return json.dumps(names, ensure_ascii=False, sort_keys=True)


def load_catalogue(session: Session) -> Catalogue:
    rows = session.scalars(
        select(PlanRow)
        .options(
            selectinload(PlanRow.prices), selectinload(PlanRow.tiers), selectinload(PlanRow.product)
        )
        # in the order they were written, which SQLite gives unasked and a server does not
        .order_by(PlanRow.id)
    ).all()
    return Catalogue(tuple(plan_from_row(r) for r in rows))


def plan_display_names(session: Session, language: str) -> dict[int, tuple[str, str]]:
    """plan id -> (code, name in ``language``), for read models listing many rows of few plans."""
    return {
        row.id: (row.code, row.display_name(language)) for row in session.scalars(select(PlanRow))
    }


def load_vat_rates(session: Session) -> list[VatRate]:
    return [VatRate(r.country, r.rate, r.valid_from) for r in session.scalars(select(VatRateRow))]


def plan_row(session: Session, code: str) -> PlanRow:
    row = session.scalar(select(PlanRow).where(PlanRow.code == code))
    if row is None:
        raise NotFound(_("unknown plan: {code}").format(code=code))
    return row


def add_plan(session: Session, plan: Plan, product_name: str) -> PlanRow:
    product = session.scalar(select(Product).where(Product.code == plan.product_code))
    if product is None:
        product = Product(
            code=plan.product_code,
            name=product_name,
            names=names_json(SHIPPED_PRODUCT_NAMES.get(plan.product_code, {})),
        )
        session.add(product)
    row = PlanRow(
        code=plan.code,
        product=product,
        name=plan.name,
        kind=plan.kind.value,
        currency=plan.currency,
        term=plan.term.value,
        term_days=plan.term_days,
        notice_months=plan.notice_months,
        billing=plan.billing.value,
        proration_cap=plan.proration_cap,
        tier_mode=plan.tier_mode.value,
        tier_components=",".join(plan.tier_components),
        options=json.dumps(dict(plan.options)),
        names=names_json(dict(plan.names)),
    )
    session.add(row)
    for price in plan.prices:
        row.prices.append(
            PriceRow(
                component=price.component,
                amount=price.amount,
                valid_from=price.valid_from,
                announced_on=price.announced_on,
            )
        )
    for tier in plan.tiers:
        row.tiers.append(
            TierRow(
                from_quantity=tier.from_quantity,
                percent_off=tier.percent_off,
                valid_from=tier.valid_from,
            )
        )
    return row


def install_defaults(session: Session) -> bool:
    """Load the default catalogue and VAT rates into an empty database; True if it did.

    A database made before a product's plans were shipped gets them too (only for products it
    has no plan of yet, so a vendor's own changes are never overwritten); that returns False.
    """
    if session.scalar(select(PlanRow.id).limit(1)) is not None:
        _add_new_products(session)
        return False
    for plan in ALL_DEFAULT_PLANS:
        add_plan(session, plan, PRODUCT_NAMES[plan.product_code])
    for rate in DEFAULT_VAT_RATES:
        session.add(VatRateRow(country=rate.country, rate=rate.rate, valid_from=rate.valid_from))
    audit.record(
        session,
        "catalogue.install_defaults",
        "plan",
        None,
        after={"plans": [p.code for p in ALL_DEFAULT_PLANS]},
    )
    return True


def _add_new_products(session: Session) -> None:
    known = set(
        session.scalars(select(Product.code).join(PlanRow, PlanRow.product_id == Product.id))
    )
    missing = [p for p in ALL_DEFAULT_PLANS if p.product_code not in known]
    if not missing:
        return
    for plan in missing:
        add_plan(session, plan, PRODUCT_NAMES[plan.product_code])
    audit.record(
        session,
        "catalogue.add_default_plans",
        "plan",
        None,
        after={"plans": [p.code for p in missing]},
    )


def rename(db: Database, code: str, language: str, name: str, *, product: bool = False) -> None:
    """Set the display name of plan ``code`` (of product ``code`` with ``product``) in
    ``language``; the names in the other languages stay as they are."""
    name = " ".join(name.split())
    if language not in NAME_LANGUAGES:
        raise InvalidInput(
            _("unknown language {language}: one of {languages}").format(
                language=language, languages=", ".join(NAME_LANGUAGES)
            )
        )
    if not name:
        raise InvalidInput(_("a name cannot be empty"))
    if len(name) > 200:
        raise InvalidInput(_("a name has at most 200 characters, not {n}").format(n=len(name)))
    with db.transaction() as session:
        require(session, ADMIN, _("Changing the catalogue"))
        if product:
            row: PlanRow | Product | None = session.scalar(
                select(Product).where(Product.code == code)
            )
            if row is None:
                raise NotFound(_("unknown product: {code}").format(code=code))
        else:
            row = plan_row(session, code)
        names = json.loads(row.names or "{}")
        before = names.get(language, "")
        names[language] = name
        row.names = names_json(names)
        audit.record(
            session,
            "catalogue.rename",
            "product" if product else "plan",
            row.id,
            before={"code": code, "language": language, "name": before},
            after={"code": code, "language": language, "name": name},
        )


def add_tier(
    db: Database,
    plan_code: str,
    from_quantity: int,
    percent_off: Decimal,
    valid_from: date,
    note: str = "",
) -> None:
    if from_quantity < 2:
        raise InvalidInput(_("a tier starts at seat 2 or later, not {n}").format(n=from_quantity))
    if not (Decimal(0) < percent_off < Decimal(100)):
        raise InvalidInput(
            _("a discount must be between 0 and 100 percent, not {p}").format(p=percent_off)
        )
    with db.transaction() as session:
        require(session, ADMIN, _("Changing the catalogue"))
        row = plan_row(session, plan_code)
        if any(t.from_quantity == from_quantity and t.valid_from == valid_from for t in row.tiers):
            raise DomainError(
                _("plan {plan} already has a tier from {n} valid from {day}").format(
                    plan=plan_code, n=from_quantity, day=format_date(valid_from)
                )
            )
        tier = TierRow(
            from_quantity=from_quantity, percent_off=percent_off, valid_from=valid_from, note=note
        )
        row.tiers.append(tier)
        session.flush()
        audit.record(
            session,
            "catalogue.add_tier",
            "tier_band",
            tier.id,
            after={
                "plan": plan_code,
                "from": from_quantity,
                "percent_off": percent_off,
                "valid_from": valid_from,
                "note": note,
            },
        )


def add_price(
    db: Database,
    plan_code: str,
    component: str,
    amount: Decimal,
    valid_from: date,
    note: str = "",
    announced_on: date | None = None,
) -> None:
    """A new price from a date on (L13); earlier prices stay for orders dated before it.

    ``announced_on`` (default today) is when customers were told: an increase applies at a
    package renewal only if announced at least 6 months before it (M11).
    """
    if amount < 0:
        raise InvalidInput(_("a price cannot be negative: {amount}").format(amount=amount))
    with db.transaction() as session:
        require(session, ADMIN, _("Changing a price"))
        row = plan_row(session, plan_code)
        if any(p.component == component and p.valid_from == valid_from for p in row.prices):
            raise DomainError(
                _("plan {plan} already has a {component} price from {day}").format(
                    plan=plan_code, component=component, day=format_date(valid_from)
                )
            )
        price = PriceRow(
            component=component,
            amount=amount,
            valid_from=valid_from,
            note=note,
            announced_on=announced_on or date.today(),
        )
        row.prices.append(price)
        session.flush()
        audit.record(
            session,
            "catalogue.add_price",
            "price",
            price.id,
            after={
                "plan": plan_code,
                "component": component,
                "amount": amount,
                "valid_from": valid_from,
                "announced_on": price.announced_on,
            },
        )


def list_plans(db: Database) -> list[Plan]:
    with db.reading() as session:
        return list(load_catalogue(session).plans)
