"""Creating or migrating a database and loading the default catalogue (``init``)."""

from __future__ import annotations

import os

from lehrer_licenses.services.catalogue import install_defaults
from lehrer_licenses.store.database import Database, head_revision, open_database


def init_database(db_arg: str | os.PathLike[str] | None = None) -> tuple[Database, bool]:
    """Open (migrating) the database and install the defaults if it is new."""
    db = open_database(db_arg)
    with db.transaction() as session:
        installed = install_defaults(session)
    return db, installed


def schema_version() -> str:
    return head_revision()
