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

Figures, 2026-12-06, nproc 2 (a shared VM with six other jobs), --processes 8 --rounds 3,
year-end over 20 schools (8 runs at once), PostgreSQL 15 at READ COMMITTED:

    see the report of branch pgconc (the table this script prints)
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
