"""Translations shared by the UI and the documents.

One set of gettext catalogues serves both, because a document is rendered in the school's
language while the UI may be in another. The sources are ``translations/<lang>/*.po`` (one file
per area); ``lehrer_licenses.i18n_compile`` merges each language's files into one compiled
catalogue, ``lehrer_licenses/locale/<lang>/LC_MESSAGES/lehrer_licenses.mo``, which is read here
with the standard library's gettext (plural forms and contexts included). A checkout compiles on
first use when a .po is newer than its .mo; a wheel and the bundle carry the compiled files.
Only the standard library is imported at run time: every layer may import this module.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from lehrer_licenses import i18n_compile
from lehrer_licenses.paths import locale_dir, translations_dir

LANGUAGES: tuple[str, ...] = ("de", "fr", "it", "en", "nl")
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a string with its context for extraction; translate it later with ``pgettext``."""
    return message


class MissingCatalogue(FileNotFoundError):
    """A language the app offers has no compiled catalogue: a broken build, never English."""


def catalogue_resource(language: str) -> Traversable:
    """Where the compiled catalogue of ``language`` is, inside the installed package.

    Found through importlib.resources, so the source tree, a wheel and the PyInstaller bundle
    (which puts the package's data files under ``lehrer_licenses/`` in its folder) all work.
    """
    name = f"{i18n_compile.DOMAIN}.mo"
    return files(__package__).joinpath("locale", language, "LC_MESSAGES", name)


def _compile_in_source_tree(language: str) -> None:
    # A checkout has the .po sources next to the package and no compiled files in git; an
    # installed wheel or a bundle has no sources here and was compiled when it was built.
    if not (translations_dir() / language).is_dir():
        return
    if not i18n_compile.is_stale(translations_dir(), locale_dir(), language):
        return
    try:
        i18n_compile.compile_language(translations_dir(), locale_dir(), language)
    except ModuleNotFoundError as error:
        raise MissingCatalogue(
            f"translations/{language}/*.po changed but Babel, which compiles them, is not "
            f"installed ({error}): pip install -e '.[dev]'"
        ) from error


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The translations for one language; unknown languages fall back to the English source.

    A language of ``LANGUAGES`` without its compiled catalogue raises MissingCatalogue: an
    invoice in English for a German school would be worse than a loud error.
    """
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    _compile_in_source_tree(language)
    resource = catalogue_resource(language)
    try:
        data = resource.read_bytes()
    except FileNotFoundError as error:
        raise MissingCatalogue(
            f"no compiled catalogue for {language!r} at {resource}: build the package (its "
            "setup.py compiles translations/*.po) or run python -m lehrer_licenses.i18n_compile"
        ) from error
    return gettext.GNUTranslations(io.BytesIO(data))


def parse_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of the translated, non-fuzzy entries of a .po file (needs Babel).

    For the checks on the sources; the app reads the compiled catalogues. A message with a
    context is keyed as gettext keys it, ``context + "\\x04" + msgid``; a plural message gives
    its singular form under its msgid (``plural_entries`` has all forms).
    """
    return {
        msgid if context is None else f"{context}\x04{msgid}": forms[0]
        for (context, msgid, _plural), forms in plural_entries(path).items()
    }


def plural_entries(path: Path) -> dict[tuple[str | None, str, str | None], tuple[str, ...]]:
    """(context, msgid, msgid_plural) -> every translated form, of a .po file (needs Babel)."""
    return i18n_compile.entries(i18n_compile.read_catalogue(path))


# German as written in Germany and Austria differs from the Swiss German of the catalogues in
# the sharp s after a long vowel or diphthong. The catalogues are kept once, in Swiss spelling;
# the few words of the printed documents that differ are respelled (a variant catalogue would
# copy every message and drift). Only translations go through this, never what users typed.
SHARP_S_COUNTRIES = ("DE", "AT")
_SHARP_S = (
    ("Grüsse", "Grüße"), ("Gruss", "Gruß"), ("emäss", "emäß"), ("röss", "röß"),
    ("ausser", "außer"), ("Ausser", "Außer"), ("trasse", "traße"), ("Fuss", "Fuß"),
    ("chliess", "chließ"), ("heiss", "heiß"), ("Heiss", "Heiß"),
)  # fmt: skip


def sharp_s(text: str) -> str:
    """Swiss German ``text`` as written in Germany and Austria ("Grüsse" -> "Grüße")."""
    if "ss" not in text:
        return text
    for swiss, german in _SHARP_S:
        text = text.replace(swiss, german)
    return text


def gettext_for(language: str, country: str = "") -> Callable[[str], str]:
    """The translations of ``language``; German for a reader in ``country`` DE or AT is spelt
    as there (``sharp_s``), Swiss German otherwise."""
    gettext = translator(language).gettext
    if language == "de" and country.upper() in SHARP_S_COUNTRIES:
        return lambda message: sharp_s(gettext(message))
    return gettext


_ui_language = SOURCE_LANGUAGE


def set_ui_language(language: str) -> None:
    global _ui_language
    _ui_language = language if language in LANGUAGES else SOURCE_LANGUAGE


def ui_language() -> str:
    return _ui_language


# Numeric dates by language, for messages outside the app (the command line). English keeps
# ISO 8601: scripts read the CLI's output, and 03/10/2026 means two days to English readers.
_DATE_PATTERNS = {
    "de": "{d:02d}.{m:02d}.{y}",
    "fr": "{d:02d}/{m:02d}/{y}",
    "it": "{d:02d}/{m:02d}/{y}",
    "nl": "{d:02d}-{m:02d}-{y}",
}

_date_formatter: Callable[[date], str] | None = None


def set_date_formatter(formatter: Callable[[date], str] | None) -> None:
    """Let messages write dates as the app's tables do (its format locale, which may differ
    from the language: fr_CH writes 31.12.2026); None goes back to the language's pattern."""
    global _date_formatter
    _date_formatter = formatter


def format_date(day: date) -> str:
    """A date in a message for the user: 31.12.2026 in German, 31/12/2026 in French."""
    if _date_formatter is not None:
        return _date_formatter(day)
    pattern = _DATE_PATTERNS.get(_ui_language)
    if pattern is None:
        return day.isoformat()
    return pattern.format(d=day.day, m=day.month, y=day.year)


def _(message: str) -> str:
    """Translate into the UI's language (messages shown to the user, CLI errors)."""
    return translator(ui_language()).gettext(message)


def month_text(month: date) -> str:
    """A month in a message for the user, as ``format_date`` writes its date without the day."""
    pattern = _DATE_PATTERNS.get(_ui_language)
    if pattern is None:
        return month.strftime("%Y-%m")
    return pattern.replace("{d:02d}", "").lstrip(".-/").format(m=month.month, y=month.year)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the UI's language: ``ngettext("{n} school", "{n} schools", n)``.

    Languages differ in which numbers take which form (French says "0 école", English
    "0 schools"), so the catalogue's Plural-Forms decides, not ``n == 1``.
    """
    return translator(ui_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a word whose translation depends on where it stands: ("seat state", "Free")."""
    return translator(ui_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translator(ui_language()).npgettext(context, singular, plural, n)
