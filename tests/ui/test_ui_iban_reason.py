"""Why an IBAN is refused is said in the UI's language: the library's reason is English
("Invalid IBAN length" stood in the French first-run assistant)."""

from __future__ import annotations

import pytest

from lehrer_licenses.i18n import set_ui_language
from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog


@pytest.mark.parametrize(
    ("language", "typed", "reason"),
    [
        ("fr", "CH93 0076", "la longueur ne correspond pas à son pays"),
        ("de", "CH94 0076 2011 6238 5295 7", "die Prüfziffern stimmen nicht"),
        ("en", "XX93 0076 2011 6238 5295 7", "it does not start with a known country code"),
    ],
)
def test_a_refused_iban_says_why_in_the_language_of_the_ui(
    qtbot, db, settings, language, typed, reason
):
    set_ui_language(language)
    dialog = SettingsDialog(db, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.vendor.edits["iban"]
    qtbot.keyClicks(field, typed)
    text = dialog.vendor.errors["iban"].text()
    assert reason in text, text
    assert "Invalid" not in text and "invalid" not in text
