"""Small widgets shared by views and dialogs: read-only tables, notices, inline errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from lehrer_licenses.i18n import _
from lehrer_licenses.ui.flow_layout import flow_of


def connect_unchecked(signal: SignalInstance, slot: Callable[[], object]) -> None:
    """Connect a ``clicked(bool)`` or ``triggered(bool)`` signal so that its ``checked`` flag
    never reaches ``slot``: slots take optional arguments of their own (a path, a printer, a
    backup file) for tests and scripts, and Qt would fill the first of them with ``False``."""
    signal.connect(lambda *_checked: slot())


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# Colours chosen to read on light and dark palettes alike (text keeps the palette's colour).
NOTICE_STYLE = (
    "QFrame#notice { background: #fff4ce; border: 1px solid #e0b400; border-radius: 4px; }"
    "QFrame#notice QLabel { color: #3d2f00; }"
)
ERROR_COLOUR = "#c42b1c"
GOOD_COLOUR = "#0f7b0f"
# The same meanings on a dark palette (dark mode): lighter, or they sink into the background.
DARK_ERROR_COLOUR = "#ff6b5e"
DARK_GOOD_COLOUR = "#5fd35f"


def dark_palette() -> bool:
    """Whether the application's palette is a dark one (the OS is in dark mode)."""
    return QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128


def error_colour() -> str:
    return DARK_ERROR_COLOUR if dark_palette() else ERROR_COLOUR


def good_colour() -> str:
    return DARK_GOOD_COLOUR if dark_palette() else GOOD_COLOUR


class ReadOnlyTable(QTableWidget):
    """A small table filled at once (detail lists of a few dozen rows need no model class)."""

    def __init__(
        self,
        headers: Sequence[str],
        numeric: Sequence[int] = (),
        stretch: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(0, len(headers), parent)
        self._numeric = set(numeric)
        self._rows_shown: tuple[int, int] | None = None  # fit_rows' bounds, once it was called
        # The column that takes the spare width: the last one unless a wordier one is named.
        self._stretch = len(headers) - 1 if stretch is None else stretch
        self.setHorizontalHeaderLabels(list(headers))
        for column in self._numeric:
            item = self.horizontalHeaderItem(column)
            if item is not None:
                item.setTextAlignment(RIGHT)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("0000"))
        self._size_columns()

    def set_rows(
        self, rows: Sequence[Sequence[str]], tooltips: Sequence[str] | None = None
    ) -> None:
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in self._numeric:
                    item.setTextAlignment(RIGHT)
                if tooltips and tooltips[r]:
                    item.setToolTip(tooltips[r])
                self.setItem(r, c, item)
        self._size_columns()

    def _size_columns(self) -> None:
        """Columns as wide as their contents and header, the stretch column takes the rest."""
        header = self.horizontalHeader()
        for c in range(self.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        self.resizeColumnsToContents()  # the header's text counts too
        # What the other columns take: the stretch column gets the rest, down to its title.
        self._others_width = sum(
            header.sectionSize(c) for c in range(self.columnCount()) if c != self._stretch
        )
        if 0 <= self._stretch < self.columnCount():
            header.setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)
        self._fit_stretch()

    def _fit_stretch(self) -> None:
        # Stretch mode would shrink the column below its title when the table is narrow
        # ("esse de factura"); then it keeps its title's width and the table scrolls. Its
        # cells may still be cut short (with "…"): the other columns, amounts, stay in view.
        if not 0 <= self._stretch < self.columnCount():
            return
        header = self.horizontalHeader()
        title = header.sectionSizeHint(self._stretch)
        fits = self.viewport().width() - self._others_width >= title
        mode = QHeaderView.ResizeMode.Stretch if fits else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(self._stretch) == mode:
            return
        header.setSectionResizeMode(self._stretch, mode)
        if not fits:
            header.resizeSection(self._stretch, title)
        if self._rows_shown is not None:
            self.fit_rows(*self._rows_shown)  # room for the scroll bar, or none now

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_stretch()

    def fit_rows(self, least: int, most: int) -> None:
        """As tall as its rows (within bounds), so a two-line invoice has no blank half-page."""
        self._rows_shown = (least, most)
        rows = min(max(self.rowCount(), least), most)
        frame = 2 * self.frameWidth()
        header = self.horizontalHeader().sizeHint().height()
        sideways = (
            0 <= self._stretch < self.columnCount()
            and self.horizontalHeader().sectionResizeMode(self._stretch)
            == QHeaderView.ResizeMode.Interactive
        )
        scrolls = rows < self.rowCount() or sideways
        scroll = self.horizontalScrollBar().sizeHint().height() if scrolls else 0
        self.setFixedHeight(
            frame + header + rows * self.verticalHeader().defaultSectionSize() + scroll
        )

    def texts(self, column: int) -> list[str]:
        return [self.item(r, column).text() for r in range(self.rowCount())]


class NoticeBox(QFrame):
    """A yellow box for what the user must read before committing (the L5 warning)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setStyleSheet(NOTICE_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        icon = QLabel("\u26a0")
        icon.setStyleSheet("font-size: 18px;")
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        self.hide()

    def set_messages(self, messages: Sequence[str]) -> None:
        self.text.setText("\n\n".join(messages))
        self.setVisible(bool(messages))


class InlineError(QLabel):
    """A red message right where the problem is; empty text hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"color: {error_colour()};")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def field_label(text: str) -> str:
    """``text`` as a form label: the colon is the language's (French puts a space before it)."""
    return _("{label}:").format(label=text)


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that never interprets what a user typed as markup (DESIGN section 4)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def section_title(text: str) -> QLabel:
    label = plain_label(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def button_bar(*buttons: QWidget, trailing: Sequence[QWidget] = ()) -> QWidget:
    """A row of action buttons that never forces the window wider and never hides one: what does
    not fit wraps onto a second row (German and French labels are long); ``trailing`` buttons
    (actions on the whole list) keep together at the right end."""
    return flow_of(*buttons, trailing=trailing)
