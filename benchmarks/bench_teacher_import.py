"""Importing 100,000 teachers from CSV, beside a plain ``csv`` read of the same file.

    .venv/bin/python benchmarks/bench_teacher_import.py [--db /tmp/bench20k.sqlite] [--rows 100000]

The demo database is copied first (the import writes), the file spreads the teachers over the
demo's schools (half with an e-mail, none an admin, so every row is accepted). Prints the median
of ``--runs`` imports, each on a fresh copy, with the limit beside it (issue 21: <= 10 s).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.services.exchange.school_import import run_import

LIMIT_S = 10.0


def teachers_csv(db: Path, rows: int) -> bytes:
    con = sqlite3.connect(db)
    numbers = [n for (n,) in con.execute("SELECT number FROM school ORDER BY number")]
    con.close()
    out = io.StringIO()
    out.write("school;first_name;last_name;email;admin\n")
    for i in range(rows):
        number = numbers[i % len(numbers)]
        email = f"import{i}@beispiel.example" if i % 2 else ""
        out.write(f"{number};Vorname{i};Nachname{i};{email};no\n")
    return out.getvalue().encode("utf-8")


def plain_csv_read(data: bytes) -> int:
    return sum(1 for _row in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench20k.sqlite"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = teachers_csv(args.db, args.rows)
    reads, imports, cpu = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            start = time.perf_counter()
            plain_csv_read(data)
            reads.append(time.perf_counter() - start)
            copy = Path(tmp) / f"import{run}.sqlite"
            shutil.copy(args.db, copy)
            db, _installed = init_database(str(copy))
            start, start_cpu = time.perf_counter(), time.process_time()
            report = run_import(db, "teachers", data)
            imports.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert len(report.rows) == args.rows
            db.dispose()
            copy.unlink()
    read_s, import_s = statistics.median(reads), statistics.median(imports)
    print(f"{args.rows} teachers, {len(data) / 1e6:.1f} MB, median of {args.runs} runs:")
    print(f"  plain csv.reader of the file:  {read_s * 1000:8.0f} ms")
    print(
        f"  import (check + write):        {import_s * 1000:8.0f} ms = {import_s / read_s:.0f}x "
        f"the plain read (limit {LIMIT_S:.0f} s{'' if import_s <= LIMIT_S else ', OVER'})"
    )
    # This process's CPU time: the wall time waits for whatever else the machine runs.
    print(f"  import, CPU time of this process: {statistics.median(cpu) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
