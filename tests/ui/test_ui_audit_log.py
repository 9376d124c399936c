"""The global History view (issue 8): every audit entry, newest first, filtered, read-only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.views.audit_log import AuditLogView


@pytest.fixture
def view(qtbot, db, sample, wait_loaded):
    widget = AuditLogView(db)
    qtbot.addWidget(widget)
    wait_loaded(widget.model)
    return widget


def _texts(view, key):
    column = view.model.column_of(key)
    return [view.model.index(r, column).data() for r in range(view.model.rowCount())]


def test_lists_every_entry_newest_first_and_read_only(view, sample):
    model = view.model
    # catalogue install, 3 schools, 2 orders of Aarau + 1 of Zürich (each: order, draft, code),
    # a teacher and a seat assignment
    assert model.counted_total == model.rowCount() == 1 + 3 + 9 + 2
    moments = [model.row_at(r).at for r in range(model.rowCount())]
    assert moments == sorted(moments, reverse=True)
    assert _texts(view, "action")[0] == "Seat assigned"
    assert "Łukasz Żółć" in _texts(view, "details")[0]
    assert _texts(view, "school")[0] == f"{sample['aarau']} \u2013 Schulhaus Aarau"
    assert _texts(view, "school")[-1] == ""  # the catalogue: no school
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert view.count_label.text() == "15 entries"


def test_filters_by_school_who_what_and_days(qtbot, view, sample, wait_loaded):
    def apply(text):
        view.search.setText(text)
        view.apply_filter()
        wait_loaded(view.model)
        return view.model.rowCount()

    assert apply("zürich") == 4  # school added, seats ordered, draft, code
    assert set(_texts(view, "school")) == {f"{sample['zurich']} \u2013 Zürich Nord"}
    assert apply("seat assigned") == 1  # the label in the UI language
    assert apply("order.seats") == 3  # the action's code
    assert apply("nobody-by-that-name") == 0
    assert view.count_label.text() == "0 entries"
    assert apply("") == 15
    assert apply(view.model.row_at(0).actor) == 15  # who: every entry here is by this login
    yesterday = date.today() - timedelta(days=1)
    view.set_range(None, yesterday)
    wait_loaded(view.model)
    assert view.model.rowCount() == 0
    view.set_range(date.today(), date.today())
    wait_loaded(view.model)
    assert view.model.rowCount() == 15


def test_double_click_opens_the_school(qtbot, db, sample, settings, wait_loaded):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    log = window.audit_log
    window.show_view([widget for widget, _t, _i in window.views].index(log))
    assert window.stack.currentWidget() is log
    wait_loaded(log.model)
    row = next(r for r in range(log.model.rowCount()) if log.model.row_at(r).school)
    number = log.model.row_at(row).school
    log.table.doubleClicked.emit(log.model.index(row, 0))
    assert window.nav.currentRow() == 0
    assert window.schools.selected_number() == number
    nothing = next(r for r in range(log.model.rowCount()) if not log.model.row_at(r).school)
    log.open_school(nothing)  # the catalogue entry has no school: nothing happens
    assert window.schools.selected_number() == number
