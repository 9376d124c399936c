"""Issue 14: at 1280×800, in every language the app speaks, every view shows all the buttons of
its action bars: none hidden behind a "››" overflow, none cut by the edge of the window or of
the pane it sits in, none narrower than its label."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QToolBar, QToolButton, QWidget
from support.ui_driving import speaking

from lehrer_licenses.ui.main_window import MainWindow

LANGUAGES = ("de", "fr", "it", "en", "nl")


# German, the longest words, in the fast loop; every language in CI (dev.py test).
@pytest.fixture(
    params=[LANGUAGES[0], *(pytest.param(lang, marks=pytest.mark.slow) for lang in LANGUAGES[1:])]
)
def language(request, settings):
    with speaking(settings, request.param):
        yield request.param


def meant_to_show(button: QAbstractButton, page: QWidget) -> bool:
    """Whether the view means ``button`` to be seen now: neither it nor a pane around it was
    hidden by the view (a busy-only Cancel, a tab not shown). A toolbar hides the buttons that do
    not fit itself; those are meant to show all the same."""
    widget: QWidget | None = button
    while widget is not None and widget is not page:
        if widget.isHidden() and not (widget is button and isinstance(widget.parent(), QToolBar)):
            return False
        widget = widget.parentWidget()
    return widget is page


def clipped_by(button: QAbstractButton, window: QWidget) -> str | None:
    """The first widget around ``button`` (up to the window) that cuts part of it off."""
    rect = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
    widget = button.parentWidget()
    while widget is not None:
        area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not area.contains(rect):
            return widget.objectName() or type(widget).__name__
        if widget is window:
            return None
        widget = widget.parentWidget()
    return None


def problems(window: MainWindow, page: QWidget, where: str) -> list[str]:
    found = []
    for bar in page.findChildren(QToolBar):
        if bar.isVisibleTo(page):
            overflow = bar.findChild(QToolButton, "qt_toolbar_ext_button")
            if overflow is not None and overflow.isVisible():
                found.append(f"{where}: the toolbar hides buttons behind its overflow")
    for button in page.findChildren(QAbstractButton):
        if not meant_to_show(button, page) or not button.text():
            continue
        name = f"{where}: {button.text()!r}"
        if not button.isVisible():
            found.append(f"{name} is not shown")
            continue
        cut = clipped_by(button, window)
        if cut is not None:
            found.append(f"{name} is cut off by {cut}")
        if button.width() < button.sizeHint().width():
            found.append(f"{name} is narrower than its label ({button.width()} px)")
    return found


def test_every_action_button_shows_at_1280x800(qtbot, db, sample, vendor, settings, language):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == (1280, 800)
    found: list[str] = []
    for row in range(window.nav.count()):
        item = window.nav.visualItemRect(window.nav.item(row))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=item.center())
        assert window.nav.currentRow() == row
        page = window.stack.currentWidget()
        for table in page.findChildren(type(window.schools.table)):
            if table.isVisible() and table.model().rowCount():
                table.selectRow(0)  # the detail pane and its buttons show
        qtbot.wait(50)
        found += problems(window, page, f"{language} {window.nav.item(row).text()}")
    assert found == [], "\n".join(found)
