"""Creating or migrating a database and loading the default catalogue (``init``).

The ui and cli layers get the database handle from here, never from store/ directly.
"""

from __future__ import annotations

import os
from pathlib import Path

from lehrer_licenses.services.catalogue import install_defaults
from lehrer_licenses.services.licences.codes import ensure_signing_key
from lehrer_licenses.store import instance_marker
from lehrer_licenses.store.database import (
    ENV_VAR,
    Database,
    SchemaOutdated,
    check_schema,
    default_database_path,
    head_revision,
    make_engine,
    migrate,
    open_database,
    reach,
    resolve_url,
)
from lehrer_licenses.store.server import is_server, mask_logs, mask_text, mask_url

__all__ = [
    "ENV_VAR",
    "Database",
    "claim_database",
    "default_database_path",
    "init_database",
    "mask_logs",
    "mask_text",
    "mask_url",
    "migrate_database",
    "open_database",
    "resolve_url",
    "schema_version",
]


def init_database(
    db_arg: str | os.PathLike[str] | None = None, *, migrate_server: bool = False
) -> tuple[Database, bool]:
    """Open (migrating) the database, install the defaults if it is new, and make the signing key
    for registration codes on first use. A server database is created or migrated only with
    ``migrate_server`` (the explicit ``init``, and only an empty one: an older schema is for
    ``migrate``, which backs it up first); otherwise it must already be up to date."""
    url = resolve_url(db_arg)
    if migrate_server and is_server(url):
        db = open_database(url, upgrade=False)
        try:
            current = check_schema(db.engine)
            if current is None:
                migrate(db.engine, server=True)
            elif current != head_revision():
                raise SchemaOutdated(current)
        except BaseException:
            db.dispose()
            raise
    else:
        db = open_database(url, migrate_server=migrate_server)
    with db.transaction() as session:
        installed = install_defaults(session)
    ensure_signing_key()
    return db, installed


def schema_version() -> str:
    return head_revision()


def migrate_database(
    db_arg: str | os.PathLike[str] | None = None, *, no_backup: bool = False
) -> tuple[str | None, str, Path | None]:
    """``lehrer-licenses migrate``: bring the database, a file or a server's, to this version's
    schema, backed up first (a server's with pg_dump; ``no_backup`` is the administrator's
    explicit choice to go without). Returns the revision before and after, and the backup."""
    from lehrer_licenses.services.backups import backup_before_batch

    url = resolve_url(db_arg)
    engine = make_engine(url)
    backup = None
    try:
        reach(engine)
        before = check_schema(engine)
        if is_server(url) and before is not None and before != head_revision():
            db = Database(url, engine)
            backup = backup_before_batch(db, f"before-migration-from-{before}", no_backup=no_backup)
        migrate(engine, server=True)
    finally:
        engine.dispose()
    return before, head_revision(), backup


def claim_database(db: Database) -> list[instance_marker.Holder]:
    """Mark the database file as open in this program until ``db.dispose()``; returns the other
    programs that have it open (each with host, user, pid, since). A server database: none."""
    if not db.url.startswith("sqlite:///"):
        return []
    if db.marker is not None:  # claimed when it was opened
        return db.marker.others
    marker = instance_marker.claim(Path(db.url.removeprefix("sqlite:///")))
    db.hold(marker)
    return marker.others
