"""Shared fixtures: a real SQLite file per test, initialised like `lehrer-licenses init` does
(a copy of a template migrated once per test process: support/databases.py).

``--backend postgresql`` runs the same tests with every database on the PostgreSQL server named by
$LEHRER_LICENSES_TEST_POSTGRES (``python3 dev.py test`` does this second pass when it is set);
tests marked ``sqlite_only`` (about the SQLite file itself) are then deselected."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

# Set before any test module imports Qt; a test run never opens a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from support.databases import PostgresTemplate, SqliteTemplate

from lehrer_licenses.i18n import set_date_formatter, set_ui_language
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.keystore import KeyStore


@pytest.fixture(autouse=True)
def _english_ui():
    set_ui_language("en")
    # A desktop test before this one (same worker) taught messages the app's date format.
    set_date_formatter(None)
    yield


@pytest.fixture(scope="session")
def _key_pair(tmp_path_factory) -> Path:
    """A signing key pair made once per test process: making one syncs two files and their
    folder to disk, twice, which on a busy disk took longer than many a test."""
    folder = tmp_path_factory.mktemp("key-pair")
    KeyStore(folder).create()
    return folder


@pytest.fixture(autouse=True)
def keys_folder(tmp_path_factory, monkeypatch, _key_pair):
    """Every test gets its own keys folder with a signing key pair in it (a copy, with the
    files' modes); no test touches the user's real keys or another test's."""
    folder = tmp_path_factory.mktemp("keys")
    for made in _key_pair.iterdir():
        shutil.copy2(made, folder / made.name)
    monkeypatch.setenv("LEHRER_LICENSES_KEYS", str(folder))
    return folder


SERVER_ENV = "LEHRER_LICENSES_TEST_POSTGRES"


def pytest_addoption(parser):
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help=f"where the test databases live; postgresql: the server at ${SERVER_ENV}",
    )


def pytest_configure(config):
    if config.getoption("--backend") == "postgresql" and not os.environ.get(SERVER_ENV):
        raise pytest.UsageError(
            f"--backend postgresql needs ${SERVER_ENV}, e.g. the URL that "
            "scripts/postgres_test_server.sh start prints"
        )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--backend") != "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("sqlite_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_collection_finish(session):
    """What a test process holds once its tests are collected (the imported app, SQLAlchemy, Qt
    and the test modules: some 160,000 objects) lives as long as the process: frozen, a full
    garbage collection no longer walks it. Such a collection came some 20 times per worker and
    cost 0.3 s each once the heap had grown (about 8 s of the fast run's CPU)."""
    gc.collect()
    gc.freeze()


def pytest_runtest_teardown(item):
    """Once a desktop test switched Python's own garbage collection to the UI thread's timer
    (ui/collector.py), tests that run no event loop still collect, between tests."""
    if not gc.isenabled():
        from lehrer_licenses.ui.collector import collect_if_due

        collect_if_due()


def on_server(config) -> bool:
    return config.getoption("--backend") == "postgresql"


@pytest.fixture(scope="session")
def databases(request, tmp_path_factory):
    """Where fresh migrated databases come from: ``databases.fresh(path)`` opens one,
    ``databases.copy_to(path)`` only puts it there (for the command line). On the server pass
    both make a database on the server, named after ``path``."""
    folder = tmp_path_factory.mktemp("template")
    if on_server(request.config):
        template = PostgresTemplate(os.environ[SERVER_ENV], folder)
    else:
        template = SqliteTemplate(folder)
    yield template
    template.close()


@pytest.fixture(autouse=True)
def _drop_server_databases(request):
    """On the server pass the databases a test made go when it ends (after its own fixtures
    disposed of them: this autouse fixture is set up first, so torn down last)."""
    if not on_server(request.config):
        yield
        return
    made = request.getfixturevalue("databases")
    yield
    made.drop_made()


@pytest.fixture
def db_path(databases, tmp_path):
    """The test's database as the command line takes it (``--db``): a file, or on the server pass
    the URL of the test's database."""
    return databases.location(tmp_path / "desk.sqlite")


@pytest.fixture
def db(databases, db_path):
    database = databases.fresh(db_path)
    yield database
    database.dispose()


@pytest.fixture
def make_school(db):
    def make(
        name: str = "Primarschule Aesch", country: str = "CH", language: str = "de", **extra
    ) -> str:
        return add_school(db, SchoolInput(name=name, country=country, language=language, **extra))

    return make
