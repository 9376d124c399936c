"""File › Connect to server…: host, port, database and user of a PostgreSQL server, and the
password for this session only. An empty password leaves it to ~/.pgpass (or $PGPASSFILE) or
the OS keyring. A failed connection is said in one line and the dialog stays open to correct it.
"""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.server_connection import (
    DEFAULT_PORT,
    ServerAddress,
    checked_address,
    connect_server,
)
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, connect_unchecked


class ConnectServerDialog(QDialog):
    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connect to server"))
        self.database: Database | None = None
        self.address: ServerAddress | None = None

        self.recent = QComboBox()
        self.recent.addItem(_("(new server)"), "")
        for label in recent:
            self.recent.addItem(label, label)
        self.recent.setEnabled(bool(recent))
        self.recent.currentIndexChanged.connect(self._recent_chosen)
        self.host = QLineEdit("localhost")
        self.port = QLineEdit(str(DEFAULT_PORT))
        self.name = QLineEdit()
        self.user = QLineEdit(_login_name())
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("empty: from ~/.pgpass or the keyring"))
        self.error = InlineError()

        form = QFormLayout()
        form.addRow(_("Recent:"), self.recent)
        form.addRow(_("Host:"), self.host)
        form.addRow(_("Port:"), self.port)
        form.addRow(_("Database:"), self.name)
        form.addRow(_("User:"), self.user)
        form.addRow(_("Password:"), self.password)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText(_("Connect"))
        connect_unchecked(self.connect_button.clicked, self.try_connect)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if recent:
            self.recent.setCurrentIndex(1)

    def _recent_chosen(self, _index: int) -> None:
        address = ServerAddress.parse(self.recent.currentData() or "")
        if address is None:
            return
        self.host.setText(address.host)
        self.port.setText(str(address.port))
        self.name.setText(address.database)
        self.user.setText(address.user)
        self.password.clear()

    def try_connect(self) -> None:
        """Connect; on success the dialog closes with ``database`` open, else it says why."""
        self.error.show_message("")
        try:
            address = checked_address(
                self.host.text(), self.port.text(), self.name.text(), self.user.text()
            )
            self.database = connect_server(address, self.password.text())
        except DomainError as exc:
            self.error.show_message(str(exc))
            self.password.selectAll()
            return
        self.password.clear()  # used for this session only
        self.address = address
        self.accept()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return ""
