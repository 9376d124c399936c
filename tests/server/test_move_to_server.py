"""``move-to-server``: a desk file onto an empty server database, checked row by row; and the
year-end run on a server, which needs a backup of the last hour or makes one itself."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from support.cli_run import cli_runner
from support.server import query, state

from lehrer_licenses.store.database import head_revision

READS = [
    ("--json", "school", "list", "--limit", "100"),
    ("--json", "invoice", "list", "--date", "2025-06-30"),
    ("--json", "catalogue", "list"),
    ("--json", "vendor", "show"),
]


# The demo issues invoices of earlier years only: this year's drafts are the test's to issue.
YEAR = date.today().year
ON = f"{YEAR}-01-01"


def demo_desk(tmp_path, capsys, schools: int):
    desk = cli_runner(tmp_path / "desk.sqlite", capsys)
    assert desk("demo", "--schools", str(schools))[0] == 0
    return desk


def demo_books(path) -> tuple[int, int, Decimal]:
    """The numbered documents, payments and their sum the demo wrote (it bills some schools)."""
    con = sqlite3.connect(path)
    try:
        numbered = con.execute("SELECT count(*) FROM invoice WHERE number IS NOT NULL").fetchone()
        rows, cents = con.execute(
            "SELECT count(*), coalesce(sum(amount), 0) FROM payment"
        ).fetchone()
    finally:
        con.close()
    return numbered[0], rows, Decimal(cents) / 100


def no_client_tools(monkeypatch, tmp_path) -> None:
    empty = tmp_path / "bin-without-pg"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))


@pytest.mark.slow
def test_a_demo_desk_moves_to_the_server_and_reads_the_same_there(server, capsys, tmp_path):
    desk = demo_desk(tmp_path, capsys, 20)
    numbered, payments, paid = demo_books(desk.path)
    drafts = json.loads(desk("--json", "invoice", "list", "--status", "draft")[1])
    first, second = sorted(drafts, key=lambda d: d["id"])[:2]
    for draft in (first, second):
        assert desk("invoice", "issue", str(draft["id"]), "--date", ON)[0] == 0
    issued = json.loads(desk("--json", "invoice", "show", str(first["id"]))[1])
    assert desk("invoice", "pay", issued["number"], "--amount", "100", "--date", ON)[0] == 0

    url = server.create()
    code, out, err = desk("--json", "move-to-server", str(desk.path), url)
    assert code == 0, err
    report = json.loads(out)
    assert report["schema"] == head_revision()
    assert report["tables"]["school"]["rows"] == 20
    assert report["tables"]["payment"] == {
        "rows": payments + 1,
        "sums": {"amount": f"{paid + 100:.2f}"},
    }
    assert report["numbered_documents"] == report["pdfs_verified"] == numbered + 2
    assert report["rows"] == sum(t["rows"] for t in report["tables"].values())
    assert server.password not in out and "***" in report["target"]

    on_server = cli_runner(url, capsys)
    schools = [s["number"] for s in json.loads(desk(*READS[0])[1])]
    reads = [*READS, *[("--json", "school", "show", n) for n in schools[:3]]]
    reads += [("seat", "list", n) for n in schools[:3]]
    for args in reads:
        here, there = desk(*args), on_server(*args)
        assert here[0] == there[0] == 0, args
        assert here[1] == there[1], args

    # the server goes on after the copied rows: new ids, the next school and invoice numbers
    code, number, _err = on_server(
        "school", "add", "--name", "Neue Schule", "--country", "CH", "--language", "de"
    )
    assert code == 0 and number.strip() not in schools
    third = sorted(drafts, key=lambda d: d["id"])[2]
    code, out, err = on_server("--json", "invoice", "issue", str(third["id"]), "--date", ON)
    assert code == 0, err
    assert json.loads(out)["number"] == f"{YEAR}-00003"

    # a second move into the same database: refused, nothing written
    before = state(url)
    code, _out, err = desk("move-to-server", str(desk.path), url)
    assert code == 2 and "is not empty" in err and "nothing was written" in err
    assert state(url) == before


@pytest.mark.slow
def test_a_copy_that_does_not_check_out_leaves_the_server_empty(server, capsys, tmp_path):
    desk = demo_desk(tmp_path, capsys, 2)
    drafts = json.loads(desk("--json", "invoice", "list", "--status", "draft")[1])
    assert desk("invoice", "issue", str(drafts[0]["id"]), "--date", ON)[0] == 0
    con = sqlite3.connect(desk.path)
    con.execute(  # not what was issued
        "UPDATE invoice_pdf SET sha256 = ? WHERE invoice_id = ?", ("0" * 64, drafts[0]["id"])
    )
    con.commit()
    con.close()
    url = server.create()
    code, out, err = desk("move-to-server", str(desk.path), url)
    assert code == 2 and out == ""
    assert f"the stored PDF of {YEAR}-00001 differs from the one issued" in err
    assert "nothing was written" in err
    assert state(url) == []  # not a table: the migration went with the rest


def test_the_target_must_be_a_server_and_the_file_must_exist(server, capsys, tmp_path):
    desk = cli_runner(tmp_path / "desk.sqlite", capsys)
    code, _out, err = desk("move-to-server", str(tmp_path / "none.sqlite"), server.create())
    assert code == 2 and "no database at" in err
    assert not (tmp_path / "none.sqlite").exists()
    code, _out, err = desk("move-to-server", str(tmp_path / "none.sqlite"), "sqlite:///x.sqlite")
    assert code == 2 and "must be a server database" in err


@pytest.mark.slow
def test_the_year_end_run_on_a_server_needs_a_recent_backup(
    server, capsys, tmp_path, monkeypatch, dumps
):
    desk = demo_desk(tmp_path, capsys, 5)
    url = server.create()
    assert desk("move-to-server", str(desk.path), url)[0] == 0
    on_server = cli_runner(url, capsys)
    invoices = query(url, "SELECT count(*) FROM invoice")

    with monkeypatch.context() as bare:
        no_client_tools(bare, tmp_path)
        code, _out, err = on_server("renewals", "run", "--year", "2027", "--drafts")
    assert code == 2
    assert "no backup of" in err and "from the last hour" in err
    assert "pg_dump -h " in err and "--no-backup" in err
    assert server.password not in err
    assert query(url, "SELECT count(*) FROM invoice") == invoices
    assert not dumps.exists()

    # with pg_dump here the run makes its own backup first
    code, out, err = on_server("--json", "renewals", "run", "--year", "2027", "--drafts")
    assert code == 0, err
    assert json.loads(out)["summary"]["renewed"] == 5
    (made,) = dumps.glob("*-before-renewal-2027.dump")

    # without it, a backup of the last hour will do (here: the one the last run made)
    with monkeypatch.context() as bare:
        no_client_tools(bare, tmp_path)
        code, out, err = on_server("--json", "renewals", "run", "--year", "2028", "--drafts")
    assert code == 0, err
    assert json.loads(out)["summary"]["renewed"] == 5
    assert list(dumps.iterdir()) == [made]
