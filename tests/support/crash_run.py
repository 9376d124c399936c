"""Kill a real ``lehrer-licenses`` subprocess part-way through a renewal run, then look at the file.

Shared by the crash-safety tests (``tests/services/test_*_crash_safety.py``) and the stress script
``scripts/stress_renewal_kills.py``. Plain SQL through SQLAlchemy Core and subprocess only: the
facts are read the way an outsider would read the database, not through the code under test.
``path`` is a SQLite file or a server database's URL (the server pass, ``--backend postgresql``).

Two runs are covered, each with its own facts:
- ``year_end``: ``renewals run --year YEAR`` (calendar-year contracts, DB-hosting usage of YEAR-1);
- ``due``: ``renewals due --until DATE`` (packages with their add-ons, per-pupil subscriptions).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def start_cli(path: Path, keys: Path, *command: str) -> subprocess.Popen:
    """``lehrer-licenses --db PATH --json COMMAND... --progress`` ('progress D/T' on stderr)."""
    env = dict(os.environ, LEHRER_LICENSES_KEYS=str(keys))
    return subprocess.Popen(
        [sys.executable, "-m", "lehrer_licenses", "--db", str(path), "--json", *command,
         "--progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def kill_after(process: subprocess.Popen, contracts_done: int, delay: float = 0.0) -> bool:
    """SIGKILL once the run reports ``contracts_done`` finished contracts (0: before any), then
    ``delay`` seconds later (to land inside the next contract's transaction). Returns False when
    the run had already finished on its own (the kill came too late)."""
    if contracts_done > 0:
        for line in process.stderr:
            if (
                line.startswith("progress ")
                and int(line.split()[1].split("/")[0]) >= contracts_done
            ):
                break
    if delay:
        time.sleep(delay)
    alive = process.poll() is None
    if alive:
        process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    return alive


def complete(path: Path, keys: Path, *command: str, timeout: float = 300) -> tuple[int, str]:
    """Run ``command`` to its end: (exit status, stderr)."""
    process = start_cli(path, keys, *command)
    _out, err = process.communicate(timeout=timeout)
    return process.returncode, err


@contextmanager
def _connected(path: Path | str):
    url = os.fspath(path)
    engine = create_engine(url if "://" in url else f"sqlite:///{url}", poolclass=NullPool)
    try:
        with engine.connect() as con:
            yield con
    finally:
        engine.dispose()


def _query(path: Path | str, sql: str, **params) -> list[tuple]:
    with _connected(path) as con:
        return [tuple(row) for row in con.execute(text(sql), params)]


def soundness(path: Path | str) -> dict:
    """The file's own checks (SQLite: ``PRAGMA integrity_check``, foreign keys; a server keeps
    its files itself and checks every foreign key at commit, so there: constraints not yet
    validated), and the issued numbers per year (gapless?)."""
    with _connected(path) as con:
        numbers = [
            r[0]
            for r in con.execute(
                text("SELECT number FROM invoice WHERE number IS NOT NULL AND kind = 'invoice'")
            )
        ]
        if con.dialect.name == "sqlite":
            integrity = con.execute(text("PRAGMA integrity_check")).scalar()
            foreign_keys = [tuple(r) for r in con.execute(text("PRAGMA foreign_key_check"))]
        else:
            integrity = "ok"
            foreign_keys = [
                tuple(r)
                for r in con.execute(
                    text("SELECT conname FROM pg_constraint WHERE NOT convalidated")
                )
            ]
        return {
            "integrity": integrity,
            "foreign_keys": foreign_keys,
            "numbers": numbers,
            "duplicate_keys": [
                tuple(r)
                for r in con.execute(
                    text(
                        "SELECT billing_key, count(*) FROM invoice WHERE billing_key IS NOT NULL "
                        "GROUP BY billing_key HAVING count(*) > 1"
                    )
                )
            ],
        }


def number_gaps(numbers: Iterable[str]) -> list[str]:
    """Problems of invoice numbers PREFIX-YEAR-SEQ: per prefix and year 1..n, no gap, no double."""
    groups: dict[str, list[int]] = {}
    for number in numbers:
        head, seq = number.rsplit("-", 1)
        groups.setdefault(head, []).append(int(seq))
    problems = []
    for head, seqs in sorted(groups.items()):
        doubles = sorted(n for n, c in Counter(seqs).items() if c > 1)
        missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
        if doubles or missing:
            problems.append(f"{head}: doubled {doubles}, missing {missing}")
    return problems


# --- the year-end run ------------------------------------------------------------------------


def year_end_command(year: int) -> list[str]:
    return ["renewals", "run", "--year", str(year)]


def year_end_facts(path: Path | str, year: int) -> dict:
    run_keys = {"renewal": f"renewal:%:{year}", "usage": f"usage:%:{year - 1}"}
    keys = _query(
        path,
        "SELECT billing_key, count(*) FROM invoice WHERE billing_key LIKE :renewal "
        "OR billing_key LIKE :usage GROUP BY billing_key",
        **run_keys,
    )
    return {
        **soundness(path),
        "due": _query(
            path,
            "SELECT count(*) FROM subscription s JOIN plan p ON p.id = s.plan_id "
            "WHERE s.status = 'active' AND s.term_end = :end AND p.term = 'calendar_year'",
            end=date(year - 1, 12, 31),
        )[0][0],
        "keys": keys,
        "codes": _query(path, "SELECT count(*) FROM issued_code WHERE reason = 'renewal'")[0][0],
        "net": _query(
            path,
            "SELECT coalesce(sum(net), 0) FROM invoice WHERE billing_key LIKE :renewal "
            "OR billing_key LIKE :usage",
            **run_keys,
        )[0][0],
    }


def year_end_expected(run) -> dict:
    """What a complete run does, from the dry run (``services.season.year_end.run_renewals``)."""
    summary = run.summary()
    return {
        "contracts": summary.schools,
        "invoices": summary.invoices,
        "codes": summary.renewed,
        "net": sum(int(inv.totals.net.amount * 100) for item in run.items for inv in item.invoices),
    }


def year_end_problems(path: Path | str, year: int, expected: dict) -> list[str]:
    """Everything wrong with the file after a kill and a completed re-run (empty: all good)."""
    f = year_end_facts(path, year)
    problems = _sound_problems(f)
    if f["due"]:
        problems.append(f"{f['due']} calendar-year contracts still end {year - 1}-12-31")
    doubles = [key for key, count in f["keys"] if count > 1]
    if doubles:
        problems.append(f"billed twice: {doubles[:5]}")
    if len(f["keys"]) != expected["invoices"]:
        problems.append(f"{len(f['keys'])} run invoices, expected {expected['invoices']}")
    if f["codes"] != expected["codes"]:
        problems.append(f"{f['codes']} renewal codes, expected {expected['codes']}")
    if f["net"] != expected["net"]:
        problems.append(f"net {f['net']} hundredths, expected {expected['net']}")
    # the run numbers in the year it issues in, the newest; the sample data's invoices of
    # earlier years must stay gapless too
    latest = max((n.rsplit("-", 1)[0] for n in f["numbers"]), default="")
    sequence = sorted(
        int(seq) for head, seq in (n.rsplit("-", 1) for n in f["numbers"]) if head == latest
    )
    gaps = number_gaps(f["numbers"])
    if gaps or sequence != list(range(1, expected["invoices"] + 1)):
        problems.append(f"invoice numbers {gaps or sequence[:10]}")
    return problems


# --- renewals due (anniversary contracts) ------------------------------------------------------


def due_command(until: str) -> list[str]:
    return ["renewals", "due", "--until", until]


_DUE_KEY = {"package": "package-renewal", "addon": "addon", "per_pupil": "pupil-renewal"}
_DUE_KEYS_SQL = (
    "billing_key LIKE 'package-renewal:%' OR billing_key LIKE 'addon:%' "
    "OR billing_key LIKE 'pupil-renewal:%'"
)


def due_expected(run, before: Path | str) -> dict:
    """What a complete ``renewals due`` does, from its dry run (``run_due_renewals``) and the
    file before the run."""
    keys = {
        f"{_DUE_KEY[i.contract]}:{i.id}:{i.renewal.isoformat()}"
        for i in run.items
        if i.invoice is not None
    }
    base = due_facts(before)
    return {
        "contracts": len({(i.contract == "per_pupil", i.id) for i in run.items}),
        "keys": keys,
        "old_keys": {key for key, _count in base["keys"]},
        "codes": base["codes"] + sum(
            1 for i in run.items if i.action == "renew" and i.contract != "addon"
        ),
        "lapsed": base["lapsed"] + sum(
            1 for i in run.items if i.action == "lapse" and i.contract != "addon"
        ),
        "net": base["net"] + sum(
            int(i.invoice.totals.net.amount * 100) for i in run.items if i.invoice is not None
        ),
        "numbers": sorted(base["numbers"]),
    }  # fmt: skip


def due_facts(path: Path | str) -> dict:
    return {
        **soundness(path),
        "keys": _query(
            path, f"SELECT billing_key, count(*) FROM invoice WHERE {_DUE_KEYS_SQL} GROUP BY 1"
        ),
        "codes": _query(path, "SELECT count(*) FROM issued_code WHERE reason = 'renewal'")[0][0],
        "lapsed": _query(path, "SELECT count(*) FROM subscription WHERE status = 'lapsed'")[0][0],
        "net": _query(
            path,
            f"SELECT coalesce(sum(net), 0) FROM invoice WHERE {_DUE_KEYS_SQL}",  # hundredths
        )[0][0],
    }


def due_problems(path: Path | str, expected: dict, until: str) -> list[str]:
    f = due_facts(path)
    problems = _sound_problems(f)
    doubles = [key for key, count in f["keys"] if count > 1]
    if doubles:
        problems.append(f"billed twice: {doubles[:5]}")
    keys = {key for key, _count in f["keys"]} - expected["old_keys"]
    if keys != expected["keys"]:
        missing, unexpected = expected["keys"] - keys, keys - expected["keys"]
        problems.append(f"missing {sorted(missing)[:5]}, unexpected {sorted(unexpected)[:5]}")
    for what in ("codes", "lapsed", "net"):
        if f[what] != expected[what]:
            problems.append(f"{what}: {f[what]}, expected {expected[what]}")
    if sorted(f["numbers"]) != expected["numbers"]:
        problems.append("issued invoice numbers changed (the run writes drafts only)")
    still_due = _query(
        path,
        "SELECT count(*) FROM subscription s JOIN plan p ON p.id = s.plan_id "
        "WHERE s.status = 'active' AND s.term_end < :until AND p.kind IN ('package', 'per_unit')",
        until=date.fromisoformat(until),
    )[0][0]
    if still_due:
        problems.append(f"{still_due} contracts still due before {until}")
    return problems


def _sound_problems(f: dict) -> list[str]:
    problems = []
    if f["integrity"] != "ok":
        problems.append(f"integrity_check: {f['integrity']}")
    if f["foreign_keys"]:
        problems.append(f"foreign_key_check: {f['foreign_keys'][:5]}")
    if f["duplicate_keys"]:
        problems.append(f"duplicate billing keys: {f['duplicate_keys'][:5]}")
    gaps = number_gaps(f["numbers"])
    if gaps:
        problems.append(f"invoice numbers: {gaps}")
    return problems
