"""A server database per test for the tests in tests/server (see its conftest.py), and the
command line run on it."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from lehrer_licenses.cli.main import main

SERVER_ENV_VAR = "LEHRER_LICENSES_TEST_POSTGRES"
SERVER_URL = os.environ.get(SERVER_ENV_VAR, "")
NAME_PREFIX = "pgroles_"


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


def admin(sql: str, **params) -> list[tuple]:
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def drop(database: str, role_prefix: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    roles = admin(
        "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p) ORDER BY rolname DESC",
        p=role_prefix,
    )
    for (role,) in roles:  # lehrer_clerk after lehrer_accountant, which is a member of it
        admin(f'DROP ROLE IF EXISTS "{role}"')


def run(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, url: str, *args: str):
    code, out, err = run(capsys, url, "--json", *args)
    assert code == 0, err
    return json.loads(out)
