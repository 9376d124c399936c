"""How the app names the open database: in the status bar, the recent files and file dialogs."""

from __future__ import annotations

from lehrer_licenses.ui.handles import Database

DB_FILTER = "SQLite (*.sqlite *.sqlite3 *.db);;*"


def database_label(db: Database) -> str:
    """The file for SQLite, the URL without its password (nor its connection options)
    otherwise."""
    if db.url.startswith("sqlite:///"):
        return db.url.removeprefix("sqlite:///")
    # loaded with the database, not with the window (ui/app.py shows the window first)
    from lehrer_licenses.services.database_init import mask_url

    return mask_url(db.url.split("?", 1)[0])
