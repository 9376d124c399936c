"""A registration code as a QR code (segno), for a phone or a scanner at the school."""

from __future__ import annotations

import io

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.services.licences.codes import CodeView
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.widgets import plain_label


def qr_pixmap(text: str, scale: int = 6) -> QPixmap:
    """Black on white with its quiet zone, whatever the palette: scanners need the contrast."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def copy_code(code: str) -> None:
    QGuiApplication.clipboard().setText(code)


class CodeQrDialog(QDialog):
    def __init__(self, code: CodeView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setWindowTitle(_("Registration code {serial}").format(serial=code.serial))
        self.image = QLabel()
        self.image.setPixmap(qr_pixmap(code.code))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        info = plain_label(
            _("School {school}, {product}: {seats} seats, valid until {day}").format(
                school=code.school,
                product=code.product,
                seats=code.seats,
                day=fmt.day(code.valid_until),
            )
        )
        info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = plain_label(code.code)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = text.font()
        font.setFamily("monospace")
        font.setStyleHint(font.StyleHint.Monospace)
        text.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(_("Copy code"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(lambda: copy_code(code.code))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image)
        layout.addWidget(info)
        layout.addWidget(text)
        layout.addWidget(buttons)
