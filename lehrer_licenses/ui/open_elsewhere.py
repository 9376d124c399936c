"""The warning when the database just opened is already open in another program.

It is a note, not a question: SQLite keeps the data safe with two programs on one file, so the
app goes on; the clerk only learns why an edit made elsewhere may show up late here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database


def describe(holders) -> str:
    return "; ".join(
        _("{host}, {user} since {since}").format(
            host=h.host, user=h.user, since=fmt.moment(h.since)
        )
        for h in holders
    )


def warn_if_open_elsewhere(parent: QWidget, db: Database) -> QMessageBox | None:
    """Mark ``db`` as open here (until it is disposed of) and, if another program has it open
    too, show a non-modal warning; returns the message box, or None when there is none."""
    from lehrer_licenses.services.database_init import claim_database

    warn_if_on_network_drive(parent, db)
    try:
        others = claim_database(db)
    except OSError:  # a read-only folder: no marker; the database itself still works
        return None
    if not others:
        return None
    return _note(
        parent,
        QMessageBox.Icon.Information,
        _("Database open elsewhere"),
        _(
            "This database is already open in another program ({who}); changes are safe but "
            "you may see each other's edits late."
        ).format(who=describe(others)),
    )


def warn_if_on_network_drive(parent: QWidget, db: Database) -> QMessageBox | None:
    """A database file on a file share: say so once it is open, naming the shared mode."""
    if not getattr(db, "network_warning", None):
        return None
    title = _("Database on a network drive")
    return _note(parent, QMessageBox.Icon.Warning, title, db.network_warning)


def _note(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A note that does not stop the work: the app goes on while it is shown."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
