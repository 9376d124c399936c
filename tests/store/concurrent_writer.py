"""A second program writing to the database: run by test_concurrent_processes.py as

    python concurrent_writer.py DATABASE TAG SECONDS

It prints "ready" once the app is imported and waits for a line on stdin (so that both writers
start together), then adds
schools, orders seats and issues the invoices through the services until SECONDS have passed,
printing one JSON line per use case that finished (and one per use case refused as busy).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date

from lehrer_licenses.services.billing.issuing import issue_invoice
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.errors import DatabaseBusy
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput, add_school

ON = date(2026, 3, 10)


def emit(**fields) -> None:
    print(json.dumps({"t": time.time(), **fields}), flush=True)


def main(path: str, tag: str, seconds: float) -> None:
    db = open_database(path, upgrade=False)
    print("ready", flush=True)
    sys.stdin.readline()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            school = add_school(
                db,
                SchoolInput(
                    name=f"Schule {tag} {n}",
                    country="CH",
                    language="de",
                    street="Schulweg",
                    house_number=str(n),
                    postcode="4147",
                    city="Aesch",
                ),
            )
            emit(op="school", school=school)
            seats = 1 + n % 3
            quote = order_seats(db, school, seats, ON)
            emit(op="order", school=school, seats=seats, invoice_id=quote.invoice.id)
            issued = issue_invoice(db, str(quote.invoice.id), ON)
            emit(op="issue", school=school, invoice_id=quote.invoice.id, number=issued.number)
        except DatabaseBusy as exc:
            emit(op="busy", message=str(exc))
        # A breath between use cases, as any real program takes: SQLite's busy handler polls,
        # so a writer that never pauses can keep the other waiting for its whole busy timeout.
        time.sleep(0.03)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
