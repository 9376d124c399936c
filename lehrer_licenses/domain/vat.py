"""VAT rates per country with validity dates (L13: prices excl. VAT, VAT shown on documents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _

COUNTRIES = ("CH", "DE", "AT", "NL")


@dataclass(frozen=True, slots=True)
class VatRate:
    country: str
    rate: Decimal  # percent
    valid_from: date


DEFAULT_VAT_RATES = (
    VatRate("CH", Decimal("8.1"), date(2024, 1, 1)),
    VatRate("DE", Decimal("19"), date(2007, 1, 1)),
    VatRate("AT", Decimal("20"), date(1995, 1, 1)),
    VatRate("NL", Decimal("21"), date(2012, 10, 1)),
)


def vat_rate_for(rates: Iterable[VatRate], country: str, on: date) -> Decimal:
    candidates = [r for r in rates if r.country == country and r.valid_from <= on]
    if not candidates:
        raise DomainError(
            _("no VAT rate for {country} valid on {day}").format(
                country=country, day=on.isoformat()
            )
        )
    return max(candidates, key=lambda r: r.valid_from).rate


# --- VAT by place of supply: how the vendor bills a school of a country (DESIGN section 4) ----

DOMESTIC = "domestic"  # the vendor's own country's VAT, its home number
REGISTERED = "registered"  # the school country's VAT under the vendor's registration there
REVERSE_CHARGE = "reverse-charge"  # 0 %, the buyer owes the tax (it needs its VAT id)
NOT_TAXABLE = "not-taxable"  # 0 %, no VAT at all (a vendor without a VAT registration there)
REGIME_KINDS = (DOMESTIC, REGISTERED, REVERSE_CHARGE, NOT_TAXABLE)


@dataclass(frozen=True, slots=True)
class VatRegime:
    """How a school of ``country`` is billed. ``vat_id`` is the foreign registration's number
    (``registered`` only); empty for an undeclared foreign country, which is billed as before
    regimes existed: at that country's rate with the home number."""

    country: str
    kind: str
    vat_id: str = ""
    declared: bool = True

    @property
    def taxed(self) -> bool:
        return self.kind in (DOMESTIC, REGISTERED)

    def encode(self) -> str:
        """The text stored in the settings and on each invoice ("registered DE136695976")."""
        return f"{self.kind} {self.vat_id}".strip()

    @classmethod
    def decode(cls, country: str, text: str) -> VatRegime:
        kind, _sep, number = text.strip().partition(" ")
        if kind not in REGIME_KINDS:
            raise DomainError(
                _("unknown VAT regime {value!r}; expected one of {kinds}").format(
                    value=kind, kinds=", ".join(REGIME_KINDS)
                )
            )
        return cls(country, kind, number.strip())

    def tax_country(self, vendor_country: str) -> str:
        """Whose VAT the document speaks of: the vendor's for domestic VAT, else the school's."""
        return vendor_country if self.kind == DOMESTIC else self.country

    def rate(self, rates: Iterable[VatRate], vendor_country: str, on: date) -> Decimal:
        if not self.taxed:
            return Decimal("0")
        return vat_rate_for(rates, self.tax_country(vendor_country), on)

    def number(self, home_vat_id: str) -> str:
        """The vendor number printed under this regime: the foreign registration's own number,
        else the home one (domestic VAT; reverse charge and not taxable name the seller too)."""
        return self.vat_id or home_vat_id


def default_regime(vendor_country: str, country: str) -> VatRegime:
    """An undeclared country: domestic VAT at home; abroad, the school country's rate with the
    home number, as the desk billed before regimes were declared (existing data keeps its
    amounts; `vendor show` says the country is undeclared)."""
    kind = DOMESTIC if country == vendor_country else REGISTERED
    return VatRegime(country, kind, "", declared=False)


# The tax's name on a document: the country's word in the document's language (Swiss German
# "MWST", German and Austrian "USt.", Dutch "btw"); English documents say "VAT" everywhere.
_TAX_WORDS = {
    ("CH", "de"): "MWST",
    ("CH", "fr"): "TVA",
    ("CH", "it"): "IVA",
    ("DE", "de"): "USt.",
    ("AT", "de"): "USt.",
    ("NL", "nl"): "btw",
}
_TAX_WORDS_BY_LANGUAGE = {"de": "USt.", "fr": "TVA", "it": "IVA", "nl": "btw", "en": "VAT"}


def tax_word(country: str, language: str) -> str:
    return _TAX_WORDS.get((country, language)) or _TAX_WORDS_BY_LANGUAGE.get(language, "VAT")


# The legal notes: §14a Abs. 5 UStG wants "Steuerschuldnerschaft des Leistungsempfängers" on a
# German reverse-charge invoice, art. 226 (11a) of Directive 2006/112/EC "Reverse charge" (or
# its translation); they are legal wording, not interface text, so they are not in the catalogs.
_REVERSE_CHARGE_NOTES = {
    "de": "Steuerschuldnerschaft des Leistungsempfängers",
    "en": "Reverse charge",
    "fr": "Autoliquidation",
    "it": "Inversione contabile",
    "nl": "Btw verlegd",
}
_NOT_TAXABLE_NOTES = {
    "de": "Nicht steuerbar",
    "en": "Not subject to VAT",
    "fr": "Non soumis à la TVA",
    "it": "Non soggetto a IVA",
    "nl": "Niet onderworpen aan btw",
}


def regime_note(kind: str, language: str) -> str:
    """The note a 0 % regime prints (and the e-invoice's exemption reason); "" when taxed."""
    notes = {REVERSE_CHARGE: _REVERSE_CHARGE_NOTES, NOT_TAXABLE: _NOT_TAXABLE_NOTES}.get(kind)
    return notes.get(language, notes["en"]) if notes else ""
