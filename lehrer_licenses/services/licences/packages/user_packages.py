"""User packages (M1-M11): activation, user counts with the over-capacity rule, the mid-year
upgrade with both options, size changes at the renewal, cancellation, the move to the full
package, and what the school's admin sees (the renewal price from 6 months before expiry).

Every use case is one transaction with an audit entry; every quote shows exactly what the use
case would write. Rules and readings: ``domain/packages.py``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.default_catalogue import PACKAGE_PLAN
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.packages import (
    ADDON,
    FULL,
    PACKAGE,
    RESTART,
    UPGRADE,
    Account,
    CapacityCheck,
    UpgradeOption,
    activation_lines,
    announcement_deadline,
    cancellation_deadline,
    check_capacity,
    component,
    count_users,
    full_package_lines,
    licence_year,
    package_sizes,
    refund_lines,
    renewal_price,
    renewal_price_visible,
    upgrade_options,
)
from lehrer_licenses.domain.periods import Term, cancellation_effective, parse_date
from lehrer_licenses.i18n import _, gettext_for
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.billing import (
    credit_notes,
    draft_edits,
    printing,
    states,
    transactions,
)
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.billing.vendor import load_vendor, require_complete
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.contract_years import (
    plan_of_kind,
    require_in_year,
    running_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    Addon,
    Cancellation,
    Invoice,
    PackageCount,
    School,
    Subscription,
)

REFUND = "refund"
ADDON_ACTIVE = "active"
ADDON_REFUNDED = "refunded"


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

    def to_json(self) -> dict:
        term = Term(self.term_start, self.term_end)
        return {
            "school": self.school,
            "plan": self.plan,
            "action": self.action,
            "capacity": self.capacity,
            "term_start": self.term_start.isoformat(),
            "term_end": self.term_end.isoformat(),
            "cancellation_deadline": cancellation_deadline(term).isoformat(),
            "notices": self.notices,
            "code": self.code,
            "invoice": self.invoice.to_json(),
            "refunds": [r.to_json() for r in self.refunds],
        }


def _package(session: Session, school: School) -> tuple[Subscription, Plan]:
    sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
    if sub is None:
        raise InvalidInput(
            _("school {school} has no running user package").format(school=school.number)
        )
    return sub, plan_from_row(sub.plan)


# --- activation (M1) ------------------------------------------------------------------------


@dataclass
class _Activation:
    school: School
    plan_code: str
    plan: Plan
    capacity: int
    term: Term
    lines: list
    notices: list[str]


def _plan_activation(
    session: Session, school_number: str, capacity: int, on: date, plan_code: str | None
) -> _Activation:
    school = school_by_number(session, school_number)
    code = plan_code or PACKAGE_PLAN
    _row, plan = plan_of_kind(session, code, PlanKind.PACKAGE)
    running = running_of_kind(session, school.id, PlanKind.PACKAGE)
    if running is not None:
        raise InvalidInput(
            _(
                "school {school} has a running package of {n} users until {end}: upgrade it, "
                "or change its size at the renewal"
            ).format(school=school.number, n=running.capacity, end=running.term_end.isoformat())
        )
    tr = gettext_for(school.language)
    lines = activation_lines(plan, capacity, on, tr)
    notices = []
    if plan.option("sample_prices") == "true":
        notices.append(_("The prices of plan {plan} are samples.").format(plan=code))
    return _Activation(
        school, code, plan, capacity, licence_year(on, plan.term_days), lines, notices
    )


def quote_package(
    db: Database, school_number: str, capacity: int, on: date, plan_code: str | None = None
) -> PackageResult:
    """What ``order_package`` would write, written nowhere."""
    with db.reading() as session:
        a = _plan_activation(session, school_number, capacity, on, plan_code)
        invoice = preview_invoice(session, a.school, a.plan.currency, "order", a.lines, on)
        return PackageResult(
            a.school.number,
            a.plan_code,
            "activation",
            capacity,
            a.term.start,
            a.term.end,
            invoice,
            a.notices,
        )


def order_package(
    db: Database,
    school_number: str,
    capacity: int,
    on: date,
    plan_code: str | None = None,
    keys: KeyStore | None = None,
) -> PackageResult:
    """Activate a package of ``capacity`` users on ``on``: the licence year of 365 days starts
    (M1), the draft invoice and the registration code carrying the capacity are written."""
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        a = _plan_activation(session, school_number, capacity, on, plan_code)
        row, _plan = plan_of_kind(session, a.plan_code, PlanKind.PACKAGE)
        sub = Subscription(
            school_id=a.school.id,
            plan_id=row.id,
            status=ACTIVE,
            started_on=on,
            term_start=a.term.start,
            term_end=a.term.end,
            capacity=capacity,
            full_package=False,
        )
        session.add(sub)
        session.flush()
        invoice = create_draft(session, a.school, sub, a.plan.currency, "order", a.lines, on)
        session.refresh(sub)
        code = issue_for(session, a.school, sub, on, "order", signer)
        audit.record(
            session,
            "package.activate",
            "subscription",
            sub.id,
            school_id=a.school.id,
            after={
                "capacity": capacity,
                "term_start": a.term.start,
                "term_end": a.term.end,
                "invoice_id": invoice.id,
            },
        )
        session.flush()
        session.refresh(invoice)
        return PackageResult(
            a.school.number,
            a.plan_code,
            "activation",
            capacity,
            a.term.start,
            a.term.end,
            invoice_view(invoice),
            a.notices,
            code.code,
        )


# --- counting users (M3, M4, M5, M7) --------------------------------------------------------


@dataclass
class CountResult:
    school: str
    counted_on: date
    users: int
    capacity: int
    source: str
    check: CapacityCheck
    warning: str | None
    options: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "school": self.school,
            "date": self.counted_on.isoformat(),
            "users": self.users,
            "capacity": self.capacity,
            "source": self.source,
            "over_capacity": self.check.over,
            "suggested_capacity": self.check.suggested,
            "warning": self.warning,
            "options": self.options,
        }


def read_accounts(path: Path) -> list[Account]:
    """Accounts from a CSV file with the columns ``person`` and optionally ``last_used``,
    ``registered_on``, ``removed_on`` (YYYY-MM-DD), as the licensed program exports them."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(
            _("cannot read the accounts file {path}: {error}").format(path=path, error=exc)
        ) from exc
    if rows and "person" not in rows[0]:
        raise InvalidInput(_("the accounts file {path} needs a column 'person'").format(path=path))
    accounts = []
    for number, row in enumerate(rows, start=2):

        def day(name: str, row=row, number=number) -> date | None:
            text = (row.get(name) or "").strip()
            if not text:
                return None
            try:
                return parse_date(text)
            except DomainError as exc:
                raise InvalidInput(
                    _("line {line} of {path}: {error}").format(line=number, path=path, error=exc)
                ) from exc

        accounts.append(
            Account(
                person=(row.get("person") or "").strip(),
                last_used=day("last_used"),
                registered_on=day("registered_on"),
                removed_on=day("removed_on"),
            )
        )
    return accounts


def _over_capacity(
    session: Session, school: School, sub: Subscription, plan: Plan, check: CapacityCheck, on: date
) -> tuple[str | None, list[dict]]:
    if check.fits:
        return None, []
    if check.suggested is None:
        return (
            _(
                "{users} users are registered, {over} more than the package of {capacity} "
                "allows (M3), and no larger package exists: remove accounts (unused ones and "
                "leavers, M4)"
            ).format(users=check.users, over=check.over, capacity=check.capacity),
            [],
        )
    options = _upgrade_quotes(session, school, sub, plan, check.suggested, on)
    by_kind = {o["option"]: o for o in options}
    return (
        _(
            "{users} users are registered, {over} more than the package of {capacity} allows "
            "(M3): remove accounts (unused ones and leavers, M4), or upgrade to {suggested} "
            "users: {currency} {upgrade} now with the year running on, or {currency} {restart} "
            "for a new licence year from {day}"
        ).format(
            users=check.users,
            over=check.over,
            capacity=check.capacity,
            suggested=check.suggested,
            currency=plan.currency,
            upgrade=by_kind[UPGRADE]["amount"],
            restart=by_kind[RESTART]["amount"],
            day=on.isoformat(),
        ),
        options,
    )


def record_user_count(
    db: Database,
    school_number: str,
    on: date,
    users: int | None = None,
    accounts: list[Account] | None = None,
) -> CountResult:
    """Record how many users the package holds on ``on``: a plain count, or counted from the
    account records (M4: unused for over a year out; M5: duplicates once). Over capacity, the
    result warns and prices both ways out (M7, M8)."""
    if (users is None) == (accounts is None):
        raise InvalidInput(_("give either a user count or the account records, not both"))
    if users is not None and users < 0:
        raise InvalidInput(_("a user count cannot be negative: {n}").format(n=users))
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan = _package(session, school)
        require_in_year(term_of(sub), on, _("a user count"))
        source = "manual"
        if accounts is not None:
            users, source = count_users(accounts, on), "accounts"
        assert users is not None
        capacity = sub.capacity or 0
        check = check_capacity(plan, capacity, users, on)
        row = session.scalar(
            select(PackageCount).where(
                PackageCount.subscription_id == sub.id, PackageCount.counted_on == on
            )
        )
        before = {"users": row.users} if row else {}
        if row is None:
            row = PackageCount(
                school_id=school.id,
                subscription_id=sub.id,
                counted_on=on,
                users=users,
                capacity=capacity,
                source=source,
                created_at=datetime.now(),
            )
            session.add(row)
        else:
            row.users, row.capacity, row.source = users, capacity, source
        session.flush()
        warning, options = _over_capacity(session, school, sub, plan, check, on)
        audit.record(
            session,
            "package.count",
            "package_count",
            row.id,
            school_id=school.id,
            before=before,
            after={"date": on, "users": users, "capacity": capacity, "source": source},
        )
        return CountResult(school.number, on, users, capacity, source, check, warning, options)


# --- mid-year upgrade (M7, M8) --------------------------------------------------------------


def _options(
    school: School, sub: Subscription, plan: Plan, capacity: int, on: date
) -> tuple[UpgradeOption, UpgradeOption]:
    require_in_year(term_of(sub), on, _("an upgrade"))
    return upgrade_options(
        plan,
        current_capacity=sub.capacity or 0,
        new_capacity=capacity,
        term=term_of(sub),
        on=on,
        tr=gettext_for(school.language),
    )


def _option_json(option: UpgradeOption, invoice: InvoiceView) -> dict:
    return {
        "option": option.kind,
        "capacity_from": option.capacity_from,
        "capacity_to": option.capacity_to,
        "amount": money_text(option.amount),
        "term_start": option.term.start.isoformat(),
        "term_end": option.term.end.isoformat(),
        "invoice": invoice.to_json(),
    }


def _upgrade_quotes(
    session: Session, school: School, sub: Subscription, plan: Plan, capacity: int, on: date
) -> list[dict]:
    return [
        _option_json(
            option,
            preview_invoice(session, school, plan.currency, "upgrade", list(option.lines), on),
        )
        for option in _options(school, sub, plan, capacity, on)
    ]


def quote_upgrade(db: Database, school_number: str, capacity: int, on: date) -> dict:
    """Both ways to a larger package with their prices (M8), written nowhere: what the upgrade
    dialog shows."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub, plan = _package(session, school)
        options = _upgrade_quotes(session, school, sub, plan, capacity, on)
        return {
            "school": school.number,
            "date": on.isoformat(),
            "capacity": sub.capacity,
            "term_start": sub.term_start.isoformat(),
            "term_end": sub.term_end.isoformat(),
            "options": options,
        }


def upgrade_package(
    db: Database,
    school_number: str,
    capacity: int,
    on: date,
    option: str = UPGRADE,
    keys: KeyStore | None = None,
) -> PackageResult:
    """Upgrade to ``capacity`` users: ``upgrade`` (fee + difference, the year runs on) or
    ``restart`` (a new licence year from ``on`` at the new package's price)."""
    if option not in (UPGRADE, RESTART):
        raise InvalidInput(
            _("an upgrade is either {upgrade} or {restart}, not {option}").format(
                upgrade=UPGRADE, restart=RESTART, option=option
            )
        )
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan = _package(session, school)
        if option == RESTART and sub.ends_on is not None:
            raise InvalidInput(
                _(
                    "the package of school {school} is cancelled to end on {day}: a new licence "
                    "year cannot start; upgrade with the year running on instead"
                ).format(school=school.number, day=sub.ends_on.isoformat())
            )
        chosen = {o.kind: o for o in _options(school, sub, plan, capacity, on)}[option]
        before = {
            "capacity": sub.capacity,
            "term_start": sub.term_start,
            "term_end": sub.term_end,
        }
        sub.capacity = capacity
        if option == RESTART:
            sub.term_start, sub.term_end = chosen.term.start, chosen.term.end
        if sub.renew_capacity is not None and sub.renew_capacity < capacity:
            sub.renew_capacity = None  # a smaller size asked for the renewal no longer applies
        invoice = create_draft(
            session, school, sub, plan.currency, "upgrade", list(chosen.lines), on
        )
        session.flush()
        code = issue_for(session, school, sub, on, "upgrade", signer)
        audit.record(
            session,
            f"package.{option}",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={
                "capacity": capacity,
                "term_start": sub.term_start,
                "term_end": sub.term_end,
                "invoice_id": invoice.id,
                "amount": chosen.amount,
            },
        )
        session.flush()
        session.refresh(invoice)
        return PackageResult(
            school.number,
            sub.plan.code,
            option,
            capacity,
            sub.term_start,
            sub.term_end,
            invoice_view(invoice),
            [],
            code.code,
        )


# --- size at the renewal (M2), cancellation (M1) --------------------------------------------


def change_at_renewal(db: Database, school_number: str, capacity: int, received: date) -> dict:
    """Choose the package size for the next licence year (M2). A smaller package must arrive by
    the cancellation deadline, as it gives part of the licence up; a larger one any time."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan = _package(session, school)
        term = term_of(sub)
        require_in_year(term, received, _("a package change"))
        renewal = term.renewal_date
        if capacity not in package_sizes(plan, renewal):
            sizes = ", ".join(str(s) for s in package_sizes(plan, renewal))
            raise InvalidInput(
                _("plan {plan} has no package for {n} users on {day}; sizes: {sizes}").format(
                    plan=plan.code, n=capacity, day=renewal.isoformat(), sizes=sizes
                )
            )
        if sub.ends_on is not None and sub.ends_on <= term.end:
            raise InvalidInput(
                _("the package of school {school} is cancelled to end on {day}").format(
                    school=school.number, day=sub.ends_on.isoformat()
                )
            )
        deadline = cancellation_deadline(term, plan.notice_months)
        if capacity < (sub.capacity or 0) and received > deadline:
            raise InvalidInput(
                _(
                    "a smaller package for the renewal on {renewal} had to arrive by {deadline}; "
                    "ask again for the renewal after it"
                ).format(renewal=renewal.isoformat(), deadline=deadline.isoformat())
            )
        before = {"renew_capacity": sub.renew_capacity}
        sub.renew_capacity = None if capacity == sub.capacity else capacity
        audit.record(
            session,
            "package.change_at_renewal",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={"renew_capacity": capacity, "renewal": renewal, "received": received},
        )
        return {
            "school": school.number,
            "capacity": sub.capacity,
            "capacity_from_renewal": capacity,
            "renewal": renewal.isoformat(),
            "received": received.isoformat(),
        }


def plan_cancellation(session: Session, school: School, received: date):
    """The running package and when a cancellation received on ``received`` takes effect (M1),
    with the refusals of ``cancel_package``; writes nothing (the app's preview uses it too)."""
    sub, plan = _package(session, school)
    term = term_of(sub)
    require_in_year(term, received, _("a cancellation received"))
    if sub.ends_on is not None:
        raise InvalidInput(
            _("the package of school {school} is already cancelled, ending on {day}").format(
                school=school.number, day=sub.ends_on.isoformat()
            )
        )
    return sub, cancellation_effective(
        plan.term, term, received, plan.notice_months, plan.term_days
    )


def cancel_package(db: Database, school_number: str, received: date) -> dict:
    """A cancellation received on ``received``: in time (3 months before the end, M1) the
    package ends with its licence year, otherwise with the year after it."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, outcome = plan_cancellation(session, school, received)
        sub.ends_on = outcome.effective
        record = Cancellation(
            school_id=school.id,
            subscription_id=sub.id,
            received_on=received,
            seats=None,
            deadline=outcome.deadline,
            in_time=outcome.in_time,
            effective_on=outcome.effective,
            status="pending",
        )
        session.add(record)
        session.flush()
        audit.record(
            session,
            "package.cancel",
            "cancellation",
            record.id,
            school_id=school.id,
            after={
                "received": received,
                "deadline": outcome.deadline,
                "in_time": outcome.in_time,
                "effective": outcome.effective,
            },
        )
        return {
            "school": school.number,
            "received": received.isoformat(),
            "deadline": outcome.deadline.isoformat(),
            "in_time": outcome.in_time,
            "effective": outcome.effective.isoformat(),
        }


# --- the full package and add-on refunds (M10) ----------------------------------------------


def _plan_full(session: Session, school: School, on: date):
    sub, plan = _package(session, school)
    if sub.full_package:
        raise InvalidInput(
            _("school {school} has the full package already").format(school=school.number)
        )
    term = term_of(sub)
    require_in_year(term, on, _("the move to the full package"))
    tr = gettext_for(school.language)
    lines = full_package_lines(plan, sub.capacity or 0, term, on, tr)
    addons = session.scalars(
        select(Addon)
        .where(Addon.subscription_id == sub.id, Addon.status == ADDON_ACTIVE)
        .order_by(Addon.id)
    ).all()
    refunds = []
    for addon in addons:
        addon_term = Term(addon.term_start, addon.term_end)
        if addon_term.contains(on):
            refund = refund_lines(addon.subject, addon.price, addon_term, on, tr)
            refunds.append((addon, refund, _addon_year_invoice(session, addon)))
    if any(invoice.status != states.DRAFT for _a, _l, invoice in refunds):
        # What a credit note needs, checked before anything is written (and in the quote).
        require_complete(load_vendor(session))
        printing.require_postal_address(school)
    return sub, plan, lines, refunds


def _addon_year_invoice(session: Session, addon: Addon) -> Invoice:
    """The invoice of the add-on's running year (M10): the one a refund corrects."""
    key = f"addon:{addon.id}:{addon.term_start.isoformat()}"
    invoice = session.scalar(select(Invoice).where(Invoice.billing_key == key))
    if invoice is None:  # data from before billing keys: the add-on's latest invoice
        invoice = session.scalar(
            select(Invoice)
            .where(Invoice.addon_id == addon.id, Invoice.kind == states.INVOICE)
            .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
            .limit(1)
        )
    if invoice is None:
        raise InvalidInput(
            _("the add-on {subject} has no invoice for its year from {day} to refund").format(
                subject=addon.subject, day=addon.term_start.isoformat()
            )
        )
    return invoice


def _credit_amount(invoice: Invoice, refund: Decimal) -> Decimal:
    """The refund (net) incl. VAT at the invoice's rate, as ``credit_invoice`` takes it; the
    whole price credits the whole invoice. Taking the VAT out again gives back the net refund
    to the cent, as the rate is positive."""
    if refund == invoice.net:
        return invoice.payable
    return round_half_up(refund * (100 + invoice.vat_rate) / 100)


def _refund_notice(addon: Addon, invoice: Invoice, refund: Decimal) -> str:
    if invoice.status == states.DRAFT:
        return _(
            "The add-on {subject}: its invoice is still a draft (id {id}); the refund of "
            "{currency} {amount} net is deducted from it."
        ).format(
            subject=addon.subject, id=invoice.id, currency=invoice.currency,
            amount=money_text(refund),
        )  # fmt: skip
    return _(
        "The add-on {subject}: a credit note on invoice {number} for {currency} {amount} "
        "(incl. VAT)."
    ).format(
        subject=addon.subject, number=invoice.number, currency=invoice.currency,
        amount=money_text(_credit_amount(invoice, refund)),
    )  # fmt: skip


def _refund(session: Session, addon: Addon, invoice: Invoice, lines: list, on: date) -> Invoice:
    """The pro-rata refund of ``addon`` (M10) through billing's own use cases, inside this
    transaction: a credit note referencing the add-on's issued invoice, or, while that invoice is
    still a draft, the refund line deducted from the draft (nothing was billed yet)."""
    (line,) = lines
    refund = -line.amount
    here = transactions.InTransaction(session)
    if invoice.status == states.DRAFT:
        draft_edits.edit_draft(
            here,  # type: ignore[arg-type]
            str(invoice.id),
            add=[draft_edits.LineInput(line.description, line.quantity, line.unit_price)],
        )
        session.refresh(invoice)
        return invoice
    if refund <= 0:
        raise InvalidInput(
            _("the add-on {subject} has nothing left to refund on {day}").format(
                subject=addon.subject, day=on.isoformat()
            )
        )
    credit = credit_notes.credit_invoice(
        here,  # type: ignore[arg-type]
        invoice.number or str(invoice.id),
        reason=line.description,
        amount=_credit_amount(invoice, refund),
        on=on,
        line_text=line.description,
    )
    return session.get(Invoice, credit.record.id)


def move_to_full_package(
    db: Database,
    school_number: str,
    on: date,
    *,
    quote: bool = False,
    keys: KeyStore | None = None,
) -> PackageResult:
    """Move to the full package (all subjects) on ``on``: the difference of the annual prices for
    the rest of the year, and every running subject add-on refunded pro rata (M10), each on a
    document of its own.

    A refund is a credit note referencing the add-on's invoice (DESIGN §4: an issued invoice is
    corrected only by a credit note), written by billing's ``credit_invoice`` in this same
    transaction; an add-on invoice still a draft gets the refund line deducted instead. The quote
    previews each refund as a negative document and says which of the two it will be.
    """
    if quote:
        with db.reading() as session:
            school = school_by_number(session, school_number)
            sub, plan, lines, refunds = _plan_full(session, school, on)
            return PackageResult(
                school.number,
                sub.plan.code,
                "full_package",
                sub.capacity or 0,
                sub.term_start,
                sub.term_end,
                preview_invoice(session, school, plan.currency, "upgrade", lines, on),
                [_refund_notice(a, inv, -refund[0].amount) for a, refund, inv in refunds],
                None,
                [
                    preview_invoice(session, school, plan.currency, REFUND, refund, on)
                    for _addon, refund, _invoice in refunds
                ],
            )
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan, lines, refunds = _plan_full(session, school, on)
        sub.full_package = True
        invoice = create_draft(session, school, sub, plan.currency, "upgrade", lines, on)
        refund_views, notices = [], []
        for addon, refund, addon_invoice in refunds:
            notices.append(_refund_notice(addon, addon_invoice, -refund[0].amount))
            note = _refund(session, addon, addon_invoice, refund, on)
            addon.status, addon.refunded_on = ADDON_REFUNDED, on
            session.flush()
            refund_views.append(invoice_view(note))
        code = issue_for(session, school, sub, on, "upgrade", signer)
        audit.record(
            session,
            "package.full",
            "subscription",
            sub.id,
            school_id=school.id,
            after={
                "on": on,
                "invoice_id": invoice.id,
                "refunded_addons": [a.id for a, _lines, _invoice in refunds],
                "refunds": [r.id for r in refund_views],
            },
        )
        session.flush()
        session.refresh(invoice)
        return PackageResult(
            school.number,
            sub.plan.code,
            "full_package",
            sub.capacity or 0,
            sub.term_start,
            sub.term_end,
            invoice_view(invoice),
            notices,
            code.code,
            refund_views,
        )


# --- what the admin sees (M11) --------------------------------------------------------------


def renewal_quote(plan: Plan, component_name: str, renewal: date, on: date) -> dict:
    """The price at the renewal, shown from 6 months before it (M11), with any increase that was
    announced too late to apply at it."""
    if not renewal_price_visible(renewal, on):
        return {
            "visible_from": announcement_deadline(renewal).isoformat(),
            "amount": None,
            "postponed_increases": [],
        }
    price = renewal_price(plan, component_name, renewal)
    return {
        "visible_from": announcement_deadline(renewal).isoformat(),
        "amount": money_text(price.amount),
        "postponed_increases": [
            {
                "amount": money_text(p.amount),
                "valid_from": p.valid_from.isoformat(),
                "announced_on": p.announced_on.isoformat() if p.announced_on else None,
            }
            for p in price.postponed
        ],
    }


def latest_count(session: Session, subscription_id: int) -> PackageCount | None:
    """The package's most recent user count, if any."""
    return session.scalar(
        select(PackageCount)
        .where(PackageCount.subscription_id == subscription_id)
        .order_by(PackageCount.counted_on.desc())
        .limit(1)
    )


def package_status(db: Database, school_number: str, on: date) -> dict:
    """The package as the school's admin sees it on ``on``: size, licence year, deadline, the
    latest count, pending changes, and the renewal price of the package and of each add-on from
    6 months before their renewal (M11)."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
        if sub is None:
            raise InvalidInput(
                _("school {school} has no running user package").format(school=school.number)
            )
        plan = plan_from_row(sub.plan)
        term = term_of(sub)
        latest = latest_count(session, sub.id)
        next_capacity = sub.renew_capacity or sub.capacity or 0
        prefix = FULL if sub.full_package else PACKAGE
        renewing = sub.ends_on is None or sub.ends_on > term.end
        addons = session.scalars(
            select(Addon).where(Addon.subscription_id == sub.id).order_by(Addon.id)
        ).all()
        return {
            "school": school.number,
            "plan": plan.code,
            "currency": plan.currency,
            "capacity": sub.capacity,
            "full_package": sub.full_package,
            "term_start": term.start.isoformat(),
            "term_end": term.end.isoformat(),
            "cancellation_deadline": cancellation_deadline(term, plan.notice_months).isoformat(),
            "ends_on": sub.ends_on.isoformat() if sub.ends_on else None,
            "latest_count": (
                {"date": latest.counted_on.isoformat(), "users": latest.users} if latest else None
            ),
            "renewal": (
                {
                    "date": term.renewal_date.isoformat(),
                    "capacity": next_capacity,
                    **renewal_quote(plan, component(prefix, next_capacity), term.renewal_date, on),
                }
                if renewing
                else None
            ),
            "addons": [
                addon_json(
                    a,
                    plan,
                    on,
                    next_capacity if a.term_end >= term.end else sub.capacity or 0,
                )
                for a in addons
            ],
        }


def addon_json(
    addon: Addon,
    plan: Plan | None = None,
    on: date | None = None,
    capacity_at_renewal: int | None = None,
) -> dict:
    """An add-on as the views show it; with ``plan`` and ``on``, its renewal price (M11) at the
    package size it will follow then (M3)."""
    term = Term(addon.term_start, addon.term_end)
    doc = {
        "id": addon.id,
        "subject": addon.subject,
        "status": addon.status,
        "started_on": addon.started_on.isoformat(),
        "term_start": term.start.isoformat(),
        "term_end": term.end.isoformat(),
        "capacity": addon.capacity,
        "price": money_text(addon.price),
        "cancellation_deadline": cancellation_deadline(term).isoformat(),
        "ends_on": addon.ends_on.isoformat() if addon.ends_on else None,
        "refunded_on": addon.refunded_on.isoformat() if addon.refunded_on else None,
        "billing_address": {
            "name": addon.billing_name,
            "street": addon.billing_street,
            "postcode": addon.billing_postcode,
            "city": addon.billing_city,
            "country": addon.billing_country,
        },
    }
    if plan is not None and on is not None and addon.status == ADDON_ACTIVE:
        doc["renewal"] = {
            "date": term.renewal_date.isoformat(),
            "capacity": capacity_at_renewal or addon.capacity,
            **renewal_quote(
                plan,
                component(ADDON, capacity_at_renewal or addon.capacity),
                term.renewal_date,
                on,
            ),
        }
    return doc
