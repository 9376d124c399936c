"""The year-end run survives being killed at any point (issue: renewal season).

A real subprocess runs `renewals run` and is killed with SIGKILL after a random delay; a second
run must complete exactly the contracts the first one did not, and the database must be sound.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from lehrer_licenses.services.demo import create_demo
from lehrer_licenses.services.renewals import run_renewals
from lehrer_licenses.services.setup import init_database

KILLS = 20


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    keys = folder / "keys"
    os.environ["LEHRER_LICENSES_KEYS"] = str(keys)
    from lehrer_licenses.store.keystore import KeyStore

    KeyStore(keys).create()
    path = folder / "template.sqlite"
    db, _ = init_database(path)
    create_demo(db, 40, seed=17, today=date(2026, 11, 22))
    expected = run_renewals(db, 2027, dry_run=True)
    db.dispose()
    return path, keys, expected


def facts(path):
    con = sqlite3.connect(path)
    try:
        return {
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": con.execute("PRAGMA foreign_key_check").fetchall(),
            "due": con.execute(
                "SELECT count(*) FROM subscription s JOIN plan p ON p.id = s.plan_id "
                "WHERE s.status = 'active' AND s.term_end = '2026-12-31' "
                "AND p.term = 'calendar_year'"
            ).fetchone()[0],
            "keys": con.execute(
                "SELECT billing_key, count(*) FROM invoice WHERE billing_key LIKE 'renewal:%:2027'"
                " OR billing_key LIKE 'usage:%:2026' GROUP BY billing_key"
            ).fetchall(),
            "codes": con.execute(
                "SELECT count(*) FROM issued_code WHERE reason = 'renewal'"
            ).fetchone()[0],
            "numbers": [
                r[0]
                for r in con.execute(
                    "SELECT number FROM invoice WHERE number IS NOT NULL AND kind = 'invoice'"
                )
            ],
            "net": con.execute(
                "SELECT coalesce(sum(net), 0) FROM invoice WHERE billing_key LIKE 'renewal:%:2027'"
                " OR billing_key LIKE 'usage:%:2026'"
            ).fetchone()[0],
        }
    finally:
        con.close()


def run_cli(path, keys):
    env = dict(os.environ, LEHRER_LICENSES_KEYS=str(keys))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lehrer_licenses",
            "--db",
            str(path),
            "--json",
            "renewals",
            "run",
            "--year",
            "2027",
            "--progress",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(process, contracts_done: int) -> None:
    """SIGKILL once the run reports ``contracts_done`` finished contracts (0: before any)."""
    if contracts_done > 0:
        for line in process.stderr:
            if (
                line.startswith("progress ")
                and int(line.split()[1].split("/")[0]) >= contracts_done
            ):
                break
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()


def test_killing_the_year_end_run_at_random_points_loses_and_doubles_nothing(template, tmp_path):
    path, keys, expected = template
    summary = expected.summary()
    expected_net = sum(
        int(inv.totals.net.amount * 100) for item in expected.items for inv in item.invoices
    )
    rng = random.Random(2027)
    for attempt in range(KILLS):
        db = tmp_path / f"run{attempt}.sqlite"
        shutil.copyfile(path, db)
        # a few kills before the first contract (start-up, the backup), the rest mid-run
        done_before_kill = 0 if attempt % 5 == 0 else rng.randrange(1, summary["schools"])
        kill_after(run_cli(db, keys), done_before_kill)
        partial = facts(db)
        assert partial["integrity"] == "ok"
        assert len(partial["keys"]) <= summary["invoices"]
        second = run_cli(db, keys)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        after = facts(db)
        assert after["integrity"] == "ok" and after["foreign_keys"] == []
        assert after["due"] == 0
        assert all(count == 1 for _key, count in after["keys"])
        assert len(after["keys"]) == summary["invoices"]
        assert after["codes"] == summary["renewed"]
        assert after["net"] == expected_net  # hundredths, summed in SQL
        sequence = sorted(int(number.rsplit("-", 1)[1]) for number in after["numbers"])
        assert sequence == list(range(1, summary["invoices"] + 1))  # issued, no gap, no double
