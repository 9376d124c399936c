"""Issue 17 through the command line: December after the year-end run."""

import json

from support.cli_run import fingerprint

from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR


def _school(cli) -> str:
    args = []
    for key, value in SAMPLE_VENDOR.items():
        if value:
            args += [f"--{key.replace('_', '-')}", value]
    assert cli("vendor", "set", *args)[0] == 0
    code, out, err = cli(
        "--json", "school", "add", "--name", "Schule Au", "--country", "CH", "--language", "de",
        "--street", "Dorfstrasse", "--house-number", "1", "--postcode", "8804", "--city", "Au",
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)["number"]


def test_order_and_cancel_in_december_after_renewals_run(cli):
    school = _school(cli)
    assert cli("order", school, "--seats", "3", "--date", "2026-03-10")[0] == 0
    code, out, err = cli("--json", "renewals", "run", "--year", "2027", "--date", "2026-12-01")
    assert code == 0 and json.loads(out)["summary"]["renewed"] == 1, err
    # base 111.45 + December 2026 4.50 + 2027 as renewed 44.55 = 160.50
    code, out, err = cli("--json", "order", school, "--seats", "1", "--date", "2026-12-06")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["net"] == "160.50"
    assert [line["amount"] for line in doc["lines"]] == ["111.45", "4.50", "44.55"]
    assert doc["order"]["seats_after"] == 4
    # received 2026-12-06, after the 31 October deadline: the seat runs through 2027
    code, out, err = cli("--json", "cancel", school, "--seats", "1", "--received", "2026-12-06")
    assert code == 0, err
    assert json.loads(out)["effective"] == "2027-12-31"


def test_an_order_before_the_running_term_is_refused_capitalised(cli):
    school = _school(cli)
    assert cli("order", school, "--seats", "3", "--date", "2026-03-10")[0] == 0
    assert cli("renewals", "run", "--year", "2027")[0] == 0
    before = fingerprint(cli.path)
    code, _out, err = cli("order", school, "--seats", "1", "--date", "2025-12-06")
    assert code == 2
    assert "An order on 2025-12-06 is before the running term, which starts on 2027-01-01" in err
    assert fingerprint(cli.path) == before


def test_per_pupil_year_ends_the_day_before_its_anniversary(cli):
    code, out, err = cli(
        "--json", "school", "add", "--name", "Basisschool Au", "--country", "NL", "--language", "nl"
    )
    assert code == 0, err
    school = json.loads(out)["number"]
    assert cli("pupils", "terms", school, "--accepted", "2027-01-10",
               "--dpa-ref", "VWO-17", "--dpa-date", "2027-01-12")[0] == 0  # fmt: skip
    assert cli("pupils", "trial", school, "--date", "2027-03-01")[0] == 0
    code, out, err = cli(
        "--json", "pupils", "start", school, "--plan", "FPO-38", "--date", "2027-09-01",
        "--count", "3-8=200",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    # 200 x 3.60 = 720.00 for 2027-09-01 -> 2028-08-31 (one calendar year, not 365 days)
    assert (doc["term_start"], doc["term_end"]) == ("2027-09-01", "2028-08-31")
    assert doc["invoice"]["net"] == "720.00"
