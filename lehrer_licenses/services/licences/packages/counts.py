"""Counting a package's users (M3, M4, M5, M7): a plain count or one read from the account
records, and, over capacity, the warning with both ways out priced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.packages import (
    RESTART,
    UPGRADE,
    Account,
    CapacityCheck,
    check_capacity,
    count_users,
)
from lehrer_licenses.domain.periods import parse_date
from lehrer_licenses.domain.typed_dates import parse_typed_date
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.exchange.csv_reading import UnreadableFile, header_key, read_table
from lehrer_licenses.services.licences.contract_years import (
    require_in_year,
    term_of,
)
from lehrer_licenses.services.licences.packages.contract import running_package
from lehrer_licenses.services.licences.packages.upgrade import PricedOption, upgrade_quotes
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    PackageCount,
    School,
    Subscription,
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
    options: list[PricedOption] = field(default_factory=list)


# The account export's columns, with the names German and English exports give them.
ACCOUNT_COLUMNS = {
    "person": ("Person", "Benutzer", "user"),
    "last_used": ("last used", "zuletzt genutzt", "letzte Nutzung"),
    "registered_on": ("registered", "registriert"),
    "removed_on": ("removed", "entfernt", "gelöscht"),
}
# ISO as the spec of the export writes dates, or day.month.year as German Excel rewrites them
_GERMAN_DAY = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")


def read_accounts(path: Path) -> list[Account]:
    """Accounts from a CSV file with the columns ``person`` and optionally ``last_used``,
    ``registered_on``, ``removed_on``, as the licensed program exports them; read by the one
    CSV reader of the project (``exchange.csv_reading``: comma or semicolon, UTF-8, UTF-16 or
    Windows-1252), like every other file the desk imports."""
    try:
        table = read_table(path.read_bytes())
    except (OSError, UnreadableFile) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InvalidInput(
            _("Cannot read the accounts file {path}: {error}").format(path=path, error=error)
        ) from exc
    if table.problems:
        raise InvalidInput(
            _("The accounts file {path}: {problem}").format(path=path, problem=table.problems[0])
        )
    # Other columns of the export are not the desk's business: they are left unread.
    lookup = {header_key(alias): name for name, names in ACCOUNT_COLUMNS.items() for alias in names}
    lookup.update({header_key(name): name for name in ACCOUNT_COLUMNS})
    columns: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        name = lookup.get(header_key(cell))
        if name is not None and name not in columns:
            columns[name] = index
    if "person" not in columns:
        raise InvalidInput(_("The accounts file {path} needs a column 'person'").format(path=path))
    accounts = []
    for number, cells in table.rows:

        def cell(name: str, cells=cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def day(name: str, number=number) -> date | None:
            text = cell(name)
            if not text:
                return None
            if _GERMAN_DAY.fullmatch(text):
                read = parse_typed_date(text, "dmy")
                if read is not None:
                    return read
            try:
                return parse_date(text)
            except DomainError as exc:
                raise InvalidInput(
                    _("Line {line} of {path}: {error}").format(line=number, path=path, error=exc)
                ) from exc

        accounts.append(
            Account(
                person=cell("person"),
                last_used=day("last_used"),
                registered_on=day("registered_on"),
                removed_on=day("removed_on"),
            )
        )
    return accounts


def _over_capacity(
    session: Session, school: School, sub: Subscription, plan: Plan, check: CapacityCheck, on: date
) -> tuple[str | None, list[PricedOption]]:
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
    options = upgrade_quotes(session, school, sub, plan, check.suggested, on)
    by_kind = {o.option: o for o in options}
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
            upgrade=money_text(by_kind[UPGRADE].amount),
            restart=money_text(by_kind[RESTART].amount),
            day=format_date(on),
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
        raise InvalidInput(_("Give either a user count or the account records, not both"))
    if users is not None and users < 0:
        raise InvalidInput(_("a user count cannot be negative: {n}").format(n=users))
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan = running_package(session, school)
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
