"""Several clerks at once, on SQLite and on a PostgreSQL server (issue 20): real processes run the
command line at the same moment (support/concurrency.py). No scenario may leave a corrupt state
(a second contract, a seat number twice, a seat given twice, an invoice twice or a gap in the
numbers), and every process either does its work or is refused with one line (exit 2), never a
traceback.

PostgreSQL runs when $LEHRER_LICENSES_TEST_POSTGRES names a server; in CI it must.
"""

from __future__ import annotations

import pytest
from support.concurrency import SCENARIOS, backends, desk

PROCESSES = 4


@pytest.mark.slow  # each round starts several Python processes
@pytest.mark.parametrize("backend", backends())
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_clerks_at_once_leave_no_corrupt_state_and_no_traceback(scenario, backend, tmp_path):
    with desk(backend, tmp_path) as db:
        round_ = SCENARIOS[scenario](db, PROCESSES)
    figures = round_.figures()
    print(f"{scenario} on {backend}: {dict(figures)}")
    assert [(o.code, o.err) for o in round_.unclean] == []
    assert round_.corrupt == []
    assert figures["calls"] == PROCESSES
    if scenario == "last_seat":
        # the others are told the seat is taken (or, having waited too long, that the database
        # is busy), not that something went wrong
        refused = [o for o in round_.outcomes if o.code == 2]
        assert len(refused) == PROCESSES - 1
        assert all("seat" in o.err or o.conflict for o in refused), refused
    else:
        # everything else waits for the lock and then succeeds, or is told to try again
        assert all(o.code == 0 or o.conflict for o in round_.outcomes), round_.outcomes
        assert figures["succeeded"] >= 1
