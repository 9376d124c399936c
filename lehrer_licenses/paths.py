"""Where the shipped files are: in a source checkout, an installed package or a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _base_dir() -> Path:
    # PyInstaller unpacks data next to the package in _MEIPASS; a checkout keeps them one level up.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return _PACKAGE_DIR.parent


def resources_dir() -> Path:
    return _base_dir() / "resources"


def translations_dir() -> Path:
    return _base_dir() / "translations"


def locale_dir() -> Path:
    """The compiled catalogues inside the package (written here in a checkout; not in git)."""
    return _PACKAGE_DIR / "locale"


def font_path(name: str = "DejaVuSans.ttf") -> Path:
    return resources_dir() / "fonts" / name
