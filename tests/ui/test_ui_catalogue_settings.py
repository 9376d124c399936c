"""The catalogue view (dated prices L13, tier bands L8) and the settings dialog (language and
formats, vendor identity validated inline, the signing key)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QDialog

from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.browse import catalogue as browse_catalogue
from lehrer_licenses.services.licences import codes
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog
from lehrer_licenses.ui.views.catalogue import AddPriceDialog, AddTierDialog, CatalogueView


def test_catalogue_shows_plans_and_adds_a_dated_price_and_a_tier(qtbot, db, school):
    view = CatalogueView(db)
    qtbot.addWidget(view)
    view.today = date(2026, 11, 22)
    view.refresh()
    assert view.selected().code == "LO-HOSTED"  # the first plan of the first product
    view.select_plan("LO-LOCAL")
    assert "Base licence (one-time)" in view.prices.texts(0)
    assert "111.45" in view.prices.texts(1)
    assert "No tier table" in view.tier_note.text()

    dialog = AddPriceDialog(db, view.selected(), date(2026, 11, 22))
    qtbot.addWidget(dialog)
    dialog.component.setCurrentIndex(dialog.component.findData("base"))
    dialog.amount.setText("-3")
    assert not dialog.confirm_button.isEnabled() and dialog.amount_error.text()
    dialog.amount.setText("119.00")
    assert "CHF\u00a0119.00 instead of CHF\u00a0111.45" in dialog.explain.text()
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted

    dialog = AddTierDialog(db, view.selected(), date(2026, 11, 22))
    qtbot.addWidget(dialog)
    assert "seats 50 and up get 10\u00a0% off" in dialog.explain.text()
    dialog.confirm_button.click()
    view.refresh()
    assert view.tiers.texts(0) == ["50"]
    plans = {p.code: p for p in browse_catalogue.catalogue_overview(db, date(2027, 1, 1))}
    assert [p.amount for p in plans["LO-LOCAL"].prices if p.in_force and p.component == "base"] == [
        Decimal("119.00")
    ]
    # Example 7 of DESIGN.md with the new tier: 60 seats ordered on 2026-03-10 (old prices).
    number = school("Grosse Schule")
    quote = orders.quote_order(db, number, 60, date(2026, 3, 10))
    assert quote.invoice.totals.net.amount == Decimal("9188.40")


def test_settings_language_formats_and_vendor_inline(qtbot, db, settings):
    dialog = SettingsDialog(db, settings)
    qtbot.addWidget(dialog)
    form = dialog.vendor
    assert "Name" in form.missing.text()  # init leaves the identity empty
    form.edits["iban"].setText("CH00 1234")
    assert form.errors["iban"].text().startswith("not a valid IBAN")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tabs.currentIndex() == 1
    for name, value in vendor.SAMPLE_VENDOR.items():
        edit = form.edits.get(name)
        if edit is None:
            continue
        if name == "country":
            edit.setCurrentIndex(edit.findData(value))
        elif name == "payment_terms_days":
            edit.setValue(int(value))
        else:
            edit.setText(value)
    assert form.missing.text() == ""
    assert not any(e.text() for e in form.errors.values())
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.formats.setCurrentIndex(dialog.formats.findData("de_DE"))
    assert dialog.sample.text() == "1.234,50\u00a0CHF \u00b7 10.03.2026"
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.language_changed
    assert settings[opt.UI_LANGUAGE] == "fr" and settings[opt.FORMAT_LOCALE] == "de_DE"
    stored = vendor.get_vendor(db)
    assert stored.name == "Lehrer Lizenzen AG" and stored.missing() == []


def test_signing_key_export_backup_restore(qtbot, db, settings, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(
        "lehrer_licenses.ui.dialogs.settings_dialog.show_error",
        lambda parent, exc, title=None: shown.append(str(exc)),
    )
    dialog = SettingsDialog(db, settings)
    qtbot.addWidget(dialog)
    keys = dialog.keys
    assert "Fingerprint" in keys.status.text()
    exported = keys.export_public(str(tmp_path / "public.pem"))
    assert exported.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert keys.backup(str(tmp_path / "key.backup"), passphrase="short") is None
    assert "at least 10 characters" in shown[0]
    backup = keys.backup(str(tmp_path / "key2.backup"), passphrase="a long passphrase")
    assert backup is not None and backup.is_file()
    assert keys.restore(str(backup), passphrase="a long passphrase", overwrite=True)
    assert codes.export_public_key(tmp_path / "again.pem").read_bytes() == exported.read_bytes()
