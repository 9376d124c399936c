"""Fixtures of the desktop tests: offscreen Qt, a database per test, settings in a temp file."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never open a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QLocale, QSettings
from support.databases import filled_once
from support.ui_driving import speaking

from lehrer_licenses.i18n import set_ui_language
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.ui import collector, formatting
from lehrer_licenses.ui import style as app_style
from lehrer_licenses.ui.settings import Settings


@pytest.fixture(scope="session", autouse=True)
def _app_style(qapp):
    """The style the app installs (ui.style) and its garbage collection on the UI thread
    (ui.collector): pytest-qt makes the QApplication itself."""
    app_style.install(qapp)
    collector.install(qapp)


@pytest.fixture
def db(databases, tmp_path, request):
    """A fresh database; for a test that asks for ``sample``, a copy of the sample's."""
    if "sample" in request.fixturenames:
        made = request.getfixturevalue("_sample_database")
        database, _installed = init_database(databases.clone(made.location, tmp_path / "ui.sqlite"))
        request.node.stash[_SAMPLE_COPY] = made.numbers
    else:
        database = databases.fresh(tmp_path / "ui.sqlite")
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _ui_defaults():
    set_ui_language("en")
    formatting.set_locale(QLocale("de_CH"))
    yield
    set_ui_language("en")


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def add(db, name: str, city: str = "Bern", postcode: str = "3000", **extra) -> str:
    return add_school(
        db,
        SchoolInput(name=name, country="CH", language="de", city=city, postcode=postcode, **extra),
    )


@pytest.fixture
def german(settings):
    """The app in German for the test, as the settings dialog switches it."""
    with speaking(settings, "de"):
        yield


@pytest.fixture
def school(db):
    """``school("Name", city=..., postcode=...)`` adds a Swiss school and returns its number."""
    return lambda name, *args, **extra: add(db, name, *args, **extra)


@dataclass(frozen=True)
class _SampleDatabase:
    location: object  # what ``databases.clone`` copies: a file, or a server database's URL
    numbers: dict[str, str]


_SAMPLE_COPY = pytest.StashKey[dict[str, str]]()


@pytest.fixture(scope="session")
def _sample_database(databases, tmp_path_factory, _key_pair):
    """The rows of ``sample``, written once per test process (0.1 s; most desktop tests ask for
    them) under the process's key pair, which every test's keys folder holds a copy of."""
    folder = tmp_path_factory.mktemp("sample")
    with filled_once(databases, folder, _key_pair) as (location, database):
        numbers = _add_sample(database)
    return _SampleDatabase(location, numbers)


@pytest.fixture
def sample(db, request):
    """Three schools: one with five seats (examples 1 and 2 of DESIGN.md), one without a
    contract, one with a single seat. ``db`` is a copy of a database that holds them."""
    numbers = request.node.stash.get(_SAMPLE_COPY, None)
    if numbers is None:
        raise pytest.UsageError("ask for `sample` as an argument: `db` must know it beforehand")
    return dict(numbers)


def _add_sample(db) -> dict[str, str]:
    aarau = add(db, "Schulhaus Aarau", "Aarau", "5000")
    geneve = add(db, "École de Genève", "Genève", "1200")
    zurich = add(db, "Zürich Nord", "Zürich", "8050")
    orders.order_seats(db, aarau, 3, date(2026, 3, 10))
    orders.order_seats(db, aarau, 2, date(2026, 9, 15))
    orders.order_seats(db, zurich, 1, date(2026, 1, 5))
    teacher = seats.add_teacher(db, aarau, "Łukasz", "Żółć")
    seats.assign_seat(db, aarau, teacher, date(2026, 3, 11))
    return {"aarau": aarau, "geneve": geneve, "zurich": zurich}


@pytest.fixture(autouse=True)
def _no_task_left_running(qtbot):
    """Background reads (the seats view) finish before the test's database goes away."""
    yield
    from lehrer_licenses.ui import workers

    qtbot.waitUntil(lambda: workers.running() == 0, timeout=10000)


@pytest.fixture
def wait_loaded(qtbot):
    """``wait_loaded(model)``: until a model that reads in the background has its first page
    and its count."""

    def wait(model, timeout: int = 10000) -> None:
        qtbot.waitUntil(
            lambda: not model.loading and getattr(model, "counted_total", 0) is not None,
            timeout=timeout,
        )

    return wait


@pytest.fixture
def vendor(db):
    """The demo vendor identity, so that invoices can be issued."""
    from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR, set_vendor

    return set_vendor(db, dict(SAMPLE_VENDOR))
