"""Running the command line in-process for the CLI tests, and a fingerprint of a database (a file
or, on the server pass, a PostgreSQL database's URL) to prove that a refused command wrote
nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

from sqlalchemy import MetaData, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from lehrer_licenses.cli.main import main


def cli_runner(path, capsys):
    """``run(*args) -> (exit code, stdout, stderr)`` on the database at ``path``. The databases
    a command opened are closed after it, as the end of its process closes them: left open, a
    test's commands held their files and connections until a garbage collection found them."""

    def run(*args: str) -> tuple[int, str, str]:
        opened: list[Engine] = []

        def connected(connection) -> None:
            if connection.engine not in opened:
                opened.append(connection.engine)

        event.listen(Engine, "engine_connect", connected)
        try:
            code = main(["--db", str(path), *args])
        except SystemExit as exc:  # argparse refuses before any command runs
            code = exc.code
        finally:
            event.remove(Engine, "engine_connect", connected)
            for engine in opened:
                engine.dispose()
        out, err = capsys.readouterr()
        return code, out, err

    run.path = path
    return run


def fingerprint(path, without: tuple[str, ...] = ()) -> str:
    """A hash of the whole database (schema and rows), leaving out the rows of ``without``."""
    if "://" in os.fspath(path):
        lines = _server_dump(os.fspath(path), without)
    else:
        con = sqlite3.connect(path)
        try:
            lines = [
                line
                for line in con.iterdump()
                if not any(f'INTO "{table}"' in line for table in without)
            ]
        finally:
            con.close()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _server_dump(url: str, without: tuple[str, ...]) -> list[str]:
    """What iterdump is for a file: every table's columns and its rows in a fixed order. The id
    sequences are left out: a refused insert moves them on the server and rolls nothing back."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        metadata = MetaData()
        with engine.connect() as conn:
            metadata.reflect(conn)
            lines = []
            for name in sorted(metadata.tables):
                table = metadata.tables[name]
                lines.append(f"{name}({', '.join(f'{c.name} {c.type}' for c in table.columns)})")
                if name in without:
                    continue
                ordered = select(table).order_by(*table.columns)
                lines.extend(f"{name}: {tuple(row)!r}" for row in conn.execute(ordered))
            return lines
    finally:
        engine.dispose()


def ok(cli, *args) -> dict | list:
    """The --json answer of a command that must succeed."""
    code, out, err = cli("--json", *args)
    assert code == 0, err
    return json.loads(out)


def refused(cli, *args, match: str) -> str:
    """A command refused with exit 2, ``match`` in its message, nothing written."""
    before = fingerprint(cli.path)
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    assert match in err, err
    assert fingerprint(cli.path) == before
    return err


def set_sample_vendor(cli) -> None:
    from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR

    args = []
    for key, value in SAMPLE_VENDOR.items():
        if value:
            args += [f"--{key.replace('_', '-')}", value]
    ok(cli, "vendor", "set", *args)
