"""A new school. Every field is checked as it is typed by ``schools.validate_school``; the reason
appears under the field, and OK stays disabled until nothing is wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.vat import COUNTRIES
from lehrer_licenses.i18n import LANGUAGES, _
from lehrer_licenses.services.schools import SchoolInput, add_school, validate_school
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError

# The language a school in a country most likely speaks, a sensible first choice only.
DEFAULT_LANGUAGE = {"CH": "de", "DE": "de", "AT": "de", "NL": "nl"}


class NewSchoolDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.number: str | None = None
        self._touched: set[str] = set()
        self.setWindowTitle(_("New school"))

        self.name = QLineEdit()
        self.country = QComboBox()
        for code in COUNTRIES:
            self.country.addItem(labels.country_choice(code), code)
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(labels.LANGUAGE_NAMES.get(code, code), code)
        self.street = QLineEdit()
        self.house_number = QLineEdit()
        self.house_number.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000a") + 24)
        self.postcode = QLineEdit()
        self.postcode.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000 AA") + 24)
        self.city = QLineEdit()
        self.email = QLineEdit()
        self.vat_id = QLineEdit()
        self.vat_id.setPlaceholderText(_("e.g. CHE-123.456.789 MWST"))
        self.db_hosting = QCheckBox(_("DB-hosting (billed yearly from monthly user counts)"))
        self.canton_licence = QCheckBox(_("Canton licence (no subscription part for DB-hosting)"))
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(self.fontMetrics().height() * 4)
        self.note.setTabChangesFocus(True)  # a tab in a note is never meant; Tab moves on
        self.name.setPlaceholderText(_("required"))

        self.errors: dict[str, InlineError] = {}
        self.grid = grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        self._row = 0
        self._add(grid, _("Name:"), "name", self.name)
        self._add(grid, _("Country:"), "country", self.country)
        self._add(grid, _("Language:"), "language", self.language)
        self._add(grid, _("Street and no.:"), "street", self.street, self.house_number)
        self._add(grid, _("Postcode and city:"), "postcode", self.postcode, self.city)
        self._add(grid, _("E-mail:"), "email", self.email)
        self._add(grid, _("VAT/UID number:"), "vat_id", self.vat_id)
        self._add(grid, "", "db_hosting", self.db_hosting)
        self._add(grid, "", "canton_licence", self.canton_licence)
        self._add(grid, _("Note:"), "note", self.note)

        self.failure = InlineError()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Add school"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        for field, widget in (
            ("name", self.name),
            ("street", self.street),
            ("postcode", self.postcode),
            ("city", self.city),
            ("email", self.email),
            ("vat_id", self.vat_id),
        ):
            widget.textEdited.connect(lambda _text, f=field: self._edited(f))
        self.country.currentIndexChanged.connect(self._country_changed)
        self.language.currentIndexChanged.connect(lambda _i: self._edited("language"))
        self.db_hosting.toggled.connect(lambda _on: self._edited("db_hosting"))
        self.canton_licence.toggled.connect(lambda _on: self._edited("canton_licence"))
        self.validate()

    def _add(self, grid: QGridLayout, text: str, field: str, *widgets: QWidget) -> None:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if widgets:
            label.setBuddy(widgets[0])
        grid.addWidget(label, self._row, 0)
        if len(widgets) == 1:
            grid.addWidget(widgets[0], self._row, 1)
        else:
            box = QGridLayout()
            box.setContentsMargins(0, 0, 0, 0)
            if field == "postcode":
                box.addWidget(widgets[0], 0, 0)
                box.addWidget(widgets[1], 0, 1)
                box.setColumnStretch(1, 1)
            else:
                box.addWidget(widgets[0], 0, 0)
                box.addWidget(widgets[1], 0, 1)
                box.setColumnStretch(0, 1)
            grid.addLayout(box, self._row, 1)
        error = InlineError()
        self.errors[field] = error
        grid.addWidget(error, self._row + 1, 1)
        self._row += 2

    def _country_changed(self, _index: int) -> None:
        # Follow the country with the language until the user picked a language themselves.
        if "language" not in self._touched:
            code = DEFAULT_LANGUAGE.get(self.country.currentData(), "de")
            self.language.blockSignals(True)
            self.language.setCurrentIndex(max(0, self.language.findData(code)))
            self.language.blockSignals(False)
        self._edited("country")

    def _edited(self, field: str) -> None:
        self._touched.add(field)
        # The postcode rule depends on the country, the canton licence on DB-hosting.
        if field == "country" and self.postcode.text():
            self._touched.add("postcode")
        if field == "db_hosting":
            self._touched.add("canton_licence")
        self.validate()

    def school_input(self) -> SchoolInput:
        return SchoolInput(
            name=self.name.text(),
            country=self.country.currentData(),
            language=self.language.currentData(),
            street=self.street.text(),
            house_number=self.house_number.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            email=self.email.text(),
            vat_id=self.vat_id.text(),
            db_hosting=self.db_hosting.isChecked(),
            canton_licence=self.canton_licence.isChecked(),
            note=self.note.toPlainText(),
        )

    def validate(self) -> dict[str, str]:
        """Show the reasons for the fields the user has touched; OK only when all is well."""
        problems = validate_school(self.school_input())
        for field, label in self.errors.items():
            label.show_message(problems.get(field, "") if field in self._touched else "")
        self.ok_button.setEnabled(not problems)
        self.ok_button.setToolTip("\n".join(problems.values()))
        return problems

    def save(self) -> None:
        if self.validate():
            return
        try:
            self.number = add_school(self._db, self.school_input())
        except DomainError as exc:
            self.failure.show_message(message_of(exc))
            return
        self.accept()
