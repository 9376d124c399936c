"""Several clerks at once, more of them and more often than the tests (not a test).

    .venv/bin/python benchmarks/bench_concurrency.py [--processes 8] [--rounds 3]
        [--backend sqlite postgresql] [--scenario order last_seat ...] [--schools 20]

The scenarios of tests/services/test_concurrent_clerks.py (tests/support/concurrency.py): N
processes run the same command line at the same moment (ordering seats for one school, giving
the last free seat, issuing the first invoices of a new year, the year-end run, ``school add``),
every round on a new database. PostgreSQL runs when $LEHRER_LICENSES_TEST_POSTGRES names a
server (postgresql+psycopg://USER:PASSWORD@HOST:PORT/postgres); each round creates a database
``pgconc_...`` there and drops it.

Per scenario and backend it prints the calls, how many did their work, how many were refused
with one clear line (and of those, how many because of another program: "changed by someone
else" / "busy"), the calls that ended any other way (a traceback; must be 0) and the corrupt
states found (must be 0), and the seconds per round.

Figures, 2026-12-06, nproc 2 (a shared VM, load average 6-15 from six other jobs),
``--processes 8 --rounds 2`` (16 calls per line), year-end over 20 schools, PostgreSQL 15 at READ
COMMITTED; "conflicts" here are all "the database is busy" after the 5 s busy/lock timeout:

    scenario       backend     calls  succeeded  refused  conflicts  unclean  corrupt  s/round
    order          sqlite         16         12        4          4        0        0     37.0
    last_seat      sqlite         16          2       14          4        0        0     36.6
    first_invoice  sqlite         16         10        6          6        0        0     34.1
    year_end       sqlite         16         16        0          0        0        0     51.0
    school_add     sqlite         16         11        5          5        0        0     47.7
    order          postgresql     16         15        1          1        0        0     59.0
    last_seat      postgresql     16          2       14          0        0        0     44.9
    first_invoice  postgresql     16         16        0          0        0        0     40.0
    year_end       postgresql     16         16        0          0        0        0     29.9
    school_add     postgresql     16         16        0          0        0        0     22.4

(last_seat: one call per round can win; the other 7 are told the seat is taken, or busy.)

With the bounded retry of a write that cannot start (store/database.py, BEGIN_ATTEMPTS = 3: a busy
BEGIN IMMEDIATE on SQLite, a lock timeout at a transaction's first statement on a server), same
options, SQLite, before (commit 5b86a53) and after, run back to back on the same loaded machine:

    scenario       backend     calls  succeeded  refused  conflicts  unclean  corrupt  s/round
    order          sqlite         16   13 -> 16   3 -> 0     3 -> 0        0        0  32 -> 37
    first_invoice  sqlite         16    9 -> 16   7 -> 0     7 -> 0        0        0  29 -> 33
    school_add     sqlite         16   13 -> 16   3 -> 0     3 -> 0        0        0  27 -> 22
Before these locks (commit 2440509, 4 processes, PostgreSQL): ordering for one school left 3
corrupt states (contracts, seat numbers, base licences) and a traceback, the last seat was given
twice, ``school add`` and the year-end run each ended a call in a traceback; an earlier run of
this script with 8 year-end runs on SQLite ended 2 of 16 in a traceback (two backups staged in
one file), fixed since.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
# the processes the scenarios start import the app from this checkout too
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
)

from support.concurrency import SCENARIOS, SERVER_ENV, desk, year_end_runs  # noqa: E402

COLUMNS = ("calls", "succeeded", "refused_cleanly", "conflicts", "unclean", "corrupt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--backend",
        nargs="+",
        choices=("sqlite", "postgresql"),
        default=["sqlite", "postgresql"] if os.environ.get(SERVER_ENV) else ["sqlite"],
    )
    parser.add_argument("--scenario", nargs="+", choices=sorted(SCENARIOS), default=None)
    parser.add_argument("--schools", type=int, default=20, help="contracts of the year-end run")
    args = parser.parse_args(argv)
    scenarios = dict(SCENARIOS, year_end=partial(year_end_runs, schools=args.schools))
    chosen = args.scenario or list(SCENARIOS)
    print(f"{'scenario':14} {'backend':10} " + " ".join(f"{c:>15}" for c in COLUMNS) + "  s/round")
    bad = 0
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as folder:
        # the signing key the orders need, never the user's own
        os.environ["LEHRER_LICENSES_KEYS"] = str(Path(folder) / "keys")
        for backend in args.backend:
            for name in chosen:
                total: Counter = Counter()
                seconds = 0.0
                for n in range(args.rounds):
                    round_folder = Path(folder) / f"{backend}-{name}-{n}"
                    round_folder.mkdir()
                    with desk(backend, round_folder) as db:
                        started = time.perf_counter()
                        result = scenarios[name](db, args.processes)
                        seconds += time.perf_counter() - started
                    total.update(result.figures())
                    for problem in result.corrupt:
                        print(f"  corrupt ({backend}, {name}): {problem}")
                    for outcome in result.unclean:
                        print(f"  unclean ({backend}, {name}): exit {outcome.code}: {outcome.err}")
                bad += total["unclean"] + total["corrupt"]
                print(
                    f"{name:14} {backend:10} "
                    + " ".join(f"{total[c]:>15}" for c in COLUMNS)
                    + f"  {seconds / args.rounds:7.1f}"
                )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
