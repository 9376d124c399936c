"""The migrations build exactly the schema the models describe, and the engine is set up as
DESIGN.md asks (WAL, foreign keys, busy timeout)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from lehrer_licenses.store.database import current_revision, head_revision, migrate, open_database
from lehrer_licenses.store.models import Base
from lehrer_licenses.store.search_index import outside_the_models


def test_upgrade_head_equals_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    assert migrate(engine) is True
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        # The search index (an FTS5 table and its shadow tables) is the migration's alone.
        opts = {"compare_type": True, "include_name": outside_the_models(conn)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == []
    assert migrate(engine) is False  # nothing left to do


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = open_database(tmp_path / "p.sqlite")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_database_location_follows_argument_then_environment(tmp_path, monkeypatch):
    from lehrer_licenses.store.database import resolve_url

    monkeypatch.setenv("LEHRER_LICENSES_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None).endswith("env.sqlite")
    assert resolve_url(tmp_path / "arg.sqlite").endswith("arg.sqlite")
    assert resolve_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_two_writers_at_once_both_succeed_one_after_the_other(tmp_path):
    """Use cases begin IMMEDIATE: the second writer waits instead of failing on a stale
    snapshot after it has read."""
    import threading
    import time

    db = open_database(tmp_path / "w.sqlite")
    errors = []

    def writer(key: str) -> None:
        try:
            with db.transaction() as session:
                session.execute(text("SELECT count(*) FROM setting")).scalar()
                time.sleep(0.2)
                session.execute(text("INSERT INTO setting(key, value) VALUES (:k, '')"), {"k": key})
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"k{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.reading() as session:
        written = "SELECT count(*) FROM setting WHERE key IN ('k0', 'k1', 'k2')"
        assert session.execute(text(written)).scalar() == 3
