"""Registration codes (L6): issued on every order and renewal, on demand, and kept as history.

The signing key lives in the key folder (store.keystore), never in the database. ``init`` makes
one on first use; afterwards a missing key stops the use case with a message saying where the key
was looked for, because a silently new key would invalidate every code already issued.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.regcode import (
    CodeRejected,
    Licence,
    LicenceKind,
    issue_code,
    load_public_key,
    verify,
)
from lehrer_licenses.i18n import _
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.contracts import (
    active_seats,
    latest_subscription,
    running_subscription,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.audit import AuditJournal
from lehrer_licenses.store.bulk import GroupInserts
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import IssuedCode, PreInvestmentRow, School, Subscription


@dataclass(frozen=True)
class CodeView:
    school: str
    serial: int
    product: str
    seats: int
    issued_on: date
    valid_until: date
    reason: str
    code: str
    kind: LicenceKind = LicenceKind.SEATS
    variant: int = 0


def ensure_signing_key(keys: KeyStore | None = None) -> bool:
    """Create the key pair on first use; True when a new one was made."""
    keys = keys or KeyStore()
    if keys.exists():
        return False
    keys.create()
    return True


def _view(row: IssuedCode, school: School) -> CodeView:
    return CodeView(
        school.number,
        row.serial,
        row.product,
        row.quantity,
        row.issued_on,
        row.valid_until,
        row.reason,
        row.code,
        LicenceKind(row.kind),
        row.variant,
    )


def licence_terms(session: Session, sub: Subscription) -> tuple[LicenceKind, int, int]:
    """(kind, variant, quantity) a code for the contract carries now.

    Per-seat plans: the seats held. User packages: the package capacity. Per-pupil plans: the
    plan variant and the pupils of the running year's pre-investment.
    """
    kind = sub.plan.kind
    if kind == PlanKind.PACKAGE.value:
        return LicenceKind.PACKAGE, 0, sub.capacity or 0
    if kind == PlanKind.PER_UNIT.value:
        pupils = session.scalar(
            select(func.coalesce(func.sum(PreInvestmentRow.pupils), 0)).where(
                PreInvestmentRow.subscription_id == sub.id,
                PreInvestmentRow.term_start == sub.term_start,
            )
        )
        return LicenceKind.PUPILS, int(json.loads(sub.plan.options or "{}")["variant"]), pupils
    return LicenceKind.SEATS, 0, len(active_seats(sub))


_INSERT_CODE = IssuedCode.__table__.insert().returning(IssuedCode.__table__.c.id)


_CODES = IssuedCode.__table__
_LAST_SERIAL = select(func.max(_CODES.c.serial)).where(_CODES.c.school_id == bindparam("b_school"))
_LAST_SERIALS = (
    select(_CODES.c.school_id, func.max(_CODES.c.serial))
    .where(_CODES.c.school_id.in_(bindparam("b_schools", expanding=True)))
    .group_by(_CODES.c.school_id)
)


def _next_serial(session: Session, school_id: int) -> int:
    return (session.execute(_LAST_SERIAL, {"b_school": school_id}).scalar() or 0) + 1


def latest_serials(session: Session, school_ids: list[int]) -> dict[int, int]:
    """The highest code serial of each of the schools that has a code."""
    return {
        school: serial
        for school, serial in session.execute(_LAST_SERIALS, {"b_schools": school_ids})
    }


def _signed_row(
    school: School,
    *,
    subscription_id: int | None,
    product: str,
    kind: LicenceKind,
    variant: int,
    quantity: int,
    valid_until: date,
    on: date,
    reason: str,
    signer: Ed25519PrivateKey,
    serial: int,
) -> dict:
    """The columns of a new ``issued_code`` row, its code signed."""
    licence = Licence(
        product=product,
        school=school.number,
        kind=kind,
        quantity=quantity,
        valid_until=valid_until,
        issued_on=on,
        serial=serial,
        variant=variant,
    )
    return {
        "school_id": school.id,
        "subscription_id": subscription_id,
        "serial": serial,
        "product": licence.product,
        "kind": int(licence.kind),
        "variant": variant,
        "quantity": quantity,
        "issued_on": on,
        "valid_until": valid_until,
        "reason": reason,
        "code": issue_code(licence, signer),
        "created_at": datetime.now(),
    }


def _audit_code(session: Session | AuditJournal, row: dict, row_id: int) -> None:
    after = {
        "serial": row["serial"],
        "seats": row["quantity"],
        "valid_until": row["valid_until"],
        "reason": row["reason"],
    }
    if row["kind"] != int(LicenceKind.SEATS):
        after = {**after, "kind": LicenceKind(row["kind"]).name.lower(), "variant": row["variant"]}
    audit.record(
        session,
        "code.issue",
        "issued_code",
        row_id,
        school_id=row["school_id"],
        after=after,
    )


def record_code(
    session: Session,
    school: School,
    *,
    subscription_id: int | None,
    product: str,
    kind: LicenceKind,
    variant: int,
    quantity: int,
    valid_until: date,
    on: date,
    reason: str,
    signer: Ed25519PrivateKey,
    journal: AuditJournal | None = None,
    serial: int | None = None,
) -> IssuedCode:
    """Sign and record a code (inside a use case); the serial is the school's next one (or
    ``serial``, a batch's count of it). Its audit entry goes to ``journal`` when given (a batch
    run's), else to the session."""
    values = _signed_row(
        school,
        subscription_id=subscription_id,
        product=product,
        kind=kind,
        variant=variant,
        quantity=quantity,
        valid_until=valid_until,
        on=on,
        reason=reason,
        signer=signer,
        serial=_next_serial(session, school.id) if serial is None else serial,
    )
    row = IssuedCode(**values)
    session.add(row)
    session.flush()
    _audit_code(session if journal is None else journal, values, row.id)
    return row


def insert_seat_code(
    session: Session,
    school: School,
    *,
    subscription_id: int,
    product: str,
    seats: int,
    valid_until: date,
    on: date,
    reason: str,
    signer: Ed25519PrivateKey,
    journal: AuditJournal,
    serial: int | None = None,
    inserts: GroupInserts | None = None,
) -> str:
    """``record_code`` for a per-seat contract as one INSERT, without the unit of work: for a
    batch run, whose transaction per contract must stay cheap. Returns the code. ``serial``:
    the school's next serial when the batch counts them itself (the unique index on the
    school's serials still refuses one taken); ``inserts``: the batch's, which writes the row
    with its group."""
    values = _signed_row(
        school,
        subscription_id=subscription_id,
        product=product,
        kind=LicenceKind.SEATS,
        variant=0,
        quantity=seats,
        valid_until=valid_until,
        on=on,
        reason=reason,
        signer=signer,
        serial=_next_serial(session, school.id) if serial is None else serial,
    )
    if inserts is not None:
        row_id = inserts.insert(_CODES, values)
    else:
        row_id = session.execute(_INSERT_CODE, values).scalar_one()
    _audit_code(journal, values, row_id)
    return values["code"]


def issue_for(
    session: Session,
    school: School,
    sub: Subscription,
    on: date,
    reason: str,
    signer: Ed25519PrivateKey,
    *,
    plan_kind: str | None = None,
    product: str | None = None,
    journal: AuditJournal | None = None,
    serial: int | None = None,
) -> IssuedCode:
    """Sign and record a code for the contract as it is now (inside a use case): its seats, its
    package capacity, or its per-pupil variant and pupils (``licence_terms``).

    A batch run that has read the catalogue once passes the plan's kind and product code, so
    the contract's plan need not be loaded for each code, and its ``journal`` for the entry."""
    if plan_kind == PlanKind.PER_SEAT.value:
        kind, variant, quantity = LicenceKind.SEATS, 0, len(active_seats(sub))
    else:
        kind, variant, quantity = licence_terms(session, sub)
    return record_code(
        session,
        school,
        subscription_id=sub.id,
        product=product or sub.plan.product.code,
        kind=kind,
        variant=variant,
        quantity=quantity,
        valid_until=sub.term_end,
        on=on,
        reason=reason,
        signer=signer,
        journal=journal,
        serial=serial,
    )


def issue_code_now(
    db: Database, school_number: str, on: date | None = None, keys: KeyStore | None = None
) -> CodeView:
    """``code issue SCHOOL``: a code for the school's current contract."""
    on = on or date.today()
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub = (
            running_subscription(session, school)
            or running_subscription(session, school, any_kind=True)
            or latest_subscription(session, school)
        )
        if sub is None or licence_terms(session, sub) == (LicenceKind.SEATS, 0, 0):
            raise InvalidInput(
                _("School {school} has no seats to put in a code").format(school=school.number)
            )
        return _view(issue_for(session, school, sub, on, "manual", signer), school)


def code_history(db: Database, school_number: str) -> list[CodeView]:
    with db.reading() as session:
        school = school_by_number(session, school_number)
        rows = session.scalars(
            select(IssuedCode).where(IssuedCode.school_id == school.id).order_by(IssuedCode.serial)
        )
        return [_view(row, school) for row in rows]


def verify_code(
    code: str,
    public_key: Path | None = None,
    keys: KeyStore | None = None,
    today: date | None = None,
) -> dict:
    """What a code grants, or a CodeRejected naming why not. Needs only the public key."""
    key = (
        load_public_key(public_key.read_bytes())
        if public_key
        else (keys or KeyStore()).public_key()
    )
    licence = verify(code, key, today=today)
    return {
        "valid": True,
        "product": licence.product,
        "school": licence.school,
        "kind": licence.kind.name.lower(),
        "quantity": licence.quantity,
        "variant": licence.variant_name,
        "valid_until": licence.valid_until.isoformat(),
        "issued_on": licence.issued_on.isoformat(),
        "serial": licence.serial,
    }


MIN_PASSPHRASE = 10


def backup_signing_key(path: Path, passphrase: str, keys: KeyStore | None = None) -> Path:
    """The key pair, encrypted with ``passphrase``, for safekeeping away from this machine."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            _("The passphrase must have at least {n} characters").format(n=MIN_PASSPHRASE)
        )
    return (keys or KeyStore()).backup(path, passphrase)


def restore_signing_key(
    path: Path, passphrase: str, overwrite: bool = False, keys: KeyStore | None = None
) -> bytes:
    """Put a backed-up key pair in place; returns its public key as PEM."""
    keys = keys or KeyStore()
    keys.restore(path, passphrase, overwrite=overwrite)
    return keys.public_key_pem()


def export_public_key(path: Path, keys: KeyStore | None = None) -> Path:
    return (keys or KeyStore()).export_public(path)


__all__ = [
    "CodeRejected",
    "CodeView",
    "code_history",
    "ensure_signing_key",
    "export_public_key",
    "issue_code_now",
    "issue_for",
    "verify_code",
]
