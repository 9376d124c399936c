"""Tests against a real PostgreSQL server: roles, rights, the audit actor, the connect dialog.

They run when $LEHRER_LICENSES_TEST_POSTGRES names a superuser URL of a server
(postgresql+psycopg://root:devpass@127.0.0.1:5432/postgres). Without it they are not collected;
in CI ($CI set) a missing server is an error, so they cannot silently stop running there.

Each test gets its own database and its own group roles (a prefix made of the database's name),
and both are dropped afterwards: several test runs can share one server.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.store.roles import PREFIX_ENV_VAR
from lehrer_licenses.ui.settings import Settings

SERVER_ENV_VAR = "LEHRER_LICENSES_TEST_POSTGRES"
SERVER_URL = os.environ.get(SERVER_ENV_VAR, "")
NAME_PREFIX = "pgroles_"


def pytest_ignore_collect(collection_path, config):
    if SERVER_URL or collection_path.name == "conftest.py":
        return None
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"{SERVER_ENV_VAR} is not set: CI must run the PostgreSQL tests in {collection_path}"
        )
    return True


@dataclass
class Office:
    """A server database made by its owner (the superuser of the URL) with ``init``."""

    name: str
    prefix: str  # of the group roles
    capsys: pytest.CaptureFixture | None

    def person(self, who: str) -> str:
        """The name of a login of this test (dropped with its database)."""
        return f"{self.name}_{who}"

    def url(self, user: str | None = None, password: str | None = None) -> str:
        base = make_url(SERVER_URL).set(database=self.name)
        if user is not None:
            base = base.set(username=user, password=password)
        return base.render_as_string(hide_password=False)

    def login(self, level: str, who: str) -> tuple[str, str]:
        """A new login role in ``level``'s group, made by ``server add-user``; (name, password)."""
        name, password = self.person(who), f"pw-{uuid.uuid4().hex[:12]}"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("LEHRER_LICENSES_NEW_USER_PASSWORD", password)
            code = main(["--db", self.url(), "server", "add-user", name, "--role", level])
        out, err = self.capsys.readouterr()
        assert code == 0, err
        assert password not in out + err
        return name, password

    def query(self, sql: str, **params) -> list[tuple]:
        engine = create_engine(self.url())
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def fingerprint(self) -> str:
        """Every row of every table, as the owner sees them: equal before and after means a
        refused command wrote nothing."""
        engine = create_engine(self.url())
        digest = hashlib.sha256()
        try:
            with engine.connect() as conn:
                for table in sorted(inspect(conn).get_table_names()):
                    rows = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).all()
                    digest.update(repr((table, [tuple(r) for r in rows])).encode())
        finally:
            engine.dispose()
        return digest.hexdigest()


def _admin(sql: str, **params) -> list[tuple]:
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _drop(database: str, role_prefix: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    roles = _admin(
        "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p) ORDER BY rolname DESC",
        p=role_prefix,
    )
    for (role,) in roles:  # lehrer_clerk after lehrer_accountant, which is a member of it
        _admin(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):
    """A database made by ``init`` once per test process, with this process's group roles;
    every test's database is a copy (CREATE DATABASE ... TEMPLATE), migrations are slow."""
    name = f"{NAME_PREFIX}{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    template = Office(name, f"{name}_", None)
    try:
        with pytest.MonkeyPatch.context() as mp:
            keys = tmp_path_factory.mktemp("template-keys")
            mp.setenv("LEHRER_LICENSES_KEYS", str(keys))
            mp.setenv(PREFIX_ENV_VAR, template.prefix)
            database, _installed = init_database(template.url(), migrate_server=True)
            database.dispose()
        yield template
    finally:
        _drop(name, template.prefix)


@pytest.fixture
def office(office_template, capsys):
    name = f"{office_template.name}_{uuid.uuid4().hex[:6]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{office_template.name}"')
    try:
        yield Office(name, office_template.prefix, capsys)
    finally:
        _drop(name, f"{name}_")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
