"""an index for the schools search: FTS5 trigrams on SQLite, pg_trgm on PostgreSQL

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:30:00

The schools search looks for the folded needle anywhere in ``school.search_text`` (0007); a
LIKE '%needle%' read every school at every keystroke. SQLite gets an FTS5 table with the trigram
tokenizer over that column, filled here from the schools already there and kept in step by
triggers on ``school`` (every writer passes them, bulk inserts and restores too). PostgreSQL gets
pg_trgm's GIN index on the column, which serves the LIKE as it is; where the extension cannot
be created the migration goes on without it and says so (store/search_index.py).
"""

from collections.abc import Sequence

from alembic import op

from lehrer_licenses.store.search_index import ensure_trigram_index

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The folded text is indexed as it is: ``case_sensitive 1`` keeps the tokenizer from folding it
# again, so the index matches exactly the substrings LIKE matched.
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE school_search USING fts5("
    "search_text, tokenize = 'trigram case_sensitive 1')",
    "INSERT INTO school_search (rowid, search_text) SELECT id, search_text FROM school",
    "CREATE TRIGGER school_search_insert AFTER INSERT ON school BEGIN "
    "INSERT INTO school_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER school_search_update AFTER UPDATE OF id, search_text ON school BEGIN "
    "DELETE FROM school_search WHERE rowid = old.id; "
    "INSERT INTO school_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER school_search_delete AFTER DELETE ON school BEGIN "
    "DELETE FROM school_search WHERE rowid = old.id; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS school_search_insert",
    "DROP TRIGGER IF EXISTS school_search_update",
    "DROP TRIGGER IF EXISTS school_search_delete",
    "DROP TABLE IF EXISTS school_search",
)


def upgrade() -> None:
    _by_dialect(SQLITE_CREATE, ensure_trigram_index)


def downgrade() -> None:
    _by_dialect(SQLITE_DROP, _drop_trigram_index)


def _drop_trigram_index(bind) -> None:
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_school_search_trigram")


def _by_dialect(sqlite: tuple[str, ...], postgresql) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in sqlite:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        postgresql(bind)
