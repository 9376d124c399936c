"""Where the database is when no one says: the target of ``--db``, $LEHRER_LICENSES_DB or the
user data folder.

Kept apart from database.py (SQLAlchemy, Alembic) so that the app's start can find the file
before it imports them (services/browse/first_page.py)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_VAR = "LEHRER_LICENSES_DB"
APP_NAME = "lehrer-licenses"


def default_database_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "lehrer-licenses.sqlite"


def database_target(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` (path or URL), else $LEHRER_LICENSES_DB, else the file in the user data folder."""
    target = db if db not in (None, "") else os.environ.get(ENV_VAR) or default_database_path()
    return os.fspath(target)
