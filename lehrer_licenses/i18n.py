"""Translations shared by the UI and the documents.

One set of gettext catalogues in ``translations/<lang>/*.po`` serves both (one file per area,
merged on load), because a document is
rendered in the school's language while the UI may be in another. The .po files are read directly
(no compile step), so a fresh checkout, an installed package and a frozen bundle behave the same.
Only the standard library is used: every layer may import this module.
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

from lehrer_licenses.paths import translations_dir

LANGUAGES: tuple[str, ...] = ("de", "fr", "it", "en", "nl")
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr for the translated, non-fuzzy entries of a .po file.

    Plural entries keep their first two forms under ``(msgid, 0)``-style keys, not needed yet, so
    they are read as msgid -> msgstr[0].
    """
    catalogue: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal msgid, msgstr, fuzzy
        key = "".join(msgid)
        value = "".join(msgstr)
        if key and value and not fuzzy:
            catalogue[key] = value
        msgid, msgstr, fuzzy = [], [], False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            if msgid or msgstr:
                flush()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            if msgstr:
                flush()
            continue
        if line.startswith("msgid "):
            if msgstr:
                flush()
            msgid = [_unquote(line[6:])]
            target = msgid
        elif line.startswith("msgid_plural "):
            target = None
        elif line.startswith("msgstr[0] "):
            msgstr = [_unquote(line[10:])]
            target = msgstr
        elif line.startswith("msgstr[") or line.startswith("msgctxt "):
            target = None
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(_unquote(line))
    if msgid or msgstr:
        flush()
    return catalogue


class _Catalogue(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The translations for one language; unknown languages fall back to the English source."""
    folder = translations_dir() / language
    if language == SOURCE_LANGUAGE or not folder.is_dir():
        return gettext.NullTranslations()
    messages: dict[str, str] = {}
    for path in sorted(folder.glob("*.po")):
        messages.update(parse_po(path))
    return _Catalogue(messages)


def gettext_for(language: str) -> Callable[[str], str]:
    return translator(language).gettext


_ui_language = SOURCE_LANGUAGE


def set_ui_language(language: str) -> None:
    global _ui_language
    _ui_language = language if language in LANGUAGES else SOURCE_LANGUAGE


def ui_language() -> str:
    return _ui_language


def _(message: str) -> str:
    """Translate into the UI's language (messages shown to the user, CLI errors)."""
    return translator(ui_language()).gettext(message)
