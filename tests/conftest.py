"""Shared fixtures: a real SQLite file per test, initialised like `lehrer-licenses init` does
(a copy of a template migrated once per test process: support/databases.py)."""

from __future__ import annotations

import os

# Set before any test module imports Qt; a test run never opens a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from support.databases import SqliteTemplate

from lehrer_licenses.i18n import set_date_formatter, set_ui_language
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.keystore import KeyStore


@pytest.fixture(autouse=True)
def _english_ui():
    set_ui_language("en")
    # A desktop test before this one (same worker) taught messages the app's date format.
    set_date_formatter(None)
    yield


@pytest.fixture(autouse=True)
def keys_folder(tmp_path_factory, monkeypatch):
    """Every test gets its own signing key pair; no test touches the user's real keys."""
    folder = tmp_path_factory.mktemp("keys")
    monkeypatch.setenv("LEHRER_LICENSES_KEYS", str(folder))
    KeyStore(folder).create()
    return folder


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> SqliteTemplate:
    """Where fresh migrated databases come from: ``databases.fresh(path)`` opens one,
    ``databases.copy_to(path)`` only puts the file there (for the command line)."""
    return SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "desk.sqlite"


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
