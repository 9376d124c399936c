"""Build hook: put the run-time data files into the package.

Everything else about the build is in pyproject.toml. The sources stay at the top of the
repository; a wheel carries

- ``lehrer_licenses/locale/<lang>/LC_MESSAGES/lehrer_licenses.mo``, compiled from
  ``translations/<lang>/*.po`` (not in git), where ``lehrer_licenses.i18n`` looks;
- ``lehrer_licenses/resources/`` (fonts, icons, CSV templates), a copy of ``resources/``, where
  ``lehrer_licenses.paths`` looks first.

An editable install uses the source tree instead: i18n compiles on first use there
(lehrer_licenses/i18n_compile.py) and paths falls back to the top-level ``resources/``.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _compiler():
    # By path: the package itself cannot be imported while it is being built.
    path = ROOT / "lehrer_licenses" / "i18n_compile.py"
    spec = importlib.util.spec_from_file_location("_lehrer_licenses_i18n_compile", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _resource_files() -> list[Path]:
    """resources/ relative to itself; a build without them would be a broken wheel."""
    found = sorted(p.relative_to(RESOURCES) for p in RESOURCES.rglob("*") if p.is_file())
    if not found:
        raise SystemExit(f"no resources in {RESOURCES}: the wheel would have no fonts or icons")
    return found


RESOURCES = ROOT / "resources"


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the source tree is the package: i18n compiles there on first use
        package = Path(self.build_lib) / "lehrer_licenses"
        compiler = _compiler()
        for path in compiler.compile_all(ROOT / "translations", package / "locale", force=True):
            print(f"compiled {path.relative_to(self.build_lib)}")
        for relative in _resource_files():
            target = package / "resources" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(RESOURCES / relative, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        compiler = _compiler()
        package = Path(self.build_lib) / "lehrer_licenses"
        catalogues = [
            str(compiler.mo_path(package / "locale", language))
            for language in compiler.source_languages(ROOT / "translations")
        ]
        resources = [str(package / "resources" / relative) for relative in _resource_files()]
        return super().get_outputs(include_bytecode) + catalogues + resources


setup(cmdclass={"build_py": BuildPyWithData})
