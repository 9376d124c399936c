"""No text cut off: every label, button, tab and column header is as large as its text, in
German and French at 1280×720, also at QT_SCALE_FACTOR=1.5 (issue 13: "Uber Kapazität",
"ffene Rechnungen", the Contract panel's last lines). The measuring is scripts/text_fit.py."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStyle, QStyleOptionTab, QTabBar
from support.ui_driving import speaking

from lehrer_licenses.ui import app as desk_app
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui import workers
from lehrer_licenses.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def text_fit():
    spec = importlib.util.spec_from_file_location("text_fit", ROOT / "scripts" / "text_fit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# German in the fast loop, French as well in CI (dev.py test).
@pytest.fixture(params=["de", pytest.param("fr", marks=pytest.mark.slow)])
def language(request, settings):
    with speaking(settings, request.param):
        yield request.param


def click_tab(qtbot, bar: QTabBar, index: int) -> None:
    if not bar.rect().contains(bar.tabRect(index).center()):
        bar.setCurrentIndex(index)  # behind the scroll arrows: the user scrolls to it
        return
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert bar.currentIndex() == index


def test_every_view_and_tab_shows_its_whole_text_and_its_dates_as_shown_at_1280x720(
    qtbot, db, sample, vendor, settings, language
):
    measure = text_fit()
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    found = []
    for row in range(window.nav.count()):
        item = window.nav.visualItemRect(window.nav.item(row))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=item.center())
        qtbot.wait(50)
        # The view's counts arrive from background queries; measure what the clerk then sees.
        qtbot.waitUntil(lambda: workers.running() == 0, timeout=10_000)
        view = window.stack.currentWidget()
        assert window.nav.currentRow() == row
        for table in view.findChildren(type(window.schools.table)):
            if table.isVisible() and table.model().rowCount():
                table.selectRow(0)
        for bar in view.findChildren(QTabBar):
            if not bar.isVisible():
                continue
            for index in range(bar.count()):
                click_tab(qtbot, bar, index)
                qtbot.wait(20)
                found += [
                    f"{language} view {row} tab {index}: {p}" for p in measure.clipped_texts(window)
                ]
        problems = measure.clipped_texts(window) + measure.iso_dates(window)
        found += [f"{language} view {row}: {p}" for p in problems]
    assert found == []


def test_a_tab_that_is_not_current_keeps_the_dots_of_its_capital_umlaut(qtbot):
    """The cause of "Uber Kapazität": the style gave the label two pixels less than a line, and
    Qt clips a text to its rectangle when the line does not fit: the dots above a capital (drawn
    above the font's ascent) and the tails of g and p were lost."""
    bar = QTabBar()
    qtbot.addWidget(bar)
    for text in ("Verlängerungslauf", "Über Kapazität", "Ärger"):
        bar.addTab(text)
    bar.show()
    metrics = bar.fontMetrics()
    for index in (1, 2):
        option = QStyleOptionTab()
        bar.initStyleOption(option, index)
        label = bar.style().subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar)
        assert label.height() >= metrics.height(), bar.tabText(index)
        assert bar.tabRect(index).contains(label), bar.tabText(index)


@pytest.mark.slow
@pytest.mark.parametrize("scale", [None, "1.5"])
@pytest.mark.parametrize("lang", ["de", "fr"])
def test_screenshots_of_every_view_and_dialog_cut_no_text(tmp_path, lang, scale):
    """The screenshot script in a process of its own, where QT_SCALE_FACTOR can still act."""
    command = [sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(tmp_path)]
    command += ["--language", lang, "--size", "1280x720", "--check"]
    if scale:
        command += ["--scale", scale]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_SCALE_FACTOR", None)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    clipped = [line for line in done.stdout.splitlines() if line.startswith("clipped:")]
    assert done.returncode == 0 and not clipped, "\n".join(clipped) or done.stderr[-3000:]
    assert len(list(tmp_path.glob("*.png"))) >= 50


def test_column_widths_saved_in_english_still_fit_the_german_titles(qtbot, db, sample, settings):
    """The header's widths are saved at quit; narrowed to the English title "Open invoices",
    the German window restored them and read "ffene Rechnungen"."""
    controller = desk_app.App(db, settings)
    window = controller.window
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    header = window.schools.table.horizontalHeader()
    column = window.schools.model.column_of("open_total")
    english = header.fontMetrics().horizontalAdvance("Open invoices") + 12
    # The clerk drags the column's right border to just fit the English title.
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(header.viewport(), QPoint(edge - (header.sectionSize(column) - english), y))
    qtbot.mouseRelease(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(edge - (header.sectionSize(column) - english), y),
    )
    assert header.sectionSize(column) == english
    deutsch = next(a for a in window.menuBar().findChildren(QAction) if a.text() == "Deutsch")
    try:
        deutsch.trigger()
        german = controller.window
        qtbot.addWidget(german)
        assert german is not window
        german.show()
        qtbot.waitExposed(german)
        header = german.schools.table.horizontalHeader()
        heading = german.schools.model.headerData(column, Qt.Orientation.Horizontal)
        assert heading == "Offene Rechnungen"
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        assert header.sectionSize(column) >= (
            header.fontMetrics().horizontalAdvance(heading) + 2 * margin
        )
    finally:
        settings[opt.UI_LANGUAGE] = ""
        desk_app.apply_language(settings)
