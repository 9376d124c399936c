"""Correcting a school (name, address, language, e-mail, VAT/UID number, Leitweg-ID, note) and
a teacher (name, e-mail). The school form is the New-school form, checked as it is typed by the
same rules; the services audit old -> new, and only documents not yet issued show the change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services import schools
from lehrer_licenses.services.licences.seats import holders
from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, field_label


class EditSchoolDialog(NewSchoolDialog):
    def __init__(self, db: Database, number: str, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.number = None  # set when saved, as in the New-school dialog
        self.school = number
        self.result_doc: object | None = None  # the service's result
        self.setWindowTitle(_("Edit school {number}").format(number=number))
        self.ok_button.setText(_("Save changes"))
        self.leitweg_id = QLineEdit()
        self.leitweg_id.setPlaceholderText(_("German public schools only (XRechnung)"))
        self._add(self.grid, _("Leitweg-ID:"), "leitweg_id", self.leitweg_id)
        # The licence flags change contracts, not the school's data: shown, not edited here.
        self.db_hosting.setEnabled(False)
        self.canton_licence.setEnabled(False)
        self.original = schools.editable_values(db, number)
        for name in ("name", "street", "house_number", "postcode", "city", "email", "vat_id"):
            getattr(self, name).setText(self.original[name])
        self.leitweg_id.setText(self.original["leitweg_id"])
        self.note.setPlainText(self.original["note"])
        self.language.blockSignals(True)
        self.country.setCurrentIndex(max(0, self.country.findData(self.original["country"])))
        self.language.setCurrentIndex(max(0, self.language.findData(self.original["language"])))
        self.language.blockSignals(False)
        self._touched.update(self.errors)  # existing values are shown with their problems
        self.validate()

    def changes(self) -> dict[str, str]:
        data = self.school_input()
        now = {name: getattr(data, name) for name in schools.EDITABLE if name != "leitweg_id"}
        now["leitweg_id"] = self.leitweg_id.text()
        return {name: value for name, value in now.items() if value != self.original[name]}

    def save(self) -> None:
        if self.validate():
            return
        changes = self.changes()
        if not changes:
            self.reject()
            return
        try:
            self.result_doc = schools.edit_school(self._db, self.school, changes)
        except DomainError as exc:
            self.failure.show_message(message_of(exc))
            return
        self.number = self.school
        self.accept()


class EditTeacherDialog(QDialog):
    def __init__(self, db: Database, teacher_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.teacher_id = teacher_id
        self.result_doc: object | None = None  # the service's result
        self.setWindowTitle(_("Edit teacher"))
        self.original = holders.teacher_values(db, teacher_id)
        self.first_name = QLineEdit(self.original["first_name"])
        self.last_name = QLineEdit(self.original["last_name"])
        self.email = QLineEdit(self.original["email"])
        self.failure = InlineError()
        form = QFormLayout()
        form.addRow(field_label(_("First name")), self.first_name)
        form.addRow(field_label(_("Last name")), self.last_name)
        form.addRow(field_label(_("E-mail")), self.email)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Save changes"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.failure)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.first_name.setFocus()

    def changes(self) -> dict[str, str]:
        now = {
            "first_name": self.first_name.text(),
            "last_name": self.last_name.text(),
            "email": self.email.text(),
        }
        return {name: value for name, value in now.items() if value != self.original[name]}

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.reject()
            return
        try:
            self.result_doc = holders.edit_teacher(self._db, self.teacher_id, changes)
        except DomainError as exc:
            self.failure.show_message(message_of(exc))
            return
        self.accept()
