"""What the program shows of a server database's address: never its password, and a one-line
message (exit 2) when the driver is missing or the server does not answer. No server needed."""

from __future__ import annotations

import socket
import sys

from support.cli_run import cli_runner

from lehrer_licenses.store.server import (
    describe,
    dump_command_hint,
    libpq_conninfo,
    mask_text,
    mask_url,
    with_driver,
)


def test_the_password_of_every_url_is_masked():
    assert mask_url("postgresql://clerk:s3cr%40t@db.office:5433/desk") == (
        "postgresql://clerk:***@db.office:5433/desk"
    )
    assert mask_url("postgresql://clerk@db.office/desk") == "postgresql://clerk@db.office/desk"
    assert mask_url("sqlite:////home/a/desk.sqlite") == "sqlite:////home/a/desk.sqlite"
    text = "from postgresql+psycopg://a:one@h/x to postgres://b:two@k:1/y?sslmode=require."
    assert mask_text(text) == (
        "from postgresql+psycopg://a:***@h/x to postgres://b:***@k:1/y?sslmode=require."
    )


def test_the_server_tools_get_the_password_only_through_their_environment(tmp_path):
    url = "postgresql://clerk:s3cret@db.office:5433/desk?sslmode=require"
    conninfo, env = libpq_conninfo(url)
    assert "s3cret" not in conninfo
    assert conninfo == "host='db.office' port='5433' user='clerk' dbname='desk' sslmode='require'"
    assert env["PGPASSWORD"] == "s3cret"
    hint = dump_command_hint(url, tmp_path / "d.dump")
    assert hint == f"pg_dump -h db.office -p 5433 -U clerk -Fc --file {tmp_path}/d.dump -d desk"
    assert describe(url) == "clerk@db.office:5433/desk"
    # a URL without a password leaves libpq its own sources (PGPASSWORD, ~/.pgpass)
    _conninfo, env = libpq_conninfo("postgresql://clerk@db.office/desk")
    assert env.get("PGPASSWORD") == __import__("os").environ.get("PGPASSWORD")


def test_the_plain_scheme_uses_the_declared_driver():
    assert with_driver("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert with_driver("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert with_driver("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"


def test_without_the_driver_one_line_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    run = cli_runner("postgresql://clerk:s3cret@127.0.0.1:5432/desk", capsys)
    code, out, err = run("school", "list")
    assert code == 2 and out == ""
    assert err == (
        "lehrer-licenses: the PostgreSQL driver is not installed: pip install "
        '"lehrer-licenses[postgres]"\n'
    )


def test_a_server_that_does_not_answer_is_one_line_without_the_password(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens once it is closed
    run = cli_runner(f"postgresql://clerk:s3cret@127.0.0.1:{port}/desk", capsys)
    for args in (("school", "list"), ("--json", "init"), ("migrate",), ("backup",)):
        code, out, err = run(*args)
        assert code == 2, args
        assert out == ""
        assert err == (
            f"lehrer-licenses: Cannot connect to the database server clerk@127.0.0.1:{port}/desk: "
            "Connection refused\n"
        ), args


def test_the_programs_log_records_are_masked(capsys):
    import logging

    from lehrer_licenses.store.server import mask_logs

    mask_logs()
    mask_logs()  # once is enough: no second handler
    logging.getLogger("lehrer_licenses.ui.workers").error(
        "reading failed on %s", "postgresql://clerk:s3cret@db.office/desk"
    )
    assert capsys.readouterr().err == "reading failed on postgresql://clerk:***@db.office/desk\n"
