"""Who is working and what they may do: the server's roles (store/roles.py) for the views and
the command line, and the owner's ``server add-user`` / ``server users``."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from lehrer_licenses.i18n import _
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.roles import (
    ACCOUNTANT,
    ADMIN,
    CLERK,
    LEVELS,
    LOCAL,
    Access,
    PermissionRefused,
    ServerUser,
    access_of,
    add_user,
    require,
    server_users,
)

__all__ = [
    "ACCOUNTANT",
    "ADMIN",
    "CLERK",
    "LEVELS",
    "LOCAL",
    "Access",
    "PermissionRefused",
    "ServerUser",
    "add_server_user",
    "current_access",
    "list_server_users",
    "require",
]


def current_access(db: Database) -> Access:
    """The logged-in user and their levels; on a SQLite file the one local user, all levels."""
    if db.engine.dialect.name != "postgresql":
        return LOCAL
    with db.engine.connect() as conn:
        return access_of(conn)


def _server_only(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        raise InvalidInput(
            _(
                "users and roles exist only on a server database (--db postgresql://...); a "
                "database file has one local user who may do everything"
            )
        )


def add_server_user(db: Database, name: str, level: str, password: Callable[[], str]) -> bool:
    """Create the login ``name`` in the group of ``level`` (True) or move an existing login to
    it (False); ``password()`` is asked only for a new login. Needs a role that may create
    roles: the owner who ran ``init``."""
    _server_only(db)
    if level not in LEVELS:
        raise InvalidInput(_("unknown role {role}").format(role=level))
    try:
        with db.engine.begin() as conn:
            return add_user(conn, name, level, password)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        with db.engine.connect() as conn:
            user = access_of(conn).user
        raise PermissionRefused(
            _("Adding a user"), _("of the owner (CREATEROLE, the one who ran init)"), user
        ) from exc


def list_server_users(db: Database) -> list[ServerUser]:
    _server_only(db)
    with db.engine.connect() as conn:
        return server_users(conn)
