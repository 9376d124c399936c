"""Tests against a real PostgreSQL server, named by $LEHRER_LICENSES_TEST_POSTGRES (a superuser's
URL, e.g. postgresql+psycopg://root:devpass@127.0.0.1:5432/postgres). Without it they are not
collected at all; in CI ($CI set) a missing server fails them instead of letting them vanish."""

from __future__ import annotations

import os

import pytest
from support.server import ENV, ServerDatabases

if not os.environ.get(ENV) and not os.environ.get("CI"):
    collect_ignore_glob = ["test_*.py"]


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
