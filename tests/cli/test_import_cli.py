"""``import schools|teachers FILE`` and ``import template``: all rows or none, every bad row on
stderr with exit status 2, --json output, --dry-run writes nothing."""

import json
import sqlite3

import pytest
from support.cli_run import fingerprint

from lehrer_licenses.services.exchange import school_import


def write(tmp_path, name: str, *lines: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return str(path)


def test_import_schools_then_teachers_with_json(cli, tmp_path):
    schools = write(
        tmp_path,
        "schulen.csv",
        "Name;PLZ;Ort;Land;Sprache",
        "Primarschule Aesch;4147;Aesch;CH;de",
        "École de Sion;1950;Sion;CH;fr",
        encoding="cp1252",
    )
    code, out, err = cli("--json", "import", "schools", schools)
    doc = json.loads(out)
    assert code == 0, err
    assert doc["ok"] and doc["written"] and doc["encoding"] == "Windows-1252"
    assert [(r["number"], r["name"]) for r in doc["rows"]] == [
        ("100001", "Primarschule Aesch"),
        ("100002", "École de Sion"),
    ]
    teachers = write(tmp_path, "lp.csv", "school,first_name,last_name", "100002,Léa,Favre")
    code, out, _err = cli("import", "teachers", teachers)
    assert code == 0 and "1 teacher imported" in out and "Léa Favre" in out
    code, out, _err = cli("--json", "school", "show", "100002")
    assert json.loads(out)["name"] == "École de Sion"


def test_bad_rows_exit_2_name_every_problem_and_write_nothing(cli, tmp_path):
    bad = write(
        tmp_path,
        "bad.csv",
        "name;postcode;country;language;email",
        "Schule A;123;CH;de;",
        "Schule B;8000;CH;de;kein-mail",
        "Schule C;8000;CH;de;",
    )
    before = fingerprint(cli.path)
    code, out, err = cli("import", "schools", bad)
    assert code == 2 and out == ""
    assert "nothing was imported from bad.csv: 2 problems" in err
    assert "row 2, column 'postcode': not a postcode of CH: '123'" in err
    assert "row 3, column 'email': not an e-mail address: 'kein-mail'" in err
    assert fingerprint(cli.path) == before
    code, out, err = cli("--json", "import", "schools", bad)
    doc = json.loads(out)
    assert code == 2 and doc["ok"] is False and not doc["written"]
    assert [(p["row"], p["column"]) for p in doc["problems"]] == [(2, "postcode"), (3, "email")]
    assert fingerprint(cli.path) == before


def test_dry_run_shows_what_would_be_created_and_writes_nothing(cli, tmp_path):
    good = write(tmp_path, "ok.csv", "name\tcountry\tlanguage", "Grundschule Mitte\tDE\tde")
    before = fingerprint(cli.path)
    code, out, _err = cli("import", "schools", good, "--dry-run")
    assert code == 0 and "Dry run, nothing written; 1 school would be imported" in out
    assert "100001  Grundschule Mitte" in out
    assert fingerprint(cli.path) == before


def test_template_is_written_and_a_missing_file_is_refused(cli, tmp_path):
    target = tmp_path / "vorlage.csv"
    code, out, _err = cli("--json", "import", "template", "schools", "-o", str(target))
    assert code == 0 and json.loads(out)["template"] == str(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbfnumber;name;")
    code, _out, err = cli("import", "schools", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read" in err and "missing.csv" in err
    code, _out, err = cli("import", "template", "pupils", "-o", str(target))
    assert code == 2 and "invalid choice" in err


@pytest.mark.sqlite_only  # the failure is a trigger in the SQLite file
def test_a_teacher_import_failing_in_a_later_batch_leaves_nothing_and_can_be_rerun(
    cli, tmp_path, monkeypatch
):
    # Teachers are written in batches, each its own transaction; a failure in the third batch
    # must take the first two out again, so the user sees the file imported whole or not at all.
    schools = write(tmp_path, "s.csv", "name;postcode;country;language", "Schule A;8000;CH;de")
    assert cli("import", "schools", schools)[0] == 0
    monkeypatch.setattr(school_import, "TEACHER_BATCH", 2)
    con = sqlite3.connect(cli.path)
    with con:
        con.execute(
            "CREATE TRIGGER test_disk_full BEFORE INSERT ON teacher WHEN NEW.last_name = 'Fehler' "
            "BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END"
        )
    con.close()
    rows = ["100001;Eva;Meier", "100001;Jan;Huber", "100001;Ida;Keller", "100001;Leo;Graf"]
    teachers = write(tmp_path, "lp.csv", "school;first_name;last_name", *rows, "100001;Max;Fehler")
    before = fingerprint(cli.path, without=("audit_entry",))
    code, out, err = cli("import", "teachers", teachers)
    assert code == 2 and out == ""
    assert (
        "nothing was imported from lp.csv: writing failed (simulated disk full); "
        "the 4 teachers already written were taken out again"
    ) in err
    assert fingerprint(cli.path, without=("audit_entry",)) == before
    con = sqlite3.connect(cli.path)
    # the append-only trail keeps the four adds and says they were taken out again
    actions = [a for (a,) in con.execute("SELECT action FROM audit_entry ORDER BY id")]
    undone = json.loads(con.execute("SELECT after FROM audit_entry ORDER BY id DESC").fetchone()[0])
    con.close()
    assert actions[-5:] == ["teacher.add"] * 4 + ["teacher.import_undone"]
    assert undone["teachers"] == 4 and undone["ids"] == [[1, 4]] and undone["file"] == "lp.csv"
    con = sqlite3.connect(cli.path)
    with con:
        con.execute("DROP TRIGGER test_disk_full")
    con.close()
    code, out, err = cli("import", "teachers", teachers)
    assert code == 0, err
    assert "5 teachers imported" in out and "Max Fehler" in out
