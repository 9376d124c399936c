"""Writing many rows of one table at driver speed, the same way on SQLite and PostgreSQL.

SQLAlchemy's executemany builds a parameter dictionary per row and its RETURNING path a statement
per few hundred rows: for the 200,000 rows of a canton's teacher import (teachers and their audit
entries) that was most of the import's time. Here the rows go to the driver as tuples, after the
columns' own conversions (a SQLite date as text, a boolean as 0/1), and ids are reserved first
instead of returned, so no row has to come back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, Table, text
from sqlalchemy.orm import Session

# Rows per INSERT statement on a server: one round trip per row would be the cost otherwise;
# 500 rows of ten columns stay far below PostgreSQL's 65,535 parameters.
SERVER_ROWS_PER_STATEMENT = 500


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` ids for new rows of ``table``, to insert them with. On SQLite the write lock of
    the use case (``BEGIN IMMEDIATE``) keeps anyone else from taking the ids after the highest;
    on a server the table's own sequence hands them out, as it would to the insert."""
    if count <= 0:
        return []
    connection = session.connection()
    name = connection.dialect.identifier_preparer.format_table(table)
    if connection.dialect.name == "postgresql":
        return list(
            connection.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    "FROM generate_series(1, :count)"
                ),
                {"table": name, "count": count},
            ).scalars()
        )
    highest = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {name}")).scalar_one()
    return list(range(highest + 1, highest + 1 + count))


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence]
) -> None:
    """INSERT ``rows`` (tuples of values in the order of ``columns``) into ``table`` in the
    session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    convert = [
        (index, processor)
        for index, name in enumerate(columns)
        if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        is not None
    ]
    if convert:
        # The converted columns (dates, flags) repeat few values: each is converted once.
        seen: list[dict] = [{} for _ in convert]
        converted = []
        for row in rows:
            values = list(row)
            for (index, processor), known in zip(convert, seen, strict=True):
                value = values[index]
                if value not in known:
                    known[value] = processor(value)
                values[index] = known[value]
            converted.append(values)
        rows = converted
    quote = dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in columns)
    head = f"INSERT INTO {quote.format_table(table)} ({names}) VALUES "
    if dialect.name != "postgresql":
        # sqlite3 runs one prepared statement over every row in C
        placeholders = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(head + f"({placeholders})", [tuple(row) for row in rows])
        return
    one = "(" + ", ".join("%s" for _ in columns) + ")"
    for start in range(0, len(rows), SERVER_ROWS_PER_STATEMENT):
        chunk = rows[start : start + SERVER_ROWS_PER_STATEMENT]
        values = [value for row in chunk for value in row]
        connection.exec_driver_sql(head + ", ".join([one] * len(chunk)), tuple(values))


def plain_rows(session: Session, statement: Select) -> list[tuple]:
    """The rows of ``statement`` as the driver gives them (tuples of its plain values: a SQLite
    flag as 0/1, a date as text), for reading hundreds of thousands of rows that are only
    compared, without a result row object each."""
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    if compiled.positional:
        parameters: tuple | dict = tuple(params[name] for name in compiled.positiontup or ())
    else:
        parameters = params
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


class GroupInserts:
    """The new rows of a group of use cases written in one transaction without savepoints (the
    year-end run's): each row that others refer to gets its id at once (reserved: on SQLite
    counted on from the table's highest, under the transaction's write lock; on a server from
    the table's sequence), and every row is written at the group's end with one executemany per
    table (``write``), in the order of the tables' foreign keys.

    On SQLite an insert by another path in the same transaction (the ORM's) takes the id after
    the table's highest: ``write`` the rows first, which also forgets the counted ids.

    A server's ids are taken from the sequence a block at a time, and the ones a group leaves go
    to the next group (``spare``, kept by the batch): a round trip per id cost the run a quarter
    of its time, and blocks per group would make the ids depend on where the groups end."""

    def __init__(self, session: Session, spare: dict[Table, list[int]] | None = None) -> None:
        self._session = session
        self._rows: dict[Table, list[dict]] = {}
        self._next: dict[Table, int] = {}  # the next id to give (SQLite)
        self._spare = {} if spare is None else spare  # a server's reserved ids, in order
        self._server = session.connection().dialect.name == "postgresql"

    def insert(self, table: Table, row: dict) -> int:
        """Add ``row`` to ``table``; returns its id."""
        row_id = self._new_id(table)
        self._rows.setdefault(table, []).append({"id": row_id, **row})
        return row_id

    def insert_many(self, table: Table, rows: list[dict]) -> None:
        """Add ``rows`` to ``table``, their ids left to the database (no one refers to them)."""
        self._rows.setdefault(table, []).extend(rows)

    def write(self) -> None:
        if not self._rows:
            return
        order = next(iter(self._rows)).metadata.sorted_tables  # computed on each access
        for table in sorted(self._rows, key=order.index):
            # one INSERT per set of columns (rows given their id, rows without)
            shapes: dict[tuple[str, ...], list[tuple]] = {}
            for row in self._rows[table]:
                shapes.setdefault(tuple(row), []).append(tuple(row.values()))
            for columns, rows in shapes.items():
                # the columns' own defaults, as an INSERT through SQLAlchemy would give them
                defaults = {
                    column.name: column.default.arg
                    for column in table.columns
                    if column.name not in columns
                    and column.default is not None
                    and column.default.is_scalar
                }
                if defaults:
                    extra = tuple(defaults.values())
                    columns, rows = (*columns, *defaults), [row + extra for row in rows]
                insert_rows(self._session, table, columns, rows)
        self._rows.clear()
        self._next.clear()

    def _new_id(self, table: Table) -> int:
        if self._server:
            spare = self._spare.setdefault(table, [])
            if not spare:
                spare.extend(reversed(reserve_ids(self._session, table, _SERVER_ID_BLOCK)))
            return spare.pop()
        if table not in self._next:
            self._next[table] = reserve_ids(self._session, table, 1)[0]
        row_id = self._next[table]
        self._next[table] = row_id + 1
        return row_id


# Ids taken from a server's sequence at a time (those the run leaves unused are a gap, as a
# rolled back insert's are).
_SERVER_ID_BLOCK = 100
