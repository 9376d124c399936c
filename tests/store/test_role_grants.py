"""Every table has its place in the server's rights (store/roles.py): a new table that nobody
placed would be read-only for every clerk on a server, found only in an office."""

from lehrer_licenses.store.models import Base
from lehrer_licenses.store.roles import APPEND_ONLY, LEVELS, OWNER_ONLY, WRITES, level_of_table


def test_every_table_is_written_by_one_level_or_is_append_only():
    placed = [t for tables in WRITES.values() for t in tables]
    assert len(placed) == len(set(placed)), "a table is given to two levels"
    for table in Base.metadata.tables:
        assert (table in placed) != (table in APPEND_ONLY), table
    assert set(WRITES) == set(LEVELS)
    assert set(placed) | set(APPEND_ONLY) == set(Base.metadata.tables)
    assert OWNER_ONLY == ("alembic_version",)


def test_issuing_and_the_catalogue_are_above_the_clerk():
    assert level_of_table("number_counter") == "accountant"
    assert level_of_table("invoice_pdf") == "accountant"
    assert level_of_table("price") == "admin"
    assert level_of_table("setting") == "admin"
    assert level_of_table("invoice") == "clerk"
    assert level_of_table("audit_entry") is None
