"""Dark mode: the colours the app sets itself stay readable on a dark palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from lehrer_licenses.ui import labels
from lehrer_licenses.ui.widgets import InlineError, error_colour, good_colour


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_own_colours_read_on_light_and_dark(qtbot):
    app = QApplication.instance()
    original = app.palette()
    try:
        for base in ("#ffffff", "#1e1e1e"):
            palette = QPalette(original)
            palette.setColor(QPalette.ColorRole.Base, QColor(base))
            palette.setColor(QPalette.ColorRole.Window, QColor(base))
            app.setPalette(palette)
            background = QColor(base)
            for colour in (error_colour(), good_colour(), labels.warning_colour().name()):
                assert _contrast(QColor(colour), background) >= 3.0, (base, colour)
            label = InlineError()
            qtbot.addWidget(label)
            assert error_colour() in label.styleSheet()
    finally:
        app.setPalette(original)
