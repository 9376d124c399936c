"""``renewals due`` survives being killed at any point, like the year-end run (issue 6).

A real subprocess renews the anniversary contracts of a demo file (DE/AT user packages with
their add-ons, NL per-pupil subscriptions) and is killed with SIGKILL after a chosen number of
finished contracts; a second run must complete exactly what the first did not: every renewal
billed once (billing keys), the codes and lapses once each, no issued number touched, and
``PRAGMA integrity_check`` ok. ``--until`` lies more than a year after the demo's today, so some
contracts renew twice in one run (two steps in one transaction).
"""

from __future__ import annotations

import os
import random
from datetime import date

import pytest
from support.crash_run import (
    complete,
    due_command,
    due_expected,
    due_facts,
    due_problems,
    kill_after,
    start_cli,
)

from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season.renewals_due import run_due_renewals

KILLS = 8
SERVER_KILLS = 4  # a server run starts slower: fewer kills keep the server pass modest
UNTIL = "2028-01-31"


@pytest.fixture(scope="module")
def template(tmp_path_factory, databases):
    folder = tmp_path_factory.mktemp("due-crash")
    keys = folder / "keys"
    os.environ["LEHRER_LICENSES_KEYS"] = str(keys)
    from lehrer_licenses.store.keystore import KeyStore

    KeyStore(keys).create()
    path = databases.location(folder / "template.sqlite")  # a file, or a server database
    db = databases.fresh(path, lasting=True)
    create_demo(db, 200, seed=17, today=date(2026, 11, 22))
    run = run_due_renewals(db, date.fromisoformat(UNTIL), dry_run=True)
    db.dispose()  # a server database is copied only with no connection open
    return path, keys, due_expected(run, path), run


def test_the_demo_has_packages_add_ons_and_per_pupil_plans_due(template):
    _path, _keys, expected, run = template
    kinds = {item.contract for item in run.items}
    assert {"package", "per_pupil"} <= kinds
    assert expected["contracts"] >= 30
    assert len(expected["keys"]) > expected["contracts"]  # some renew twice up to UNTIL


@pytest.mark.slow  # 8 real runs killed and completed
def test_killing_renewals_due_at_random_points_loses_and_doubles_nothing(
    template, tmp_path, databases
):
    path, keys, expected, _run = template
    command = due_command(UNTIL)
    rng = random.Random(6)
    on_server = "://" in str(path)
    for attempt in range(SERVER_KILLS if on_server else KILLS):
        db = databases.clone(path, tmp_path / f"due{attempt}.sqlite")
        done_before_kill = 0 if attempt == 0 else rng.randrange(1, expected["contracts"])
        kill_after(start_cli(db, keys, *command), done_before_kill, delay=rng.random() * 0.005)
        partial = due_facts(db)
        assert partial["integrity"] == "ok"
        assert partial["duplicate_keys"] == []
        status, err = complete(db, keys, *command, timeout=120)
        assert status == 0, err
        assert due_problems(db, expected, UNTIL) == [], f"kill {attempt} after {done_before_kill}"
