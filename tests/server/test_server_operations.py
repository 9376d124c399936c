"""Running a shared office on a PostgreSQL server, through the command line: schema refusals,
backups with pg_dump and pg_restore, connection errors in one line, the password never shown."""

from __future__ import annotations

import json
import os
import socket
import stat

import pytest
from support.cli_run import cli_runner
from support.server import query, state

from lehrer_licenses import __version__
from lehrer_licenses.store.database import WRITTEN_BY, alembic_config, head_revision


def run_on(url, capsys):
    return cli_runner(url, capsys)


def older_schema(url: str, revision: str = "0003") -> None:
    """A server database as the previous version left it."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def no_client_tools(monkeypatch, tmp_path) -> None:
    """A computer without PostgreSQL's client tools (pg_dump, pg_restore) on its PATH."""
    empty = tmp_path / "bin-without-pg"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))


@pytest.mark.slow
def test_a_server_database_written_by_a_newer_version_is_refused_and_left_alone(
    server, capsys, dumps
):
    url = server.create()
    run = run_on(url, capsys)
    assert run("init")[0] == 0
    query(url, "UPDATE alembic_version SET version_num = '0099'")
    query(url, f"UPDATE setting SET value = '0.99.0' WHERE key = '{WRITTEN_BY}'")
    before = state(url)
    for args in (("school", "list"), ("init",), ("migrate",), ("backup",)):
        code, _out, err = run(*args)
        assert code == 2, args
        assert "Traceback" not in err
        assert "written by lehrer-licenses 0.99.0 (schema 0099)" in err, err
        assert f"this is version {__version__}" in err
        assert state(url) == before
    assert not dumps.exists()  # no backup on any try


@pytest.mark.slow
def test_an_older_server_schema_needs_an_explicit_migrate_which_dumps_first(server, capsys, dumps):
    url = server.create()
    older_schema(url)
    run = run_on(url, capsys)
    before = state(url)
    for args in (("school", "list"), ("init",)):
        code, _out, err = run(*args)
        assert code == 2, args
        assert "schema 0003" in err and "run 'lehrer-licenses migrate'" in err, err
        assert state(url) == before
    assert not dumps.exists()

    code, out, err = run("migrate")
    assert code == 0, err
    assert f"from schema 0003 to {head_revision()}" in out
    (dump,) = dumps.glob("*before-migration-from-0003.dump")
    assert dump.read_bytes()[:5] == b"PGDMP"
    assert str(dump) in out
    assert query(url, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert run("school", "list")[0] == 0


@pytest.mark.slow
def test_migrate_without_pg_dump_refuses_naming_the_command_unless_no_backup(
    server, capsys, dumps, monkeypatch, tmp_path
):
    url = server.create()
    older_schema(url)
    before = state(url)
    no_client_tools(monkeypatch, tmp_path)
    run = run_on(url, capsys)
    code, _out, err = run("migrate")
    assert code == 2
    assert f"pg_dump -h 127.0.0.1 -p {server.admin.port} -U {server.role} -Fc --file " in err
    assert "--no-backup" in err and "Traceback" not in err
    assert state(url) == before
    code, out, err = run("--json", "migrate", "--no-backup")
    assert code == 0, err
    assert json.loads(out) == {"schema_before": "0003", "schema": head_revision(), "backup": None}
    assert not dumps.exists()


@pytest.mark.slow
def test_backup_and_restore_round_trip_through_pg_dump_and_pg_restore(server, capsys, tmp_path):
    url = server.create()
    run = run_on(url, capsys)
    assert run("init")[0] == 0
    for name in ("Primarschule Aesch", "École de Delémont", "Dvořák-Gymnasium"):
        assert run("school", "add", "--name", name, "--country", "CH", "--language", "de")[0] == 0
    code, out, err = run("--json", "backup", "-o", str(tmp_path))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schools"] == 3 and doc["schema"] == head_revision()
    dump = tmp_path / os.path.basename(doc["backup"])
    assert dump.is_file() and dump.read_bytes()[:5] == b"PGDMP"

    # into a non-empty database: refused, nothing changed
    before = state(url)
    code, _out, err = run("restore", str(dump))
    assert code == 2
    assert "is not empty" in err
    assert state(url) == before

    copy = server.create()
    restore = run_on(copy, capsys)
    code, out, err = restore("--json", "restore", str(dump))
    assert code == 0, err
    assert json.loads(out)["schools"] == 3
    listed = [run_on(u, capsys)("--json", "school", "list")[1] for u in (url, copy)]
    assert listed[0] == listed[1]
    assert len(json.loads(listed[0])) == 3
    # the restored database goes on numbering after the restored rows
    code, out, _err = restore(
        "school", "add", "--name", "Neu", "--country", "CH", "--language", "de"
    )
    assert code == 0
    assert out.strip() not in {s["number"] for s in json.loads(listed[0])}


@pytest.mark.slow
def test_a_sqlite_backup_is_not_restored_onto_a_server_nor_a_dump_into_a_file(
    server, capsys, tmp_path, databases
):
    url = server.create()
    desk = databases.copy_to(tmp_path / "desk.sqlite")
    file_run = cli_runner(desk, capsys)
    code, out, _err = file_run("--json", "backup")
    assert code == 0
    copy = json.loads(out)["backup"]
    code, _out, err = run_on(url, capsys)("restore", copy)
    assert code == 2 and "move-to-server" in err

    assert run_on(url, capsys)("init")[0] == 0
    code, out, _err = run_on(url, capsys)("--json", "backup", "-o", str(tmp_path))
    dump = json.loads(out)["backup"]
    code, _out, err = file_run("restore", dump)
    assert code == 2 and "dump of a server database" in err


def test_a_server_newer_than_the_local_pg_dump_is_named(server, capsys, tmp_path, monkeypatch):
    url = server.create()
    assert run_on(url, capsys)("init")[0] == 0
    tools = tmp_path / "old-tools"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tools))
    major = int(query(url, "SHOW server_version_num")[0][0]) // 10000
    code, _out, err = run_on(url, capsys)("backup")
    assert code == 2
    assert f"the server runs PostgreSQL {major}, but pg_dump here is version 9" in err
    assert "pg_dump -h " in err and "Traceback" not in err


@pytest.mark.slow
def test_the_password_is_never_printed(server, capsys, tmp_path, monkeypatch, databases):
    url = server.create()
    run = run_on(url, capsys)
    outputs = []

    def keep(result):
        outputs.append(result[1] + result[2])
        return result

    assert keep(run("init"))[0] == 0
    assert keep(run("--json", "init"))[0] == 0
    assert json.loads(outputs[-1])["database"] == server.url(url.rsplit("/", 1)[1]).replace(
        f":{server.password}@", ":***@"
    )
    assert "***" in outputs[0]
    keep(run("--version"))
    keep(run("backup", "-o", str(tmp_path)))
    (dump,) = tmp_path.glob("*.dump")
    assert keep(run("restore", str(dump)))[0] == 2  # not empty
    assert keep(run("move-to-server", str(databases.copy_to(tmp_path / "d.sqlite")), url))[0] == 2
    assert keep(run_on(url.replace(server.password, "wrong"), capsys)("school", "list"))[0] == 2
    assert keep(run_on(url + "_none", capsys)("school", "list"))[0] == 2
    assert keep(run("--db", url + "_none", "migrate"))[0] == 2
    no_client_tools(monkeypatch, tmp_path)
    code, _out, err = keep(run("backup"))
    assert code == 2 and "pg_dump" in err
    assert len(outputs) == 10
    for text in outputs:
        assert server.password not in text
        assert "Traceback" not in text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("wrong", ["port", "password", "database"])
def test_a_connection_error_is_one_line_naming_the_server_and_exit_2(server, capsys, wrong):
    url = server.create()
    database = url.rsplit("/", 1)[1]
    port = server.admin.port or 5432
    if wrong == "port":
        port = free_port()
        url = server.url(database, port=port)
    elif wrong == "password":
        url = url.replace(server.password, "not-the-password")
    else:
        database = f"{database}_missing"
        url = server.url(database)
    code, out, err = run_on(url, capsys)("school", "list")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(
        f"lehrer-licenses: Cannot connect to the database server "
        f"{server.role}@{server.admin.host}:{port}/{database}: "
    )
    reason = {
        "port": "Connection refused",
        "password": "password authentication failed",
        "database": "does not exist",
    }[wrong]
    assert reason in err
    assert "not-the-password" not in err and server.password not in err


def test_a_url_without_password_connects_with_the_password_file(
    server, capsys, tmp_path, monkeypatch
):
    url = server.create()
    database = url.rsplit("/", 1)[1]
    bare = server.url(database, password=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    empty = tmp_path / "empty.pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    code, _out, err = run_on(bare, capsys)("init")
    assert code == 2 and err.count("\n") == 1 and "password" in err

    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:{database}:{server.role}:{server.password}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    run = run_on(bare, capsys)
    code, out, err = run("init")
    assert code == 0, err
    assert out.strip() == f"Database ready: {bare}"
    # pg_dump finds the same file: a backup needs no password either
    code, out, err = run("--json", "backup", "-o", str(tmp_path))
    assert code == 0, err
    assert json.loads(out)["backup"].endswith(".dump")
