"""VAT by place of supply: the regime the vendor declares per school country (DESIGN section 4).

A declared regime is a ``setting`` row ``vendor.regime.<COUNTRY>`` holding ``VatRegime.encode()``
("domestic", "registered DE136695976", "reverse-charge", "not-taxable"). A country without one
is billed as before regimes existed (``domain.vat.default_regime``). A draft takes the regime
with its rate and keeps it (``invoice.vat_regime``), so what is issued does not move when a
setting changes later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.vat import (
    COUNTRIES,
    REGIME_KINDS,
    REGISTERED,
    REVERSE_CHARGE,
    VatRate,
    VatRegime,
    default_regime,
)
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.vendor import (
    PREFIX,
    VendorSettings,
    check_vat_id,
    require_vat_id,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import School, Setting

REGIME_PREFIX = PREFIX + "regime."


@dataclass(frozen=True)
class Regimes:
    """The vendor's country and home number with the declared regimes: all a draft needs."""

    vendor_country: str
    home_vat_id: str
    declared: dict[str, VatRegime]

    def for_country(self, country: str) -> VatRegime:
        return self.declared.get(country) or default_regime(self.vendor_country, country)

    def listing(self) -> list[VatRegime]:
        """One regime per school country, the undeclared ones as they are applied."""
        return [self.for_country(country) for country in COUNTRIES]


def load_regimes(session: Session) -> Regimes:
    rows = session.execute(
        select(Setting.key, Setting.value).where(
            or_(
                Setting.key.like(f"{REGIME_PREFIX}%"),
                Setting.key.in_((PREFIX + "country", PREFIX + "vat_id")),
            )
        )
    ).all()
    values = dict(rows)
    declared = {}
    for key, text in values.items():
        if key.startswith(REGIME_PREFIX):
            country = key.removeprefix(REGIME_PREFIX)
            try:
                declared[country] = VatRegime.decode(country, text)
            except DomainError:
                continue  # a damaged row is as undeclared; `vendor regime set` repairs it
    return Regimes(values.get(PREFIX + "country", ""), values.get(PREFIX + "vat_id", ""), declared)


def get_regimes(db: Database) -> Regimes:
    with db.reading() as session:
        return load_regimes(session)


def regime_of(session: Session, school: School) -> VatRegime:
    return load_regimes(session).for_country(school.country)


def priced_regime(
    session: Session,
    school: School,
    rates: list[VatRate],
    on: date,
    regimes: Regimes | None = None,
) -> tuple[VatRegime, Decimal]:
    """The regime a new draft for ``school`` is priced under, and its rate on ``on``; batch
    runs pass the regimes they loaded once."""
    regimes = regimes if regimes is not None else load_regimes(session)
    regime = regimes.for_country(school.country)
    return regime, regime.rate(rates, regimes.vendor_country or school.country, on)


def stored_regime(vendor_country: str, school_country: str, text: str | None) -> VatRegime:
    """The regime an invoice row was priced under (NULL: billed before regimes existed)."""
    if not text:
        return default_regime(vendor_country, school_country)
    return VatRegime.decode(school_country, text)


def set_regime(db: Database, country: str, kind: str, vat_id: str = "") -> VatRegime:
    """Declare how schools of ``country`` are billed."""
    return set_regimes(db, [(country, kind, vat_id)])[0]


def set_regimes(db: Database, changes: list[tuple[str, str, str]]) -> list[VatRegime]:
    """Declare the regimes of some countries, (country, kind, VAT id) each: all or none."""
    checked = [_checked(country, kind, vat_id) for country, kind, vat_id in changes]
    with db.transaction() as session:
        home = load_regimes(session).vendor_country
        for regime in checked:
            if home == regime.country and regime.kind == REGISTERED:
                raise InvalidInput(
                    _("{country} is the vendor's own country: declare it domestic").format(
                        country=regime.country
                    )
                )
            if home == regime.country and regime.kind == REVERSE_CHARGE:
                raise InvalidInput(
                    _("reverse charge is for schools abroad, not in the vendor's own country")
                )
            key = REGIME_PREFIX + regime.country
            row = session.get(Setting, key)
            before = row.value if row is not None else None
            if row is None:
                session.add(Setting(key=key, value=regime.encode()))
            else:
                row.value = regime.encode()
            audit.record(
                session,
                "vendor.regime",
                "setting",
                None,
                before={"country": regime.country, "regime": before},
                after={"country": regime.country, "regime": regime.encode()},
            )
        return checked


def _checked(country: str, kind: str, vat_id: str) -> VatRegime:
    country = country.strip().upper()
    vat_id = vat_id.strip()
    if country not in COUNTRIES:
        raise InvalidInput(
            _("the country must be one of {countries}, not {value!r}").format(
                countries=", ".join(COUNTRIES), value=country
            )
        )
    if kind not in REGIME_KINDS:
        raise InvalidInput(
            _("unknown VAT regime {value!r}; expected one of {kinds}").format(
                value=kind, kinds=", ".join(REGIME_KINDS)
            )
        )
    if kind == REGISTERED:
        if not vat_id:
            raise InvalidInput(
                _("a VAT registration in {country} needs its number (--vat-id)").format(
                    country=country
                )
            )
        if not check_vat_id(country, vat_id) or not _issued_by(country, vat_id):
            raise InvalidInput(
                _("--vat-id: not a valid VAT number of {country}: {value!r}").format(
                    country=country, value=vat_id
                )
            )
    elif vat_id:
        raise InvalidInput(
            _("--vat-id belongs to a registration abroad (registered), not to {kind}").format(
                kind=kind
            )
        )
    return VatRegime(country, kind, vat_id)


def _issued_by(country: str, vat_id: str) -> bool:
    """A foreign registration's number is that country's (AT numbers start with ATU)."""
    prefix = {"CH": "CHE"}.get(country, country)
    return "".join(vat_id.split()).upper().startswith(prefix)


def document_number(regime: VatRegime, vendor: VendorSettings) -> str:
    """The vendor number the document prints under ``regime``."""
    return regime.number(vendor.vat_id)


def require_regime(
    vendor: VendorSettings, regime: VatRegime, vat_rate: Decimal, school: School
) -> None:
    """Refuse a document the regime cannot carry: a taxed one without the vendor number that
    belongs to the regime (MWSTG art. 26, §14 UStG, BR-S-02), a reverse-charge one without the
    school's VAT id (§14a UStG, BR-AE-02)."""
    # A registration abroad always has its own number (set_regime asks for it): only the
    # home number can be missing.
    require_vat_id(replace(vendor, vat_id=regime.number(vendor.vat_id)), vat_rate)
    if regime.kind == REVERSE_CHARGE and not (school.vat_id or "").strip():
        raise InvalidInput(
            _(
                "reverse charge needs the school's VAT id, and school {number} has none: set it "
                "first (school edit {number} --vat-id ...), or declare another regime for "
                "{country}"
            ).format(number=school.number, country=school.country)
        )
