"""Plural forms and contexts through gettext, and the compile step from .po to .mo.

The app reads compiled catalogues (lehrer_licenses/locale/<lang>/LC_MESSAGES/lehrer_licenses.mo,
compiled from translations/<lang>/*.po by lehrer_licenses/i18n_compile.py); a checkout compiles
them when a .po is newer, and a missing catalogue is an error, never a silent English UI.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lehrer_licenses import i18n, i18n_compile
from lehrer_licenses.paths import locale_dir, translations_dir

TRANSLATED = ("de", "fr", "it", "nl")
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",  # French: 0 and 1 take the singular
    "it": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);",
}
SCHOOLS = ("{n} school", "{n} schools")
# n -> "{n} school(s)" in each language: 0 shows where French differs.
EXPECTED_SCHOOLS = {
    "en": {0: "0 schools", 1: "1 school", 2: "2 schools", 21: "21 schools"},
    "de": {0: "0 Schulen", 1: "1 Schule", 2: "2 Schulen", 21: "21 Schulen"},
    "fr": {0: "0 école", 1: "1 école", 2: "2 écoles", 21: "21 écoles"},
    "it": {0: "0 scuole", 1: "1 scuola", 2: "2 scuole", 21: "21 scuole"},
    "nl": {0: "0 scholen", 1: "1 school", 2: "2 scholen", 21: "21 scholen"},
}
OPEN_AMOUNT = {"en": "Open", "de": "Offen", "fr": "Reste dû", "it": "Da pagare", "nl": "Openstaand"}
OPEN_INVOICE = {"en": "Open", "de": "Offen", "fr": "Ouvert", "it": "Aperto", "nl": "Open"}


@pytest.fixture
def ui_language():
    def use(language: str) -> None:
        i18n.set_ui_language(language)

    yield use
    i18n.set_ui_language("en")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_ngettext_picks_the_form_of_the_language(language, ui_language):
    ui_language(language)
    shown = {n: i18n.ngettext(*SCHOOLS, n).format(n=n) for n in EXPECTED_SCHOOLS[language]}
    assert shown == EXPECTED_SCHOOLS[language]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_pgettext_tells_an_open_amount_from_an_open_invoice(language, ui_language):
    ui_language(language)
    assert i18n.pgettext("amount", "Open") == OPEN_AMOUNT[language]
    assert i18n._("Open") == OPEN_INVOICE[language]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_npgettext_falls_back_to_the_english_forms_for_an_unknown_message(language, ui_language):
    ui_language(language)
    assert i18n.npgettext("nowhere", "{n} thing", "{n} things", 1) == "{n} thing"
    assert i18n.npgettext("nowhere", "{n} thing", "{n} things", 3) == "{n} things"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_po_file_declares_the_plural_forms_of_its_language(language):
    for path in i18n_compile.sources(translations_dir(), language):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        assert catalog.plural_forms == PLURAL_FORMS[language], path.name
    assert i18n.translator(language).info()["plural-forms"] == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_plural_message_has_both_forms_translated(language):
    found = 0
    for path in i18n_compile.sources(translations_dir(), language):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.pluralizable:
                found += 1
                assert len(message.string) == 2 and all(message.string), (path.name, message.id)
    assert found >= 20


def test_the_catalogue_is_the_compiled_file_inside_the_package():
    resource = i18n.catalogue_resource("de")
    assert Path(str(resource)) == locale_dir() / "de" / "LC_MESSAGES" / "lehrer_licenses.mo"
    assert isinstance(i18n.translator("de"), gettext.GNUTranslations)


def test_an_unknown_language_is_english_and_english_needs_no_catalogue():
    assert type(i18n.translator("xx")) is gettext.NullTranslations
    assert type(i18n.translator("en")) is gettext.NullTranslations


# --- compiling ------------------------------------------------------------------------------


def _po(body: str, plural: str = "nplurals=2; plural=(n != 1);") -> str:
    return (
        'msgid ""\nmsgstr ""\n'
        '"Language: de\\n"\n'
        f'"Plural-Forms: {plural}\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n\n' + body
    )


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "translations" / "de"
    folder.mkdir(parents=True)
    (folder / "a.po").write_text(
        _po(
            'msgid "Hello"\nmsgstr "Hallo"\n\n'
            'msgid "{n} school"\nmsgid_plural "{n} schools"\n'
            'msgstr[0] "{n} Schule"\nmsgstr[1] "{n} Schulen"\n\n'
            'msgctxt "amount"\nmsgid "Open"\nmsgstr "Offen"\n\n'
            '#, fuzzy\nmsgid "Draft"\nmsgstr "Entwurf?"\n'
        ),
        encoding="utf-8",
    )
    (folder / "b.po").write_text(_po('msgid "Bye"\nmsgstr "Tschüss"\n'), encoding="utf-8")
    return tmp_path / "translations"


def _load(mo: Path) -> gettext.GNUTranslations:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_compiling_merges_the_areas_with_plurals_and_contexts(sources, tmp_path):
    locale = tmp_path / "locale"
    assert i18n_compile.compile_all(sources, locale) == [i18n_compile.mo_path(locale, "de")]
    loaded = _load(i18n_compile.mo_path(locale, "de"))
    assert loaded.gettext("Hello") == "Hallo"
    assert loaded.gettext("Bye") == "Tschüss"
    assert [loaded.ngettext("{n} school", "{n} schools", n) for n in (1, 2)] == [
        "{n} Schule",
        "{n} Schulen",
    ]
    assert loaded.pgettext("amount", "Open") == "Offen"
    assert loaded.gettext("Open") == "Open"
    assert loaded.gettext("Draft") == "Draft"  # fuzzy: not translated yet


def test_a_po_newer_than_its_mo_is_compiled_again(sources, tmp_path):
    locale = tmp_path / "locale"
    mo = i18n_compile.compile_language(sources, locale, "de")
    assert not i18n_compile.is_stale(sources, locale, "de")
    assert i18n_compile.compile_if_stale(sources, locale, "de") is False

    po = sources / "de" / "b.po"
    po.write_text(_po('msgid "Bye"\nmsgstr "Adieu"\n'), encoding="utf-8")
    earlier = po.stat().st_mtime_ns - 10_000_000_000  # a file system's times may be coarse
    os.utime(mo, ns=(earlier, earlier))
    assert i18n_compile.is_stale(sources, locale, "de")
    assert i18n_compile.compile_if_stale(sources, locale, "de") is True
    assert _load(mo).gettext("Bye") == "Adieu"
    assert not i18n_compile.is_stale(sources, locale, "de")


def test_a_broken_po_fails_with_its_file_and_line(sources, tmp_path):
    broken = sources / "de" / "b.po"
    broken.write_text(_po('msgid "Bye"\nmsgstr "Tschüss\n'), encoding="utf-8")
    with pytest.raises(i18n_compile.CatalogueError, match=r"b\.po: cannot be compiled: line 8: "):
        i18n_compile.compile_language(sources, tmp_path / "locale", "de")
    broken.write_text(_po('msgid "Bye"\nmsgstr "Tschüss"\nnonsense "x"\n'), encoding="utf-8")
    with pytest.raises(i18n_compile.CatalogueError, match=r"b\.po: cannot be compiled: line 9: "):
        i18n_compile.compile_language(sources, tmp_path / "locale", "de")
    broken.write_text(_po('msgid "Bye"\n\nmsgid "Hi"\nmsgstr "Hoi"\n'), encoding="utf-8")
    with pytest.raises(i18n_compile.CatalogueError, match=r"b\.po: cannot be compiled: missing"):
        i18n_compile.compile_language(sources, tmp_path / "locale", "de")
    assert not i18n_compile.mo_path(tmp_path / "locale", "de").exists()


def test_two_areas_translating_one_msgid_differently_fail(sources, tmp_path):
    (sources / "de" / "b.po").write_text(_po('msgid "Hello"\nmsgstr "Grüezi"\n'), encoding="utf-8")
    with pytest.raises(i18n_compile.CatalogueError, match=r"'Hello': a\.po .*Hallo.* vs b\.po"):
        i18n_compile.compile_language(sources, tmp_path / "locale", "de")


def test_areas_with_different_plural_forms_fail(sources, tmp_path):
    other = _po('msgid "Bye"\nmsgstr "Tschüss"\n', plural="nplurals=2; plural=(n > 1);")
    (sources / "de" / "b.po").write_text(other, encoding="utf-8")
    with pytest.raises(i18n_compile.CatalogueError, match=r"b\.po: Plural-Forms"):
        i18n_compile.compile_language(sources, tmp_path / "locale", "de")


def test_the_command_line_reports_a_broken_po_and_exits_1(sources, tmp_path, capsys):
    (sources / "de" / "a.po").write_text(_po('msgid "x"\nmsgstr'), encoding="utf-8")
    code = i18n_compile.main(["--translations", str(sources), "--locale", str(tmp_path / "l")])
    assert code == 1
    assert "a.po: cannot be compiled" in capsys.readouterr().err


def test_a_missing_catalogue_fails_loudly_instead_of_showing_english(monkeypatch, tmp_path):
    # As in an install without its compiled files: no sources to compile from, no .mo.
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path / "no-sources")
    monkeypatch.setattr(i18n, "catalogue_resource", lambda language: tmp_path / "absent.mo")
    i18n.translator.cache_clear()
    try:
        with pytest.raises(i18n.MissingCatalogue, match="no compiled catalogue for 'fr'"):
            i18n.translator("fr")
    finally:
        monkeypatch.undo()
        i18n.translator.cache_clear()


def test_a_checkout_compiles_an_edited_po_on_first_use(monkeypatch, sources, tmp_path):
    locale = tmp_path / "locale"
    monkeypatch.setattr(i18n, "translations_dir", lambda: sources)
    monkeypatch.setattr(i18n, "locale_dir", lambda: locale)
    monkeypatch.setattr(i18n, "catalogue_resource", lambda lang: i18n_compile.mo_path(locale, lang))
    i18n.translator.cache_clear()
    try:
        assert i18n.translator("de").gettext("Hello") == "Hallo"
        assert i18n_compile.mo_path(locale, "de").is_file()
    finally:
        monkeypatch.undo()
        i18n.translator.cache_clear()
