"""Databases and a login role of our own on the test server, each named ``pgops_<random>`` and
dropped at the end of the session, so parallel test runs on one server never meet."""

from __future__ import annotations

import secrets

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

ENV = "LEHRER_LICENSES_TEST_POSTGRES"
PREFIX = "pgops_"


class ServerDatabases:
    def __init__(self, admin_url: str) -> None:
        self.admin = make_url(admin_url).set(drivername="postgresql+psycopg")
        self._engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        self._databases: list[str] = []
        # A login role with a password of our own: the masking tests look for it in every
        # output, and the password-file test needs a password that libpq must find itself.
        self.role = f"{PREFIX}{secrets.token_hex(4)}"
        self.password = f"pw-{secrets.token_hex(8)}"
        self.sql(f"CREATE ROLE {self.role} LOGIN CREATEDB CREATEROLE PASSWORD '{self.password}'")

    def sql(self, statement: str, **params) -> list:
        with self._engine.connect() as conn:
            result = conn.execute(text(statement), params)
            return result.all() if result.returns_rows else []

    def create(self) -> str:
        """A new empty database owned by our role; its URL with the role's password."""
        name = f"{PREFIX}{secrets.token_hex(6)}"
        self.sql(f"CREATE DATABASE {name} OWNER {self.role}")
        self._databases.append(name)
        return self.url(name)

    def url(self, database: str, *, password: bool = True, **changes) -> str:
        # URL.set() leaves a field alone when given None: the password goes by _replace
        url: URL = self.admin.set(username=self.role, database=database, **changes)
        url = url._replace(password=self.password if password else None)
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in self._databases:
            self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.sql(f"DROP ROLE IF EXISTS {self.role}")
        self._engine.dispose()


def query(url: str, statement: str) -> list:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def state(url: str) -> list:
    """What a refused command must leave as it was: the tables, the schema revision and the
    settings (where the writing version is recorded), and the number of rows of each table."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(
                r[0]
                for r in conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            )
            found = [
                (t, conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()) for t in tables
            ]
            if "setting" in tables:
                found += conn.execute(text("SELECT key, value FROM setting ORDER BY key")).all()
            if "alembic_version" in tables:
                found += conn.execute(text("SELECT version_num, '' FROM alembic_version")).all()
            return found
    finally:
        engine.dispose()
