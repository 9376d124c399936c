"""indexes for the schools list's orders while a search is on

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 16:30:00

The schools list sorts by number, name or city (``lower(name)``, ``lower(city)``, the number to
break ties) and pages with LIMIT. Without an index on those expressions every page of a sort by
name sorted all the schools (200,000: 60 ms, with a search on 150-280 ms). A search that
matches many schools finds its page by walking the order's index and testing each school's
folded text until the page is full; ``search_text`` is the index's last column so that the test
reads it from the index and looks up only the schools that match (a walk that fetched every
school's row cost up to 0.7 s at 200,000 schools, in the order of the names). See
store/search_index.py.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The list's order, written out here, not taken from the app's code, so that this migration keeps
# meaning what it meant.
INDEXES = {
    "ix_school_order_number": "number",
    "ix_school_order_name": "lower(name), number",
    "ix_school_order_city": "lower(city), number",
}


def upgrade() -> None:
    server = op.get_bind().dialect.name == "postgresql"
    for name, order in INDEXES.items():
        if server and order == "number":
            continue  # the number's unique index is its order there
        if server:
            # The order alone. An index that also held the id and search_text (to answer a walk
            # from the index alone) became the server's choice for every search, a full scan of
            # it instead of the trigram index. A walk fetches each school it passes, so the
            # server walks only for searches that match many (services/browse/schools.FEW).
            op.execute(f"CREATE INDEX {name} ON school ({order})")
        else:
            # SQLite's indexes carry the rowid, and it tests the LIKE on the index's
            # search_text before it reads the school's row: a walk reads few rows.
            op.execute(f"CREATE INDEX {name} ON school ({order}, search_text)")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
