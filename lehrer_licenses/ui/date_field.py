"""The date field of every form: a QDateEdit with its calendar that also takes a date typed in
one go (``15.10.2026``, ``15.10.26``, ``15102026``). QDateEdit alone edits section by section
and takes a typed "." as "next section", so a date typed as people write it came out wrong or
was refused; here the keys go into the text and the whole text is read when it is a date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QDateEdit, QWidget

from lehrer_licenses.domain.typed_dates import order_of, parse_typed_date
from lehrer_licenses.ui import formatting as fmt

_TYPED = set("0123456789./-")
_PLAIN_KEYS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
_LONGEST = len("2026-10-15")


class DateField(QDateEdit):
    def __init__(
        self,
        on: date | None = None,
        display_format: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(display_format or fmt.date_format())
        self.setDate(fmt.to_qdate(on or date.today()))
        self.editingFinished.connect(self._show_read)

    def _show_read(self) -> None:
        # "15.10.26" was read as it was typed; show what it was read as once the user moves on.
        shown = self.textFromDateTime(self.dateTime())
        if self._typed_days() and self.lineEdit().text() != shown:
            self.lineEdit().setText(shown)

    def _typed_days(self) -> bool:
        # A month field (MM.yyyy) keeps QDateEdit's own sections: it has no day to type.
        return "d" in self.displayFormat()

    def _read(self, text: str) -> date | None:
        return parse_typed_date(text, order_of(self.displayFormat()))

    def validate(self, text: str, pos: int):
        if not self._typed_days():
            return super().validate(text, pos)
        if self._read(text) is not None:
            return QValidator.State.Acceptable, text, pos
        if len(text) <= _LONGEST and set(text) <= _TYPED:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:
        found = self._read(text) if self._typed_days() else None
        if found is None:
            return super().dateTimeFromText(text)
        return QDateTime(fmt.to_qdate(found), QTime(0, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not (event.modifiers() & ~_PLAIN_KEYS)
        if self._typed_days() and plain and len(text) == 1 and text in _TYPED:
            self.lineEdit().insert(text)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._show_read()
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        # QDateEdit's Tab walks its own sections first; a date typed in one go is done, and Tab
        # goes on to the next field as in every other form field.
        if not self._typed_days():
            return super().focusNextPrevChild(next)
        self._show_read()
        return QWidget.focusNextPrevChild(self, next)
