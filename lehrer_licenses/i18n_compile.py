"""Compile the translation sources into the catalogues the app loads.

``translations/<lang>/*.po`` (one file per area) are the sources, edited by people and by
``scripts/extract_messages.py``. Each language's files are merged into one GNU .mo file,
``lehrer_licenses/locale/<lang>/LC_MESSAGES/lehrer_licenses.mo``, which ``lehrer_licenses.i18n``
reads with the standard library's gettext. One file per language keeps the start-up to a single
read, and merging here is where the rule "one msgid, one translation per language" is enforced:
two areas that disagree stop the build instead of one silently winning at run time.

Who compiles:

- a source checkout or editable install: ``lehrer_licenses.i18n`` calls :func:`compile_if_stale`
  when a catalogue is first needed, so ``python3 dev.py app|test`` and a plain ``pytest`` pick up
  an edited .po (the .mo files are not in git);
- a wheel: ``setup.py`` compiles into the build folder, so the wheel carries the .mo files;
- the PyInstaller bundle: ``installer/lehrer-licenses.spec`` compiles, then bundles the .mo files.

Babel does the reading and writing (the ``[dev]`` extra and the build requirements). It is
imported inside the functions that need it, so ``lehrer_licenses.i18n`` can import this module to
compare file times in an installed app that has no Babel. ``setup.py`` loads this file by its path
before the package is importable, so it imports nothing from ``lehrer_licenses``.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DOMAIN = "lehrer_licenses"

# A keyword line or a continuation line: one complete string literal and nothing after it.
_STRING_LINE = re.compile(
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"'
)

# (context, msgid, msgid_plural): how a message is told apart in a catalogue.
PoKey = tuple[str | None, str, str | None]


class CatalogueError(Exception):
    """A .po file that cannot become a catalogue: broken syntax, a bad header, a conflict."""


def mo_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def sources(translations: Path, language: str) -> list[Path]:
    return sorted((translations / language).glob("*.po"))


def source_languages(translations: Path) -> list[str]:
    return sorted(folder.name for folder in translations.iterdir() if any(folder.glob("*.po")))


def is_stale(translations: Path, locale_dir: Path, language: str) -> bool:
    """True when the .mo is missing or older than one of the language's .po files."""
    target = mo_path(locale_dir, language)
    try:
        compiled = target.stat().st_mtime_ns
    except FileNotFoundError:
        return True
    return any(path.stat().st_mtime_ns > compiled for path in sources(translations, language))


def _check_strings(path: Path) -> None:
    # Babel reads an unterminated string by dropping its last character; msgfmt refuses it.
    text = path.read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#") and not _STRING_LINE.fullmatch(line):
            raise CatalogueError(f"{path}: cannot be compiled: line {number}: {line[:60]!r}")


def read_catalogue(path: Path) -> Catalog:
    """One .po file, read strictly: a syntax error names the file and line."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        _check_strings(path)
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True, charset="utf-8")
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise CatalogueError(f"{path}: cannot be compiled: {error}") from error
    headers = dict(catalog.mime_headers)
    if "Plural-Forms" not in headers:
        raise CatalogueError(f"{path}: the header has no Plural-Forms line")
    return catalog


def po_key(message) -> PoKey:
    if isinstance(message.id, str):
        return message.context, message.id, None
    return message.context, message.id[0], message.id[1]


def entries(catalog: Catalog) -> dict[PoKey, tuple[str, ...]]:
    """The translated, non-fuzzy messages of a catalogue with all their forms.

    A plural message with an empty form counts as untranslated: gettext would show an empty
    text for the numbers that pick that form.
    """
    found: dict[PoKey, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        forms = (message.string,) if isinstance(message.string, str) else tuple(message.string)
        if forms and all(forms):
            found[po_key(message)] = forms
    return found


def merge(language: str, paths: Sequence[Path]) -> Catalog:
    """The language's .po files as one catalogue, under the first file's header."""
    from babel.messages.catalog import Catalog

    if not paths:
        raise CatalogueError(f"no .po files for {language!r}")
    merged = Catalog(locale=language, charset="utf-8", fuzzy=False)
    origin: dict[PoKey, tuple[str, tuple[str, ...]]] = {}
    conflicts = []
    for path in paths:
        catalog = read_catalogue(path)
        if path == paths[0]:
            merged.mime_headers = catalog.mime_headers
        elif catalog.plural_forms != merged.plural_forms:
            raise CatalogueError(
                f"{path}: Plural-Forms {catalog.plural_forms!r} differs from "
                f"{paths[0].name}'s {merged.plural_forms!r}"
            )
        for key, forms in entries(catalog).items():
            area, earlier = origin.setdefault(key, (path.name, forms))
            if earlier != forms:
                conflicts.append(f"{key[1]!r}: {area} {earlier} vs {path.name} {forms}")
                continue
            context, msgid, plural = key
            merged.add(
                msgid if plural is None else (msgid, plural),
                forms[0] if plural is None else forms,
                context=context,
            )
    if conflicts:
        raise CatalogueError(
            f"{language}: a msgid has one translation per language, but these differ between "
            "areas:\n  " + "\n  ".join(conflicts)
        )
    return merged


def compile_language(translations: Path, locale_dir: Path, language: str) -> Path:
    """Write the language's .mo; replaced in one step, so a reader never sees half a file."""
    from babel.messages.mofile import write_mo

    catalog = merge(language, sources(translations, language))
    target = mo_path(locale_dir, language)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{DOMAIN}.", suffix=".mo", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def compile_if_stale(translations: Path, locale_dir: Path, language: str) -> bool:
    """Compile when a .po is newer than the .mo. True if it compiled."""
    if not is_stale(translations, locale_dir, language):
        return False
    compile_language(translations, locale_dir, language)
    return True


def compile_all(
    translations: Path, locale_dir: Path, languages: Iterable[str] | None = None, *, force=False
) -> list[Path]:
    """Compile every language with .po files (or those given); returns the .mo files written."""
    written = []
    for language in languages or source_languages(translations):
        if force or is_stale(translations, locale_dir, language):
            written.append(compile_language(translations, locale_dir, language))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description="Compile translations/*/*.po into .mo files.")
    parser.add_argument("--translations", type=Path, default=root / "translations")
    parser.add_argument("--locale", type=Path, default=Path(__file__).resolve().parent / "locale")
    parser.add_argument("--force", action="store_true", help="compile even if up to date")
    args = parser.parse_args(argv)
    try:
        written = compile_all(args.translations, args.locale, force=args.force)
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written:
        print(f"compiled {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
