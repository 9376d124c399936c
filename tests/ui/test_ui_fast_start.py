"""Issue 21, a usable start: the schools list's first page is in the window before SQLAlchemy,
Alembic and the services are loaded (ui.app.launch); the database is attached after it, and
what the user did in the list meanwhile happens then."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from lehrer_licenses.services.browse.first_page import HEAD_REVISION
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.ui import app as desk_app
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "store" / "fixtures" / "migrations"
OPENING = "Opening the database\u2026"

pytestmark = pytest.mark.sqlite_only(reason="the first page is read from a desk file")

NAMES = [("Schulhaus Aarau", "Aarau"), ("École de Genève", "Genève"), ("Zürich Nord", "Zürich")]


@pytest.fixture
def desk(databases, tmp_path) -> Path:
    """A desk file with three schools (one with seats), closed again as the app finds it."""
    path = tmp_path / "desk.sqlite"
    db = databases.fresh(path)
    numbers = [
        add_school(db, SchoolInput(name=name, country="CH", language="de", city=city))
        for name, city in NAMES
    ]
    orders.order_seats(db, numbers[0], 3, date(2026, 3, 10))
    db.dispose()
    return path


@pytest.fixture
def launched(qtbot, settings, monkeypatch):
    """``launched(db_arg)``: ``ui.app.launch`` as ``run`` calls it, and its window closed after
    the test."""
    settings[opt.UI_LANGUAGE] = "en"
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    controllers = []

    def launch(db_arg: str) -> desk_app.App:
        controller = desk_app.launch(db_arg, settings)
        assert controller is not None
        qtbot.addWidget(controller.window)
        controllers.append(controller)
        return controller

    yield launch
    for controller in controllers:
        qtbot.waitUntil(lambda c=controller: c.window.attached, timeout=10000)
        controller.window.close()
        controller.window.db.dispose()


def row_centre(view, row: int):
    return view.table.visualRect(view.model.index(row, 1)).center()


def test_the_first_page_is_shown_before_the_database_layer(qtbot, desk, launched):
    controller = launched(str(desk))
    window = controller.window

    assert not window.attached  # the database layer is loading meanwhile
    assert window.stack.currentWidget() is window.schools
    model = window.schools.model
    assert [model.row_at(i).name for i in range(model.rowCount())] == [n for n, _c in NAMES]
    assert window.schools.count_label.text() == "3 schools"
    assert model.index(0, model.column_of("seats")).data() == "3"
    # What needs the database waits for it; the list does not.
    assert not window.order_action.isEnabled()
    assert not window.schools.order_button.isEnabled()

    qtbot.waitUntil(lambda: window.attached, timeout=10000)
    assert window.order_action.isEnabled() and window.schools.order_button.isEnabled()
    assert window.windowTitle() == "lehrer-licenses \u2013 desk.sqlite"
    qtbot.waitUntil(lambda: window.schools.detail.number == model.row_at(0).number)


def test_a_click_in_the_list_before_the_database_is_attached_is_carried_out(qtbot, desk, launched):
    controller = launched(str(desk))
    view = controller.window.schools
    assert not controller.window.attached

    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=row_centre(view, 1))

    geneve = view.model.row_at(1).number
    assert view.selected_number() == geneve
    qtbot.waitUntil(lambda: controller.window.attached, timeout=10000)
    qtbot.waitUntil(lambda: view._detail is not None and view.detail.number == geneve)
    assert view.detail.title.text() == "École de Genève"


def test_typing_a_search_before_the_database_is_attached_is_carried_out(qtbot, desk, launched):
    controller = launched(str(desk))
    view = controller.window.schools
    assert not controller.window.attached

    qtbot.mouseClick(view.search, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.search, "nord")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: controller.window.attached, timeout=10000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.row_at(0).name == "Zürich Nord"
    assert view.count_label.text() == "1 found"


def test_a_page_chosen_before_the_database_is_attached_is_shown(qtbot, desk, launched):
    controller = launched(str(desk))
    window = controller.window
    seats_item = window.nav.visualItemRect(window.nav.item(1))

    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=seats_item.center())

    qtbot.waitUntil(lambda: window.attached, timeout=10000)
    assert window.stack.currentWidget() is window.seats


def test_an_older_schema_is_opened_the_normal_way(qtbot, tmp_path, launched):
    """No first page from a file the app has to migrate: it is opened (migrated) at once."""
    older = sorted(p for p in FIXTURES.glob("*.sqlite") if p.stem != HEAD_REVISION)[-1]
    path = tmp_path / "older.sqlite"
    shutil.copyfile(older, path)

    controller = launched(str(path))

    assert controller.window.attached
    assert controller.window.schools.model.total >= 1


def test_a_server_gets_no_first_page(qtbot, settings):
    window = MainWindow(None, settings)
    qtbot.addWidget(window)

    assert not desk_app.show_first_page(window, "postgresql://clerk@127.0.0.1:1/desk")
    assert window.stack.currentWidget().text() == OPENING


def test_a_window_opening_on_another_page_gets_no_first_page(qtbot, desk, settings):
    settings[opt.CURRENT_VIEW] = 2
    window = MainWindow(None, settings)
    qtbot.addWidget(window)

    assert not desk_app.show_first_page(window, str(desk))
    assert window.stack.currentWidget().text() == OPENING


START = """
import sys
from PySide6.QtCore import QSettings
from lehrer_licenses.ui import app as desk_app
from lehrer_licenses.ui.settings import Settings

app = desk_app.create_application()
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
desk_app.apply_language(settings)
controller = desk_app.App(None, settings)
listed = desk_app.show_first_page(controller.window, sys.argv[1])
desk_app.show_painted(controller.window)
print("listed", listed, controller.window.schools.model.rowCount())
heavy = ("sqlalchemy", "alembic", "reportlab", "lehrer_licenses.store.models")
print("loaded", sorted(name for name in heavy if name in sys.modules))
"""


def test_the_window_and_its_first_page_need_no_database_layer(desk, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", START, str(desk), str(tmp_path / "settings.ini")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["listed True 3", "loaded []"]


def test_closing_is_possible_while_the_database_layer_loads(qtbot, desk, settings, monkeypatch):
    settings[opt.UI_LANGUAGE] = "en"
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    controller = desk_app.launch(str(desk), settings)
    window = controller.window
    assert not window.attached

    window.close()

    assert not window.isVisible()
    assert not settings[opt.WINDOW_GEOMETRY].isEmpty()
    # Here no event loop ends with the window (run's does): the start finishes unharmed.
    qtbot.waitUntil(lambda: window.attached, timeout=10000)
    window.db.dispose()


def sorted_by_clicking(qtbot, launched, desk, key: str, clicks: int) -> None:
    """A first start whose user sorts the list by ``key`` and quits: the header is saved."""
    controller = launched(str(desk))
    qtbot.waitUntil(lambda: controller.window.attached, timeout=10000)
    view = controller.window.schools
    header = view.table.horizontalHeader()
    section = view.model.column_of(key)
    for _click in range(clicks):
        middle = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
    controller.window.close()


def test_the_first_page_comes_in_the_order_the_list_was_left_in(qtbot, desk, launched):
    sorted_by_clicking(qtbot, launched, desk, "name", clicks=2)  # by name, descending

    controller = launched(str(desk))
    view = controller.window.schools

    assert not controller.window.attached
    assert view.model.sort_order == ("name", True)
    names = [view.model.row_at(i).name for i in range(view.model.rowCount())]
    qtbot.waitUntil(lambda: controller.window.attached, timeout=10000)
    view.model.reload()  # what the list's own query reads in that order
    assert [view.model.row_at(i).name for i in range(view.model.rowCount())] == names


def test_a_list_left_sorted_by_its_figures_is_opened_the_normal_way(qtbot, desk, launched):
    sorted_by_clicking(qtbot, launched, desk, "seats", clicks=1)

    controller = launched(str(desk))

    assert controller.window.attached
    assert controller.window.schools.model.sort_order[0] == "seats"
