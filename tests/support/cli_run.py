"""Running the command line in-process for the CLI tests, and a fingerprint of a database file
to prove that a refused command wrote nothing."""

from __future__ import annotations

import hashlib
import json
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
