"""Messages and layout as the clerk sees them: the window fits the screen, the shortcut is
written as the language writes it, no "LI (LI)", no stale red error."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from lehrer_licenses.ui import asking
from lehrer_licenses.ui.dialogs.settings_dialog import VendorForm
from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.pdf import PrintError
from lehrer_licenses.ui.views import invoices as invoices_view
from lehrer_licenses.ui.views.schools import SchoolsView


def test_a_saved_window_larger_than_the_screen_comes_back_inside_it(qtbot, db, settings):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.resize(4000, 3000)  # saved on a larger screen, or at QT_SCALE_FACTOR=1.5
    window.move(-300, 2500)
    window.save_state()

    again = MainWindow(db, settings)
    qtbot.addWidget(again)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert again.width() <= area.width() and again.height() <= area.height()
    assert area.contains(again.geometry().topLeft())
    assert area.contains(again.geometry().bottomRight())


def test_the_search_shortcut_is_written_as_the_language_writes_it(qtbot, db, german):
    view = SchoolsView(db)
    qtbot.addWidget(view)
    assert view.search.placeholderText().endswith("(Strg+F)")
    assert "Ctrl" not in view.search.placeholderText()


def test_the_vendor_country_list_names_every_country_once(qtbot, db):
    form = VendorForm(db)
    qtbot.addWidget(form)
    combo = form.edits["country"]
    texts = [combo.itemText(i) for i in range(1, combo.count())]
    assert "Liechtenstein (LI)" in texts and "France (FR)" in texts
    assert all(text.split(" (")[0] != combo.itemData(i + 1) for i, text in enumerate(texts))


def test_a_pdf_shown_after_a_failure_clears_the_red_error(qtbot, db, sample, vendor, monkeypatch):
    view = invoices_view.InvoicesView(db)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    outcomes = [PrintError("No program to show PDF files was found"), None]

    def open_pdf(_pdf, _name):
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(invoices_view, "open_pdf", open_pdf)
    boxes: list[str] = []
    monkeypatch.setattr(asking, "show_box", lambda box: boxes.append(box.text()) or 0)
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    assert view.error.isVisibleTo(view) and "No program" in view.error.text()
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    assert not view.error.isVisibleTo(view)
    assert boxes == []
