"""The year-end run's statements per contract find their rows through an index (issue 21): a
scan per contract grows with the table and the run with its square (the cancellations' scan was
five of the 20,000-school run's seconds)."""

from __future__ import annotations

import pytest

from lehrer_licenses.services.season import year_end

PER_CONTRACT = {
    "release a seat": year_end._RELEASE_SEAT,
    "end a seat's assignment": year_end._END_ASSIGNMENT,
    "apply a contract's cancellations": year_end._APPLY_CANCELLATIONS,
    "update a contract": year_end._UPDATE_SUBSCRIPTION.values(term_end=None),
}


@pytest.mark.sqlite_only(reason="SQLite's EXPLAIN QUERY PLAN; a server plans by its statistics")
@pytest.mark.parametrize("name", list(PER_CONTRACT))
def test_each_per_contract_statement_searches_an_index(db, name):
    with db.reading() as session:
        conn = session.connection()
        compiled = PER_CONTRACT[name].compile(dialect=conn.dialect)
        nulls = (None,) * len(compiled.positiontup or ())
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", nulls).all()
    details = [row[-1] for row in plan]
    assert details and all(d.startswith("SEARCH") for d in details), (name, details)
