"""Connecting the app to a server database (PostgreSQL) from what a clerk types: host, port,
database, user, and a password that is used for the session only.

Without a typed password libpq looks in ~/.pgpass (or $PGPASSFILE) by itself; before that the
OS keyring is asked when the ``keyring`` package is installed. The password is never written
anywhere by the app: the recent servers are remembered by ``label()``, which has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.database_init import Database, init_database

KEYRING_SERVICE = "lehrer-licenses"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 10


class ConnectionFailed(DomainError):
    pass


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    database: str
    user: str

    def label(self) -> str:
        """``user@host:port/database``: how the address is shown and remembered."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @classmethod
    def parse(cls, label: str) -> ServerAddress | None:
        found = _LABEL.match(label)
        if found is None:
            return None
        user, host, port, database = found.groups()
        return cls(host, int(port), database, user)


_LABEL = re.compile(r"^([^@]+)@(.+):(\d+)/(.+)$")


def checked_address(host: str, port: str, database: str, user: str) -> ServerAddress:
    """The address as typed, or DomainError naming the field that is wrong."""
    host, port, database, user = host.strip(), port.strip(), database.strip(), user.strip()
    for value, name in ((host, _("host")), (database, _("database")), (user, _("user"))):
        if not value:
            raise ConnectionFailed(_("the {field} is missing").format(field=name))
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConnectionFailed(
            _("the port must be a number from 1 to 65535, not {port}").format(port=port)
        )
    return ServerAddress(host, int(port), database, user)


def keyring_password(address: ServerAddress) -> str | None:
    """The password kept in the OS keyring for this user and server, if ``keyring`` exists."""
    try:
        import keyring  # optional: not every desk has a keyring service
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, address.label())
    except Exception:  # no usable keyring backend: as if there were none
        return None


def server_url(address: ServerAddress, password: str | None) -> str:
    return URL.create(
        "postgresql+psycopg",
        username=address.user,
        password=password or None,
        host=address.host,
        port=address.port,
        database=address.database,
        # an unreachable host answers nothing: the dialog says so after this many seconds
        query={"connect_timeout": str(CONNECT_TIMEOUT_S)},
    ).render_as_string(hide_password=False)


def one_line(exc: BaseException) -> str:
    """libpq's message folded onto one line (it spreads over several, with hints)."""
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split())


def connect_server(address: ServerAddress, password: str | None) -> Database:
    """Open the server database as ``address.user``: ConnectionFailed in one line if not."""
    secret = password or keyring_password(address)
    try:
        db, _installed = init_database(server_url(address, secret))
    except DBAPIError as exc:
        raise ConnectionFailed(
            _("Cannot connect to {server}: {reason}").format(
                server=address.label(), reason=one_line(exc)
            )
        ) from exc
    return db
