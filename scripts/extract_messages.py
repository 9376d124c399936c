#!/usr/bin/env python3
"""Extract the translatable messages of one area and keep its catalogues up to date.

The translations live in ``translations/<lang>/<area>.po`` (one file per area, merged into one
compiled catalogue per language by ``lehrer_licenses/i18n_compile.py``, which a checkout runs by
itself when a .po is newer); ``translations/<area>.pot`` is the template. English msgids are the
source language. Messages are found with Babel's Python extractor and these keywords:

    _        translate into the UI language              _("Unknown school {name}")
    N_       mark now, translate later                   N_("Base licence")
    tr       a translator passed in (the school's        tr("Base licence (one-time)")
             language, e.g. the invoice lines in
             lehrer_licenses/domain/pricing.py)
    gettext  gettext_for(lang) / translator(lang).gettext(...)
    ngettext a count in the UI language: msgid and      ngettext("{n} school", "{n} schools", n)
             msgid_plural, msgstr[0], msgstr[1]
    pgettext a word whose translation depends on        pgettext("seat state", "Free")
             where it stands: msgctxt
    npgettext both                                      npgettext("letters", "{n} letter", ...)
    NP_      mark with a context, translate later        NP_("amount", "Open")

Areas (``AREAS``):

    core   lehrer_licenses/domain, store, services, cli and lehrer_licenses/i18n.py
           (documents/ and ui/ are areas of their own, with their own .pot/.po files)

Usage, from the repository root with the project's venv (Babel comes with ``.[dev]``)::

    .venv/bin/python scripts/extract_messages.py                 # core: write translations/core.pot
    .venv/bin/python scripts/extract_messages.py --update        # ... and update de, fr, it, nl
    .venv/bin/python scripts/extract_messages.py --update --language fr
    .venv/bin/python scripts/extract_messages.py --check         # exit 1 if core.pot is stale
    .venv/bin/python scripts/extract_messages.py --list          # print the msgids, one a line

    # any other folders/files, e.g. for a new area:
    .venv/bin/python scripts/extract_messages.py --area reports --source lehrer_licenses/reports

``--update`` keeps every existing translation, adds new msgids with an empty msgstr and drops
msgids no longer in the source. A msgid that changed slightly is carried over as *fuzzy* (the old
translation as a hint); fuzzy entries count as untranslated, so fix the text and remove the
``#, fuzzy`` line (``--no-fuzzy`` adds such msgids empty instead). Then fill in the empty
msgstr and run ``.venv/bin/pytest -q tests/test_translations_complete.py``.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
PROJECT = "lehrer-licenses"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
TEMPLATE_HEADER = (
    "# Translations template for PROJECT.\n"
    "# Copyright (C) YEAR ORGANIZATION\n"
    "# This file is distributed under the same license as the PROJECT project.\n"
    "# Written by scripts/extract_messages.py: do not edit, run the script again."
)
LANGUAGES: tuple[str, ...] = ("de", "fr", "it", "nl")  # English is the source language

# Babel's keyword specs: which arguments are the msgid, the msgid_plural and ("c") the context.
KEYWORDS: dict[str, object] = {
    "_": None,
    "N_": None,
    "tr": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "NP_": ((1, "c"), 2),
}
METHOD_MAP = [("**.py", "python")]
COMMENT_TAGS = ("TRANSLATORS:",)

AREAS: dict[str, tuple[str, ...]] = {
    "core": (
        "lehrer_licenses/domain",
        "lehrer_licenses/store",
        "lehrer_licenses/services",
        "lehrer_licenses/cli",
        "lehrer_licenses/i18n.py",
    ),
}

LANGUAGE_TEAMS = {"de": "German", "fr": "French", "it": "Italian", "nl": "Dutch"}


def extract(sources: Iterable[str | Path], root: Path = ROOT) -> Catalog:
    """A template catalogue of every marked message in ``sources`` (folders or single files).

    Paths are relative to ``root``; the locations in the catalogue are too.
    """
    root = root.resolve()
    catalog = Catalog(
        project=PROJECT,
        version=VERSION,
        copyright_holder=PROJECT,
        header_comment=TEMPLATE_HEADER,
        charset="utf-8",
        fuzzy=False,
    )
    for source in sources:
        path = Path(root, source).resolve()
        if path.is_dir():
            found = (
                (str(path.relative_to(root) / filename), lineno, message, comments, context)
                for filename, lineno, message, comments, context in extract_from_dir(
                    path,
                    method_map=METHOD_MAP,
                    keywords=KEYWORDS,
                    comment_tags=COMMENT_TAGS,
                    strip_comment_tags=True,
                )
            )
        elif path.is_file():
            found = (
                (str(path.relative_to(root)), lineno, message, comments, context)
                for lineno, message, comments, context in extract_from_file(
                    "python",
                    path,
                    keywords=KEYWORDS,
                    comment_tags=COMMENT_TAGS,
                    strip_comment_tags=True,
                )
            )
        else:
            raise FileNotFoundError(f"no such source folder or file: {path}")
        for filename, lineno, message, comments, context in found:
            catalog.add(
                message,
                None,
                [(Path(filename).as_posix(), lineno)],
                auto_comments=comments,
                context=context,
            )
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if any(part.startswith((".", "_")) for part in file.relative_to(path).parts[:-1]):
                continue  # extract_from_dir skips such folders (__pycache__, .venv) too
            for lineno, message, context in calls_in_fstrings(file):
                location = [(file.relative_to(root).as_posix(), lineno)]
                catalog.add(message, None, location, context=context)
    return catalog


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _strings(call: ast.Call, count: int) -> list[str] | None:
    texts = [arg.value for arg in call.args[:count] if isinstance(arg, ast.Constant)]
    if len(texts) < count or not all(isinstance(text, str) and text for text in texts):
        return None
    return texts


def calls_in_fstrings(path: Path) -> Iterator[tuple[int, str | tuple[str, str], str | None]]:
    """(line, msgid, context) of the marked calls inside f-strings, e.g. ``f"{_('Net'):<10}"``;
    a plural message's msgid is the (singular, plural) pair, as Babel gives it.

    Babel's Python extractor reads an f-string as one string token on Python < 3.12 and misses
    them; the syntax tree has them on every version.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            name = _called_name(call.func)
            if name == "ngettext" and (texts := _strings(call, 2)):
                yield call.lineno, (texts[0], texts[1]), None
            elif name in ("pgettext", "NP_") and (texts := _strings(call, 2)):
                yield call.lineno, texts[1], texts[0]
            elif name == "npgettext" and (texts := _strings(call, 3)):
                yield call.lineno, (texts[1], texts[2]), texts[0]
            elif name in KEYWORDS and (texts := _strings(call, 1)):
                yield call.lineno, texts[0], None


def extract_area(area: str, root: Path = ROOT) -> Catalog:
    return extract(AREAS[area], root)


def msgids(catalog: Catalog) -> list[str]:
    """The singular msgids of a catalogue, without the header entry."""
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id]


def message_keys(catalog: Catalog) -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every message of a catalogue, without the header."""
    return [
        (m.context, m.id, None) if isinstance(m.id, str) else (m.context, m.id[0], m.id[1])
        for m in catalog
        if m.id
    ]


def area_msgids(area: str = "core", root: Path = ROOT) -> list[str]:
    """The msgids the source of ``area`` uses now (what the tests compare the .po files with)."""
    return msgids(extract_area(area, root))


def area_message_keys(
    area: str = "core", root: Path = ROOT
) -> list[tuple[str | None, str, str | None]]:
    """Like ``area_msgids``, with each message's context and plural."""
    return message_keys(extract_area(area, root))


def _render(catalog: Catalog, **options: object) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, sort_output=True, **options)
    return buffer.getvalue()


def _comparable(data: bytes) -> bytes:
    """The catalogue without its creation/revision dates."""
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    )


def write_template(catalog: Catalog, path: Path) -> bool:
    """Write the .pot; leave the file alone when only the date would change. True if written."""
    data = _render(catalog)
    if path.exists() and _comparable(path.read_bytes()) == _comparable(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def update_catalogue(
    template: Catalog, path: Path, language: str, *, fuzzy_matching: bool = True
) -> tuple[bool, list[str]]:
    """Bring ``path`` (a language's .po) in line with ``template``.

    Existing translations are kept, new msgids are added with an empty msgstr, msgids no longer
    in the template are dropped. Returns (file written, msgids still untranslated).
    """
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, charset="utf-8")
    else:
        catalog = Catalog(
            locale=language,
            project=PROJECT,
            version=VERSION,
            copyright_holder=PROJECT,
            charset="utf-8",
            fuzzy=False,
            last_translator=f"{PROJECT} developers",
            language_team=LANGUAGE_TEAMS.get(language, language),
            revision_date=datetime.now().astimezone(),
        )
    catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_header_comment=False)
    catalog.fuzzy = False  # the header is never fuzzy: its translations are real
    data = _render(catalog, ignore_obsolete=True)
    written = False
    if not path.exists() or _comparable(path.read_bytes()) != _comparable(data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written = True
    missing = [
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id and (not message.string or message.fuzzy)
    ]
    return written, missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--area", default="core", help="catalogue name (default: core)")
    parser.add_argument(
        "--source",
        action="append",
        help="folder or .py file to scan, relative to the repository root (repeatable; "
        "default: the area's folders from AREAS)",
    )
    parser.add_argument("--update", action="store_true", help="also update the languages' .po")
    parser.add_argument(
        "--language",
        action="append",
        choices=LANGUAGES,
        help="language(s) to update (default: all of " + ", ".join(LANGUAGES) + ")",
    )
    parser.add_argument(
        "--no-fuzzy", action="store_true", help="add changed msgids empty, not as fuzzy"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the .pot is out of date")
    parser.add_argument("--list", action="store_true", help="print the msgids and exit")
    args = parser.parse_args(argv)

    if args.source:
        sources = tuple(args.source)
    elif args.area in AREAS:
        sources = AREAS[args.area]
    else:
        parser.error(f"unknown area {args.area!r}: give its folders with --source")
    template = extract(sources)

    if args.list:
        for msgid in msgids(template):
            print(msgid)
        return 0

    pot = TRANSLATIONS / f"{args.area}.pot"
    if args.check:
        current = pot.exists() and _comparable(pot.read_bytes()) == _comparable(_render(template))
        print(f"{pot.relative_to(ROOT)} is {'up to date' if current else 'out of date'}")
        return 0 if current else 1

    changed = write_template(template, pot)
    count = len(msgids(template))
    print(f"{pot.relative_to(ROOT)}: {count} messages{'' if changed else ' (unchanged)'}")
    if args.update:
        for language in args.language or LANGUAGES:
            po = TRANSLATIONS / language / f"{args.area}.po"
            written, missing = update_catalogue(
                template, po, language, fuzzy_matching=not args.no_fuzzy
            )
            state = "updated" if written else "unchanged"
            print(f"{po.relative_to(ROOT)}: {state}, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
