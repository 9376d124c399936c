"""Running the command line in-process for the CLI tests, and a fingerprint of a database file
to prove that a refused command wrote nothing."""

from __future__ import annotations

import hashlib
import sqlite3

from lehrer_licenses.cli.main import main


def cli_runner(path, capsys):
    """``run(*args) -> (exit code, stdout, stderr)`` on the database at ``path``."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(path), *args])
        except SystemExit as exc:  # argparse refuses before any command runs
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    run.path = path
    return run


def fingerprint(path) -> str:
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()
