"""Who may do what on a server database, by PostgreSQL's own roles and GRANTs.

Every clerk logs in as their own PostgreSQL role, a member of one of three group roles the
project creates: clerk (schools, orders, seats, payments), accountant (+ issue, credit, export),
admin (+ catalogue, vendor settings). Each group is a member of the one below, so the rights add
up. The server enforces the table rights; where one table serves two rights (a draft and an
issued invoice are both rows of ``invoice``) the use case asks ``require`` first.

The owner role that runs ``init``/``migrate`` owns the tables; the groups get no ownership, and
only a table's owner can ``ALTER TABLE ... DISABLE TRIGGER``, so the audit trail's trigger
(migration 0004) stays out of the staff's reach. Staff may only read and insert audit entries.

A SQLite file has one local user who may do everything: there is nobody to log in as.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _

CLERK = "clerk"
ACCOUNTANT = "accountant"
ADMIN = "admin"
LEVELS = (CLERK, ACCOUNTANT, ADMIN)

# Several desks (or test runs) on one server keep their groups apart with a prefix, read from
# this variable by init/migrate and then kept in the database for everyone else.
PREFIX_ENV_VAR = "LEHRER_LICENSES_ROLE_PREFIX"
PREFIX_SETTING = "server.role_prefix"

# The tables each level writes (insert, update, delete); everyone reads every table.
WRITES: dict[str, tuple[str, ...]] = {
    CLERK: (
        "school",
        "teacher",
        "teacher_import",
        "subscription",
        "seat",
        "seat_assignment",
        "cancellation",
        "usage_count",
        "invoice",
        "invoice_line",
        "issued_code",
        "payment",
        "package_count",
        "addon",
        "pupil_trial",
        "pupil_count",
        "pre_investment",
    ),
    # an issued invoice has a number and a stored PDF: without these no invoice gets issued
    ACCOUNTANT: ("number_counter", "invoice_pdf", "dunning_notice"),
    ADMIN: ("product", "plan", "price", "tier_band", "vat_rate", "setting"),
}
APPEND_ONLY = ("audit_entry",)  # read and insert, never change: the audit trail
OWNER_ONLY = ("alembic_version",)  # the schema's version belongs to who migrates


@dataclass(frozen=True)
class Access:
    """The user of a database and the levels they hold; ``server`` False on a SQLite file."""

    user: str
    levels: frozenset[str]
    server: bool
    prefix: str = ""

    def may(self, level: str) -> bool:
        return level in self.levels

    def role_name(self, level: str) -> str:
        return group_role(level, self.prefix)


LOCAL = Access(user="", levels=frozenset(LEVELS), server=False)


class PermissionRefused(DomainError):
    """The server, or the use case on its behalf, refused the user's role."""

    def __init__(self, what: str, role: str, user: str) -> None:
        self.role = role
        super().__init__(
            _("{what} was refused for {user}: it needs the role {role}.").format(
                what=what, user=user or "?", role=role
            )
        )


def group_role(level: str, prefix: str = "") -> str:
    return f"{prefix}lehrer_{level}"


def level_of_table(table: str) -> str | None:
    for level, tables in WRITES.items():
        if table in tables:
            return level
    return None


def _prefix(conn: Connection) -> str:
    # asked, not tried: a failed statement would end the caller's transaction on PostgreSQL
    if not conn.execute(text("SELECT to_regclass('setting') IS NOT NULL")).scalar():
        return ""  # an empty database: no tables yet
    found = conn.execute(
        text("SELECT value FROM setting WHERE key = :key"), {"key": PREFIX_SETTING}
    ).scalar()
    return found or ""


def access_of(conn: Connection) -> Access:
    """``current_user`` and the group levels it holds (by membership, direct or not)."""
    if conn.dialect.name != "postgresql":
        return LOCAL
    prefix = _prefix(conn)
    user = conn.execute(text("SELECT current_user")).scalar() or ""
    levels = set()
    for level in LEVELS:
        held = conn.execute(
            text(
                "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = :role) "
                "AND pg_has_role(current_user, :role, 'MEMBER')"
            ),
            {"role": group_role(level, prefix)},
        ).scalar()
        if held:
            levels.add(level)
    return Access(user=user, levels=frozenset(levels), server=True, prefix=prefix)


def require(session: Session, level: str, what: str) -> None:
    """Refuse ``what`` (a use case, in words) unless the user holds ``level``: for what the
    table rights cannot tell apart. Free on SQLite."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    # asked once per transaction: a year-end run issues thousands of invoices in one
    access = session.info.get("access")
    if access is None:
        access = session.info["access"] = access_of(conn)
    if not access.may(level):
        raise PermissionRefused(what, group_role(level, access.prefix), access.user)


_DENIED = re.compile(r"permission denied for (?:table|relation|sequence) (\w+)")


def refused(exc: DBAPIError, conn: Connection | None) -> PermissionRefused | None:
    """The PermissionRefused for the server's "permission denied" (SQLSTATE 42501), else None."""
    if getattr(exc.orig, "sqlstate", None) != "42501":
        return None
    found = _DENIED.search(str(exc.orig))
    table = found.group(1) if found else ""
    level = level_of_table(table) or ADMIN
    prefix, user = "", ""
    if conn is not None:
        try:
            prefix = _prefix(conn)
            user = conn.execute(text("SELECT session_user")).scalar() or ""
        except DBAPIError:
            pass
    what = (
        _("Changing the table {table}").format(table=table)
        if table
        else _("The change on the server")
    )
    return PermissionRefused(what, group_role(level, prefix), user)


class CannotMakeRoles(DomainError):
    def __init__(self, user: str, role: str) -> None:
        super().__init__(
            _(
                "{user} may not create or change the group role {role}: the owner who runs "
                "'init' or 'migrate' needs CREATEROLE (ALTER ROLE {user} CREATEROLE, as the "
                "server's administrator); nothing was changed"
            ).format(user=user, role=role)
        )


def _includes(conn: Connection, role: str, member: str) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT EXISTS (SELECT FROM pg_auth_members m "
                "JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE r.rolname = :member AND u.rolname = :role)"
            ),
            {"role": role, "member": member},
        ).scalar()
    )


def _as_role_maker(conn: Connection, statement: str, role: str) -> None:
    try:
        with conn.begin_nested():
            conn.execute(text(statement))
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        user = conn.execute(text("SELECT current_user")).scalar()
        raise CannotMakeRoles(user, role) from exc


def ensure_roles(conn: Connection) -> None:
    """Create the group roles (once per server) and give them their rights on this database's
    tables (each ``init``/``migrate``, so a new table gets its grants). Run by the owner."""
    if conn.dialect.name != "postgresql":
        return
    prefix = os.environ.get(PREFIX_ENV_VAR, _prefix(conn))
    conn.execute(text("DELETE FROM setting WHERE key = :key"), {"key": PREFIX_SETTING})
    conn.execute(
        text("INSERT INTO setting (key, value) VALUES (:key, :value)"),
        {"key": PREFIX_SETTING, "value": prefix},
    )
    below, below_name = None, ""
    for level in LEVELS:
        name = group_role(level, prefix)
        role = _quoted(conn, name)
        exists = conn.execute(
            text("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = :r)"), {"r": name}
        ).scalar()
        if not exists:
            _as_role_maker(conn, f"CREATE ROLE {role} NOLOGIN", name)
        # Only what is missing: the groups made by an earlier owner already include each other,
        # and granting that again needs the admin option on them.
        if below is not None and not _includes(conn, name, below_name):
            _as_role_maker(conn, f"GRANT {below} TO {role}", name)
        below, below_name = role, name
    tables = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    clerk = _quoted(conn, group_role(CLERK, prefix))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {clerk}"))
    for table in sorted(tables - set(OWNER_ONLY)):
        name = _quoted(conn, table)
        conn.execute(text(f"REVOKE ALL ON {name} FROM {clerk}"))
        conn.execute(text(f"GRANT SELECT ON {name} TO {clerk}"))
        if table in APPEND_ONLY:
            conn.execute(text(f"GRANT INSERT ON {name} TO {clerk}"))
            continue
        level = level_of_table(table)
        if level is None:
            continue  # a table no level writes stays read-only for the staff
        role = _quoted(conn, group_role(level, prefix))
        conn.execute(text(f"REVOKE ALL ON {name} FROM {role}"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {role}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version TO {clerk}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {clerk}"))
    # The owner uses the app too: without membership the use cases' own checks refuse it.
    superuser = conn.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    if not superuser:
        conn.execute(text(f"GRANT {_quoted(conn, group_role(ADMIN, prefix))} TO current_user"))


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


@dataclass(frozen=True)
class ServerUser:
    name: str
    level: str  # the highest level held
    can_login: bool


def server_users(conn: Connection) -> list[ServerUser]:
    """The login roles that are direct members of a group, with the highest group each holds."""
    prefix = _prefix(conn)
    users: dict[str, ServerUser] = {}
    rows = conn.execute(
        text(
            "SELECT m.rolname, g.rolname, m.rolcanlogin FROM pg_auth_members a "
            "JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid "
            "WHERE g.rolname = ANY(:groups) AND m.rolname <> ALL(:groups) ORDER BY m.rolname"
        ),
        {"groups": [group_role(level, prefix) for level in LEVELS]},
    )
    for member, group, can_login in rows:
        level = group.removeprefix(f"{prefix}lehrer_")
        known = users.get(member)
        if known is None or LEVELS.index(level) > LEVELS.index(known.level):
            users[member] = ServerUser(member, level, can_login)
    return list(users.values())


_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


class BadUserName(DomainError):
    pass


def add_user(conn: Connection, name: str, level: str, password: Callable[[], str]) -> bool:
    """Create the login role ``name`` in the group of ``level`` (True), or move an existing role
    to that group (False, its password unchanged). ``password()`` is asked only for a new role.
    The password reaches the server already hashed (SCRAM), so it is in no statement and no
    server log."""
    if not _NAME.match(name):
        raise BadUserName(
            _(
                "{name} is not a usable user name: lower-case letters, digits, '_', '.', '-', "
                "starting with a letter or '_'"
            ).format(name=name)
        )
    prefix = _prefix(conn)
    role = _quoted(conn, name)
    exists = conn.execute(
        text("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = :r)"), {"r": name}
    ).scalar()
    if not exists:
        secret = password()
        if not secret:
            raise BadUserName(_("a new user needs a password"))
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD {_hashed(conn, name, secret)}")
    for other in LEVELS:
        if other != level:
            conn.execute(text(f"REVOKE {_quoted(conn, group_role(other, prefix))} FROM {role}"))
    conn.execute(text(f"GRANT {_quoted(conn, group_role(level, prefix))} TO {role}"))
    return not exists


def _hashed(conn: Connection, name: str, password: str) -> str:
    pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    digest = pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    return "'" + digest.decode("ascii").replace("'", "''") + "'"
