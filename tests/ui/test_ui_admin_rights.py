"""Issue 20: what only lehrer_admin may change (the vendor, its VAT regimes, catalogue prices) and
what only an accountant may do (payment reminders) is greyed for others, with the role needed
as the reason. The window gets its access from ``services.access.current_access`` as on a server
database; here that answers for a clerk or an accountant of a server (tests/server has the real
roles)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from support.ui_driving import when_shown

from lehrer_licenses.services import access as access_service
from lehrer_licenses.services.access import Access
from lehrer_licenses.services.billing import vendor as vendor_service
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.dialogs.settings_dialog import VENDOR_FIELDS, SettingsDialog
from lehrer_licenses.ui.main_window import MainWindow

ADMIN_NEEDED = "Not for {user}: this needs the role lehrer_admin."


def server_user(monkeypatch, user: str, *levels: str) -> None:
    access = Access(user=user, levels=frozenset(levels), server=True)
    monkeypatch.setattr(access_service, "current_access", lambda _db: access)


@pytest.fixture
def window(qtbot, db, sample, vendor, settings):
    def make() -> MainWindow:
        made = MainWindow(db, settings)
        qtbot.addWidget(made)
        made.resize(1280, 800)
        made.show()
        return made

    return make


def test_an_accountant_sees_the_vendor_greyed_and_still_saves_the_general_settings(
    qtbot, db, window, settings, monkeypatch
):
    server_user(monkeypatch, "anna", "clerk", "accountant")
    desk = window()
    seen: list = []
    before = vendor_service.get_vendor(db)

    def look(dialog: SettingsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        edits = [*dialog.vendor.edits.values(), *dialog.regimes.kinds.values()]
        seen.append([edit.isEnabled() for edit in edits])
        seen.append((dialog.vendor.toolTip(), dialog.regimes.toolTip()))
        seen.append(dialog.not_admin.isVisibleTo(dialog) and dialog.not_admin.text())
        dialog.tabs.setCurrentIndex(0)
        dialog.formats.setCurrentIndex(dialog.formats.findData("fr_CH"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.result())

    when_shown(SettingsDialog, look, seen)
    desk.settings_action.trigger()
    assert seen[1] == [False] * (len(VENDOR_FIELDS) + len(seen[0].regimes.kinds))
    assert seen[2] == (ADMIN_NEEDED.format(user="anna"),) * 2
    assert seen[3] == ADMIN_NEEDED.format(user="anna")
    assert seen[4] == SettingsDialog.DialogCode.Accepted
    assert settings[opt.FORMAT_LOCALE] == "fr_CH"
    assert vendor_service.get_vendor(db) == before

    desk.show_view(4)
    desk.catalogue.select_plan("LO-LOCAL")
    for button in (desk.catalogue.price_button, desk.catalogue.tier_button):
        assert not button.isEnabled()
        assert button.toolTip() == ADMIN_NEEDED.format(user="anna")
    # an accountant sends payment reminders
    desk.show_view(2)
    assert desk.invoices.remind_button.isEnabled()
    assert desk.renewals.dunning_action.isEnabled()


def test_a_clerk_may_not_send_payment_reminders(qtbot, window, monkeypatch):
    server_user(monkeypatch, "bea", "clerk")
    desk = window()
    desk.show_view(2)
    needed = "Not for bea: this needs the role lehrer_accountant."
    assert not desk.invoices.remind_button.isEnabled()
    assert desk.invoices.remind_button.toolTip() == needed
    desk.show_view(3)
    assert not desk.renewals.dunning_action.isEnabled()
    assert desk.renewals.dunning_action.toolTip() == needed


def edit_the_vendor_name(qtbot, desk: MainWindow, name: str) -> list:
    seen: list = []

    def look(dialog: SettingsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        seen.append(dialog.vendor.isEnabled() and dialog.regimes.isEnabled())
        seen.append(dialog.not_admin.isVisibleTo(dialog))
        edit = dialog.vendor.edits["name"]
        assert isinstance(edit, QLineEdit)
        edit.selectAll()
        qtbot.keyClicks(edit, name)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_shown(SettingsDialog, look, seen)
    desk.settings_action.trigger()
    return seen[1:]


def test_the_admin_and_a_database_file_edit_the_vendor(qtbot, db, window, monkeypatch):
    assert edit_the_vendor_name(qtbot, window(), "Lernwerk Datei") == [True, False]
    assert vendor_service.get_vendor(db).name == "Lernwerk Datei"
    server_user(monkeypatch, "carla", "clerk", "accountant", "admin")
    assert edit_the_vendor_name(qtbot, window(), "Lernwerk Admin") == [True, False]
    assert vendor_service.get_vendor(db).name == "Lernwerk Admin"
