"""The schools search index (migration 0014): an FTS5 trigram table on SQLite, kept in step by
triggers; pg_trgm's GIN index on PostgreSQL. Both find exactly what the LIKE over the folded
column found (tests/services/test_browse_search.py); these tests are about the index itself."""

from __future__ import annotations

from sqlalchemy import event, select, text

from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.schools import (
    SchoolInput,
    add_school,
    edit_school,
    find_schools,
    search_condition,
)
from lehrer_licenses.store.models import School
from lehrer_licenses.store.search_index import (
    FTS_TABLE,
    ORDER_INDEXES,
    TRIGRAM_INDEX,
    outside_the_models,
)


def names(db, typed: str) -> list[str]:
    return sorted(s.name for s in find_schools(db, typed))


def test_the_index_follows_every_write(db):
    number = add_school(db, SchoolInput("Schulhaus Seefeld", "CH", "de", city="Zürich"))
    assert names(db, "seefeld") == ["Schulhaus Seefeld"]
    edit_school(db, number, {"name": "Schulhaus Riesbach"})
    assert names(db, "seefeld") == []
    assert names(db, "RIESBACH") == ["Schulhaus Riesbach"]
    assert browse.count_schools(db, "riesbach") == 1
    # A write past the app's models (another tool, a repair by hand) reaches the index too.
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE school SET search_text = 'schulhaus am bach' WHERE number = :n"),
            {"n": number},
        )
    assert names(db, "am bach") == ["Schulhaus Riesbach"]
    assert names(db, "riesbach") == []
    assert browse.count_schools(db, "am bach") == 1


def test_what_is_typed_is_taken_literally(db):
    for name in ('Schule "Am See"', "Schule 100% Bio", "Schule_Nord", "Schule Nord"):
        add_school(db, SchoolInput(name, "CH", "de"))
    assert names(db, '"am see"') == ['Schule "Am See"']
    assert names(db, 'e "a') == ['Schule "Am See"']
    assert names(db, "100%") == ["Schule 100% Bio"]
    assert names(db, "e_n") == ["Schule_Nord"]
    assert names(db, "e n") == ["Schule Nord"]
    assert names(db, "ule") == sorted(
        ['Schule "Am See"', "Schule 100% Bio", "Schule_Nord", "Schule Nord"]
    )
    # shorter than a trigram: the same answers without the index
    assert names(db, "_n") == ["Schule_Nord"]
    assert names(db, "%") == ["Schule 100% Bio"]
    assert browse.count_schools(db, "e_n") == 1
    assert browse.count_schools(db, "_n") == 1


def test_the_search_reads_the_index(db):
    add_school(db, SchoolInput("Schulhaus Seefeld", "CH", "de", city="Zürich"))
    query = select(School.id).where(search_condition("seefeld"))
    with db.engine.connect() as conn:
        compiled = query.compile(conn)
        if conn.dialect.name == "sqlite":
            params = [compiled.params[name] for name in compiled.positiontup]
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(params)).all()
            assert any(f"{FTS_TABLE} VIRTUAL TABLE" in row[-1] for row in plan), plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
            assert any(TRIGRAM_INDEX in row[0] for row in plan), plan


def test_the_models_comparison_leaves_out_exactly_the_search_index(db):
    with db.engine.connect() as conn:
        include = outside_the_models(conn)
        if conn.dialect.name == "sqlite":
            listed = conn.execute(text("PRAGMA table_list")).all()
            left_out = {row.name for row in listed if not include(row.name, "table", {})}
            shadow = {row.name for row in listed if row.type == "shadow"}
            # the FTS5 table and the tables SQLite keeps for it, nothing else
            assert left_out == {FTS_TABLE} | shadow
            assert shadow and all(name.startswith(f"{FTS_TABLE}_") for name in shadow)
        assert include("school", "table", {}) and include("teacher", "table", {})
        assert not include(TRIGRAM_INDEX, "index", {})
        assert include("ix_school_search_text", "index", {})


def _plans(db, statements, walk: bool = True) -> list[str]:
    """The plan of each statement, one text, the server's or SQLite's."""
    plans = []
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # Left the choice, the server reads a handful of test schools whole: the question
            # is whether an index can serve the query, in list order for a walk.
            off = ("enable_seqscan", "enable_bitmapscan", "enable_sort") if walk else ()
            for setting in off or ("enable_seqscan",):
                conn.exec_driver_sql(f"SET {setting} = off")
            explain = "EXPLAIN"
        else:
            explain = "EXPLAIN QUERY PLAN"
        for statement, parameters in statements:
            rows = conn.exec_driver_sql(f"{explain} {statement}", parameters).all()
            plans.append("\n".join(str(row[-1]) for row in rows))
    return plans


def test_a_searched_page_walks_the_order_index(db, monkeypatch):
    """A search that matches many schools finds its page in number, name or city order by
    walking that order's index (migration 0015), descending too; one that matches few reads
    the search index and sorts its matches."""
    for name in ("Schule Nord", "Schule Süd", "Primarschule Aesch"):
        add_school(db, SchoolInput(name, "CH", "de", city="Zürich"))
    seen = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        if statement.startswith(("SELECT school.id", "WITH")) and "ORDER BY" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        monkeypatch.setattr(browse, "FEW", dict.fromkeys(("sqlite", "postgresql"), 2))  # 3 match
        server = db.engine.dialect.name == "postgresql"
        # PostgreSQL walks the number's own unique index (store/migrations 0015).
        indexes = ("uq_school_number" if server else ORDER_INDEXES[0], *ORDER_INDEXES[1:])
        for key, index in zip(("number", "name", "city"), indexes, strict=True):
            for descending in (False, True):
                seen.clear()
                rows = browse.list_schools(db, "schule", 0, 2, key, descending)
                assert len(rows) == 2
                assert len(seen) == 1
                assert index in _plans(db, seen)[0], (key, descending)
        seen.clear()
        browse.list_schools(db, "", 0, 2, "name", True)  # no search: the same index
        assert ORDER_INDEXES[1] in _plans(db, seen)[0]
        monkeypatch.setattr(browse, "FEW", dict.fromkeys(("sqlite", "postgresql"), 9))  # few
        seen.clear()
        browse.list_schools(db, "schule", 0, 2, "name")
        plan = _plans(db, seen, walk=False)[0]
        assert ORDER_INDEXES[1] not in plan
        assert (TRIGRAM_INDEX if server else f"{FTS_TABLE} VIRTUAL TABLE") in plan, plan
        if not server:  # each match looked up by its id, not every school tested
            assert "SEARCH school USING INTEGER PRIMARY KEY" in plan, plan
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
