"""The vendor's identity and the billing settings, kept in the database (``setting`` rows).

Who issues the documents (name, structured address, logo, VAT/UID number), where schools pay
(IBAN, optional QR-IBAN, BIC), the payment terms, the footer, the number formats of invoices,
credit notes and quotes, and the dunning levels. ``init`` leaves the identity empty; issuing
refuses, naming the missing fields, until it is set. Everything is validated when it is set:
IBANs with schwifty, VAT/UID numbers with python-stdnum.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.documents import Address, Vendor
from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Setting, VatRateRow
from lehrer_licenses.store.roles import ADMIN, require

PREFIX = "vendor."
DUNNING_LEVELS = 3
DEFAULT_INVOICE_FORMAT = "{year}-{seq:05d}"
DEFAULT_CREDIT_FORMAT = "G{year}-{seq:05d}"
DEFAULT_QUOTE_FORMAT = "Q{year}-{seq:05d}"
VENDOR_COUNTRIES = ("CH", "LI", "DE", "AT", "NL", "BE", "LU", "FR", "IT")

# Needed before anything is issued (the QR-bill and EPC QR need a structured address and an IBAN).
REQUIRED = ("name", "street", "postcode", "city", "country", "iban")


@dataclass(frozen=True)
class VendorSettings:
    name: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    logo_path: str = ""
    vat_id: str = ""
    iban: str = ""
    qr_iban: str = ""
    bic: str = ""
    payment_terms_days: int = 30
    footer: str = ""
    invoice_format: str = DEFAULT_INVOICE_FORMAT
    credit_format: str = DEFAULT_CREDIT_FORMAT
    quote_format: str = DEFAULT_QUOTE_FORMAT
    quote_valid_days: int = 30
    # Days after the due date (level 1) or after the previous reminder (levels 2 and 3).
    dunning_wait_days: tuple[int, ...] = (10, 14, 14)
    dunning_fees: tuple[Decimal, ...] = (Decimal("0.00"), Decimal("0.00"), Decimal("20.00"))
    # Days the school gets to pay after a reminder.
    dunning_pay_days: int = 10
    errors: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def missing(self) -> list[str]:
        return [name for name in REQUIRED if not str(getattr(self, name)).strip()]

    def missing_for_taxed(self) -> list[str]:
        """What is missing before an invoice with VAT can be issued (the VAT/UID number too)."""
        return self.missing() + ([] if self.vat_id.strip() else ["vat_id"])

    def document_vendor(self) -> Vendor:
        """The plain data the renderers take."""
        return Vendor(
            name=self.name,
            address=Address(
                name=self.name,
                street=self.street,
                house_number=self.house_number,
                postcode=self.postcode,
                city=self.city,
                country=self.country,
            ),
            iban=self.iban,
            vat_id=self.vat_id,
            qr_iban=self.qr_iban or None,
            bic=self.bic,
            email=self.email,
            phone=self.phone,
            website=self.website,
            logo_path=self.logo_path or None,
            footer=self.footer,
            payment_terms_days=self.payment_terms_days,
        )


FIELD_NAMES = tuple(f.name for f in fields(VendorSettings) if f.name != "errors")

# --- converting to and from the setting rows --------------------------------------------------


def _encode(name: str, value: object) -> str:
    if name == "dunning_wait_days":
        return ",".join(str(v) for v in value)  # type: ignore[union-attr]
    if name == "dunning_fees":
        return ",".join(f"{v:.2f}" for v in value)  # type: ignore[union-attr]
    return str(value)


def _int(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InvalidInput(
            _("{field}: not a whole number: {value!r}").format(field=name, value=text)
        ) from None
    if not low <= value <= high:
        raise InvalidInput(
            _("{field}: must be between {low} and {high}, not {value}").format(
                field=name, low=low, high=high, value=value
            )
        )
    return value


def _parse(name: str, text: str) -> object:
    """A setting's value from its text (as stored, or as typed on the command line)."""
    if name in ("payment_terms_days", "quote_valid_days", "dunning_pay_days"):
        return _int(name, text, 0, 365)
    if name == "dunning_wait_days":
        parts = [p for p in str(text).replace(";", ",").split(",") if p.strip()]
        if len(parts) != DUNNING_LEVELS:
            raise InvalidInput(
                _("{field}: give {n} numbers of days separated by commas, e.g. 10,14,14").format(
                    field=name, n=DUNNING_LEVELS
                )
            )
        return tuple(_int(name, p, 1, 365) for p in parts)
    if name == "dunning_fees":
        parts = [p for p in str(text).replace(";", ",").split(",") if p.strip()]
        if len(parts) != DUNNING_LEVELS:
            raise InvalidInput(
                _("{field}: give {n} amounts separated by commas, e.g. 0,0,20").format(
                    field=name, n=DUNNING_LEVELS
                )
            )
        fees = []
        for part in parts:
            try:
                fee = Decimal(part.strip())
            except InvalidOperation:
                raise InvalidInput(
                    _("{field}: not an amount: {value!r}").format(field=name, value=part)
                ) from None
            if fee < 0 or fee != fee.quantize(Decimal("0.01")):
                raise InvalidInput(
                    _("{field}: an amount of at least 0 with two decimals, not {value}").format(
                        field=name, value=part
                    )
                )
            fees.append(fee.quantize(Decimal("0.01")))
        return tuple(fees)
    return str(text).strip()


def load_vendor(session: Session) -> VendorSettings:
    rows = session.scalars(select(Setting).where(Setting.key.like(f"{PREFIX}%"))).all()
    values: dict[str, object] = {}
    for row in rows:
        name = row.key.removeprefix(PREFIX)
        if name in FIELD_NAMES:
            try:
                values[name] = _parse(name, row.value)
            except InvalidInput:
                continue  # a damaged row falls back to the default; `vendor set` repairs it
    return VendorSettings(**values)  # type: ignore[arg-type]


def get_vendor(db: Database) -> VendorSettings:
    with db.reading() as session:
        return load_vendor(session)


def vat_charged(db: Database) -> bool:
    """Whether any school country has a VAT rate above 0: then the VAT/UID number is needed."""
    with db.reading() as session:
        return session.scalar(select(VatRateRow.id).where(VatRateRow.rate > 0).limit(1)) is not None


# --- validation --------------------------------------------------------------------------------


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def is_qr_iban(iban: str) -> bool:
    """A Swiss/Liechtenstein QR-IBAN: institution id (positions 5-9) 30000-31999."""
    compact = _compact(iban)
    iid = compact[4:9]
    return compact[:2] in ("CH", "LI") and iid.isdigit() and 30000 <= int(iid) <= 31999


def _check_iban(value: str) -> str | None:
    from schwifty import IBAN
    from schwifty import exceptions as iban_errors

    # The library's own text is English ("Invalid IBAN length"): said in the user's language.
    reasons = [
        (iban_errors.InvalidLength, N_("the length is wrong for its country")),
        (iban_errors.InvalidChecksumDigits, N_("the check digits do not match: a typing error?")),
        (iban_errors.InvalidCountryCode, N_("it does not start with a known country code")),
        (iban_errors.InvalidStructure, N_("letters or digits where its country has none")),
        (iban_errors.InvalidBBANChecksum, N_("the account number's check digit does not match")),
    ]
    try:
        IBAN(value)
    except iban_errors.SchwiftyException as exc:
        for kind, reason in reasons:
            if isinstance(exc, kind):
                return _(reason)
        return _("the bank or account part is not one its country uses")
    return None


def check_vat_id(country: str, value: str) -> bool:
    from stdnum.at import uid as at_uid
    from stdnum.ch import uid as ch_uid
    from stdnum.eu import vat as eu_vat

    candidate = value.strip()
    if country in ("CH", "LI") or candidate.upper().startswith("CHE"):
        candidate = re.sub(r"\s*(MWST|TVA|IVA|VAT)$", "", candidate, flags=re.I)
        return bool(ch_uid.is_valid(candidate))
    if country == "AT" and not candidate.upper().startswith("ATU"):
        return bool(at_uid.is_valid(candidate))
    return bool(eu_vat.is_valid(candidate))


def check_number_format(template: str) -> str | None:
    """Why a number format such as "{year}-{seq:05d}" cannot be used, or None when it can."""
    if "{seq" not in template:
        return _("it must contain {{seq}}, e.g. {example}").format(example=DEFAULT_INVOICE_FORMAT)
    try:
        first = template.format(year=2026, seq=1)
        second = template.format(year=2026, seq=2)
        other_year = template.format(year=2027, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        return _("it is not a valid format ({error}); use {{year}} and {{seq}}").format(error=exc)
    if first == second:
        return _("two numbers would be the same")
    if first == other_year:
        return _("it must contain {{year}}: numbering starts again every year").format()
    if len(template.format(year=9999, seq=99999)) > 40 or not first.strip():
        return _("the numbers would be longer than 40 characters or empty")
    return None


def validate_vendor(v: VendorSettings) -> dict[str, str]:
    """Field -> reason for each value that is wrong (empty values are not wrong here)."""
    errors: dict[str, str] = {}
    if v.country and v.country not in VENDOR_COUNTRIES:
        errors["country"] = _("the country must be one of {countries}, not {value!r}").format(
            countries=", ".join(VENDOR_COUNTRIES), value=v.country
        )
    if v.name and len(v.name) > 70:
        errors["name"] = _("at most 70 characters (the QR-bill's limit)")
    if v.iban:
        problem = _check_iban(v.iban)
        if problem:
            errors["iban"] = _("not a valid IBAN: {value!r} ({problem})").format(
                value=v.iban, problem=problem
            )
        elif is_qr_iban(v.iban):
            errors["iban"] = _(
                "{value!r} is a QR-IBAN: set it as --qr-iban and give the ordinary IBAN here"
            ).format(value=v.iban)
    if v.qr_iban:
        problem = _check_iban(v.qr_iban)
        if problem:
            errors["qr_iban"] = _("not a valid IBAN: {value!r} ({problem})").format(
                value=v.qr_iban, problem=problem
            )
        elif not is_qr_iban(v.qr_iban):
            errors["qr_iban"] = _(
                "{value!r} is not a QR-IBAN (its institution id must be 30000-31999)"
            ).format(value=v.qr_iban)
    if v.bic:
        from schwifty import BIC
        from schwifty.exceptions import SchwiftyException

        try:
            BIC(v.bic)
        except SchwiftyException as exc:
            errors["bic"] = _("not a valid BIC: {value!r} ({problem})").format(
                value=v.bic, problem=exc
            )
    if v.vat_id and not check_vat_id(v.country, v.vat_id):
        errors["vat_id"] = _("not a valid VAT/UID number: {value!r}").format(value=v.vat_id)
    if v.logo_path:
        path = Path(v.logo_path).expanduser()
        if not path.is_file():
            errors["logo_path"] = _("no such file: {path}").format(path=v.logo_path)
        elif path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            errors["logo_path"] = _("the logo must be a PNG or JPEG file")
    if v.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v.email):
        errors["email"] = _("not an e-mail address: {value!r}").format(value=v.email)
    formats = {}
    for name in ("invoice_format", "credit_format", "quote_format"):
        problem = check_number_format(getattr(v, name))
        if problem:
            errors[name] = problem
        else:
            formats[name] = getattr(v, name).format(year=2026, seq=1)
    if len(set(formats.values())) < len(formats):
        errors["credit_format"] = _(
            "invoices, credit notes and quotes need formats that give different numbers"
        )
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in errors.items()))


def require_complete(v: VendorSettings) -> None:
    """Refuse to issue until the vendor identity is set (names the missing fields)."""
    missing = v.missing()
    if missing:
        raise InvalidInput(
            _(
                "the vendor identity is incomplete: set {fields} first "
                "(lehrer-licenses vendor set --{first} ...)"
            ).format(fields=", ".join(missing), first=missing[0].replace("_", "-"))
        )
    _raise(validate_vendor(v))


def require_vat_id(v: VendorSettings, vat_rate: Decimal) -> None:
    """Refuse a taxed document without the vendor's VAT/UID number: Swiss MWSTG art. 26 and
    German §14 UStG want it on the invoice, and EN 16931 (BR-S-02, BR-CO-26) in the e-invoice."""
    if vat_rate > 0 and not v.vat_id.strip():
        raise InvalidInput(
            _(
                "VAT is charged ({rate}%) but the vendor has no VAT/UID number: set it first "
                "(Settings > Vendor, or lehrer-licenses vendor set --vat-id ...)"
            ).format(rate=vat_rate.normalize())
        )


# --- the use case ------------------------------------------------------------------------------


def set_vendor(db: Database, changes: dict[str, str]) -> VendorSettings:
    """Change some settings (text as typed; an empty text clears an optional field)."""
    unknown = sorted(set(changes) - set(FIELD_NAMES))
    if unknown:
        raise InvalidInput(_("unknown vendor settings: {names}").format(names=", ".join(unknown)))
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, text in changes.items():
        try:
            value = _parse(name, text)
        except InvalidInput as exc:
            errors[name] = str(exc)
            continue
        if name in ("country", "bic"):
            value = _compact(str(value))
        parsed[name] = value
    _raise(errors)
    with db.transaction() as session:
        require(session, ADMIN, _("Changing the vendor settings"))
        before = load_vendor(session)
        after = replace(before, **parsed)  # type: ignore[arg-type]
        if "iban" in parsed or "qr_iban" in parsed:
            from schwifty import IBAN
            from schwifty.exceptions import SchwiftyException

            for name in ("iban", "qr_iban"):
                value = getattr(after, name)
                with suppress(SchwiftyException):  # reported by validate_vendor
                    after = replace(after, **{name: IBAN(value).formatted}) if value else after
        # Only what changed is judged (a half-set identity is fine until something is issued),
        # and the formats together, as they must give different numbers.
        _raise(
            {
                k: v
                for k, v in validate_vendor(after).items()
                if k in parsed or k.endswith("_format")
            }
        )
        for name in parsed:
            key = PREFIX + name
            row = session.get(Setting, key)
            text = _encode(name, getattr(after, name))
            if row is None:
                session.add(Setting(key=key, value=text))
            else:
                row.value = text
        audit.record(
            session,
            "vendor.set",
            "setting",
            None,
            before={k: _encode(k, getattr(before, k)) for k in parsed},
            after={k: _encode(k, getattr(after, k)) for k in parsed},
        )
        return after


def set_vendor_in_session(session: Session, changes: dict[str, str]) -> None:
    """For the demo data: write settings inside a transaction that is already open."""
    for name, text in changes.items():
        key = PREFIX + name
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=text))
        else:
            row.value = text


SAMPLE_VENDOR = {
    "name": "Lehrer Lizenzen AG",
    "street": "Bahnhofstrasse",
    "house_number": "12",
    "postcode": "8001",
    "city": "Zürich",
    "country": "CH",
    "email": "rechnungen@lehrer-lizenzen.example",
    "phone": "+41 44 123 45 67",
    "website": "www.lehrer-lizenzen.example",
    "vat_id": "CHE-123.456.788 MWST",
    "iban": "CH93 0076 2011 6238 5295 7",
    "qr_iban": "CH44 3199 9123 0008 8901 2",
    "bic": "",
    "payment_terms_days": "30",
    "footer": "Sample vendor of the demo data · Handelsregister des Kantons Zürich",
}


def ensure_sample_vendor(session: Session) -> bool:
    """Set the sample vendor (demo data) unless a vendor name is already set."""
    if load_vendor(session).name:
        return False
    set_vendor_in_session(session, SAMPLE_VENDOR)
    audit.record(session, "vendor.set", "setting", None, after={"sample": True, **SAMPLE_VENDOR})
    return True
