"""The seats view: filters in SQL off the UI thread; add a teacher, assign, transfer (L10), free,
freeze (L9) and record a monthly count (L7), each checked in the database afterwards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QDialog

from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.browse.seats import SeatFilter
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.ui.dialogs.seat_dialogs import (
    AddTeacherDialog,
    AssignSeatDialog,
    FreeSeatDialog,
    TransferSeatDialog,
    UsageDialog,
)
from lehrer_licenses.ui.views.seats import SeatsView


@pytest.fixture
def view(qtbot, db, sample, wait_loaded):
    view = SeatsView(db)
    qtbot.addWidget(view)
    view.today = date(2026, 10, 1)
    wait_loaded(view.model)
    return view


@pytest.fixture
def _filter(wait_loaded):
    return lambda *a, **k: _apply(wait_loaded, *a, **k)


def _apply(wait_loaded, qtbot, view, school="", teacher="", state=""):
    view.school.setText(school)
    view.teacher.setText(teacher)
    view.state.setCurrentIndex(view.state.findData(state))
    view.apply_filter()
    wait_loaded(view.model)


def test_lists_all_running_seats_and_filters(qtbot, view, sample, _filter, wait_loaded):
    assert view.model.total == 6  # five at Aarau, one at Zürich
    assert view.count_label.text() == "6 seats"
    _filter(qtbot, view, school=sample["aarau"])
    assert view.model.total == 5
    _filter(qtbot, view, state="held")
    assert [r.holder for r in view.model._rows] == ["Łukasz Żółć"]
    _filter(qtbot, view, teacher="ŻÓŁĆ")  # any case
    assert view.model.total == 1
    _filter(qtbot, view, state="free")
    assert view.model.total == 5
    _filter(qtbot, view, school="999999")
    assert view.model.total == 0
    assert view.title.text() == "No seat selected"


def test_assign_transfer_free_and_freeze(qtbot, view, db, sample, _filter, wait_loaded):
    aarau = sample["aarau"]
    _filter(qtbot, view, school=aarau, state="free")
    seat = view.selected()
    assert seat is not None and seat.teacher_id is None
    assert not view.transfer_button.isEnabled()
    newcomer = seats.add_teacher(db, aarau, "Anna", "Keller")

    dialog = AssignSeatDialog(db, seat, date(2026, 10, 1))
    qtbot.addWidget(dialog)
    assert dialog.teacher.findData(newcomer) >= 0
    dialog.teacher.setCurrentIndex(dialog.teacher.findData(newcomer))
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    held = {s.position: s.teacher for s in seats.list_seats(db, aarau)}
    assert held[seat.position] == "Anna Keller"

    # Transfer Anna's seat to a new teacher typed into the dialog: free of charge, history kept.
    view.refresh()
    _filter(qtbot, view, school=aarau, teacher="keller")
    anna_seat = view.selected()
    dialog = TransferSeatDialog(db, anna_seat, date(2026, 11, 2))
    qtbot.addWidget(dialog)
    dialog.new.setChecked(True)
    dialog.first_name.setText("Zoë")  # QTest types ASCII only
    dialog.last_name.setText("Ørsted")
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    holders = browse_seats.seat_holders(db, anna_seat.seat_id)
    assert [(h.name, h.end_on) for h in holders] == [
        ("Zoë Ørsted", None),
        ("Anna Keller", date(2026, 11, 2)),
    ]
    assert holders[1].left_on == date(2026, 11, 2)
    invoices = browse_detail.school_detail(db, aarau).invoices
    assert sorted(i.net for i in invoices) == [Decimal("258.90"), 468]  # a transfer is free

    # Freeze and unfreeze the new holder from the view.
    _filter(qtbot, view, school=aarau, teacher="ørsted")
    view.freeze_button.click()
    wait_loaded(view.model)
    assert view.selected().frozen
    assert view.freeze_button.text() == "Unfreeze"
    view.freeze_button.click()
    wait_loaded(view.model)
    assert not view.selected().frozen

    dialog = FreeSeatDialog(db, view.selected(), date(2026, 12, 1))
    qtbot.addWidget(dialog)
    dialog.leaving.setChecked(False)
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert browse_seats.count_seats(db, SeatFilter(school=aarau, state="free")) == 4


def test_add_teacher_with_the_one_free_admin_login(qtbot, db, sample):
    aarau = sample["aarau"]
    dialog = AddTeacherDialog(db, aarau, date(2026, 10, 1))
    qtbot.addWidget(dialog)
    assert not dialog.confirm_button.isEnabled()  # no name yet
    qtbot.keyClicks(dialog.first_name, "Sekretariat")
    dialog.admin.setChecked(True)
    assert not dialog.assign.isEnabled()  # the admin login needs no seat (L11)
    assert "L11" in dialog.explain.text()
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted

    second = AddTeacherDialog(db, aarau, date(2026, 10, 1))
    qtbot.addWidget(second)
    assert not second.admin.isEnabled()  # one admin login per school
    assert "Sekretariat" in second.explain.text()
    qtbot.keyClicks(second.last_name, "Brunner")
    assert second.assign.isChecked() and second.assign.isEnabled()
    second.confirm_button.click()
    info = browse_seats.school_seats(db, aarau)
    brunner = next(t for t in info.teachers if t.name == "Brunner")
    assert brunner.seat is not None
    assert info.free == 3


def test_monthly_count_only_for_db_hosting(qtbot, db, school):
    local = school("Schulhaus Lokal")
    orders.order_seats(db, local, 2, date(2026, 1, 5))
    dialog = UsageDialog(db, local, date(2026, 7, 1))
    qtbot.addWidget(dialog)
    assert not dialog.confirm_button.isEnabled()
    assert "not on DB-hosting" in dialog.explain.text()

    hosted = school("Schule Gehostet", db_hosting=True)
    orders.order_seats(db, hosted, 3, date(2026, 1, 5))
    for first in ("Ada", "Ben"):
        teacher = seats.add_teacher(db, hosted, first, "Muster")
        seats.assign_seat(db, hosted, teacher, date(2026, 1, 5))
    dialog = UsageDialog(db, hosted, date(2026, 7, 1))
    qtbot.addWidget(dialog)
    assert dialog.count.value() == 2  # counted from the seats held
    dialog.count.setValue(12)
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert browse_seats.school_seats(db, hosted, date(2026, 8, 1)).usage == {date(2026, 7, 1): 12}


def test_view_buttons_open_the_dialogs(qtbot, view, sample, monkeypatch, _filter, wait_loaded):
    opened = []

    def fake_exec(self):
        opened.append(type(self).__name__)
        return 0

    dialogs = (AddTeacherDialog, AssignSeatDialog, TransferSeatDialog, FreeSeatDialog, UsageDialog)
    for cls in dialogs:
        monkeypatch.setattr(cls, "exec", fake_exec)
    _filter(qtbot, view, state="free")
    view.assign_button.click()
    view.add_button.click()
    view.usage_button.click()
    _filter(qtbot, view, state="held")
    view.transfer_button.click()
    view.free_button.click()
    assert opened == [
        "AssignSeatDialog",
        "AddTeacherDialog",
        "UsageDialog",
        "TransferSeatDialog",
        "FreeSeatDialog",
    ]
