"""Icons shipped in resources/icons (SVG, drawn for this app).

A missing icon raises MissingResource (lehrer_licenses.paths) instead of showing nothing: an
installation without its resources must be noticed at the first start, not by a school admin.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from lehrer_licenses.paths import resource


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))
