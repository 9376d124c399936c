"""Which program may open which database: the version names its schema, a database written by a
newer version is refused before anything is written or backed up, and a server database is
migrated only when its administrator says so (``lehrer-licenses migrate``)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest
from support.cli_run import cli_runner, fingerprint

from lehrer_licenses import __version__
from lehrer_licenses.services.database_init import init_database, migrate_database
from lehrer_licenses.store.database import (
    WRITTEN_BY,
    SchemaTooNew,
    head_revision,
    known_revisions,
    open_database,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "migrations"


def from_the_future(path: Path, revision: str = "0099", by: str | None = "0.99.0") -> str:
    """A database as a newer version would leave it: an unknown revision, its writer named."""
    database, _installed = init_database(path)
    database.dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    if by is None:
        con.execute("DELETE FROM setting WHERE key = ?", (WRITTEN_BY,))
    else:
        con.execute("UPDATE setting SET value = ? WHERE key = ?", (by, WRITTEN_BY))
    con.commit()
    con.close()
    return fingerprint(path)


def test_the_version_is_bumped_with_each_schema_change():
    """The minor version is the schema revision (0.5.x writes schema 0005), so a new migration
    fails here until the version says so."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert int(declared.split(".")[1]) == int(head_revision())
    assert __version__ == declared


def test_version_prints_the_package_version_and_the_schema(capsys, tmp_path):
    run = cli_runner(tmp_path / "x.sqlite", capsys)
    code, out, _err = run("--version")
    assert code == 0
    assert out.strip() == f"lehrer-licenses {__version__} (schema {head_revision()})"
    assert not (tmp_path / "x.sqlite").exists()


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "desk.sqlite"
    before = from_the_future(path)
    with pytest.raises(SchemaTooNew) as refused:
        open_database(path)
    message = str(refused.value)
    assert "0.99.0" in message and "0099" in message
    assert __version__ in message and head_revision() in message
    assert fingerprint(path) == before
    assert not (tmp_path / "backups").exists()  # no backup on every try


def test_a_newer_database_whose_writer_is_unknown_is_refused_all_the_same(tmp_path):
    path = tmp_path / "desk.sqlite"
    from_the_future(path, by=None)
    with pytest.raises(SchemaTooNew, match="a newer version"):
        open_database(path, upgrade=False)


def test_the_command_line_refuses_a_newer_database_with_exit_2(capsys, tmp_path):
    path = tmp_path / "desk.sqlite"
    before = from_the_future(path)
    run = cli_runner(path, capsys)
    for args in (("school", "list"), ("init",), ("migrate",), ("backup",)):
        code, _out, err = run(*args)
        assert code == 2, args
        assert "Traceback" not in err
        assert re.search(r"written by lehrer-licenses 0\.99\.0 \(schema 0099\)", err), err
        assert fingerprint(path) == before
    assert not (tmp_path / "backups").exists()


def test_migrate_brings_an_old_file_up_to_date_once(capsys, tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "0002.sqlite", path)
    run = cli_runner(path, capsys)
    code, out, _err = run("migrate")
    assert code == 0
    assert f"from schema 0002 to {head_revision()}" in out
    assert list((tmp_path / "backups").glob("*before-migration-from-0002*"))
    code, out, _err = run("--json", "migrate")
    assert code == 0
    assert f'"schema_before": "{head_revision()}"' in out


def test_every_known_revision_has_a_fixture():
    assert {p.stem for p in FIXTURES.glob("*.sqlite")} == set(known_revisions())


def test_migrate_database_reports_before_and_after(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "0001.sqlite", path)
    assert migrate_database(path)[:2] == ("0001", head_revision())
    assert migrate_database(path)[:2] == (head_revision(), head_revision())
