"""Build hook: compile translations/<lang>/*.po into the package's .mo catalogues.

Everything else about the build is in pyproject.toml. The .mo files are not in git; a wheel
carries them in ``lehrer_licenses/locale/<lang>/LC_MESSAGES/``, where ``lehrer_licenses.i18n``
looks (an editable install compiles them on first use instead, see lehrer_licenses/i18n_compile.py).
"""

from __future__ import annotations

import importlib.util
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


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the source tree is the package: i18n compiles there on first use
        compiler = _compiler()
        locale = Path(self.build_lib) / "lehrer_licenses" / "locale"
        for path in compiler.compile_all(ROOT / "translations", locale, force=True):
            print(f"compiled {path.relative_to(self.build_lib)}")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        compiler = _compiler()
        locale = Path(self.build_lib) / "lehrer_licenses" / "locale"
        catalogues = [
            str(compiler.mo_path(locale, language))
            for language in compiler.source_languages(ROOT / "translations")
        ]
        return super().get_outputs(include_bytecode) + catalogues


setup(cmdclass={"build_py": BuildPyWithCatalogues})
