"""The package, add-on, per-pupil and ``renewals due`` commands: output, and every bad input
refused with a message on stderr, exit status 2 and the database left exactly as it was."""

import json

import pytest
from support.cli_run import fingerprint
from test_invoice_cli import set_vendor


def school(cli, country="DE", language="de") -> str:
    code, out, err = cli(
        "--json", "school", "add", "--name", "Schule", "--country", country,
        "--language", language,
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)["number"]


def ok(cli, *args) -> dict:
    code, out, err = cli("--json", *args)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def package_school(cli):
    number = school(cli)
    ok(cli, "package", "order", number, "--capacity", "1000", "--date", "2026-02-01")
    return number


@pytest.fixture
def pupil_school(cli):
    number = school(cli, "NL", "nl")
    ok(
        cli, "pupils", "terms", number, "--accepted", "2026-01-10",
        "--dpa-ref", "VWO-17", "--dpa-date", "2026-01-12",
    )  # fmt: skip
    ok(cli, "pupils", "trial", number, "--date", "2026-02-01")
    return number


def refused(cli, *args, message: str) -> str:
    before = fingerprint(cli.path)
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    assert message in err, err
    assert fingerprint(cli.path) == before
    return err


# --- what works -----------------------------------------------------------------------------


def test_M1_example8_package_order_through_the_cli(cli):
    number = school(cli)
    doc = ok(cli, "package", "order", number, "--capacity", "500", "--date", "2026-02-01")
    assert (doc["term_end"], doc["cancellation_deadline"]) == ("2027-01-31", "2026-10-31")
    assert doc["invoice"]["net"] == "650.00" and doc["code"]
    assert ok(cli, "code", "verify", doc["code"])["quantity"] == 500


def test_M8_example9_upgrade_quote_shows_both_options_and_writes_nothing(cli, package_school):
    before = fingerprint(cli.path)
    doc = ok(
        cli, "package", "upgrade", package_school, "--capacity", "1400", "--date", "2026-06-10",
        "--quote",
    )  # fmt: skip
    assert [(o["option"], o["amount"]) for o in doc["options"]] == [
        ("upgrade", "550.00"),
        ("restart", "1400.00"),
    ]
    assert fingerprint(cli.path) == before
    doc = ok(
        cli, "package", "upgrade", package_school, "--capacity", "1400", "--date", "2026-06-10",
    )  # fmt: skip
    assert doc["invoice"]["net"] == "550.00" and doc["term_end"] == "2027-01-31"


def test_M8_restart_through_the_cli(cli, package_school):
    doc = ok(
        cli, "package", "upgrade", package_school, "--capacity", "1400", "--date", "2026-06-10",
        "--restart",
    )  # fmt: skip
    assert (doc["term_start"], doc["invoice"]["net"]) == ("2026-06-10", "1400.00")


def test_M3_count_over_capacity_warns(cli, package_school, tmp_path):
    doc = ok(cli, "package", "count", package_school, "--date", "2026-06-10", "--users", "1100")
    assert doc["over_capacity"] == 100 and "550.00" in doc["warning"]
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("person,last_used\nA,2026-06-01\na,2026-06-02\n", encoding="utf-8")
    doc = ok(
        cli, "package", "count", package_school, "--date", "2026-06-11",
        "--accounts", str(accounts),
    )  # fmt: skip
    assert doc["users"] == 1 and doc["warning"] is None


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        # German Excel: semicolons, Windows-1252, dates rewritten day.month.year
        (
            "cp1252",
            "Person;last_used;Klasse\r\nJörg Müller;01.06.2026;5a\r\njörg müller;2026-06-02;5a\r\n",
        ),
        # Excel's "Unicode text" and the project's own templates: UTF-16 with a BOM
        ("utf-16", "person;last_used\r\nŁukasz Żółć;2026-06-01\r\nAnna;2026-06-03\r\n"),
    ],
)
def test_M4_count_reads_accounts_through_the_one_csv_reader(
    cli, package_school, tmp_path, encoding, text
):
    accounts = tmp_path / "accounts.csv"
    accounts.write_bytes(text.encode(encoding))
    doc = ok(
        cli, "package", "count", package_school, "--date", "2026-06-11",
        "--accounts", str(accounts),
    )  # fmt: skip
    # Jörg Müller twice counts once (M5); Łukasz and Anna are two
    assert doc["users"] == (1 if encoding == "cp1252" else 2)


def test_M10_addon_order_list_cancel_and_full_package(cli, package_school):
    doc = ok(
        cli, "addon", "order", package_school, "--subject", "Deutsch", "--date", "2026-04-15",
        "--billing-name", "Förderverein", "--billing-postcode", "88161",
        "--billing-city", "Lindenberg", "--billing-country", "de",
    )  # fmt: skip
    assert doc["invoice"]["net"] == "300.00"
    addon = str(doc["addon"]["id"])
    assert ok(cli, "addon", "list", package_school, "--date", "2026-05-01")[0]["subject"] == (
        "Deutsch"
    )
    full = ok(cli, "package", "full", package_school, "--date", "2026-04-15")
    # the add-on's invoice is still a draft: the refund is deducted from it (M10)
    assert [(r["net"], r["lines"][-1]["amount"]) for r in full["refunds"]] == [("0.00", "-300.00")]
    refused(
        cli, "addon", "cancel", package_school, addon, "--received", "2026-05-01",
        message="is not running",
    )  # fmt: skip


def test_M11_package_status_shows_the_renewal_price_from_6_months_before(cli, package_school):
    early = ok(cli, "package", "status", package_school, "--date", "2026-07-31")
    assert early["renewal"]["amount"] is None and early["renewal"]["visible_from"] == "2026-08-01"
    late = ok(cli, "package", "status", package_school, "--date", "2026-08-01")
    assert late["renewal"]["amount"] == "1000.00"


@pytest.mark.slow  # example 10 stays fast in services/test_per_pupil_services.py
def test_F7_example10_through_the_cli(cli, pupil_school):
    doc = ok(
        cli, "pupils", "start", pupil_school, "--plan", "FPO-38", "--date", "2026-08-01",
        "--count", "3-8=200",
    )  # fmt: skip
    assert doc["invoice"]["net"] == "720.00"
    for year, month in [(2026, m) for m in range(8, 13)] + [(2027, m) for m in range(1, 8)]:
        ok(cli, "pupils", "count", pupil_school, "--month", f"{year}-{month:02d}", "3-8=195")
    ok(cli, "pupils", "count", pupil_school, "--month", "2027-08", "3-8=210")
    before = fingerprint(cli.path)
    dry = ok(cli, "renewals", "due", "--until", "2027-08-01", "--dry-run")
    assert fingerprint(cli.path) == before
    real = ok(cli, "renewals", "due", "--until", "2027-08-01")
    assert dry["summary"] == real["summary"]
    (item,) = real["items"]
    assert item["settlement"]["total"] == "738.00" and item["invoice"]["net"] == "738.00"
    assert ok(cli, "renewals", "due", "--until", "2027-08-01")["items"] == []


@pytest.mark.slow  # F10/F11 stay fast in services/test_per_pupil_services.py
def test_F10_F11_upgrade_change_cancel_status_reminders(cli, pupil_school):
    ok(
        cli, "pupils", "start", pupil_school, "--plan", "FPO-12", "--date", "2026-08-01",
        "--count", "1-2=50",
    )  # fmt: skip
    doc = ok(
        cli, "pupils", "upgrade", pupil_school, "--plan", "FPO-COMBI", "--date", "2027-01-10",
        "--count", "1-2=50", "--count", "3-8=150",
    )  # fmt: skip
    assert doc["settlement"]["credit"] == "-575.00" and doc["term_start"] == "2027-01-10"
    change = ok(
        cli, "pupils", "change", pupil_school, "--plan", "FPO-12", "--received", "2027-06-01"
    )
    assert change["in_time"] and change["from"] == "2028-01-10"
    assert ok(cli, "pupils", "status", pupil_school)["subscription"]["renew_plan"] == "FPO-12"
    assert ok(cli, "pupils", "reminders", "--date", "2027-11-10")[0]["school"] == pupil_school
    cancel = ok(cli, "pupils", "cancel", pupil_school, "--received", "2027-12-09")
    assert cancel["in_time"] and cancel["effective"] == "2028-01-09"


def test_the_calendar_year_run_still_works_beside_renewals_due(cli):
    set_vendor(cli)  # the run issues its invoices, and its preview checks what that needs
    doc = ok(cli, "renewals", "run", "--year", "2027", "--dry-run")
    assert doc["year"] == 2027 and doc["dry_run"] is True


# --- every bad input: exit 2, a message naming it, nothing written ---------------------------


@pytest.mark.slow  # the add-on's bad inputs stay fast
def test_package_bad_inputs(cli, package_school, tmp_path):
    s = package_school
    refused(cli, "package", "order", s, "--capacity", "0", "--date", "2026-02-01",
            message="at least 1")  # fmt: skip
    refused(cli, "package", "order", s, "--capacity", "500", "--date", "2026-02-30",
            message="not a date")  # fmt: skip
    refused(cli, "package", "order", s, "--capacity", "500", "--date", "2026-03-01",
            message="running package of 1000 users")  # fmt: skip
    refused(cli, "package", "order", "999999", "--capacity", "500", "--date", "2026-03-01",
            message="999999")  # fmt: skip
    other = school(cli)
    refused(cli, "package", "order", other, "--capacity", "600", "--date", "2026-03-01",
            message="sizes: 250, 500, 750, 1000, 1400, 2000")  # fmt: skip
    refused(cli, "package", "order", other, "--capacity", "500", "--date", "2026-03-01",
            "--plan", "LO-LOCAL", message="not sold as user packages")  # fmt: skip
    refused(cli, "package", "count", s, "--date", "2026-06-10", message="--users")
    refused(cli, "package", "count", s, "--date", "2026-06-10", "--users", "-3",
            message="negative")  # fmt: skip
    refused(cli, "package", "count", s, "--date", "2027-06-10", "--users", "3",
            message="after the licence year")  # fmt: skip
    refused(cli, "package", "count", s, "--date", "2026-06-10", "--accounts",
            str(tmp_path / "missing.csv"), message="Cannot read the accounts file")  # fmt: skip
    refused(cli, "package", "count", other, "--date", "2026-06-10", "--users", "3",
            message="no running user package")  # fmt: skip
    refused(cli, "package", "upgrade", s, "--capacity", "500", "--date", "2026-06-10",
            message="larger package")  # fmt: skip
    refused(cli, "package", "upgrade", s, "--capacity", "1400", "--date", "2026-01-10",
            message="before the licence year")  # fmt: skip
    refused(cli, "package", "resize", s, "--capacity", "500", "--received", "2026-11-01",
            message="had to arrive by 2026-10-31")  # fmt: skip
    refused(cli, "package", "resize", s, "--capacity", "600", "--received", "2026-05-01",
            message="sizes")  # fmt: skip
    refused(cli, "package", "cancel", s, "--received", "2027-03-01",
            message="after the licence year")  # fmt: skip
    ok(cli, "package", "full", s, "--date", "2026-03-01")
    refused(cli, "package", "full", s, "--date", "2026-03-02", message="full package already")


def test_addon_bad_inputs(cli, package_school):
    s = package_school
    refused(cli, "addon", "order", s, "--subject", " ", "--date", "2026-04-15",
            message="needs a subject")  # fmt: skip
    refused(cli, "addon", "order", s, "--subject", "Deutsch", "--date", "2026-04-15",
            "--billing-name", "X", message="incomplete")  # fmt: skip
    refused(cli, "addon", "order", s, "--subject", "Deutsch", "--date", "2026-04-15",
            "--billing-name", "X", "--billing-postcode", "1", "--billing-city", "Y",
            "--billing-country", "FR", message="unknown country FR")  # fmt: skip
    refused(cli, "addon", "cancel", s, "7", "--received", "2026-05-01", message="no add-on 7")
    refused(cli, "addon", "cancel", s, "x", "--received", "2026-05-01", message="invalid int")
    addon = ok(cli, "addon", "order", s, "--subject", "Deutsch", "--date", "2026-04-15")
    refused(cli, "addon", "order", s, "--subject", "Deutsch", "--date", "2026-05-15",
            message="already")  # fmt: skip
    addon_id = str(addon["addon"]["id"])
    ok(cli, "addon", "cancel", s, addon_id, "--received", "2026-05-01")
    refused(cli, "addon", "cancel", s, addon_id, "--received", "2026-05-02",
            message="already cancelled")  # fmt: skip


@pytest.mark.slow  # the add-on's bad inputs stay fast
def test_pupils_bad_inputs(cli):
    s = school(cli, "NL", "nl")
    refused(cli, "pupils", "trial", s, "--date", "2026-02-01",
            message="the general terms have not been accepted")  # fmt: skip
    refused(cli, "pupils", "terms", s, message="--accepted")
    refused(cli, "pupils", "terms", s, "--dpa-ref", "X", message="go together")
    ok(cli, "pupils", "terms", s, "--accepted", "2026-01-10")
    refused(cli, "pupils", "trial", s, "--date", "2026-02-01",
            message="no data-processing agreement")  # fmt: skip
    ok(cli, "pupils", "terms", s, "--dpa-ref", "VWO-17", "--dpa-date", "2026-01-12")
    refused(cli, "pupils", "trial", s, "--date", "2026-02-01", "--until", "2026-08-01",
            message="at most 6 months")  # fmt: skip
    refused(cli, "pupils", "start", s, "--plan", "FPO-38", "--date", "2026-08-01",
            "--count", "3-8=200", message="preceded by the free trial")  # fmt: skip
    ok(cli, "pupils", "trial", s, "--date", "2026-02-01")
    refused(cli, "pupils", "trial", s, "--date", "2026-03-01", message="once")
    refused(cli, "pupils", "start", s, "--plan", "FPO-38", "--date", "2026-08-01",
            "--count", "3-8", message="PART=N")  # fmt: skip
    refused(cli, "pupils", "start", s, "--plan", "FPO-38", "--date", "2026-08-01",
            "--count", "3-8=1", "--count", "3-8=2", message="given twice")  # fmt: skip
    refused(cli, "pupils", "start", s, "--plan", "FPO-38", "--date", "2026-08-01",
            "--count", "1-2=1", message="not 1-2")  # fmt: skip
    refused(cli, "pupils", "start", s, "--plan", "MG-PACKAGE", "--date", "2026-08-01",
            "--count", "3-8=1", message="not sold per pupil")  # fmt: skip
    refused(cli, "pupils", "start", s, "--plan", "NOPE", "--date", "2026-08-01",
            "--count", "3-8=1", message="unknown plan")  # fmt: skip
    refused(cli, "pupils", "count", s, "--month", "2026-08", "3-8=1",
            message="no per-pupil subscription")  # fmt: skip
    ok(cli, "pupils", "start", s, "--plan", "FPO-38", "--date", "2026-08-01", "--count", "3-8=200")
    refused(cli, "pupils", "count", s, "--month", "2026-13", "3-8=1", message="not a month")
    refused(cli, "pupils", "count", s, "--month", "2026-09", "5-6=1", message="Unknown part")
    refused(cli, "pupils", "upgrade", s, "--plan", "FPO-12", "--date", "2027-01-10",
            "--count", "1-2=1", message="no upgrade")  # fmt: skip
    refused(cli, "pupils", "upgrade", s, "--plan", "FPO-18", "--date", "2027-08-10",
            "--count", "1-8=1", message="after the licence year")  # fmt: skip
    refused(cli, "pupils", "change", s, "--plan", "FPO-18", "--received", "2027-01-10",
            message="upgrade")  # fmt: skip
    refused(cli, "pupils", "change", s, "--plan", "FPO-38", "--received", "2027-01-10",
            message="already")  # fmt: skip
    ok(cli, "pupils", "cancel", s, "--received", "2027-01-10")
    refused(cli, "pupils", "cancel", s, "--received", "2027-01-11", message="already cancelled")


def test_renewals_due_bad_inputs(cli):
    refused(cli, "renewals", "due", message="--until")
    refused(cli, "renewals", "due", "--until", "2027-02-29", message="not a date")
