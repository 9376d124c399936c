"""The real year-end run over demo databases, against the raw reportlab canvas (not a test).

    .venv/bin/python benchmarks/bench_year_end.py [--schools 200 2000] [--profile FILE]
        [--postgres URL] [--only-run] [--cache FOLDER]

Issue 6's goals: ``renewals run`` over ``demo --schools 2000`` in <= 30 s on a 2-core machine;
200 -> 2000 schools grows <= 11 x; per invoice <= 3 x the raw reportlab canvas time of the same
content, measured in the same run.

For each size a demo database is made (not timed; kept in ``--cache`` to skip it next time) and
copied; then, timed, the two steps of the year-end as the command line runs them:

1. ``renewals run --year 2027 --date 2026-12-01`` (``services.season.year_end.run_renewals``): the
   backup before the run, then, a group of contracts to a transaction, the renewal or usage
   invoice, the new registration code, the invoice issued (numbered, PDF rendered and stored);
2. ``letters renewal --year 2027 --date 2026-12-01 -o FILE`` (``services.season.letters``): the
   renewal letter of every renewal invoice (a separate command; the run itself writes no
   letters), all in one PDF file.

Then the raw canvas: for the issued invoices and the letters of the run (every one, or an even
sample of ``--sample``), the drawing calls of one render are recorded and replayed on a bare
reportlab canvas (``bench_invoice_pdf.record`` / ``replay``), timed per document.

With ``--postgres URL`` (a role that may create databases) the same run follows on a PostgreSQL
server, on a database the benchmark makes (``yearend_bench_<pid>_<schools>``), fills with the
very demo (``move-to-server`` of the SQLite file, not timed) and drops; the run there backs the
database up with pg_dump first, as the command does. Issues 20 and 21: 20,000 schools in <= 60 s
on SQLite, PostgreSQL within 1.5 x of it; both figures are printed with the limits beside them.
``--only-run`` leaves out the letters step and the raw canvas (minutes at 20,000 schools).

Figures, 2026-11-30, nproc 2 (a shared VM, load average about 1 from other work), 2000 schools =
1541 due contracts, 1539 invoices, 1378 letters; before = commit 89859dc:

                                 before     after    after, --prerender off
    renewals run, 2000          21.0 s      6.0 s      9.4 s
    renewals run, 200            2.1 s      0.9 s      1.1 s
    growth 200 -> 2000          10.0 x      6.4 x      8.4 x
    per invoice / raw canvas     8.1 x      2.2 x      3.4 x
    with the letters step       24.8 s      9.9 s     13.2 s   (ratio to invoice + letter
                                 6.1 x      2.4 x      3.0 x    canvas; growth 9.9 / 7.5 / 8.7 x)

synchronous=FULL (issue 19: every commit on the disk when it returns), 2026-12-06, the two runs
back to back on a busier VM (load average 3.2-3.5 from other work), ``--schools 2000 --cache``;
before = NORMAL (commit 7078033):

                                 NORMAL     FULL
    renewals run, 2000          16.99 s    17.77 s   (+0.78 s, +4.6 %; 11.04 -> 11.55 ms/invoice)
    with the letters step       24.19 s    25.46 s

Issues 20/21, 2026-12-06, ``--only-run --postgres URL --cache``, a VM shared with four other
busy sessions (load average beside each figure; the wall times follow the load more than the
code, the CPU seconds less so); 20,000 schools = 15,399 due contracts, 15,375 invoices; before =
commit 7123155 (predictions all made before the first write), after = predictions in a thread
while the run writes, plain font subsets cached:

                                  wall       CPU run + render workers    load
    SQLite 20000, before         772.4 s     141.5 + 143.6 s             6.5
    SQLite 20000, after          741.8 s     132.9 + 124.3 s            10.4
    SQLite 20000, before (A/B)   186.0 s     137.0 + 150.5 s             2.8
    SQLite 20000, after  (A/B)   186.7 s     131.1 + 128.9 s             2.5
    PostgreSQL 20000, after      688.1 s     189.9 + 133.6 s             9.7   (0.93 x SQLite)
    SQLite 2000, before (A/B)     18.0 / 20.6 s   13.5 + 14.5 / 12.6 + 13.7   2.5-2.7
    SQLite 2000, after  (A/B)     17.7 / 17.7 s   14.8 + 15.1 / 11.3 + 12.0   2.7-2.8
    PostgreSQL 2000, before       29.4 s      15.7 + 13.4 s              3.0   (1.32 x SQLite)
    PostgreSQL 2000, after        40.2 s      17.2 + 12.5 s              3.9   (1.12 x SQLite)

The limit of 60 s for 20,000 schools is far off: the run's process and the render worker each
spend 8.5-9.5 ms of CPU per invoice (287 CPU seconds before, 260 after, for 15,375 invoices,
where two cores give 120 in a minute), and the wall time is the run's process: its CPU plus the
wait for each contract's commit (synchronous=FULL).

Issue 21, later the same day, a quiet machine (load average 0.9-2.0), back to back; before =
commit a68b10c, after = contracts written a group to a transaction (each in a savepoint), the
audit journal's rows as plain columns, one render worker per core, PDFs written directly with
font subsets made once per process (``documents.pdf_file``), and a 64 MB SQLite page cache:

                                  wall       CPU run + render workers
    SQLite 2000, before          13.09 s     10.60 + 11.61 s
    SQLite 2000, after           10.84 s      9.26 +  6.60 s   (before the page cache)
    SQLite 20000, before        138.90 s    120.48 + 120.05 s
    SQLite 20000, after         132.95 s    118.68 +  70.61 s   (before the page cache)
    SQLite 20000, after         114.87 s    100.75 +  67.06 s

Still about twice the limit. The renders now take less than half of a core; the wall time is
the run's own process, 6.5 ms of CPU per contract at 20,000 schools: the contract's dozen
statements through SQLAlchemy (about 0.35 ms each with SQLite's own work), the prediction thread
beside it (about 1.4 ms), the commit's flush. A minute needs that process under 3.9 ms: the
predictions in the workers, and the writes of a group as a few executemany statements at driver
level instead of a dozen statements per contract.

Issue 21, the next stop: a quiet machine, back to back, before = commit 8cc9c66 (its own tree),
after = no predictions (each transaction hands the document it built to a render worker and
stores the PDFs at its group's end), a group's seats read as rows, its new rows and UPDATEs
written at its end with one executemany per table (ids reserved), numbers and code serials
counted per group, groups of up to 1 s, the run's process rendering what no worker has taken
while it waits:

                                  wall       CPU run + render workers
    SQLite 2000, before          12.19 s     10.32 +  8.26 s
    SQLite 2000, after            7.33 s      6.00 +  5.74 s
    SQLite 20000, before        127.35 s    112.24 + 68.23 s
    SQLite 20000, after          65.62 s     55.38 + 49.67 s   (quiet runs: 57.8-75.0 s)

The run is now bound by the CPU of both cores (about 95 s of it at 20,000 schools, 40 of them
the run's own, the rest rendering) plus the backup before it (2.5 s, one core): a minute is met
only on the machine's better runs. What is left: the renders (3.5-3.9 ms per invoice, a third of
it the two QR codes) and the 95 KB of each PDF (57 KB of it the same two font subsets), which
the worker writes, the run reads, hashes and stores.

PostgreSQL 2000 (the same after, a test server on this machine): 10.0-12.1 s, 1.6-2.0 x SQLite.

Issue 21, the stop after: a quiet machine, ``--schools 20000 --only-run``, before and after
alternating (before = commit 3329c04 in its own tree, each side with its own copy of the demo).
After = font subsets without TrueType hinting and without Latin-1's rare symbols, the QR-bill's
scissors drawn as a path (each PDF 95 -> 54 KB), the cancellations indexed by contract (a scan
per contract had been 5 s), the backup's integrity check beside the first group, a group's usage
counts read at once, codes' text a block at a time, one render worker per core but the run's,
no feeder threads:

                                  wall       CPU run + render workers    all CPU (/proc/stat)
    SQLite 20000, before, 1      75.87 s     63.89 + 56.23 s             123.7 s
    SQLite 20000, after,  1      46.65 s     45.36 + 32.94 s              81.6 s
    SQLite 20000, before, 2      69.84 s     58.32 + 52.91 s             114.3 s
    SQLite 20000, after,  2      51.91 s     50.51 + 37.33 s              91.5 s
    SQLite 20000, before, 3      69.51 s     59.48 + 51.66 s             114.1 s
    SQLite 20000, after,  3      53.74 s     52.18 + 38.07 s              93.6 s

The run's process is now busy nearly all of the wall time (its own work and the renders it takes
while it waits); the worker idles at each group's end (the deferred writes, the PDFs' inserts,
the commit), when no document of the group is left to render.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

YEAR = 2027
LIMIT_SCHOOLS = 20_000
SQLITE_LIMIT_S = 60.0  # issue 21: the year-end of 20,000 schools in a minute
SERVER_RATIO = 1.5  # issue 20: PostgreSQL within 1.5 x of SQLite
ISSUE_ON = date(2026, 12, 1)
DEMO_TODAY = date(2026, 11, 22)


def _template(cache: Path, schools: int, seed: int) -> Path:
    from lehrer_licenses.services.database_init import init_database
    from lehrer_licenses.services.demo.sample_data import create_demo

    path = cache / f"demo-{schools}-seed{seed}.sqlite"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in cache.glob(partial.name + "*"):
            leftover.unlink()
        db, _ = init_database(partial)
        started = time.perf_counter()
        create_demo(db, schools, seed=seed, today=DEMO_TODAY)
        with db.engine.connect() as con:  # one self-contained file to copy
            con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
        os.replace(partial, path)
        print(f"  (demo {schools} schools made in {time.perf_counter() - started:.1f} s)")
    return path


def _raw_canvas_ms(work: Path, sample: int) -> dict[str, float]:
    """Mean ms per document: our render and its recorded drawing calls on a bare canvas."""
    from bench_invoice_pdf import record, replay
    from sqlalchemy import select

    from lehrer_licenses.documents.letters import render_letter
    from lehrer_licenses.services.billing.printing import build_document, render
    from lehrer_licenses.services.billing.printing import registration_code as _registration_code
    from lehrer_licenses.services.billing.vendor import load_vendor
    from lehrer_licenses.services.database_init import open_database
    from lehrer_licenses.services.season.letters import renewal_letters
    from lehrer_licenses.store.models import Invoice

    db = open_database(work)
    try:
        with db.reading() as session:
            vendor = load_vendor(session)
            ids = list(
                session.scalars(
                    select(Invoice.id)
                    .where(Invoice.number.is_not(None), Invoice.invoice_date == ISSUE_ON)
                    .order_by(Invoice.id)
                )
            )
            step = max(1, len(ids) // sample) if sample else 1
            docs = []
            for invoice_id in ids[::step]:
                invoice = session.get(Invoice, invoice_id)
                code = _registration_code(session, invoice)
                docs.append(build_document(session, invoice, vendor, registration_code=code))
        letters = renewal_letters(db, YEAR, ISSUE_ON).letters
    finally:
        db.dispose()
    letters = letters[:: max(1, len(letters) // sample) if sample else 1]
    figures = {}
    for label, items, draw in (
        ("invoice", docs, render),
        ("letter", letters, render_letter),
    ):
        logs = [record(lambda item=item, draw=draw: draw(item))[0] for item in items]
        started = time.perf_counter()
        for item in items:
            draw(item)
        figures[label] = (time.perf_counter() - started) * 1000 / max(1, len(items))
        started = time.perf_counter()
        for log in logs:
            replay(log)
        figures["raw " + label] = (time.perf_counter() - started) * 1000 / max(1, len(logs))
        figures[label + "s sampled"] = len(items)
    return figures


def _children_cpu() -> float:
    """CPU seconds of the ended child processes (the render workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _year_end(work: str | Path, profile: Path | None, letters_pdf: Path | None) -> dict:
    """Both steps (only the run without ``letters_pdf``), timed, as the command line runs them
    (in this process, warm imports)."""
    from lehrer_licenses.services.database_init import open_database
    from lehrer_licenses.services.season.letters import renewal_letters
    from lehrer_licenses.services.season.year_end import run_renewals

    db = open_database(work)
    profiler = cProfile.Profile() if profile else None
    letters = None
    try:
        load = os.getloadavg()[0]
        started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        if profiler:
            profiler.enable()
        run = run_renewals(db, YEAR, dry_run=False, issue_on=ISSUE_ON)
        run_s, run_cpu = time.perf_counter() - started, time.process_time() - cpu
        workers_cpu = _children_cpu() - children
        if letters_pdf is not None:
            letters = renewal_letters(db, YEAR, ISSUE_ON)
            letters_pdf.write_bytes(letters.batch_pdf())
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        total_s, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        db.dispose()
    summary = run.summary()
    if summary.failed:
        print(f"  warning: {summary.failed} contract(s) failed")
    return {
        "run_s": run_s,
        "letters_s": total_s - run_s,
        "total_s": total_s,
        "run_cpu": run_cpu,
        "workers_cpu": workers_cpu,
        "total_cpu": total_cpu,
        "load": max(load, os.getloadavg()[0]),
        "invoices": summary.invoices,
        "letters": len(letters.letters) if letters is not None else 0,
        "contracts": summary.schools,
    }


class _ServerDatabase:
    """A database of its own on the server at ``server_url``, filled with the SQLite demo file
    ``template`` (``move-to-server``, not timed); dropped on leaving."""

    def __init__(self, server_url: str, schools: int, template: Path) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        server = make_url(server_url)
        self.name = f"yearend_bench_{os.getpid()}_{schools}"
        self.url = server.set(database=self.name).render_as_string(hide_password=False)
        # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction block
        self._admin = create_engine(
            server.set(database=server.database or "postgres"),
            isolation_level="AUTOCOMMIT",
            poolclass=NullPool,
        )
        self._template = template

    def _execute(self, statement: str) -> None:
        from sqlalchemy import text

        with self._admin.connect() as conn:
            conn.execute(text(statement))

    def __enter__(self) -> str:
        from lehrer_licenses.services.server_move import move_to_server

        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}"')
        started = time.perf_counter()
        move_to_server(self._template, self.url)
        print(f"  (server database {self.name} filled in {time.perf_counter() - started:.1f} s)")
        return self.url

    def __exit__(self, *exc: object) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="keep the demo databases here")
    parser.add_argument("--sample", type=int, default=0, help="raw canvas: at most this many")
    parser.add_argument("--profile", type=Path, help="cProfile stats of the largest run")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on this PostgreSQL server (a role that may create databases)",
    )
    parser.add_argument(
        "--only-run", action="store_true", help="the renewals run alone: no letters, no raw canvas"
    )
    parser.add_argument(
        "--prerender",
        choices=("auto", "off", "always"),
        default="auto",
        help="PDFs rendered in worker processes (services.season.prerender); off: all in one",
    )
    args = parser.parse_args()
    os.environ["LEHRER_LICENSES_PRERENDER"] = args.prerender

    with tempfile.TemporaryDirectory() as folder:
        os.environ["LEHRER_LICENSES_KEYS"] = str(Path(folder) / "keys")
        # the server run's pg_dump goes to the backups of the user data folder: a temporary one
        os.environ["XDG_DATA_HOME"] = str(Path(folder) / "data")
        from lehrer_licenses.store.keystore import KeyStore

        KeyStore().create()
        cache = args.cache or Path(folder) / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        print(
            f"nproc {os.cpu_count()} (usable {len(os.sched_getaffinity(0))}), Python "
            f"{sys.version.split()[0]}; year-end into {YEAR}, issued on {ISSUE_ON}"
        )
        results: dict[int, dict] = {}
        server_results: dict[int, dict] = {}
        for schools in args.schools:
            template = _template(cache, schools, args.seed)
            work_folder = Path(folder) / f"run-{schools}"
            work_folder.mkdir()
            work = work_folder / "licences.sqlite"
            shutil.copyfile(template, work)
            profile = args.profile if schools == max(args.schools) else None
            letters_pdf = None if args.only_run else work_folder / "letters.pdf"
            figures = _year_end(work, profile, letters_pdf)
            results[schools] = figures
            _print_run("SQLite", schools, figures)
            if not args.only_run:
                figures.update(_raw_canvas_ms(work, args.sample))
                _print_canvas(figures)
            if args.postgres:
                source = work_folder / "server-source.sqlite"  # the demo as it was
                shutil.copyfile(template, source)
                with _ServerDatabase(args.postgres, schools, source) as url:
                    server = _year_end(url, None, None)
                server_results[schools] = server
                _print_run("PostgreSQL", schools, server)
            shutil.rmtree(work_folder)
        if len(results) >= 2:
            small, large = min(results), max(results)
            for key, label in (("run_s", "renewals run"), ("total_s", "both steps")):
                if key == "total_s" and args.only_run:
                    continue
                print(
                    f"growth {small} -> {large} schools, {label}: "
                    f"{results[large][key] / results[small][key]:.2f} x"
                )
        _print_limits(results, server_results)


def _print_run(backend: str, schools: int, figures: dict) -> None:
    per_invoice = figures["run_s"] * 1000 / max(1, figures["invoices"])
    print(
        f"{schools:>6} schools, {backend}: {figures['contracts']} contracts, "
        f"{figures['invoices']} invoices issued; renewals run {figures['run_s']:.2f} s "
        f"({per_invoice:.2f} ms/invoice); CPU s: run {figures['run_cpu']:.2f}, "
        f"render workers {figures['workers_cpu']:.2f}; load average {figures['load']:.1f}"
    )


def _print_canvas(figures: dict) -> None:
    per_invoice = figures["run_s"] * 1000 / max(1, figures["invoices"])
    per_pair = figures["total_s"] * 1000 / max(1, figures["invoices"])
    raw_pair = figures["raw invoice"] + figures["raw letter"] * (
        figures["letters"] / max(1, figures["invoices"])
    )
    print(
        f"        {figures['letters']} letters; CPU s both steps {figures['total_cpu']:.2f}\n"
        f"        renewals run   {figures['run_s']:7.2f} s   "
        f"{per_invoice:6.2f} ms/invoice  raw canvas {figures['raw invoice']:5.2f} ms"
        f"  ratio {per_invoice / figures['raw invoice']:5.2f}"
        f"  (our render alone {figures['invoice']:5.2f} ms)\n"
        f"        letters renewal{figures['letters_s']:7.2f} s   "
        f"{figures['letters_s'] * 1000 / max(1, figures['letters']):6.2f} ms/letter   "
        f"raw canvas {figures['raw letter']:5.2f} ms"
        f"  (our render alone {figures['letter']:5.2f} ms)\n"
        f"        both steps     {figures['total_s']:7.2f} s   "
        f"{per_pair:6.2f} ms/invoice  raw canvas (invoice + letter) {raw_pair:5.2f} ms"
        f"  ratio {per_pair / raw_pair:5.2f}"
    )


def _print_limits(results: dict[int, dict], server_results: dict[int, dict]) -> None:
    """The goals of issues 20 and 21 beside the figures: SQLite <= 60 s at 20,000 schools
    (scaled by the number of schools for other sizes), PostgreSQL <= 1.5 x SQLite."""
    for schools, figures in sorted(results.items()):
        limit = SQLITE_LIMIT_S * schools / LIMIT_SCHOOLS
        verdict = "ok" if figures["run_s"] <= limit else "OVER"
        print(
            f"limit {schools} schools, SQLite: {figures['run_s']:.2f} s <= {limit:.2f} s "
            f"(pro rata of {SQLITE_LIMIT_S:.0f} s per {LIMIT_SCHOOLS:,} schools): {verdict}"
        )
        server = server_results.get(schools)
        if server is not None:
            ratio = server["run_s"] / figures["run_s"]
            verdict = "ok" if ratio <= SERVER_RATIO else "OVER"
            print(
                f"limit {schools} schools, PostgreSQL: {server['run_s']:.2f} s = {ratio:.2f} x "
                f"SQLite <= {SERVER_RATIO} x: {verdict}"
            )


if __name__ == "__main__":
    main()
