"""Where a batch of letters goes: one PDF for printing, in an order (postcode for posting, school
number, name), or e-mail drafts (.eml, the school's letters attached) into a folder, for sending
from the user's own mail client. Nothing is sent from the app.

``write_batch`` runs on the worker thread; the dialog only asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import N_, _, ngettext
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.widgets import InlineError, plain_label

if TYPE_CHECKING:
    from lehrer_licenses.services.season.letter_emails import WithoutEmail

PDF, EMAILS = "pdf", "emails"
ORDERS = {
    "postcode": N_("By postcode (for posting)"),
    "number": N_("By school number"),
    "name": N_("By school name"),
}


@dataclass(frozen=True)
class BatchChoice:
    destination: str  # PDF | EMAILS
    path: Path  # the PDF file, or the folder for the drafts
    order: str = "postcode"


@dataclass
class BatchWritten:
    letters: int = 0
    files: int = 0
    without_email: list[WithoutEmail] = field(default_factory=list)


class LetterBatchDialog(QDialog):
    def __init__(self, default_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Save letters"))
        self._default_name = default_name
        self.destination = QComboBox()
        self.destination.addItem(_("One PDF for printing"), PDF)
        self.destination.addItem(_("E-mail drafts into a folder"), EMAILS)
        self.order = QComboBox()
        for key, label in ORDERS.items():
            self.order.addItem(_(label), key)
        self.path = QLineEdit(str(Path.home() / default_name))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        self.hint = plain_label()
        self.hint.setWordWrap(True)
        self.error = InlineError()
        form = QFormLayout()
        form.addRow(_("Letters as:"), self.destination)
        form.addRow(_("Order:"), self.order)
        form.addRow(_("Save to:"), where)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.destination.currentIndexChanged.connect(self._destination_changed)
        self._destination_changed()
        self.resize(560, self.sizeHint().height())

    def _destination_changed(self) -> None:
        emails = self.destination.currentData() == EMAILS
        self.order.setEnabled(not emails)
        current = Path(self.path.text() or self._default_name)
        if emails and current.suffix.lower() == ".pdf":
            self.path.setText(str(current.with_suffix("")))
        elif not emails and current.suffix.lower() != ".pdf":
            self.path.setText(str(current.with_suffix(".pdf")))
        self.hint.setText(
            _(
                "One .eml file per school with its letters attached as a PDF, from the vendor's "
                "e-mail address; open them in Outlook or Thunderbird and send them from there. "
                "Schools without an e-mail address are listed afterwards."
            )
            if emails
            else _("All letters in one PDF, in the order chosen.")
        )

    def _choose(self) -> None:
        if self.destination.currentData() == EMAILS:
            folder = asking.folder(self, _("Folder for the e-mail drafts"))
            if folder is not None:
                self.path.setText(folder)
            return
        target = asking.save_file(self, _("Save letters"), self.path.text(), "PDF (*.pdf)")
        if target is not None:
            self.path.setText(target)

    def choice(self) -> BatchChoice:
        return BatchChoice(
            self.destination.currentData(),
            Path(self.path.text().strip()).expanduser(),
            self.order.currentData(),
        )

    def _accept(self) -> None:
        choice = self.choice()
        if not self.path.text().strip():
            self.error.show_message(_("Say where the letters go."))
            return
        if choice.destination == EMAILS:
            try:
                choice.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.error.show_message(
                    _("The folder cannot be made: {error}").format(error=exc.strerror or exc)
                )
                return
        elif not choice.path.parent.is_dir():
            self.error.show_message(_("No such folder: {folder}").format(folder=choice.path.parent))
            return
        self.accept()


def ask_letter_batch(parent: QWidget | None, default_name: str) -> BatchChoice | None:
    dialog = LetterBatchDialog(default_name, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def check_before_run(db, choice: BatchChoice) -> None:
    """E-mail drafts need the vendor's address: refuse before payment reminders are recorded."""
    if choice.destination == EMAILS:
        from lehrer_licenses.services.season.letter_emails import require_vendor_email

        require_vendor_email(db)


def write_batch(db, letters: list, choice: BatchChoice) -> BatchWritten:
    """The batch PDF in the chosen order, or the e-mail drafts (worker thread)."""
    from lehrer_licenses.services.season import letter_batches, letter_emails

    written = BatchWritten(letters=len(letters))
    if not letters:
        return written
    if choice.destination == EMAILS:
        drafts = letter_emails.email_drafts(db, letters)
        written.files = len(drafts.write(choice.path))
        written.without_email = drafts.without_email
    else:
        choice.path.write_bytes(letter_batches.batch_pdf(letters, choice.order))
        written.files = 1
    return written


def without_letter_text(rows: list, shown: int = 5) -> str:
    """Why schools got no letter: per reason, how many and the first ``shown`` of them."""
    by_reason: dict[str, list[str]] = {}
    for row in rows:
        by_reason.setdefault(row.reason, []).append(f"{row.school} {row.name}")
    parts = []
    for reason, schools in by_reason.items():
        listed = ", ".join(schools[:shown]) + (", …" if len(schools) > shown else "")
        parts.append(
            ngettext(
                "{n} school gets no letter ({reason}): {schools}.",
                "{n} schools get no letter ({reason}): {schools}.",
                len(schools),
            ).format(n=len(schools), reason=reason, schools=listed)
        )
    return " ".join(parts)


def written_message(written: BatchWritten, choice: BatchChoice) -> str:
    if not written.letters:
        return _("No letters are due; no file was written.")
    if choice.destination == PDF:
        return ngettext(
            "{n} letter written to {path}.", "{n} letters written to {path}.", written.letters
        ).format(n=written.letters, path=choice.path)
    text = ngettext(
        "{n} e-mail draft written to {folder}.",
        "{n} e-mail drafts written to {folder}.",
        written.files,
    ).format(n=written.files, folder=choice.path)
    if written.without_email:
        text += " " + _("Without an e-mail address, to be posted: {schools}").format(
            schools=", ".join(f"{row.school} {row.name}" for row in written.without_email)
        )
    return text
