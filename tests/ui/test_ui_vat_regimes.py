"""The vendor settings' VAT regime table: one row per school country, the regime chosen with the
keyboard, the number of a registration abroad typed, refused when wrong, stored when saved."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from lehrer_licenses.services.billing import vat_regimes, vendor
from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog
from lehrer_licenses.ui.settings import Settings


def _type(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _choose(qtbot, combo, label: str) -> None:
    """Step through the regimes with the arrow keys until ``label`` shows."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _step in range(combo.count()):
        if combo.currentText() == label:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == label


def test_the_regime_table_declares_a_registration_abroad_and_reverse_charge(qtbot, db, tmp_path):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    dialog = SettingsDialog(db, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    table = dialog.regimes
    assert [table.table.cellWidget(row, 0).text() for row in range(4)] == [
        "Switzerland (CH)",
        "Germany (DE)",
        "Austria (AT)",
        "Netherlands (NL)",
    ]
    assert table.kinds["CH"].currentText() == "Domestic VAT (own country)"
    assert not table.numbers["CH"].isEnabled()

    _choose(qtbot, table.kinds["AT"], "Reverse charge (0 %)")
    assert not table.numbers["AT"].isEnabled()
    _choose(qtbot, table.kinds["DE"], "VAT registration in that country")
    assert table.numbers["DE"].isEnabled()
    _type(qtbot, table.numbers["DE"], "DE136695975")  # wrong check digit
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert table.error.text() == "--vat-id: not a valid VAT number of DE: 'DE136695975'"
    assert vat_regimes.get_regimes(db).declared == {}

    _type(qtbot, table.numbers["DE"], "DE136695976")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    declared = vat_regimes.get_regimes(db).declared
    assert {c: r.encode() for c, r in declared.items()} == {
        "DE": "registered DE136695976",
        "AT": "reverse-charge",
    }
