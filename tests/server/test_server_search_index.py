"""The schools search's trigram index on a server: made by ``init`` (pg_trgm is a trusted
extension, so the database owner may create it), missed without failing where a login may not
make it, and made by the next ``migrate`` of the owner."""

from __future__ import annotations

import logging

from sqlalchemy import create_engine, text
from support.server_office import ok

from lehrer_licenses.store.search_index import TRIGRAM_INDEX, ensure_trigram_index

INDEXED = "SELECT count(*) FROM pg_indexes WHERE indexname = :name"


def test_a_login_that_may_not_index_leaves_the_search_working_and_says_why(
    office, desk, capsys, caplog
):
    assert office.query(INDEXED, name=TRIGRAM_INDEX) == [(1,)]
    owner = create_engine(office.url())
    try:  # as on a server where pg_trgm could not be created when it was migrated
        with owner.begin() as conn:
            conn.execute(text(f"DROP INDEX {TRIGRAM_INDEX}"))
    finally:
        owner.dispose()
    engine = create_engine(desk["clerk_url"])
    try:
        with caplog.at_level(logging.WARNING), engine.begin() as conn:
            assert ensure_trigram_index(conn) is False
    finally:
        engine.dispose()
    assert "pg_trgm" in caplog.text and "lehrer-licenses migrate" in caplog.text
    assert office.query(INDEXED, name=TRIGRAM_INDEX) == [(0,)]
    found = ok(capsys, desk["clerk_url"], "school", "list", "--search", "ŻÓŁĆ")
    assert [s["number"] for s in found] == [desk["school"]]
    # the owner's next migrate makes it, though the schema was at head already
    ok(capsys, office.url(), "migrate")
    assert office.query(INDEXED, name=TRIGRAM_INDEX) == [(1,)]
    found = ok(capsys, desk["clerk_url"], "school", "list", "--search", "zolc")
    assert [s["number"] for s in found] == [desk["school"]]
