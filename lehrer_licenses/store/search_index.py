"""The index behind the schools search: substring search in ``school.search_text`` without
reading every school.

``school.search_text`` holds number, name, postcode and city folded (store/textsearch.py); the
search asks which rows contain the folded needle. A LIKE '%needle%' reads all of them (20,000
schools: 20-90 ms a keystroke), so each database gets an index that answers it:

- SQLite: an FTS5 table ``school_search`` with the trigram tokenizer, kept in step with the
  school table by triggers (migration 0014), so every write reaches it: the ORM's, bulk inserts,
  a restore. ``case_sensitive 1`` because the text is folded already: the index then matches
  exactly the substrings LIKE matched, neither more nor fewer. A trigram index knows nothing of
  needles under three letters; those keep the LIKE (a short needle matches most schools anyway,
  so reading them all is little more than reading the matches).
- PostgreSQL: a GIN index of pg_trgm over ``school.search_text``, which serves LIKE '%...%'
  itself, so the query stays the LIKE. pg_trgm is a trusted extension (PostgreSQL 13+): the
  database owner may create it. Where it cannot be created the search still works, unindexed,
  and ``ensure_trigram_index`` says why; ``lehrer-licenses migrate`` tries again.

A page of a search in list order (number, name or city; store/migrations 0015) is found one of
two ways (services/browse/schools.py), chosen by counting ``first_matches`` up to a bound (1,000
on SQLite, 10,000 on PostgreSQL): fewer, and all the matches are read through the search index
and sorted; that many, and the page is found by walking the order's index and testing each
school's folded text until the page is full (on SQLite ``search_text`` is the index's last
column, so the test reads no row). Sorting a hundred thousand matches cost more than walking
past the schools between them; walking past every school for a handful of matches cost more
than sorting those. Neither waits for the count of all matches, which the list reads after.

Neither object is an ORM model: Alembic's autogenerate cannot describe a virtual table, its
shadow tables or an operator-class index, so ``outside_the_models`` tells the comparison of
migrations and models to leave them to the migration that made them; the same for the order
indexes, which index expressions SQLAlchemy cannot reflect from SQLite.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from sqlalchemy import Connection, Select, column, func, literal, select, table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from lehrer_licenses.store.textsearch import contains_folded, fold

log = logging.getLogger(__name__)

FTS_TABLE = "school_search"
TRIGRAM_INDEX = "ix_school_search_trigram"
# A trigram tokenizer indexes runs of three characters: shorter needles cannot use it.
TRIGRAM = 3
# The schools list's order indexes (migration 0015); on SQLite each ends in ``search_text``, and
# PostgreSQL has no ix_school_order_number (its unique index on the number serves).
ORDER_INDEXES = ("ix_school_order_number", "ix_school_order_name", "ix_school_order_city")

_FTS = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))


def fts_phrase(needle: str) -> str:
    """An FTS5 query for the rows containing ``needle`` (already folded) as a substring: one
    quoted phrase, its trigrams in a row."""
    return '"' + needle.replace('"', '""') + '"'


class _Indexed(ColumnElement):
    """One question asked two ways: with the LIKE in general (PostgreSQL's trigram index serves
    it), through the FTS5 table on SQLite."""

    inherit_cache = True
    _traverse_internals: ClassVar = [
        ("like", InternalTraversal.dp_clauseelement),
        ("fts", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, like: ColumnElement, fts: ColumnElement) -> None:
        self.like = like
        self.fts = fts
        self.type = like.type
        # A condition, as the LIKE is: else SQLite's compiler writes "id IN (...) = 1", which
        # its planner cannot answer from the matches' ids (it walked the number index past
        # every school instead: 30-60 ms for one match among 200,000).
        self._is_implicitly_boolean = like._is_implicitly_boolean


@compiles(_Indexed)
def _indexed_default(element: _Indexed, compiler, **kw) -> str:
    return compiler.process(element.like, **kw)


@compiles(_Indexed, "sqlite")
def _indexed_sqlite(element: _Indexed, compiler, **kw) -> str:
    return compiler.process(element.fts, **kw)


def _fts_matches(folded: str):
    return _FTS.c[FTS_TABLE].op("MATCH")(literal(fts_phrase(folded)))


def school_matches(school_id, search_text, needle: str, *, as_filter: bool = False):
    """``search_text`` (the school's folded fields) contains ``needle`` folded.

    ``as_filter``: the query walks an index in list order (migration 0015) and tests each school
    it passes: then the LIKE itself, read from that index, is cheaper than collecting every
    match from the search index first (SQLite materialises the whole list of an IN subquery:
    100,000 matches of "schule" took 48 ms). Otherwise SQLite starts from the matches."""
    like = contains_folded(search_text, needle)
    folded = fold(needle.strip()) or ""
    if as_filter or len(folded) < TRIGRAM:
        return like
    matches = select(_FTS.c.rowid).where(_fts_matches(folded))
    return _Indexed(like, school_id.in_(matches))


def first_matches(school_id, search_text, needle: str, limit: int, dialect: str) -> Select:
    """The ids of up to ``limit`` schools that ``school_matches`` finds, in no particular order.

    On SQLite the FTS5 table is read by itself: through the school table (``id IN (...)``)
    SQLite would collect every match before the first row, the cost this is meant to avoid. A
    needle shorter than a trigram, and PostgreSQL (its trigram index serves the LIKE), read
    the school table until ``limit`` are found."""
    folded = fold(needle.strip()) or ""
    if dialect == "sqlite" and len(folded) >= TRIGRAM:
        return select(_FTS.c.rowid).where(_fts_matches(folded)).limit(limit)
    return select(school_id).where(contains_folded(search_text, needle)).limit(limit)


def school_match_count(school_id, search_text, needle: str):
    """How many schools ``school_matches`` finds, as a scalar subquery: on SQLite the FTS5
    table counts its matches without reading a school."""
    like = select(func.count(school_id)).where(contains_folded(search_text, needle))
    folded = fold(needle.strip()) or ""
    if len(folded) < TRIGRAM:
        return like.scalar_subquery()
    fts = select(func.count()).select_from(_FTS).where(_fts_matches(folded))
    return _Indexed(like.scalar_subquery(), fts.scalar_subquery())


# --- PostgreSQL's index ---------------------------------------------------------------------


def ensure_trigram_index(conn: Connection) -> bool:
    """PostgreSQL: pg_trgm and the GIN index over ``school.search_text``; True when the index
    is there. Without them (no pg_trgm on the server, or a role that may not create it) the
    search reads every school, correct but slower: logged as a warning naming what to do."""
    if conn.dialect.name != "postgresql":
        return False
    exists = text("SELECT 1 FROM pg_indexes WHERE indexname = :name")
    if conn.execute(exists, {"name": TRIGRAM_INDEX}).first():
        return True
    try:
        with conn.begin_nested():  # a refusal must not end the migration's transaction
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(
                text(f"CREATE INDEX {TRIGRAM_INDEX} ON school USING gin (search_text gin_trgm_ops)")
            )
    except DBAPIError as exc:  # any refusal leaves the search unindexed
        log.warning(
            "The schools search has no index on this server: the extension pg_trgm could not "
            "be created (%s). Searching still works but reads every school. Ask the server's "
            "administrator to run 'CREATE EXTENSION pg_trgm' in this database (or to let the "
            "database owner do it), then run 'lehrer-licenses migrate'.",
            str(exc).splitlines()[0],
        )
        return False
    return True


def outside_the_models(conn: Connection):
    """Alembic's ``include_name`` hook: everything but the search index, which no model
    describes. The tables are those SQLite itself reports as virtual or as the shadow tables of
    one (``PRAGMA table_list``), so a comparison never has to know FTS5's naming."""
    skipped: set[str] = set()
    if conn.dialect.name == "sqlite":
        skipped = {
            row.name
            for row in conn.execute(text("PRAGMA table_list"))
            if row.type in ("virtual", "shadow")
        }

    def include_name(name, type_, _parent_names) -> bool:
        if type_ == "table":
            return name not in skipped
        if type_ == "index":
            return name != TRIGRAM_INDEX and name not in ORDER_INDEXES
        return True

    return include_name
