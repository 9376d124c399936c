"""File › Connect to server…: typed into like a clerk does, against the real server; the window
then works on that database and offers only what the login's role allows."""

from __future__ import annotations

import sys
import types

from PySide6.QtCore import Qt
from sqlalchemy.engine import make_url
from support.server_office import ok
from support.ui_driving import when_shown

from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.dialogs.connect_server import ConnectServerDialog
from lehrer_licenses.ui.dialogs.invoice_dialogs import IssueDialog
from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog
from lehrer_licenses.ui.main_window import MainWindow


def fill(qtbot, dialog, office, user: str, password: str) -> None:
    server = make_url(office.url())
    for field, value in (
        (dialog.host, server.host),
        (dialog.port, str(server.port)),
        (dialog.name, office.name),
        (dialog.user, user),
        (dialog.password, password),
    ):
        field.clear()
        qtbot.keyClicks(field, value)


def connect(qtbot, window, office, user: str, password: str) -> list:
    seen: list = []

    def act(dialog) -> None:
        fill(qtbot, dialog, office, user, password)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)

    when_shown(ConnectServerDialog, act, seen)
    window.connect_action.trigger()
    assert not [s for s in seen if isinstance(s, Exception)], seen
    return seen


def test_the_dialog_connects_and_the_window_shows_that_database(
    qtbot, db, settings, office, desk, tmp_path
):
    clerk, password = desk["clerk"]
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    connect(qtbot, window, office, clerk, password)

    server = make_url(office.url())
    assert window.db.url.startswith("postgresql")
    assert window._path_label.text() == (
        f"Database: postgresql+psycopg://{clerk}:***@{server.host}:{server.port}/{office.name}"
    )
    assert window.windowTitle() == f"lehrer-licenses \u2013 {office.name}"
    window.show_view(0)
    qtbot.waitUntil(lambda: window.schools.model.rowCount() == 1, timeout=10000)
    label = f"{clerk}@{server.host}:{server.port}/{office.name}"
    assert settings[opt.RECENT_SERVERS] == [label]
    settings.sync()
    assert password not in (tmp_path / "settings.ini").read_text(encoding="utf-8")

    # the next time the recent server is filled in, without its password
    seen: list = []

    def look(dialog) -> None:
        seen.append((dialog.host.text(), dialog.name.text(), dialog.user.text()))
        seen.append(dialog.password.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_shown(ConnectServerDialog, look, seen)
    window.connect_action.trigger()
    assert seen[1:] == [(server.host, office.name, clerk), ""]


def test_a_clerk_sees_issuing_exporting_and_prices_disabled_with_the_role_needed(
    qtbot, db, settings, office, desk
):
    clerk, password = desk["clerk"]
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert window.export_action.isEnabled()  # a database file: its one user may do everything
    connect(qtbot, window, office, clerk, password)

    accountant_needed = f"Not for {clerk}: this needs the role {office.prefix}lehrer_accountant."
    assert not window.export_action.isEnabled()
    assert window.export_action.toolTip() == accountant_needed
    window.show_view(2)
    window.invoices.refresh()
    qtbot.waitUntil(lambda: window.invoices.model.rowCount() == 1, timeout=10000)
    window.invoices.select_row(0)
    assert window.invoices.selected().status == "draft"
    assert not window.invoices.issue_button.isEnabled()
    assert window.invoices.issue_button.toolTip() == accountant_needed
    assert window.invoices.pay_button.isEnabled() is False  # a draft is not paid: as before
    window.show_view(4)
    window.catalogue.select_plan("LO-LOCAL")
    assert not window.catalogue.price_button.isEnabled()
    assert window.catalogue.price_button.toolTip() == (
        f"Not for {clerk}: this needs the role {office.prefix}lehrer_admin."
    )
    assert not window.renewals.run_button.isEnabled()


def test_an_accountant_sees_the_vendor_greyed_and_the_admin_changes_it(
    qtbot, db, settings, office, desk
):
    accountant, password = office.login("accountant", "anna")
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    connect(qtbot, window, office, accountant, password)
    admin_needed = f"Not for {accountant}: this needs the role {office.prefix}lehrer_admin."
    seen: list = []

    def look(dialog: SettingsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        seen.append((dialog.vendor.isEnabled(), dialog.regimes.isEnabled()))
        seen.append((dialog.vendor.toolTip(), dialog.not_admin.text()))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the language etc.
        seen.append(dialog.result())

    when_shown(SettingsDialog, look, seen)
    window.settings_action.trigger()
    assert seen[1:] == [(False, False), (admin_needed,) * 2, SettingsDialog.DialogCode.Accepted]
    assert window.invoices.remind_button.isEnabled()  # an accountant sends reminders

    admin, admin_password = office.login("admin", "dora")
    connect(qtbot, window, office, admin, admin_password)
    seen.clear()

    def change(dialog: SettingsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        seen.append(dialog.vendor.isEnabled() and dialog.regimes.isEnabled())
        name = dialog.vendor.edits["name"]
        name.selectAll()
        qtbot.keyClicks(name, "Lernwerk AG")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.result())

    when_shown(SettingsDialog, change, seen)
    window.settings_action.trigger()
    assert seen[1:] == [True, SettingsDialog.DialogCode.Accepted], seen
    assert office.query(
        "SELECT actor FROM audit_entry WHERE action LIKE 'vendor%' ORDER BY id DESC LIMIT 1"
    ) == [(admin,)]


def test_a_login_demoted_meanwhile_is_refused_in_one_line_naming_the_role(
    qtbot, db, settings, office, desk, capsys
):
    accountant, password = office.login("accountant", "anna")
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    connect(qtbot, window, office, accountant, password)
    window.show_view(2)
    window.invoices.refresh()
    qtbot.waitUntil(lambda: window.invoices.model.rowCount() == 1, timeout=10000)
    window.invoices.select_row(0)
    assert window.invoices.issue_button.isEnabled()
    ok(capsys, office.url(), "server", "add-user", accountant, "--role", "clerk")

    seen: list = []

    def issue(dialog) -> None:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        seen.append((dialog.isVisible(), dialog.error.text()))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_shown(IssueDialog, issue, seen)
    qtbot.mouseClick(window.invoices.issue_button, Qt.MouseButton.LeftButton)
    assert seen[1] == (
        True,
        f"Issuing an invoice was refused for {accountant}: it needs the role "
        f"{office.prefix}lehrer_accountant.",
    )
    assert office.query("SELECT status FROM invoice") == [("draft",)]


def test_a_wrong_password_keeps_the_dialog_open_with_one_line(qtbot, db, settings, office, desk):
    clerk, _password = desk["clerk"]
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    seen: list = []

    def wrong(dialog) -> None:
        fill(qtbot, dialog, office, clerk, "not-the-password")
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        seen.append((dialog.isVisible(), dialog.error.isVisible(), dialog.error.text()))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_shown(ConnectServerDialog, wrong, seen)
    window.connect_action.trigger()
    visible, error_shown, message = seen[1]
    assert visible and error_shown
    assert "\n" not in message
    assert message.startswith(f"Cannot connect to the database server {clerk}@")
    assert f'password authentication failed for user "{clerk}"' in message
    assert "not-the-password" not in message
    assert window.db is db and settings[opt.RECENT_SERVERS] == []


def test_an_empty_password_is_looked_up_in_the_pgpass_file(
    qtbot, db, settings, office, desk, tmp_path, monkeypatch
):
    clerk, password = desk["clerk"]
    server = make_url(office.url())
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{server.host}:{server.port}:{office.name}:{clerk}:{password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    connect(qtbot, window, office, clerk, "")
    assert office.name in window._path_label.text()


def test_an_empty_password_is_looked_up_in_the_keyring_when_there_is_one(
    qtbot, db, settings, office, desk, monkeypatch
):
    clerk, password = desk["clerk"]
    server = make_url(office.url())
    asked = []

    def get_password(service: str, account: str) -> str | None:
        asked.append((service, account))
        return password

    # the OS keyring's stand-in: the ``keyring`` package's one function the app calls
    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    connect(qtbot, window, office, clerk, "")
    assert office.name in window._path_label.text()
    assert asked == [("lehrer-licenses", f"{clerk}@{server.host}:{server.port}/{office.name}")]
