"""The first paint at start shows the window with "Opening the database…", never a black
rectangle: the database (and SQLAlchemy, Alembic, the services) is opened only after it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel

from lehrer_licenses.services import database_init
from lehrer_licenses.ui import app as desk_app
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.main_window import MainWindow

OPENING = "Opening the database…"


class PaintRecorder(QObject):
    """Which texts of labels were painted so far."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QLabel):
            self.painted.append(watched.text())
        return False


def test_the_window_is_painted_with_the_placeholder_before_the_database_opens(
    qtbot, settings, monkeypatch, tmp_path
):
    settings[opt.UI_LANGUAGE] = "en"
    recorder = PaintRecorder()
    QApplication.instance().installEventFilter(recorder)
    seen = {}

    def opening(target):
        # The window of this start: earlier tests may leave closed ones among the top levels.
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        qtbot.addWidget(window)
        seen["painted"] = list(recorder.painted)
        seen["picture"] = window.grab().toImage()
        seen["exposed"] = window.windowHandle().isExposed()
        raise OSError("stop here: the start was looked at")

    make_window = desk_app.App._make_window

    def shown_late(app):
        # As under X11: the server exposes the window a moment after show(), so the first
        # events processed after show() do not paint it yet.
        window = make_window(app)
        window.setUpdatesEnabled(False)
        QTimer.singleShot(300, lambda: window.setUpdatesEnabled(True))
        return window

    monkeypatch.setattr(desk_app.App, "_make_window", shown_late)
    monkeypatch.setattr(desk_app, "Settings", lambda: settings)
    monkeypatch.setattr(database_init, "init_database", opening)
    monkeypatch.setattr(desk_app, "show_error", lambda parent, exc, title: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    try:
        assert desk_app.run(str(tmp_path / "x.sqlite")) == 2
    finally:
        QApplication.instance().removeEventFilter(recorder)
    assert seen["exposed"]
    assert OPENING in seen["painted"]
    picture = seen["picture"]
    middle = picture.pixelColor(picture.width() // 2, picture.height() // 3)
    assert middle.lightness() > QColor("#404040").lightness(), middle.name()
