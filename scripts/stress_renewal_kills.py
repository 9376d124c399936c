"""Kill the renewal runs many times at random points and check the file after each re-run.

    python scripts/stress_renewal_kills.py [--kills 200] [--schools 200] [--seed 1]
                                           [--keep-going] [--only N] [--until 2028-01-31]

The suite kills each run a few times (tests/services/test_*_crash_safety.py); this script does
the same many more times, alternating ``renewals run --year 2027`` (calendar-year contracts and
DB-hosting usage) and ``renewals due --until DATE`` (user packages with add-ons, per-pupil
plans). Each kill: copy the demo file, start the real CLI in a subprocess, SIGKILL it after a
random number of finished contracts plus a random few milliseconds (to land inside a
transaction, or in the start-up and the backup before the first), re-run to the end, then check
integrity_check, foreign keys, every renewal billed once, none missing, codes, lapses, sums and
gapless invoice numbers (tests/support/crash_run.py).

Every kill draws from its own generator seeded by (--seed, kill number): a failure is printed
with ``--seed S --only N`` to replay it (the kill point is the same; the few milliseconds of
timing can differ).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.crash_run import (
    complete,
    due_command,
    due_expected,
    due_problems,
    kill_after,
    start_cli,
    year_end_command,
    year_end_expected,
    year_end_problems,
)

YEAR = 2027
TODAY = date(2026, 11, 22)
BUCKETS = ("start-up", "0-25%", "25-50%", "50-75%", "75-100%", "after the end")


def build_template(folder: Path, schools: int, seed: int, until: str) -> dict:
    keys = folder / "keys"
    os.environ["LEHRER_LICENSES_KEYS"] = str(keys)
    from lehrer_licenses.services.database_init import init_database
    from lehrer_licenses.services.demo.sample_data import create_demo
    from lehrer_licenses.services.season.renewals_due import run_due_renewals
    from lehrer_licenses.services.season.year_end import run_renewals
    from lehrer_licenses.store.keystore import KeyStore

    KeyStore(keys).create()
    path = folder / "template.sqlite"
    db, _ = init_database(path)
    create_demo(db, schools, seed=seed, today=TODAY)
    year_end = year_end_expected(run_renewals(db, YEAR, dry_run=True))
    due_run = run_due_renewals(db, date.fromisoformat(until), dry_run=True)
    db.dispose()
    return {
        "path": path,
        "keys": keys,
        "year_end": year_end,
        "due": due_expected(due_run, path),
    }


def one_kill(template: dict, folder: Path, number: int, seed: int, until: str) -> dict:
    rng = random.Random(f"{seed}:{number}")
    scenario = "year_end" if number % 2 == 0 else "due"
    expected = template[scenario]
    command = year_end_command(YEAR) if scenario == "year_end" else due_command(until)
    contracts = expected["contracts"]
    done = 0 if rng.random() < 0.1 else rng.randrange(1, contracts + 1)
    delay = rng.random() * 0.02
    path = folder / f"kill{number}.sqlite"
    shutil.copyfile(template["path"], path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    killed = kill_after(start_cli(path, template["keys"], *command), done, delay)
    status, err = complete(path, template["keys"], *command)
    if status != 0:
        last = [line for line in err.strip().splitlines() if line.strip()][-3:]
        problems = [f"the re-run failed ({status}): " + " | ".join(last)]
    elif scenario == "year_end":
        problems = year_end_problems(path, YEAR, expected)
    else:
        problems = due_problems(path, expected, until)
    if not problems:
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not killed:
        bucket = BUCKETS[-1]
    elif done == 0:
        bucket = BUCKETS[0]
    else:
        bucket = BUCKETS[1 + min(3, (done - 1) * 4 // contracts)]
    return {
        "number": number,
        "scenario": scenario,
        "done": done,
        "delay_ms": round(delay * 1000, 1),
        "bucket": bucket,
        "problems": problems,
        "file": str(path),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--until", default="2028-01-31", help="renewals due --until DATE")
    parser.add_argument("--keep-going", action="store_true", help="do not stop at a failure")
    parser.add_argument("--only", type=int, default=None, help="replay this one kill number")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="renewal-kills-"))
    started = time.perf_counter()
    template = build_template(folder, args.schools, args.seed, args.until)
    print(
        f"demo --schools {args.schools} --seed {args.seed}: year-end {YEAR} "
        f"{template['year_end']['contracts']} contracts / {template['year_end']['invoices']} "
        f"invoices; due --until {args.until} {template['due']['contracts']} contracts / "
        f"{len(template['due']['keys'])} invoices; files in {folder}",
        flush=True,
    )
    numbers = [args.only] if args.only is not None else range(args.kills)
    results, failures = [], []
    for number in numbers:
        result = one_kill(template, folder, number, args.seed, args.until)
        results.append(result)
        mark = "FAIL" if result["problems"] else "ok"
        print(
            f"{number:4d} {result['scenario']:8s} after {result['done']:4d} "
            f"+{result['delay_ms']:4.1f} ms  {result['bucket']:13s} {mark}",
            flush=True,
        )
        if result["problems"]:
            failures.append(result)
            for problem in result["problems"]:
                print(f"       {problem}")
            print(f"       replay: --seed {args.seed} --schools {args.schools} --only {number}")
            print(f"       file kept: {result['file']}")
            if not args.keep_going:
                break

    print()
    print(f"kills done: {len(results)} in {time.perf_counter() - started:.0f} s")
    for scenario in ("year_end", "due"):
        points = Counter(r["bucket"] for r in results if r["scenario"] == scenario)
        row = ", ".join(f"{b}: {points[b]}" for b in BUCKETS)
        print(f"  {scenario:8s} kill points: {row}")
    print(f"failures: {len(failures)}")
    for f in failures:
        print(f"  kill {f['number']} ({f['scenario']}): --seed {args.seed} --only {f['number']}")
    if not failures:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
