"""A layout that lines its widgets up like words in a paragraph: what does not fit on a row
wraps onto the next one, so every button stays on screen however long its (translated) label
is and however narrow the pane (the pattern of Qt's FlowLayout example)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        # Items from this index on keep together at the right end of the last row (an action
        # bar's list-wide actions), on a row of their own when they do not fit beside the rest.
        self.trailing_from: int | None = None
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def __del__(self) -> None:  # the items are ours; Qt does not delete them for a Python layout
        while self.takeAt(0) is not None:
            pass

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        # As narrow as the widest button: the rest wraps (never forces the window wider).
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        split = len(self._items) if self.trailing_from is None else self.trailing_from
        leading = [item for item in self._items[:split] if not item.isEmpty()]
        trailing = [item for item in self._items[split:] if not item.isEmpty()]
        x, y, line = area.x(), area.y(), 0
        if trailing:
            width = sum(i.sizeHint().width() for i in trailing) + self._spacing * len(trailing)
            width -= self._spacing
            x_after, y_after, line_after = self._flow(leading, area, area.x(), y, 0, move)
            if width <= area.width():
                start = area.right() + 1 - width
                if x_after == area.x() or x_after + 2 * self._spacing <= start:
                    x, y, line = start, y_after, line_after  # beside the rest, on its right
                else:
                    x, y, line = start, y_after + line_after + self._spacing, 0
            else:
                x, y, line = x_after, y_after, line_after
            x, y, line = self._flow(trailing, area, x, y, line, move)
        else:
            x, y, line = self._flow(leading, area, x, y, line, move)
        return y + line - rect.y() + m.bottom()

    def _flow(
        self, items: list[QLayoutItem], area: QRect, x: int, y: int, line: int, move: bool
    ) -> tuple[int, int, int]:
        """Place ``items`` from (x, y) like words, wrapping at the right edge of ``area``."""
        for item in items:  # hidden widgets are left out: they take no place
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return x, y, line


def flow_of(*widgets: QWidget, trailing: Sequence[QWidget] = ()) -> QWidget:
    """A widget holding ``widgets`` in a wrapping row (its height follows its width);
    ``trailing`` ones keep together at the right end."""
    holder = QWidget()
    layout = FlowLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    if trailing:
        layout.trailing_from = len(widgets)
        for widget in trailing:
            layout.addWidget(widget)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder
