"""How long `demo` and the year-end renewal take (issue: demo N=20,000 well under a minute).

    .venv/bin/python benchmarks/bench_demo_and_renewal.py [--schools 2000 20000]

Prints seconds per step and rows per second; not a test, nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from lehrer_licenses.cli.json_season import renewal_summary_json
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season.year_end import run_renewals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    today = date(2026, 11, 22)
    with tempfile.TemporaryDirectory() as folder:
        for schools in args.schools:
            db, _ = init_database(Path(folder) / f"bench-{schools}.sqlite")
            started = time.perf_counter()
            stats = create_demo(db, schools, seed=1, today=today)
            demo_s = time.perf_counter() - started
            started = time.perf_counter()
            dry = run_renewals(db, today.year + 1, dry_run=True)
            dry_s = time.perf_counter() - started
            print(
                f"demo {schools:>6} schools: {demo_s:6.1f} s  ({stats.seats} seats, "
                f"{stats.invoices} invoices, {stats.teachers} teachers; billed: {stats.issued} "
                f"issued with their PDFs, {stats.paid} paid, {stats.reminders} reminders)"
            )
            print(
                f"renewal dry run into {today.year + 1}: {dry_s:6.1f} s  "
                f"({len(dry.items)} contracts, {renewal_summary_json(dry.summary())['amounts']})"
            )
            db.dispose()


if __name__ == "__main__":
    main()
