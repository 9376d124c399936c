"""Every message of the desktop app is translated (in ui.po, or in the area that owns the word)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import pytest

from lehrer_licenses.i18n import parse_po, plural_entries
from lehrer_licenses.paths import translations_dir

ROOT = Path(__file__).resolve().parents[2]


@cache  # extracting the ui sources is the slow part; each language checks the same ids
def ui_msgids() -> tuple[tuple[str | None, str, str | None], ...]:
    """(msgctxt, msgid, msgid_plural) of every message of the UI."""
    name = "extract_messages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    catalog = sys.modules[name].extract(["lehrer_licenses/ui"])
    return tuple(sys.modules[name].message_keys(catalog))


@pytest.mark.parametrize("language", ["de", "fr", "it", "nl"])
def test_every_ui_message_is_translated(language):
    # Merged as the app loads them: a word the documents already translate (Quote, Unit price)
    # is not repeated in ui.po, where a second translation would override the documents' one.
    translated: dict[tuple[str | None, str, str | None], tuple[str, ...]] = {}
    for path in sorted((translations_dir() / language).glob("*.po")):
        translated.update(plural_entries(path))
    missing = [key for key in ui_msgids() if key not in translated]
    assert missing == [], (
        f"run scripts/extract_messages.py --area ui --source lehrer_licenses/ui --update, "
        f"then translate translations/{language}/ui.po"
    )


def test_menu_mnemonics_survive_translation():
    for language in ("de", "fr", "it", "nl"):
        translated = parse_po(translations_dir() / language / "ui.po")
        for msgid, msgstr in translated.items():
            assert ("&" in msgid) == ("&" in msgstr), (language, msgid)
