"""What goes into the bundle besides the code: used by lehrer-licenses.spec and by the tests.

Standard library only (tests/test_packaging.py imports it without PyInstaller).
"""

from __future__ import annotations

import ast
import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lehrer_licenses"
MIGRATIONS = PACKAGE / "store" / "migrations"
TRANSLATIONS = ROOT / "translations"
LOCALE = PACKAGE / "locale"
ICONS = ROOT / "resources" / "icons"
DIST_NAME = "lehrer-licenses"

# Libraries that read data files of their own and have no PyInstaller hook (the smoke test's
# e-invoice step fails without them): factur-x loads its XSD schemas, schematron and XMP templates;
# iso4217 (a factur-x dependency) reads its table.xml at import.
PACKAGES_WITH_DATA = ("facturx", "iso4217")

# Qt's own translations kept in the bundle: the app's UI languages (ui/app.py loads qtbase_<lang>).
UI_LANGUAGES = ("de", "fr", "it", "nl")


def version() -> str:
    """pyproject.toml [project] version: the only place the version is written."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _i18n_compile() -> ModuleType:
    # By path, like setup.py: importing the package would need its dependencies installed.
    spec = importlib.util.spec_from_file_location("_i18n_compile", PACKAGE / "i18n_compile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_catalogues() -> list[Path]:
    """Compile translations/<lang>/*.po into lehrer_licenses/locale (needs Babel): the spec
    calls this before data_files(), so the bundle never carries a stale catalogue."""
    compiler = _i18n_compile()
    return compiler.compile_all(TRANSLATIONS, LOCALE, force=True)


def data_files() -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for every shipped data file, in the layout that
    lehrer_licenses/paths.py and store/database.py expect under sys._MEIPASS:

    resources/...                      fonts and icons
    lehrer_licenses/locale/<lang>/     the compiled catalogues (compile_catalogues() first), where
                                       lehrer_licenses.i18n finds them (importlib.resources)
    lehrer_licenses/store/migrations/  env.py, script.py.mako, versions/*.py as files on disk:
                                       Alembic loads them by path, not through the import system
    """
    pairs = []
    for path in sorted((ROOT / "resources").rglob("*")):
        if path.is_file():
            pairs.append((str(path), path.parent.relative_to(ROOT).as_posix()))
    compiler = _i18n_compile()
    for language in compiler.source_languages(TRANSLATIONS):
        path = compiler.mo_path(LOCALE, language)
        pairs.append((str(path), path.parent.relative_to(ROOT).as_posix()))
    for path in sorted(MIGRATIONS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".mako"):
            pairs.append((str(path), path.parent.relative_to(ROOT).as_posix()))
    return pairs


def migration_imports() -> list[str]:
    """Modules the migration scripts import. Alembic loads the scripts from files at run time, so
    PyInstaller's analysis never sees these imports; the spec adds them as hidden imports."""
    names: set[str] = set()
    for path in sorted(MIGRATIONS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                # `from alembic import op`: op is a module; `from x import SomeClass` is not.
                for alias in node.names:
                    try:
                        if importlib.util.find_spec(f"{node.module}.{alias.name}") is not None:
                            names.add(f"{node.module}.{alias.name}")
                    except ModuleNotFoundError:
                        pass
    third_party = {"alembic", "sqlalchemy", "lehrer_licenses"}
    return sorted(n for n in names if n.split(".")[0] in third_party)


def keep_collected_data(dest: str) -> bool:
    """Filter for the data files PyInstaller's hooks collect: leave out what nobody reads.

    - Qt's translations other than the UI languages;
    - pycountry's translated country names (22 MB of .mo files): schwifty and qrbill only use its
      databases, and the app names countries itself.
    """
    parts = Path(dest).parts
    if parts[:3] == ("PySide6", "Qt", "translations"):
        return Path(dest).stem.endswith(tuple(f"_{lang}" for lang in UI_LANGUAGES))
    return parts[:2] != ("pycountry", "locales")
