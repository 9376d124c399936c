"""The year-end run survives being killed at any point (issue: renewal season).

A real subprocess runs `renewals run` and is killed with SIGKILL after a random delay; a second
run must complete exactly the contracts the first one did not, and the database must be sound.
The kill and the checks live in ``tests/support/crash_run.py`` (shared with
``scripts/stress_renewal_kills.py``, which kills many more times).
"""

from __future__ import annotations

import os
import random
from datetime import date

import pytest
from support.crash_run import (
    complete,
    kill_after,
    start_cli,
    year_end_command,
    year_end_expected,
    year_end_facts,
    year_end_problems,
)

from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season.year_end import run_renewals

# a server run starts slower (a connection per step, pg_dump before the real run): fewer kills
# there keep the server pass's time modest, every kind of kill point still among them
KILLS = 20
SERVER_KILLS = 6
YEAR = 2027


@pytest.fixture(scope="module")
def template(tmp_path_factory, databases):
    folder = tmp_path_factory.mktemp("crash")
    keys = folder / "keys"
    os.environ["LEHRER_LICENSES_KEYS"] = str(keys)
    from lehrer_licenses.store.keystore import KeyStore

    KeyStore(keys).create()
    path = databases.location(folder / "template.sqlite")  # a file, or a server database
    db = databases.fresh(path, lasting=True)
    create_demo(db, 40, seed=17, today=date(2026, 11, 22))
    expected = year_end_expected(run_renewals(db, YEAR, dry_run=True))
    db.dispose()  # a server database is copied only with no connection open
    return path, keys, expected


@pytest.mark.slow  # 20 real runs killed and completed: about a minute
def test_killing_the_year_end_run_at_random_points_loses_and_doubles_nothing(
    template, tmp_path, databases
):
    path, keys, expected = template
    command = year_end_command(YEAR)
    rng = random.Random(2027)
    on_server = "://" in str(path)
    for attempt in range(SERVER_KILLS if on_server else KILLS):
        db = databases.clone(path, tmp_path / f"run{attempt}.sqlite")
        # a few kills before the first contract (start-up, the backup), the rest mid-run
        done_before_kill = 0 if attempt % 5 == 0 else rng.randrange(1, expected["contracts"])
        kill_after(start_cli(db, keys, *command), done_before_kill)
        partial = year_end_facts(db, YEAR)
        assert partial["integrity"] == "ok"
        assert len(partial["keys"]) <= expected["invoices"]
        status, err = complete(db, keys, *command, timeout=120)
        assert status == 0, err
        assert year_end_problems(db, YEAR, expected) == [], f"kill {attempt}"
