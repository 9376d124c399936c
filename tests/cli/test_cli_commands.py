"""The command line of DESIGN.md section 5: output shape, and every bad input refused with a
message on stderr, exit status 2 and the database left exactly as it was."""

import json
import re
import subprocess
import sys
from datetime import date

import pytest
from support.cli_run import cli_runner, fingerprint
from support.databases import filled_once
from test_invoice_cli import set_vendor

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.licences.seats.holders import add_teacher
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput
from lehrer_licenses.services.schools import add_school as add_school_for


def add_school(cli, **extra) -> str:
    args = [
        "--json",
        "school",
        "add",
        "--name",
        "Primarschule Aesch",
        "--country",
        "CH",
        "--language",
        "de",
    ]
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    code, out, err = cli(*args)
    assert code == 0, err
    return json.loads(out)["number"]


def test_quick_start_order_prints_the_draft_invoice_with_net_468(cli):
    number = add_school(cli)
    code, out, _err = cli("--json", "order", number, "--seats", "3", "--date", "2026-03-10")
    doc = json.loads(out)
    assert code == 0
    assert doc["net"] == "468.00" and doc["number"] is None and doc["currency"] == "CHF"
    assert set(doc) >= {
        "id",
        "number",
        "status",
        "school",
        "currency",
        "lines",
        "net",
        "vat_rate",
        "vat",
        "total",
        "rounding",
        "payable",
    }
    assert doc["lines"][0] == {
        "description": "Grundlizenz (einmalig)",  # the school's language, not the UI's
        "quantity": "3",
        "unit_price": "111.45",
        "amount": "334.35",
    }


def test_json_flag_works_after_the_command_too(cli):
    number = add_school(cli)
    code, out, _ = cli("order", number, "--seats", "1", "--date", "2026-03-10", "--json", "--quote")
    assert code == 0 and json.loads(out)["net"] == "156.00"


def test_quote_writes_nothing(cli):
    number = add_school(cli)
    before = fingerprint(cli.path)
    assert cli("order", number, "--seats", "4", "--date", "2026-03-10", "--quote")[0] == 0
    assert fingerprint(cli.path) == before


def test_cancel_reports_the_effective_date(cli):
    number = add_school(cli)
    cli("order", number, "--seats", "5", "--date", "2026-03-10")
    code, out, _ = cli("--json", "cancel", number, "--seats", "2", "--received", "2026-11-01")
    doc = json.loads(out)
    assert code == 0
    assert doc == {
        "school": number,
        "received": "2026-11-01",
        "deadline": "2026-10-31",
        "in_time": False,
        "effective": "2027-12-31",
        "seats": 2,
        "seats_after": 3,
    }


def test_renewals_dry_run_writes_nothing_and_sums_per_currency(cli):
    # The run issues: with the vendor and the school's postal address it needs for that, as
    # the preview checks now too (tests below).
    set_vendor(cli)
    number = add_school(cli, postcode="4147", city="Aesch")
    cli("order", number, "--seats", "5", "--date", "2026-03-10")
    before = fingerprint(cli.path)
    code, out, _ = cli("--json", "renewals", "run", "--year", "2027", "--dry-run")
    doc = json.loads(out)
    assert code == 0 and doc["dry_run"] is True
    assert doc["summary"]["amounts"] == {"CHF": {"net": "222.75", "payable": "240.80"}}
    assert doc["invoices"][0]["payable"] == "240.80"
    assert fingerprint(cli.path) == before


def test_renewal_preview_fails_a_school_without_address_as_the_run_does(cli):
    """Issue 13: the dry run promised "invoices 1", the real run then failed the school, and
    neither text said why."""
    set_vendor(cli)
    number = add_school(cli)  # no postcode, no town
    cli("order", number, "--seats", "5", "--date", "2026-03-10")
    previews = []
    for dry in (["--dry-run"], []):
        code, out, err = cli("renewals", "run", "--year", "2027", "--date", "2026-12-01", *dry)
        assert code == 0, err
        assert re.search(r"^failed\s+1$", out, re.M) and re.search(r"^invoices\s+0$", out, re.M)
        assert "Not renewed; mend these and run again:" in out
        reason = next(line for line in out.splitlines() if line.strip().startswith(number))
        assert "Primarschule Aesch" in reason and "no postal address" in reason
        assert "postcode, town missing" in reason and "'school edit'" in reason
        previews.append(out)
    assert previews[0].replace("dry_run         True", "dry_run         False") == previews[1]


def test_renewal_preview_of_drafts_names_those_that_cannot_be_issued(cli):
    number = add_school(cli)
    cli("order", number, "--seats", "5", "--date", "2026-03-10")
    code, out, err = cli("renewals", "run", "--year", "2027", "--drafts", "--dry-run")
    assert code == 0, err
    assert re.search(r"^invoices\s+1$", out, re.M)
    assert "Drafts that cannot be issued until mended:" in out
    assert f"{number}" in out and "no postal address" in out.split("mended:")[1]


def test_renewal_preview_refuses_without_the_vendor_as_the_run_does(cli):
    number = add_school(cli, postcode="4147", city="Aesch")
    cli("order", number, "--seats", "5", "--date", "2026-03-10")
    for dry in (["--dry-run"], []):
        code, _out, err = cli("renewals", "run", "--year", "2027", *dry)
        assert code == 2 and "vendor identity is incomplete" in err, err


def test_seat_transfer_and_history_through_the_cli(cli):
    number = add_school(cli)
    cli("order", number, "--seats", "1", "--date", "2026-03-10")
    _, out, _ = cli(
        "--json", "teacher", "add", number, "--first-name", "Łukasz", "--last-name", "Żółć"
    )
    leaver = json.loads(out)["id"]
    _, out, _ = cli(
        "--json", "teacher", "add", number, "--first-name", "Françoise", "--last-name", "Dvořák"
    )
    newcomer = json.loads(out)["id"]
    assert cli("seat", "assign", number, "--teacher", str(leaver), "--date", "2026-03-10")[0] == 0
    code, out, _ = cli(
        "--json",
        "seat",
        "transfer",
        number,
        "--from",
        str(leaver),
        "--to",
        str(newcomer),
        "--date",
        "2026-08-01",
    )
    assert code == 0 and json.loads(out)["teacher"] == "Françoise Dvořák"


BAD_INPUTS = [
    (["order", "999999", "--seats", "1", "--date", "2026-03-10"], "no school with number"),
    (["order", "{school}", "--seats", "0", "--date", "2026-03-10"], "at least 1, not 0"),
    (["order", "{school}", "--seats", "-3", "--date", "2026-03-10"], "at least 1, not -3"),
    (["order", "{school}", "--seats", "1", "--date", "2026-02-30"], "not a date"),
    (["order", "{school}", "--seats", "1", "--date", "10.03.2026"], "not a date"),
    (
        ["order", "{school}", "--seats", "1", "--date", "2026-03-10", "--plan", "NOPE"],
        "unknown plan",
    ),
    (
        ["order", "{school}", "--seats", "1", "--date", "2026-03-10", "--plan", "LO-HOSTED"],
        "does not use DB-hosting",
    ),
    (["order", "{school}", "--seats", "1", "--date", "2027-02-01"], "run the renewal into 2027"),
    (
        ["cancel", "{school}", "--seats", "9", "--received", "2026-10-01"],
        "has 3 seat(s) that could be cancelled, not 9",
    ),
    (["cancel", "{school}", "--seats", "0", "--received", "2026-10-01"], "at least 1"),
    (["cancel", "999999", "--all", "--received", "2026-10-01"], "no school with number"),
    (["cancel", "{school}", "--all", "--received", "2025-10-01"], "before the running term"),
    (
        ["seat", "free", "{school}", "--teacher", "{teacher}", "--date", "2026-04-01"],
        "holds no seat",
    ),
    (["seat", "assign", "{school}", "--teacher", "424242"], "has no teacher with id 424242"),
    (["usage", "record", "{school}", "--month", "2026-05", "--count", "3"], "is not on DB-hosting"),
    (["usage", "record", "{school}", "--month", "2026-13", "--count", "3"], "not a month"),
    (["invoice", "show", "2026-99999"], "no invoice with number or id"),
    (["school", "add", "--name", " ", "--country", "CH", "--language", "de"], "name is required"),
    (
        [
            "school",
            "add",
            "--name",
            "X",
            "--country",
            "CH",
            "--language",
            "de",
            "--email",
            "not-an-address",
        ],
        "not an e-mail address",
    ),
    (
        [
            "school",
            "add",
            "--name",
            "X",
            "--country",
            "DE",
            "--language",
            "de",
            "--postcode",
            "123",
        ],
        "not a postcode of DE",
    ),
    (
        [
            "school",
            "add",
            "--name",
            "X",
            "--country",
            "CH",
            "--language",
            "de",
            "--vat-id",
            "CHE-123.456.789",
        ],
        "not a valid VAT/UID number",
    ),
    (["school", "add", "--name", "X", "--country", "FR", "--language", "de"], "invalid choice"),
    (
        [
            "catalogue",
            "tier",
            "add",
            "LO-LOCAL",
            "--from",
            "50",
            "--percent",
            "150",
            "--valid-from",
            "2026-01-01",
        ],
        "between 0 and 100",
    ),
]


@pytest.fixture(scope="module")
def school_with_a_teacher(databases, tmp_path_factory):
    """(database, school, teacher): a school with three seats and a teacher, as ``school add``,
    ``order`` and ``teacher add`` make them, written once for the module; every bad input is
    tried on a copy (a database is copied whole only once closed)."""
    folder = tmp_path_factory.mktemp("bad-input")
    with filled_once(databases, folder, folder / "keys") as (path, db):
        school = add_school_for(
            db, SchoolInput(name="Primarschule Aesch", country="CH", language="de")
        )
        order_seats(db, school, 3, date(2026, 3, 10))
        teacher = add_teacher(db, school, "Anna", "Keller")
    return path, school, str(teacher)


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_bad_input_is_refused_with_exit_2_and_nothing_written(
    school_with_a_teacher, databases, tmp_path, capsys, args, message
):
    template, school, teacher = school_with_a_teacher
    cli = cli_runner(databases.clone(template, tmp_path / "cli.sqlite"), capsys)
    before = fingerprint(cli.path)
    filled = [a.format(school=school, teacher=teacher) for a in args]
    code, out, err = cli(*filled)
    assert code == 2
    assert message in err
    assert out == ""
    assert fingerprint(cli.path) == before


def test_argparse_errors_name_the_problem(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lehrer_licenses",
            "--db",
            str(tmp_path / "x.sqlite"),
            "order",
            "1",
            "--seats",
            "1",
            "--date",
            "2026-02-30",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "not a date (expected YYYY-MM-DD): '2026-02-30'" in result.stderr


def test_a_command_on_a_missing_database_says_to_run_init(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.sqlite"), "school", "list"]) == 2
    assert "run 'lehrer-licenses init' first" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()
