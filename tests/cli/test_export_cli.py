"""``export``: invoices (per document or per VAT rate), payments, schools, seats as CSV or XLSX;
bad dates and unwritable files refused with exit 2 and no file."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """One database for the module: the commands below only read it."""
    path = tmp_path_factory.mktemp("export-cli") / "cli.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEHRER_LICENSES_KEYS", str(path.parent / "keys"))

        def run(*args):
            assert main(["--db", str(path), *args]) == 0, args

        run("init")
        vendor = []
        for key, value in SAMPLE_VENDOR.items():
            if value:
                vendor += [f"--{key.replace('_', '-')}", value]
        run("vendor", "set", *vendor)
        address = ["--street", "Dorfstrasse", "--house-number", "1", "--postcode", "3011"]
        run("school", "add", "--name", "=HYPERLINK(\"http://x\")", "--country", "CH",
            "--language", "de", *address, "--city", "@Bern")  # fmt: skip
        run("order", "100001", "--seats", "3", "--date", "2026-03-10")
        run("invoice", "issue", "1", "--date", "2026-03-11")
        run("order", "100001", "--seats", "1", "--date", "2026-09-15")
        run("invoice", "issue", "2", "--date", "2026-09-16")
        run("invoice", "pay", "2026-00001", "--amount", "505.90", "--date", "2026-03-31",
            "--reference=-1+1")  # fmt: skip
    return path


@pytest.fixture
def cli(desk, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(desk), *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def rows_of(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_export_invoices_in_a_date_range_as_csv(cli, tmp_path):
    target = tmp_path / "invoices.csv"
    code, out, err = cli("--json", "export", "invoices", "--from", "2026-01-01",
                         "--to", "2026-06-30", "-o", str(target))  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc == {
        "file": str(target),
        "export": "invoices",
        "format": "csv",
        "rows": 1,
        "from": "2026-01-01",
        "to": "2026-06-30",
    }
    (row,) = rows_of(target)
    assert (row["number"], row["payable"], row["paid"], row["status"]) == (
        "2026-00001",
        "505.90",
        "505.90",
        "paid",
    )
    assert row["school_name"] == '\'=HYPERLINK("http://x")'


def test_export_per_vat_rate_payments_schools_and_seats(cli, tmp_path):
    assert cli("export", "invoices", "--by-vat-rate", "-o", str(tmp_path / "v.csv"))[0] == 0
    (vat,) = rows_of(tmp_path / "v.csv")
    assert (vat["vat_rate"], vat["documents"], vat["net"]) == ("8.10", "2", "597.45")
    code, out, _err = cli("export", "payments", "-o", str(tmp_path / "p.csv"))
    assert code == 0 and "1 row written to" in out
    assert rows_of(tmp_path / "p.csv")[0]["reference"] == "'-1+1"
    assert cli("export", "schools", "-o", str(tmp_path / "s.xlsx"))[0] == 0
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"
    assert sheet["F2"].value == "'@Bern"
    assert cli("export", "seats", "--format", "xlsx", "-o", str(tmp_path / "seats.dat"))[0] == 0
    with open(tmp_path / "seats.dat", "rb") as fh:  # an XLSX whatever the name says
        assert load_workbook(fh).active.max_row == 1 + 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invoices", "--from", "2026-02-30"], "not a date (expected YYYY-MM-DD): '2026-02-30'"),
        (["invoices", "--to", "31.12.2026"], "not a date"),
        (["payments", "--from", "2026-05-01", "--to", "2026-04-30"], "starts after it ends"),
        (["schools", "--from", "2026-05-01"], "invoices and payments only"),
        (["seats", "--by-vat-rate"], "--by-vat-rate applies to invoices only"),
        (["invoices", "--format", "ods"], "invalid choice: 'ods'"),
    ],
)
def test_bad_input_exits_2_and_writes_no_file(cli, tmp_path, args, message):
    target = tmp_path / "out.csv"
    code, _out, err = cli("export", *args, "-o", str(target))
    assert code == 2, err
    assert message in err
    assert not target.exists()


def test_an_unwritable_target_is_named(cli, tmp_path):
    code, _out, err = cli("export", "schools", "-o", str(tmp_path / "nowhere" / "s.csv"))
    assert code == 2 and "no such folder" in err and "nowhere" in err
    code, _out, err = cli("export", "schools", "-o", str(tmp_path))
    assert code == 2 and "is a folder, not a file" in err


def test_a_read_only_folder_is_refused(cli, tmp_path, monkeypatch):
    # chmod does not stop root (CI runs as root), so the folder is made read-only in the eyes
    # of the permission check the export asks before it reads anything.
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "lehrer_licenses.services.exchange.exports.os.access",
        lambda path, mode: False if Path(path) == locked else real_access(path, mode),
    )
    code, _out, err = cli("export", "schools", "-o", str(locked / "s.csv"))
    assert code == 2 and "cannot write" in err
    assert list(locked.iterdir()) == []
