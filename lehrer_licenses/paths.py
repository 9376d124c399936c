"""Where the shipped files are: in a source checkout, an installed wheel or a frozen bundle.

The repository keeps the sources at the top level (``resources/``, ``translations/``); the wheel
build (setup.py) copies ``resources/`` into the package as ``lehrer_licenses/resources/``, beside
the compiled catalogues, so an installed package finds them through importlib.resources. The
PyInstaller bundle keeps them at ``_MEIPASS/resources`` (installer/bundle_layout.py).
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class MissingResource(FileNotFoundError):
    """A file the app ships is not where it was installed: a broken build, never a fallback."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"a file that lehrer-licenses ships is missing: {path} (the installation is "
            "incomplete; reinstall the package or rebuild the bundle)"
        )
        self.path = path


def _base_dir() -> Path:
    # PyInstaller unpacks data next to the package in _MEIPASS; a checkout keeps them one level up.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return _PACKAGE_DIR.parent


def _package_resources() -> Path:
    # A wheel's package is a folder on disk (zip imports are not supported: reportlab and Qt
    # open the files by path), so the Traversable is a real path.
    return Path(str(files(__package__).joinpath("resources")))


def resources_dir() -> Path:
    if not getattr(sys, "_MEIPASS", None):
        installed = _package_resources()
        if installed.is_dir():
            return installed
    return _base_dir() / "resources"


def resource(*parts: str) -> Path:
    """The path of one shipped file, e.g. ``resource("fonts", "DejaVuSans.ttf")``.

    Raises MissingResource naming the file when it is absent: an English invoice or a missing
    font discovered half-way through a renewal run is worse than a clear error at once.
    """
    path = resources_dir().joinpath(*parts)
    if not path.is_file():
        raise MissingResource(path)
    return path


def translations_dir() -> Path:
    return _base_dir() / "translations"


def locale_dir() -> Path:
    """The compiled catalogues inside the package (written here in a checkout; not in git)."""
    return _PACKAGE_DIR / "locale"


def font_path(name: str = "DejaVuSans.ttf") -> Path:
    return resources_dir() / "fonts" / name
