"""How long the exports take on demo data, CSV and XLSX (openpyxl's streaming writer).

    .venv/bin/python benchmarks/bench_exports.py [--schools 2000]

The demo writes draft invoices only; for the timing they are numbered and marked issued by SQL
and every second one gets a payment. Prints seconds and rows per second; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.exchange.exports import KINDS, export_data


def issue_everything(path: Path) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "UPDATE invoice SET number = 'B-' || id, status = 'issued', "
            "due_date = date(invoice_date, '+30 days') WHERE number IS NULL AND kind = 'invoice'"
        )
        con.execute(
            "INSERT INTO payment (invoice_id, school_id, paid_on, amount, currency, reference, "
            "created_at) SELECT id, school_id, invoice_date, payable, currency, 'bench', "
            "datetime('now') FROM invoice WHERE id % 2 = 0 AND number IS NOT NULL"
        )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        db, _ = init_database(path)
        create_demo(db, args.schools, seed=1, today=date(2026, 11, 22))
        db.dispose()
        issue_everything(path)
        db, _ = init_database(path)
        for kind in KINDS:
            for fmt in ("csv", "xlsx"):
                started = time.perf_counter()
                result = export_data(db, kind, Path(folder) / f"{kind}.{fmt}", fmt)
                seconds = time.perf_counter() - started
                size = result.path.stat().st_size / 1e6
                print(
                    f"{kind:<10} {fmt:<5} {result.rows:>8} rows {seconds:7.2f} s "
                    f"({result.rows / max(seconds, 1e-9):>9.0f} rows/s, {size:6.1f} MB)"
                )
        db.dispose()


if __name__ == "__main__":
    main()
