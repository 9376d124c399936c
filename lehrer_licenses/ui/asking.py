"""Everything that asks the user something in a system dialog: a file to save or open, a folder,
a printer, a yes/no question, a passphrase, a message box to acknowledge, what to do with a PDF
just saved.

The views and dialogs ask only through these functions, so that a test or the UI crawler can
answer for the user by replacing one function here (monkeypatch ``asking.save_file``) instead of
patching each slot or Qt's static dialogs, and a slot is always exercised as a click runs it."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from lehrer_licenses.i18n import _

OPEN = "open"
PRINT = "print"


def save_file(
    parent: QWidget | None,
    title: str,
    suggested: str,
    filters: str,
    confirm_overwrite: bool = True,
) -> str | None:
    """The path to write to, or None when the user cancelled."""
    options = QFileDialog.Option(0)
    if not confirm_overwrite:
        options = QFileDialog.Option.DontConfirmOverwrite
    path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, filters, options=options)
    return path or None


def open_file(parent: QWidget | None, title: str, folder: str, filters: str) -> str | None:
    """An existing file to read, or None when the user cancelled."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return path or None


def folder(parent: QWidget | None, title: str) -> str | None:
    """A folder to write into, or None when the user cancelled."""
    return QFileDialog.getExistingDirectory(parent, title) or None


def printer(parent: QWidget | None, title: str) -> QPrinter | None:
    """A printer set up in the print dialog, or None when the user cancelled."""
    chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(chosen, parent)
    dialog.setWindowTitle(title)
    return chosen if dialog.exec() else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; True for yes."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def confirm_risky(parent: QWidget | None, title: str, text: str) -> bool:
    """A warning that must be confirmed, Cancel being the default (replacing data)."""
    answer = QMessageBox.warning(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def pdf_written_box(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """The box ``pdf_written`` shows: Open PDF (the default), Print…, Close."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setDefaultButton(box.addButton(_("Open PDF"), QMessageBox.ButtonRole.AcceptRole))
    box.addButton(_("Print…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    return box


def pdf_written(parent: QWidget | None, title: str, text: str) -> str | None:
    """After a PDF was saved: OPEN it in the viewer, PRINT it, or None (Close)."""
    box = pdf_written_box(parent, title, text)
    box.exec()
    role = box.buttonRole(box.clickedButton()) if box.clickedButton() else None
    if role == QMessageBox.ButtonRole.AcceptRole:
        return OPEN
    return PRINT if role == QMessageBox.ButtonRole.ActionRole else None


def passphrase(parent: QWidget | None, title: str, label: str) -> str | None:
    """A secret typed without echo, or None when the user cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


def show_box(box: QMessageBox) -> int:
    """A message box built by the caller (errors, About), shown modally until it is closed."""
    return box.exec()
