"""Schools: adding, finding, and the validation of what a clerk types."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.payment_text import shown, unpayable
from lehrer_licenses.domain.vat import COUNTRIES
from lehrer_licenses.i18n import LANGUAGES, _
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.licences.seats.contracts import active_seats, open_assignment
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.locks import for_change, serialize
from lehrer_licenses.store.models import Invoice, School, Subscription
from lehrer_licenses.store.search_index import school_match_count, school_matches

FIRST_SCHOOL_NUMBER = 100001
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE = {"CH": r"\d{4}", "AT": r"\d{4}", "DE": r"\d{5}", "NL": r"\d{4} ?[A-Z]{2}"}


@dataclass
class SchoolInput:
    name: str
    country: str
    language: str
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    vat_id: str = ""
    db_hosting: bool = False
    canton_licence: bool = False
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict, repr=False)


def _vat_valid(country: str, number: str) -> bool:
    from stdnum.at import uid as at_uid
    from stdnum.ch import uid as ch_uid
    from stdnum.de import vat as de_vat
    from stdnum.nl import btw as nl_btw

    module = {"CH": ch_uid, "DE": de_vat, "AT": at_uid, "NL": nl_btw}[country]
    candidate = number
    if country == "CH":
        # The Swiss UID is printed as CHE-123.456.789 with an optional MWST/TVA/IVA suffix.
        candidate = re.sub(r"\s*(MWST|TVA|IVA|VAT)$", "", number.strip(), flags=re.I)
    return bool(module.is_valid(candidate))


# What goes into the QR-bill's debtor or an e-invoice buyer: checked as typed, not at issue time.
PAYMENT_FIELDS = ("name", "street", "house_number", "postcode", "city")


def unpayable_reason(value: str) -> str | None:
    """Why a payment code cannot carry ``value`` (None: it can, typographic forms mapped)."""
    bad = unpayable(value)
    if not bad:
        return None
    return _("holds characters a QR-bill or EPC payment code cannot carry: {characters}").format(
        characters=shown(bad)
    )


def validate_school(data: SchoolInput) -> dict[str, str]:
    """Field -> reason for everything wrong; empty when the input is fine."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("the name is required")
    if data.country not in COUNTRIES:
        errors["country"] = _("the country must be one of {countries}, not {value!r}").format(
            countries=", ".join(COUNTRIES), value=data.country
        )
    if data.language not in LANGUAGES:
        errors["language"] = _("the language must be one of {languages}, not {value!r}").format(
            languages=", ".join(LANGUAGES), value=data.language
        )
    if data.email and not EMAIL.match(data.email.strip()):
        errors["email"] = _("not an e-mail address: {value!r}").format(value=data.email)
    if (
        data.postcode
        and data.country in POSTCODE
        and not re.fullmatch(POSTCODE[data.country], data.postcode.strip())
    ):
        errors["postcode"] = _("not a postcode of {country}: {value!r}").format(
            country=data.country, value=data.postcode
        )
    if data.vat_id and data.country in COUNTRIES and not _vat_valid(data.country, data.vat_id):
        errors["vat_id"] = _("not a valid VAT/UID number for {country}: {value!r}").format(
            country=data.country, value=data.vat_id
        )
    for name in PAYMENT_FIELDS:
        reason = unpayable_reason(getattr(data, name))
        if reason:
            errors.setdefault(name, reason)
    if data.canton_licence and not data.db_hosting:
        errors["canton_licence"] = _("a canton licence only applies to DB-hosting schools")
    return errors


def school_by_number(session: Session, number: str) -> School:
    """In a use case's transaction the school's row is locked (store/locks.py): the first thing
    it reads, before the contracts and seats it will change."""
    query = select(School).where(School.number == str(number).strip())
    school = session.scalar(for_change(session, query))
    if school is None:
        raise NotFound(_("no school with number {number}").format(number=number))
    return school


def next_school_number(session: Session) -> str:
    # the highest number is read only after the program before has committed its new school
    serialize(session, "school.number")
    highest = session.scalar(select(func.max(School.number)))
    return str(max(FIRST_SCHOOL_NUMBER, int(highest) + 1 if highest else FIRST_SCHOOL_NUMBER))


# A school's identity, address and contact: what its audit snapshot records and an edit may change.
IDENTITY = (
    "name",
    "country",
    "language",
    "street",
    "house_number",
    "postcode",
    "city",
    "email",
    "vat_id",
)


def school_snapshot(school: School) -> dict:
    fields = ("number", *IDENTITY, "db_hosting", "canton_licence")
    return {k: getattr(school, k) for k in fields}


def add_school(db: Database, data: SchoolInput) -> str:
    errors = validate_school(data)
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in errors.items()))
    with db.transaction() as session:
        return insert_school(session, data).number


def insert_school(session: Session, data: SchoolInput, number: str | None = None) -> School:
    """Write a validated school and its audit entry in the caller's transaction (the CSV import
    writes many in one)."""
    school = School(
        number=number or next_school_number(session),
        name=data.name.strip(),
        country=data.country,
        language=data.language,
        street=data.street.strip(),
        house_number=data.house_number.strip(),
        postcode=data.postcode.strip(),
        city=data.city.strip(),
        email=data.email.strip(),
        vat_id=data.vat_id.strip(),
        db_hosting=data.db_hosting,
        canton_licence=data.canton_licence,
        note=data.note,
        created_at=datetime.now(),
    )
    session.add(school)
    session.flush()
    audit.record(
        session,
        "school.add",
        "school",
        school.id,
        school_id=school.id,
        after=school_snapshot(school),
    )
    return school


def search_condition(text: str, *, as_filter: bool = False):
    """Name, number, city or postcode contain ``text``, whatever its case and accents: the
    stored folded copy of those fields (``School.search_text``) contains ``text`` folded, as
    the search index finds it (store/search_index.py; ``as_filter`` is explained there)."""
    return school_matches(School.id, School.search_text, text, as_filter=as_filter)


def search_count(text: str):
    """How many schools ``search_condition(text)`` finds, as a scalar subquery (counted by the
    search index where it can)."""
    return school_match_count(School.id, School.search_text, text)


@dataclass(frozen=True)
class SchoolRecord:
    """A school's own fields, as ``school list`` and ``school show`` give them."""

    number: str
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    country: str
    language: str
    email: str
    vat_id: str
    db_hosting: bool
    canton_licence: bool


@dataclass(frozen=True)
class ContractSummary:
    plan: str
    status: str
    started_on: date
    term_start: date
    term_end: date
    ends_on: date | None
    seats: int
    seats_taken: int
    seats_cancelled: int


@dataclass(frozen=True)
class InvoiceSummary:
    id: int
    number: str | None  # None while a draft
    status: str
    reason: str
    invoice_date: date
    currency: str
    payable: Decimal


@dataclass(frozen=True)
class SchoolSummary:
    school: SchoolRecord
    contracts: tuple[ContractSummary, ...]
    invoices: tuple[InvoiceSummary, ...]


def _record(school: School) -> SchoolRecord:
    # the record's fields are columns of the school of the same name
    return SchoolRecord(**{f.name: getattr(school, f.name) for f in fields(SchoolRecord)})


def find_schools(db: Database, search: str = "", limit: int = 50) -> list[SchoolRecord]:
    with db.reading() as session:
        query = select(School).order_by(School.name, School.number).limit(limit)
        if search.strip():
            query = query.where(search_condition(search))
        return [_record(s) for s in session.scalars(query)]


def school_summary(db: Database, number: str) -> SchoolSummary:
    """A school with its contract, seats and invoices, for ``school show``."""
    with db.reading() as session:
        school = school_by_number(session, number)
        subs = session.scalars(
            select(Subscription)
            .where(Subscription.school_id == school.id)
            .order_by(Subscription.started_on)
        ).all()
        contracts = []
        for sub in subs:
            seats = active_seats(sub)
            contracts.append(
                ContractSummary(
                    plan=sub.plan.code,
                    status=sub.status,
                    started_on=sub.started_on,
                    term_start=sub.term_start,
                    term_end=sub.term_end,
                    ends_on=sub.ends_on,
                    seats=len(seats),
                    seats_taken=sum(1 for s in seats if open_assignment(s) is not None),
                    seats_cancelled=sum(1 for s in seats if s.release_on is not None),
                )
            )
        invoices = tuple(
            InvoiceSummary(
                id=inv.id,
                number=inv.number,
                status=inv.status,
                reason=inv.reason,
                invoice_date=inv.invoice_date,
                currency=inv.currency,
                payable=inv.payable,
            )
            for inv in session.scalars(
                select(Invoice)
                .where(Invoice.school_id == school.id)
                .order_by(Invoice.invoice_date, Invoice.id)
            )
        )
        return SchoolSummary(_record(school), tuple(contracts), invoices)


# What ``edit_school`` may change: the school's identity, address and contact. The licence
# flags (DB-hosting, canton licence) change contracts and are not an edit.
EDITABLE = (*IDENTITY, "leitweg_id", "note")


@dataclass(frozen=True)
class SchoolEdit:
    """What ``edit_school`` changed: field -> (old, new), and how many unissued documents
    (drafts, quotes) now show the new values."""

    school: str
    changed: dict[str, tuple[str | None, str | None]]
    drafts_affected: int


def apply_edit(
    session: Session, row: object, new: dict, action: str, entity: str, school_id: int
) -> dict[str, tuple[str | None, str | None]]:
    """Set the fields of ``new`` that differ on ``row`` and audit them old -> new in the
    caller's transaction; returns field -> (old, new) of what changed (nothing: no entry)."""
    before = {name: getattr(row, name) for name in new}
    changed = {name: value for name, value in new.items() if before[name] != value}
    for name, value in changed.items():
        setattr(row, name, value)
    if changed:
        audit.record(
            session,
            action,
            entity,
            row.id,  # type: ignore[attr-defined]
            school_id=school_id,
            before={name: before[name] for name in changed},
            after=changed,
        )
    return {name: (before[name], value) for name, value in changed.items()}


def _leitweg_id(value: str) -> str | None:
    """A Leitweg-ID in its compact form, None for none; InvalidInput when it is no Leitweg-ID."""
    from stdnum.de import leitweg

    text = value.strip().upper()
    if text and not leitweg.is_valid(text):
        raise InvalidInput(_("leitweg_id: not a valid Leitweg-ID: {value!r}").format(value=value))
    return leitweg.compact(text) if text else None


def edit_school(db: Database, number: str, changes: dict[str, str]) -> SchoolEdit:
    """Change a school's name, address, language, e-mail, VAT/UID number, Leitweg-ID or note,
    checked as a new school is (``validate_school``) and audited with the old and new values.

    Issued invoices and credit notes keep the school as it was: their PDF is stored at issue.
    Drafts and quotes are rendered when shown, so they show the new values; their count is
    returned so that the clerk knows what the change reaches."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(
            _("a school has no field {fields} to edit").format(fields=", ".join(unknown))
        )
    if not changes:
        raise InvalidInput(_("Nothing to change: give at least one field"))
    with db.transaction() as session:
        school = school_by_number(session, number)
        current = {name: getattr(school, name) or "" for name in EDITABLE}
        wanted = {**current, **changes}
        data = SchoolInput(
            **{name: wanted[name] for name in EDITABLE if name != "leitweg_id"},
            db_hosting=school.db_hosting,
            canton_licence=school.canton_licence,
        )
        errors = validate_school(data)
        if errors:
            raise InvalidInput("; ".join(f"{k}: {v}" for k, v in errors.items()))
        new = {
            name: (value if name == "note" else value.strip())
            for name, value in changes.items()
            if name != "leitweg_id"
        }
        if "leitweg_id" in changes:
            new["leitweg_id"] = _leitweg_id(changes["leitweg_id"])
        changed = apply_edit(session, school, new, "school.edit", "school", school.id)
        not_issued = session.scalar(
            select(func.count(Invoice.id)).where(
                Invoice.school_id == school.id, Invoice.number.is_(None)
            )
        )
        return SchoolEdit(school.number, changed, int(not_issued or 0))


def editable_values(db: Database, number: str) -> dict[str, str]:
    """The fields ``edit_school`` changes, as they are now (for the edit dialog)."""
    with db.reading() as session:
        school = school_by_number(session, number)
        return {name: getattr(school, name) or "" for name in EDITABLE}
