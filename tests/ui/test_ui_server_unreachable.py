"""Starting the app on a server that does not answer: the clerk reads the same one line as the
command line gives (which server, why), never the password and never a traceback."""

from __future__ import annotations

import socket

from PySide6.QtWidgets import QApplication, QMessageBox

from lehrer_licenses.ui import app


def test_the_app_names_the_server_it_cannot_reach_without_the_password(
    qtbot, settings, monkeypatch
):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    shown = []

    def record(box):
        shown.append((box.windowTitle(), box.text(), box.detailedText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", record)
    monkeypatch.setattr(app, "Settings", lambda: settings)
    before = set(QApplication.topLevelWidgets())
    try:
        assert app.run(f"postgresql://clerk:s3cret@127.0.0.1:{port}/desk") == 2
    finally:
        for widget in set(QApplication.topLevelWidgets()) - before:
            widget.close()
            widget.deleteLater()
    ((title, text, details),) = shown
    assert title == "Cannot open the database"
    assert text == (
        f"Cannot connect to the database server clerk@127.0.0.1:{port}/desk: Connection refused"
    )
    assert details == ""
