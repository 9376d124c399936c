"""Tests against a real PostgreSQL server: roles, rights, the audit actor, the connect dialog,
backups, migrations and the move of a desk onto a server.

They run when $LEHRER_LICENSES_TEST_POSTGRES names a superuser URL of a server
(postgresql+psycopg://root:devpass@127.0.0.1:5432/postgres). Without it they are not collected;
in CI ($CI set) a missing server is an error, so they cannot silently stop running there.

Each test process makes its group roles (a prefix of its own) and a template database once; each
test gets a copy and its own logins. All are dropped afterwards: several runs share one server.
"""

from __future__ import annotations

import os
import uuid

import pytest
from PySide6.QtCore import QSettings
from support.server import ENV, ServerDatabases
from support.server_office import NAME_PREFIX, SERVER_ENV_VAR, SERVER_URL, Office, admin, drop, ok

from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.store.roles import PREFIX_ENV_VAR
from lehrer_licenses.ui.settings import Settings


def pytest_ignore_collect(collection_path, config):
    if collection_path.name == "conftest.py":
        return None
    # These tests make their own server databases, owners and clerks; they ran in the first pass,
    # and the server pass would only hand them its own database where they expect a file.
    if config.getoption("--backend") == "postgresql":
        return True
    if SERVER_URL:
        return None
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"{SERVER_ENV_VAR} is not set: CI must run the PostgreSQL tests in {collection_path}"
        )
    return True


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):
    """A database made by ``init`` once per test process, with this process's group roles;
    every test's database is a copy (CREATE DATABASE ... TEMPLATE), migrations are slow."""
    name = f"{NAME_PREFIX}{uuid.uuid4().hex[:10]}"
    admin(f'CREATE DATABASE "{name}"')
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
        drop(name, template.prefix)


@pytest.fixture
def office(office_template, capsys):
    name = f"{office_template.name}_{uuid.uuid4().hex[:6]}"
    admin(f'CREATE DATABASE "{name}" TEMPLATE "{office_template.name}"')
    try:
        yield Office(name, office_template.prefix, capsys)
    finally:
        drop(name, f"{name}_")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def desk(office, capsys):
    """A vendor set by the owner, a school with a draft invoice entered by a clerk."""
    vendor = [
        arg
        for key, value in SAMPLE_VENDOR.items()
        if value
        for arg in (f"--{key.replace('_', '-')}", value)
    ]
    ok(capsys, office.url(), "vendor", "set", *vendor)
    clerk = office.login("clerk", "carla")
    clerk_url = office.url(*clerk)
    school = ok(
        capsys,
        clerk_url,
        "school",
        "add",
        "--name",
        "Primarschule Łukasz Żółć",
        "--country",
        "CH",
        "--language",
        "de",
        "--street",
        "Schulhausstrasse",
        "--house-number",
        "4",
        "--postcode",
        "8000",
        "--city",
        "Zürich",
    )["number"]
    draft = ok(capsys, clerk_url, "order", school, "--seats", "3", "--date", "2026-01-10")
    return {"clerk": clerk, "clerk_url": clerk_url, "school": school, "draft": draft["id"]}


@pytest.fixture(scope="session")
def server() -> ServerDatabases:
    url = os.environ.get(ENV)
    if not url:
        pytest.fail(f"CI runs the server tests: set {ENV} to a PostgreSQL superuser's URL")
    databases = ServerDatabases(url)
    yield databases
    databases.drop_all()


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path, monkeypatch):
    """Server dumps go to the backups folder of the user data folder: a test's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def dumps(tmp_path):
    return tmp_path / "data" / "lehrer-licenses" / "backups"
