"""Databases written at every earlier schema revision upgrade to head with every row intact, and
the app works on them afterwards.

The fixtures (tests/store/fixtures/migrations/<revision>.sqlite) come from
scripts/make_migration_fixtures.py: a database upgraded only to that revision with sample rows in
each of its tables. A new migration needs its fixture too (the first test fails until it is there).
"""

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from lehrer_licenses import __version__
from lehrer_licenses.services.billing.drafts import get_invoice
from lehrer_licenses.services.licences.seats.holders import list_seats
from lehrer_licenses.services.schools import SchoolInput, add_school, find_schools, school_summary
from lehrer_licenses.store.database import (
    WRITTEN_BY,
    Database,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    migrate,
)

pytestmark = pytest.mark.sqlite_only(reason="the fixtures are SQLite files of every revision")

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"
# A later migration that deliberately rewrites values of an old column lists it here as
# (table, column), with a test of its own for the new values.
REWRITTEN: set[tuple[str, str]] = {
    # 0006: per-pupil years of one calendar year (tests/store/test_migration_0006.py)
    ("plan", "term_days"),
    ("subscription", "term_end"),
    ("subscription", "ends_on"),
    ("cancellation", "effective_on"),
    ("pre_investment", "term_end"),
}


def all_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def earlier_revisions() -> list[str]:
    return [rev for rev in all_revisions() if rev != head_revision()]


def test_every_revision_has_a_fixture_database():
    missing = [rev for rev in all_revisions() if not (FIXTURES / f"{rev}.sqlite").is_file()]
    assert not missing, (
        f"no migration fixture for revision(s) {missing}: run "
        "`.venv/bin/python scripts/make_migration_fixtures.py` and commit the new file"
    )
    for rev in all_revisions():
        con = sqlite3.connect(f"file:{FIXTURES / f'{rev}.sqlite'}?mode=ro", uri=True)
        try:
            assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(rev,)]
            for table in tables(con):
                count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                assert count > 0, f"fixture {rev}: table {table} has no rows"
        finally:
            con.close()


def tables(con: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' ORDER BY name"
        )
    ]


def columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]


def key_columns(con: sqlite3.Connection, table: str) -> list[str]:
    info = con.execute(f'PRAGMA table_info("{table}")').fetchall()
    keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    return keys or ["rowid"]


def snapshot(path: Path, only: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table (or of ``only``'s tables and columns), in key order."""
    con = sqlite3.connect(path)
    try:
        result = {}
        for table in only or tables(con):
            cols = (only or {}).get(table) or columns(con, table)
            order = ", ".join(f'"{c}"' for c in key_columns(con, table))
            names = ", ".join(f'"{c}"' for c in cols)
            result[table] = con.execute(
                f'SELECT {names} FROM "{table}" ORDER BY {order}'
            ).fetchall()
        return result
    finally:
        con.close()


@pytest.mark.parametrize("revision", earlier_revisions())
def test_an_old_database_upgrades_to_head_with_every_row_intact(revision, tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / f"{revision}.sqlite", path)
    con = sqlite3.connect(path)
    kept = {t: [c for c in columns(con, t) if (t, c) not in REWRITTEN] for t in tables(con)}
    con.close()
    before = snapshot(path, kept)

    engine = make_engine(f"sqlite:///{path}")
    try:
        assert migrate(engine) is True  # through the app's own upgrade path
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()

    con = sqlite3.connect(path)
    try:
        for table, cols in kept.items():
            missing = set(cols) - set(columns(con, table))
            assert not missing, f"{revision}: {table} lost column(s) {missing}"
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    after = snapshot(path, kept)
    # The one row a migration adds: which version wrote the schema (an older one names it when
    # it refuses the file).
    written = [row for row in after["setting"] if row[0] == WRITTEN_BY]
    assert [row[1:] for row in written] == [(__version__,)]
    after["setting"] = [row for row in after["setting"] if row[0] != WRITTEN_BY]
    for table in kept:
        assert len(after[table]) == len(before[table]), f"{revision}: rows lost in {table}"
        assert after[table] == before[table], f"{revision}: values changed in {table}"
    # the migration kept a copy of the file as it was
    (backup,) = (tmp_path / "backups").glob(f"*before-migration-from-{revision}*.llbackup")
    assert snapshot(backup, kept) == before


@pytest.mark.parametrize("revision", earlier_revisions())
def test_the_app_reads_and_writes_a_migrated_database(revision, tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / f"{revision}.sqlite", path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate(engine)
    db = Database(url, engine)
    try:
        names = [school.name for school in find_schools(db)]
        assert "Primarschule Aesch" in names and "Grundschule Łódź-Straße Ørsted" in names
        summary = school_summary(db, "100001")
        assert summary.contracts[0].plan == "LO-LOCAL"
        assert summary.contracts[0].seats == 3
        assert [i.number for i in summary.invoices] == ["2026-00001", "G2026-00001"]
        invoice = get_invoice(db, "2026-00001")
        assert invoice.totals.payable.amount == Decimal("505.90")
        assert [line.code for line in invoice.lines] == ["base", "subscription"]
        holders = {seat.position: seat for seat in list_seats(db, "100001")}
        assert len(holders) == 3
        # the search text of the schools already there is back-filled (migration 0007)
        assert [s.number for s in find_schools(db, "LODZ-strasse ørsted")] == ["100002"]
        assert [s.number for s in find_schools(db, "MÜNCHEN")] == ["100002"]
        assert [s.number for s in find_schools(db, "aesch bl")] == ["100001"]
        assert add_school(db, SchoolInput(name="Neu nach Migration", country="CH", language="fr"))
        con = sqlite3.connect(path)
        with pytest.raises(sqlite3.IntegrityError, match="audit entries cannot be changed"):
            con.execute("DELETE FROM audit_entry")
        con.close()
    finally:
        db.dispose()
