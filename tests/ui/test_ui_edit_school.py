"""Edit school… and Edit teacher… from the school detail: clicked, typed into the real fields,
saved, audited; a bad value keeps the dialog open with its reason and writes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.ui_driving import when_shown

from lehrer_licenses.services import schools
from lehrer_licenses.services.licences.seats import holders
from lehrer_licenses.ui.dialogs.edit_school import EditSchoolDialog, EditTeacherDialog
from lehrer_licenses.ui.views.schools import SchoolsView


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)


def schools_view(qtbot, db, number) -> SchoolsView:
    view = SchoolsView(db)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.refresh(select=number)
    qtbot.waitUntil(lambda: view.detail.number == number, timeout=5000)
    return view


def test_edit_school_typed_and_saved(qtbot, db, sample):
    view = schools_view(qtbot, db, sample["zurich"])
    seen: list = []

    def fill(dialog: EditSchoolDialog) -> None:
        assert dialog.name.text() == "Zürich Nord"
        type_into(qtbot, dialog.postcode, "80501")
        assert "not a postcode of CH" in dialog.errors["postcode"].text()
        assert not dialog.ok_button.isEnabled()
        type_into(qtbot, dialog.postcode, "8052")
        type_into(qtbot, dialog.name, "Schulhaus Nord")
        type_into(qtbot, dialog.street, "Riedenhaldenstrasse")
        type_into(qtbot, dialog.house_number, "4")
        type_into(qtbot, dialog.email, "nord@schule-zuerich.ch")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_shown(EditSchoolDialog, fill, seen)
    qtbot.mouseClick(view.detail.edit_school_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1, seen
    assert seen[0].result_doc.changed == {
        "name": ("Zürich Nord", "Schulhaus Nord"),
        "street": ("", "Riedenhaldenstrasse"),
        "house_number": ("", "4"),
        "postcode": ("8050", "8052"),
        "email": ("", "nord@schule-zuerich.ch"),
    }
    values = schools.editable_values(db, sample["zurich"])
    assert (values["name"], values["postcode"]) == ("Schulhaus Nord", "8052")
    assert view.detail.title.text() == "Schulhaus Nord"
    assert "Riedenhaldenstrasse 4, 8052 Zürich" in view.detail.subtitle.text()
    assert view.selected_number() == sample["zurich"]


def test_edit_school_refused_by_the_service_writes_nothing(qtbot, db, sample):
    view = schools_view(qtbot, db, sample["zurich"])
    seen: list = []

    def fill(dialog: EditSchoolDialog) -> None:
        type_into(qtbot, dialog.leitweg_id, "12")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "not a valid Leitweg-ID" in dialog.failure.text()
        dialog.reject()

    when_shown(EditSchoolDialog, fill, seen)
    qtbot.mouseClick(view.detail.edit_school_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1, seen
    assert seen[0].result_doc is None
    assert schools.editable_values(db, sample["zurich"])["leitweg_id"] == ""


def test_edit_teacher_typed_and_saved(qtbot, db, sample):
    view = schools_view(qtbot, db, sample["aarau"])
    detail = view.detail
    detail.tabs.setCurrentIndex(1)
    assert not detail.edit_teacher_button.isEnabled()
    detail.teacher_table.selectRow(0)
    assert detail.edit_teacher_button.isEnabled()
    seen: list = []

    def fill(dialog: EditTeacherDialog) -> None:
        assert dialog.focusWidget() is dialog.first_name
        type_into(qtbot, dialog.email, "nicht-gueltig")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "not an e-mail address" in dialog.failure.text()
        type_into(qtbot, dialog.email, "l.zolc@aarau.ch")
        type_into(qtbot, dialog.first_name, "Lukasz")
        qtbot.keyClick(dialog.first_name, Qt.Key.Key_Return)

    when_shown(EditTeacherDialog, fill, seen)
    qtbot.mouseClick(detail.edit_teacher_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1, seen
    teacher_id = detail.detail.teachers[0].id
    assert holders.teacher_values(db, teacher_id) == {
        "first_name": "Lukasz",
        "last_name": "Żółć",
        "email": "l.zolc@aarau.ch",
    }
    assert detail.teacher_table.item(0, 0).text() == "Lukasz Żółć"
