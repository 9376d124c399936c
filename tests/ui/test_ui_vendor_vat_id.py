"""The first-run assistant's vendor page and the vendor settings ask for the VAT/UID number
(invoices carry VAT), check it with python-stdnum as it is typed, and store it."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QWizard

from lehrer_licenses.services.billing import vendor
from lehrer_licenses.ui.dialogs.first_run import FirstRunWizard
from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog
from lehrer_licenses.ui.settings import Settings


def _type(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_the_assistant_asks_for_the_vat_id_and_refuses_a_wrong_one(qtbot, db):
    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.vendor_page.form
    vat = form.edits["vat_id"]
    assert "required" in vat.placeholderText()
    assert "VAT/UID number" in form.missing.text()
    _type(qtbot, form.edits["name"], "Lizenzbuero Muster")
    _type(qtbot, vat, "CHE-123.456.789 MWST")  # wrong check digit
    assert form.errors["vat_id"].text().startswith("not a valid VAT/UID number")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.vendor_page
    _type(qtbot, vat, "CHE-123.456.788 MWST")
    assert form.errors["vat_id"].text() == ""
    assert "VAT/UID number" not in form.missing.text()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.key_page
    assert vendor.get_vendor(db).vat_id == "CHE-123.456.788 MWST"
    wizard.button(QWizard.WizardButton.CancelButton).click()


def test_the_settings_dialog_lists_the_vat_id_as_needed_until_it_is_set(qtbot, db, tmp_path):
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    vendor.set_vendor(db, {**vendor.SAMPLE_VENDOR, "vat_id": ""})
    dialog = SettingsDialog(db, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    form = dialog.vendor
    assert form.missing.text() == "Needed before invoices can be issued: VAT/UID number"
    _type(qtbot, form.edits["vat_id"], "DE136695975")
    assert form.errors["vat_id"].text() == "not a valid VAT/UID number: 'DE136695975'"
    _type(qtbot, form.edits["vat_id"], "CHE-123.456.788 MWST")
    assert form.missing.text() == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert vendor.get_vendor(db).vat_id == "CHE-123.456.788 MWST"
