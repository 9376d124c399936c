"""The translation catalogues are complete, well-formed and keep their placeholders.

Core area (lehrer_licenses/domain, store, services, cli and i18n.py): the msgids are extracted
from the source with scripts/extract_messages.py, so a new ``_()``, ``N_()``, ``tr()`` or
``gettext()`` message fails here until it is translated. To fix::

    .venv/bin/python scripts/extract_messages.py --update
    # translate the new empty msgstr in translations/{de,fr,it,nl}/core.po

Every .po file under translations/ (all areas) must parse, hold each msgid once and keep the
``{placeholders}`` of its msgids. Plural messages (``ngettext``: msgid_plural, msgstr[0..1]) and
messages with a context (``pgettext``: msgctxt) count as translated when every form is.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lehrer_licenses.domain.catalogue import TierBand
from lehrer_licenses.domain.default_catalogue import DEFAULT_PLANS
from lehrer_licenses.domain.periods import calendar_year_term
from lehrer_licenses.domain.pricing import price_new_seats, price_usage_in_arrears
from lehrer_licenses.i18n import gettext_for, parse_po, plural_entries, translator
from lehrer_licenses.paths import translations_dir

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = ("de", "fr", "it", "nl")
ALL_PO_FILES = sorted(translations_dir().glob("*/*.po"))
PO_IDS = [path.relative_to(translations_dir()).as_posix() for path in ALL_PO_FILES]


def _load_extract_messages():
    name = "extract_messages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@cache
def core_msgids() -> tuple[str, ...]:
    return tuple(_load_extract_messages().area_msgids("core"))


@cache
def core_keys() -> tuple[tuple[str | None, str, str | None], ...]:
    """(msgctxt, msgid, msgid_plural) of every core message."""
    return tuple(_load_extract_messages().area_message_keys("core"))


# The tests below read each .po file up to six times; it does not change during a run.
@cache
def entries_of(path: Path) -> dict[tuple[str | None, str, str | None], tuple[str, ...]]:
    return plural_entries(path)


@cache
def messages_of(path: Path) -> dict[str, str]:
    return parse_po(path)


@cache
def merged_forms(language: str) -> dict[tuple[str | None, str, str | None], tuple[str, ...]]:
    """(msgctxt, msgid, msgid_plural) -> every form, merged over the language's .po files."""
    messages: dict[tuple[str | None, str, str | None], tuple[str, ...]] = {}
    for path in sorted((translations_dir() / language).glob("*.po")):
        messages.update(entries_of(path))
    return messages


def loaded_forms(language: str, key: tuple[str | None, str, str | None]) -> tuple[str, ...]:
    """What the app's translator gives for a message: its one form, or the forms for 1 and 2."""
    context, msgid, plural = key
    loaded = translator(language)
    if plural is None:
        return (loaded.gettext(msgid) if context is None else loaded.pgettext(context, msgid),)
    if context is None:
        return tuple(loaded.ngettext(msgid, plural, n) for n in (1, 2))
    return tuple(loaded.npgettext(context, msgid, plural, n) for n in (1, 2))


def form_placeholders_differ(key: tuple[str | None, str, str | None], forms) -> bool:
    """A translation's forms keep the placeholders: the first those of the msgid, the others
    those of the msgid_plural."""
    _context, msgid, plural = key
    sources = [msgid] + [plural or msgid] * (len(forms) - 1)
    return any(
        Counter(placeholders(form)) != Counter(placeholders(source))
        for form, source in zip(forms, sources, strict=True)
    )


def placeholders(text: str) -> list[str]:
    """The ``{fields}`` of a str.format template (``{{``/``}}`` are literal braces)."""
    return re.findall(r"\{([^{}]*)\}", text.replace("{{", "").replace("}}", ""))


def po_entries(path: Path) -> list[tuple[str | None, str, int]]:
    """(msgctxt, msgid, line) of every entry but the obsolete ones, header included, in order."""
    entries: list[tuple[str | None, str, int]] = []
    context: str | None = None
    msgid: list[str] | None = None
    start = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            msgid, start = [ast.literal_eval(line[6:])], number
        elif line.startswith('"') and msgid is not None:
            msgid.append(ast.literal_eval(line))
        elif line.startswith(("msgid_plural ", "msgstr")) and msgid is not None:
            entries.append((context, "".join(msgid), start))
            context, msgid = None, None
    return entries


# --- the core area --------------------------------------------------------------------------


def test_core_extraction_finds_the_invoice_lines_and_fstring_messages():
    ids = set(core_msgids())
    assert "Base licence (one-time)" in ids  # tr(...) in domain/pricing.py
    assert "Volume discount {percent}% on seats {first}–{last}" in ids
    assert "no school with number {number}" in ids  # _(...) in services
    assert "Net" in ids  # _('Net') inside an f-string in cli/output.py
    plurals = {(msgid, plural) for _context, msgid, plural in core_keys() if plural}
    assert ("{n} school imported:", "{n} schools imported:") in plurals  # ngettext(...) in cli


def test_core_template_lists_every_core_msgid():
    pot = translations_dir() / "core.pot"
    with pot.open("rb") as handle:
        template = {
            (m.context, m.id, None) if isinstance(m.id, str) else (m.context, *m.id)
            for m in read_po(handle)
            if m.id
        }
    assert [m for m in core_keys() if m not in template] == [], (
        "translations/core.pot is out of date: run .venv/bin/python scripts/extract_messages.py"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_core_msgid_has_a_translation(language):
    messages = merged_forms(language)
    missing = [
        key for key in core_keys() if not all(form.strip() for form in messages.get(key, ("",)))
    ]
    assert not missing, (
        f"{len(missing)} core message(s) without a {language} translation (run "
        f"scripts/extract_messages.py --update, then translate translations/{language}/core.po): "
        f"{missing}"
    )
    assert [key for key in core_keys() if loaded_forms(language, key) != messages[key]] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_core_translations_keep_the_placeholders_of_their_msgid(language):
    messages = merged_forms(language)
    wrong = {
        key: messages[key]
        for key in core_keys()
        if key in messages and form_placeholders_differ(key, messages[key])
    }
    assert wrong == {}


@pytest.mark.parametrize("language", TRANSLATED)
def test_core_po_header_names_language_plural_forms_and_utf8(language):
    with (translations_dir() / language / "core.po").open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    headers = dict(catalog.mime_headers)
    assert headers["Language"] == language
    assert headers["Plural-Forms"].startswith("nplurals=2;")
    assert "charset=utf-8" in headers["Content-Type"].lower()
    assert not catalog.fuzzy


def test_swiss_german_core_translations_use_no_sharp_s():
    assert [t for m, t in parse_po(translations_dir() / "de" / "core.po").items() if "ß" in t] == []


# --- every .po file of every area -----------------------------------------------------------


@pytest.mark.parametrize("path", ALL_PO_FILES, ids=PO_IDS)
def test_po_file_parses(path):
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    assert len(catalog) > 0
    assert messages_of(path)
    # Every translation of the file reaches the compiled catalogue the app loads.
    entries = entries_of(path)
    assert {key: loaded_forms(path.parent.name, key) for key in entries} == entries


@pytest.mark.parametrize("path", ALL_PO_FILES, ids=PO_IDS)
def test_po_file_has_no_duplicate_msgid(path):
    seen: dict[tuple[str | None, str], int] = {}
    duplicates = []
    for context, msgid, line in po_entries(path):
        if (context, msgid) in seen:
            duplicates.append(f"{msgid!r} on lines {seen[context, msgid]} and {line}")
        seen.setdefault((context, msgid), line)
    assert duplicates == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_msgid_translated_in_two_areas_is_translated_alike(language):
    # The areas' .po files are merged into one catalogue, so a second, different translation
    # would silently replace the first (an invoice line once read "Basislizenz" because ui.po
    # loads after core.po). A word that means something else in the app needs its own msgid.
    first: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in sorted((translations_dir() / language).glob("*.po")):
        for msgid, msgstr in entries_of(path).items():
            area, earlier = first.setdefault(msgid, (path.name, msgstr))
            if earlier != msgstr:
                conflicts.append(f"{msgid!r}: {area} {earlier!r} vs {path.name} {msgstr!r}")
    assert conflicts == []


@pytest.mark.parametrize("path", ALL_PO_FILES, ids=PO_IDS)
def test_po_file_translations_keep_the_placeholders_of_their_msgid(path):
    wrong = {
        msgid: msgstr
        for msgid, msgstr in messages_of(path).items()
        if set(placeholders(msgstr)) != set(placeholders(msgid.split("\x04")[-1]))
    }
    assert wrong == {}
    assert {
        key: forms
        for key, forms in entries_of(path).items()
        if form_placeholders_differ(key, forms)
    } == {}


# --- invoice lines come out in the school's language ----------------------------------------


def test_base_licence_line_text_is_in_the_school_language():
    assert gettext_for("de")("Base licence (one-time)") == "Grundlizenz (einmalig)"
    assert gettext_for("fr")("Base licence (one-time)") == "Licence de base (paiement unique)"
    assert gettext_for("it")("Base licence (one-time)") == "Licenza di base (una tantum)"
    assert gettext_for("nl")("Base licence (one-time)") == "Basislicentie (eenmalig)"
    assert gettext_for("en")("Base licence (one-time)") == "Base licence (one-time)"


def _first_order(language: str, seats: int):
    local = replace(DEFAULT_PLANS[0], tiers=(TierBand(50, Decimal("10"), date(2024, 1, 1)),))
    on = date(2026, 3, 10)
    return price_new_seats(
        local,
        seats=seats,
        order_date=on,
        first_position=1,
        running_term=None,
        term_for_order=calendar_year_term(on),
        tr=gettext_for(language),
    )


def test_german_school_gets_german_invoice_lines():
    assert [line.description for line in _first_order("de", 60)] == [
        "Grundlizenz (einmalig)",
        "Updateabonnement 01.01.2026 – 31.12.2026",
        "Mengenrabatt 10% auf Lizenzen 50–60",
    ]


def test_french_school_gets_french_invoice_lines():
    assert [line.description for line in _first_order("fr", 60)] == [
        "Licence de base (paiement unique)",
        "Abonnement de mise à jour 01.01.2026 – 31.12.2026",
        "Rabais de quantité 10\u00a0% sur les licences 50–60",
    ]


def test_db_hosting_lines_are_in_the_school_language():
    hosted = DEFAULT_PLANS[1]
    term = calendar_year_term(date(2025, 1, 1))
    counts = {date(2025, month, 1): 10 for month in range(1, 13)}
    lines = price_usage_in_arrears(
        hosted, term=term, monthly_counts=counts, canton_licence=False, tr=gettext_for("it")
    )
    assert [line.description for line in lines] == [
        "Hosting DB 01.01.2025 – 31.12.2025, 120 mesi-utente",
        "Abbonamento agli aggiornamenti 01.01.2025 – 31.12.2025, 120 mesi-utente",
    ]
