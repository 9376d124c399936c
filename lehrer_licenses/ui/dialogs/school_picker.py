"""Choosing the school a dialog acts on: type a number, or part of a name and pick from the list."""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QVBoxLayout, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.browse.schools import SchoolRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import plain_label

LEADING_NUMBER = re.compile(r"^\s*(\d+)")
SUGGESTIONS = 20


def describe_school(row: SchoolRow) -> str:
    place = " ".join(p for p in (row.postcode, row.city) if p)
    status = labels.school_status(row.status)
    if not row.plan:
        return f"{place} \u00b7 {status}"
    contract = _("{plan}, {seats} seats, term ends {day}").format(
        plan=row.plan, seats=row.seats, day=fmt.day(row.term_end)
    )
    return f"{place} \u00b7 {status}: {contract}"


class SchoolPicker(QWidget):
    changed = Signal(object)  # SchoolRow or None

    def __init__(self, db: Database, number: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self.school: SchoolRow | None = None
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("School number, or type a name to search"))
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._chosen)
        self.edit.setCompleter(completer)
        self.info = plain_label()
        self.info.setWordWrap(True)
        self.info.setEnabled(False)  # greyed: it describes, it is not input
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._lookup)
        self.edit.textEdited.connect(self._timer.start)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.info)
        if number:
            self.set_number(number)
        else:
            self._resolve()

    @property
    def number(self) -> str | None:
        return self.school.number if self.school else None

    def set_number(self, number: str) -> None:
        row = browse.school_row(self._db, number)
        self.edit.setText(f"{row.number} \u2013 {row.name}" if row else number)
        self._resolve()

    def _chosen(self, text: str) -> None:
        self.edit.setText(text)
        self._resolve()

    def _lookup(self) -> None:
        text = self.edit.text().strip()
        if len(text) >= 2 and not LEADING_NUMBER.match(text):
            rows = browse.list_schools(self._db, text, limit=SUGGESTIONS, sort_key="name")
            self._suggestions.setStringList([f"{r.number} \u2013 {r.name}, {r.city}" for r in rows])
        self._resolve()

    def _resolve(self) -> None:
        match = LEADING_NUMBER.match(self.edit.text())
        row = browse.school_row(self._db, match.group(1)) if match else None
        if row is not None:
            self.info.setText(describe_school(row))
        elif match:
            self.info.setText(_("No school with this number."))
        elif self.edit.text().strip():
            self.info.setText(_("Pick a school from the list."))
        else:
            self.info.setText(_("Choose a school."))
        if row != self.school:
            self.school = row
            self.changed.emit(row)
