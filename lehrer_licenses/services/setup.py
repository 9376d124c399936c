"""Creating or migrating a database and loading the default catalogue (``init``).

The ui and cli layers get the database handle from here, never from store/ directly.
"""

from __future__ import annotations

import os

from lehrer_licenses.services.catalogue import install_defaults
from lehrer_licenses.store.database import (
    ENV_VAR,
    Database,
    default_database_path,
    head_revision,
    open_database,
    resolve_url,
)

__all__ = ["ENV_VAR", "Database", "default_database_path", "init_database", "open_database",
           "resolve_url", "schema_version"]


def init_database(db_arg: str | os.PathLike[str] | None = None) -> tuple[Database, bool]:
    """Open (migrating) the database and install the defaults if it is new."""
    db = open_database(db_arg)
    with db.transaction() as session:
        installed = install_defaults(session)
    return db, installed


def schema_version() -> str:
    return head_revision()
