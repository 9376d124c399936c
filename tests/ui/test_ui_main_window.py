"""The main window, its settings and the app start-up helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QByteArray, QLocale, QSettings
from PySide6.QtGui import QKeySequence

from lehrer_licenses.i18n import ui_language
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.app import App, apply_language, database_target
from lehrer_licenses.ui.main_window import MainWindow, database_label
from lehrer_licenses.ui.settings import Option, Settings, TextOption


def test_options_are_typed(tmp_path):
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(store)
    assert settings[opt.UI_LANGUAGE] == ""
    assert settings[opt.RECENT_DATABASES] == []
    assert settings[opt.WINDOW_GEOMETRY] == QByteArray()
    settings[opt.CURRENT_VIEW] = 1
    settings.add_recent_database("/a.sqlite")
    settings.add_recent_database("/b.sqlite")
    settings.add_recent_database("/a.sqlite")
    settings.sync()
    again = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    # An INI file gives back strings; the option hands out its declared type.
    assert again[opt.CURRENT_VIEW] == 1
    assert again[opt.RECENT_DATABASES] == ["/a.sqlite", "/b.sqlite"]
    assert again[opt.LAST_DATABASE] == "/a.sqlite"
    store.setValue(opt.CURRENT_VIEW.key, "not a number")
    assert settings[opt.CURRENT_VIEW] == 0
    with pytest.raises(ValueError):
        TextOption("ui", "language")
    assert "ui/language" in Option.registry


def test_money_and_dates_per_locale():
    de_ch, de_de = QLocale("de_CH"), QLocale("de_DE")
    assert fmt.money(Decimal("1234.5"), "CHF", de_ch) == "CHF\u00a01'234.50"
    assert fmt.money(Decimal("1234.5"), "EUR", de_de) == "1.234,50\u00a0EUR"
    assert fmt.money(Decimal("-720"), "EUR", de_ch) == "EUR\u00a0-720.00"
    assert fmt.number(Decimal("0.005"), 2, de_ch) == "0.01"  # half-up, never via float
    assert fmt.price(Decimal("3.512500"), de_de) == "3,5125"
    assert fmt.day(__import__("datetime").date(2026, 3, 10), de_ch) == "10.03.2026"


def test_database_target_prefers_argument_then_env_then_last(tmp_path, monkeypatch, settings):
    last = tmp_path / "last.sqlite"
    monkeypatch.delenv("LEHRER_LICENSES_DB", raising=False)
    assert database_target("/x.sqlite", settings) == "/x.sqlite"
    settings[opt.LAST_DATABASE] = str(last)
    assert database_target(None, settings) is None  # the last one is gone
    last.write_bytes(b"")
    assert database_target(None, settings) == str(last)
    monkeypatch.setenv("LEHRER_LICENSES_DB", "/env.sqlite")
    assert database_target(None, settings) is None  # the store reads the variable


def test_window_views_shortcuts_and_state(qtbot, db, sample, settings):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.order_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.new_school_action.shortcut() == QKeySequence("Ctrl+N")
    assert window.find_action.shortcut() == QKeySequence("Ctrl+F")
    assert database_label(db) in window._path_label.text()
    window.show_view(3)
    assert window.stack.currentWidget() is window.renewals
    window.find_action.trigger()
    assert window.stack.currentWidget() is window.schools
    assert window.focusWidget() is window.schools.search
    window.resize(700, 500)
    window.close()
    assert not settings[opt.WINDOW_GEOMETRY].isEmpty()
    assert settings[opt.CURRENT_VIEW] == 0

    again = MainWindow(db, settings)
    qtbot.addWidget(again)
    assert again.size().width() == 700


def test_switch_database(qtbot, db, sample, settings, tmp_path):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    other = tmp_path / "other.sqlite"
    assert window.switch_database(str(other))
    assert window.schools.model.total == 0
    assert str(other) in window._path_label.text()
    assert settings[opt.RECENT_DATABASES][0] == str(other)
    window.db.dispose()


def test_language_switch_rebuilds_the_window(qtbot, db, settings):
    app = App(db, settings)
    qtbot.addWidget(app.window)
    old = app.window
    app.change_language("de")
    qtbot.addWidget(app.window)
    try:
        assert ui_language() == "de"
        assert app.window is not old
        assert settings[opt.UI_LANGUAGE] == "de"
        assert app.window.schools.new_button.text() == "Neue Schule…"
    finally:
        settings[opt.UI_LANGUAGE] = ""
        apply_language(settings)


def test_unopenable_database_is_reported_not_raised(qtbot, db, settings, tmp_path, monkeypatch):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr(
        "lehrer_licenses.ui.main_window.show_error", lambda parent, exc, title: shown.append(exc)
    )
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    assert not window.switch_database(str(folder))
    assert shown
    assert window.db is db
    init_database  # noqa: B018 - the module is importable without Qt side effects


def test_env_var_name_matches_the_store():
    from lehrer_licenses.store.database import ENV_VAR
    from lehrer_licenses.ui.handles import DATABASE_ENV_VAR

    assert DATABASE_ENV_VAR == ENV_VAR


def test_frame_shows_before_the_database_is_open(qtbot, db, sample, settings):
    """run() shows the window first and attaches the views when the database is open."""
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    assert not window.attached
    assert not window.order_action.isEnabled()
    assert window.stack.currentWidget().text() == "Opening the database\u2026"
    window.close()  # closing before the database is open saves the geometry only
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.attach(db)
    assert window.attached and window.order_action.isEnabled()
    assert window.stack.currentWidget() is window.schools
    assert window.schools.model.total == 3
