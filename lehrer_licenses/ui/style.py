"""The application style: the platform's (or a named) style with Qt's text-clipping slips mended.

Fusion lays out a tab's label in a rectangle two pixels shorter than the font's line height on
every tab but the current one (the tab's vertical padding and its "raised" shift both come off
it) and clips the text to it: the dots of "Über" and the tail of "g" vanish ("Uber Kapazität").
The label's rectangle is given the font's full height instead, still centred in the tab.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)


class TextFittingStyle(QProxyStyle):
    def subElementRect(
        self, element: QStyle.SubElement, option: QStyleOption, widget: QWidget | None = None
    ) -> QRect:
        rect = super().subElementRect(element, option, widget)
        if element == QStyle.SubElement.SE_TabBarTabText:
            return fit_line(rect, option.fontMetrics.height())
        return rect


def fit_line(rect: QRect, line_height: int) -> QRect:
    """``rect`` at least one line of text high, grown equally up and down."""
    missing = line_height - rect.height()
    if missing <= 0 or rect.width() <= 0:
        return rect
    return rect.adjusted(0, -(missing - missing // 2), 0, missing // 2)


def plain_style(owner: QWidget) -> QStyle:
    """The application's style without the mending, for ``owner``, a big table, and owned by
    it: a style written in Python is asked about every cell it paints (subElementRect, a few
    times a cell), which cost a search keystroke on the schools list as much as its query.
    Tables have no tab labels to mend."""
    style = QApplication.style()
    base = style.baseStyle() if isinstance(style, QProxyStyle) else style
    plain = QStyleFactory.create(base.name()) or QStyleFactory.create("Fusion")
    plain.setParent(owner)
    return plain


def install(app: QApplication, name: str | None = None) -> None:
    """Wrap the named style (else the one Qt chose for the platform) in TextFittingStyle."""
    base = QStyleFactory.create(name) if name else None
    app.setStyle(TextFittingStyle(base) if base is not None else TextFittingStyle())
