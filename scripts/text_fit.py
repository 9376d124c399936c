"""Find text that a window cuts off: labels, buttons, tabs and table headers narrower or lower
than their text needs; and dates written as ISO 8601 where the app shows its own format.

Used by ``screenshots.py --check`` and by the tests, which run it on every view and dialog in
German and French at 1280×720, also at QT_SCALE_FACTOR=1.5. It measures with the widget's own
font metrics and size hints, so a language with longer words or a font with taller capitals
("Über") fails here instead of on a clerk's screen.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QStyleOptionTab,
    QTabBar,
    QWidget,
)

# A date as ISO 8601 writes it: the app shows dates in its locale's format (31.12.2026), and a
# message that does not makes the clerk translate it back. Invoice numbers (2026-00001) differ.
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")

# One pixel of rounding: at fractional scale factors Qt rounds sizes and positions separately.
SLACK = 1


def clipped_texts(root: QWidget) -> list[str]:
    """Where ``root`` (a window) and its visible children cut text, one line per place."""
    settle_layouts()
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget, root):
            continue
        if isinstance(widget, QLabel):
            found += _label(widget)
        elif isinstance(widget, QAbstractButton) and widget.text():
            found += _button(widget)
        elif isinstance(widget, QTabBar):
            found += _tabs(widget)
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            found += _header(widget)
    return found


def settle_layouts() -> None:
    """Lay out what changed since the last event loop turn, as the screen will a moment later:
    a label whose text just arrived from a background query still has its old width until the
    posted layout requests ran (a child's request posts its parent's)."""
    for _ in range(4):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def iso_dates(root: QWidget) -> list[str]:
    """Visible labels and buttons of ``root`` that write a date as 2026-12-31."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        shown = isinstance(widget, (QLabel, QAbstractButton)) and _shown(widget, root)
        if shown and ISO_DATE.search(widget.text()):
            found.append(f"{_where(widget)} {widget.text()!r}: an ISO date")
    return found


def _shown(widget: QWidget, root: QWidget) -> bool:
    # A widget's own size is compared with its text, so one scrolled half out of view or lying
    # under a splitter handle still counts; one hidden by its parents does not.
    if widget is not root and not widget.isVisibleTo(root):
        return False
    return widget.width() > 0 and widget.height() > 0


def _where(widget: QWidget) -> str:
    names = []
    current: QWidget | None = widget
    while current is not None:
        names.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return "/".join(reversed(names[:4]))


def _label(label: QLabel) -> list[str]:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return []
    rect = label.contentsRect()
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return [f"{_where(label)} {text!r}: needs {need}px high, has {label.height()}"]
        return []
    hint = label.sizeHint()
    if hint.width() > label.width() + SLACK or label.fontMetrics().height() > rect.height() + SLACK:
        return [f"{_where(label)} {text!r}: needs {hint.width()}×{hint.height()}, has {rect}"]
    return []


def _button(button: QAbstractButton) -> list[str]:
    hint = button.minimumSizeHint()
    text_width = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
    if text_width > button.width() + SLACK or hint.height() > button.height() + SLACK:
        return [
            f"{_where(button)} {button.text()!r}: needs {hint.width()}×{hint.height()}, "
            f"has {button.width()}×{button.height()}"
        ]
    return []


def _tabs(bar: QTabBar) -> list[str]:
    found = []
    visible = bar.rect()
    for index in range(bar.count()):
        option = QStyleOptionTab()
        bar.initStyleOption(option, index)
        text_rect = bar.style().subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar)
        tab = bar.tabRect(index)
        text = bar.tabText(index)
        if text_rect.height() + SLACK < bar.fontMetrics().height():
            found.append(
                f"{_where(bar)} tab {text!r}: text {text_rect.height()}px high, "
                f"its font {bar.fontMetrics().height()}px"
            )
        # A tab behind the scroll arrows is scrolled to, not cut off; one in view must fit.
        if _inside(tab, visible) and bar.tabSizeHint(index).width() > tab.width() + SLACK:
            found.append(f"{_where(bar)} tab {text!r}: {tab.width()}px wide of its hint")
    return found


def _inside(inner: QRect, outer: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def _header(header: QHeaderView) -> list[str]:
    found = []
    model = header.model()
    if model is None:
        return found
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        start = header.sectionViewportPosition(logical)
        size = header.sectionSize(logical)
        if start < 0 or start + size > header.viewport().width():
            continue  # scrolled to, not cut off
        text = str(model.headerData(logical, Qt.Orientation.Horizontal) or "")
        need = header.fontMetrics().horizontalAdvance(text) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == logical:
            need += arrow + margin
        if need > size + SLACK:
            found.append(f"{_where(header)} column {text!r}: needs {need}px, has {size}")
    return found
