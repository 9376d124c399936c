"""``catalogue price add --announced``: when customers were told of a price (M11). An increase
applies at a package renewal only when announced at least 6 months before it."""

import json

import pytest

from lehrer_licenses.cli.main import main


@pytest.fixture
def cli(databases, tmp_path, capsys):
    path = databases.copy_to(tmp_path / "cli.sqlite")

    def run(*args: str) -> dict:
        code = main(["--db", str(path), "--json", *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out)

    run("init")
    return run


@pytest.fixture
def package_school(cli) -> str:
    number = cli(
        "school", "add", "--name", "Schule", "--country", "DE", "--language", "de",
    )["number"]  # fmt: skip
    cli("package", "order", number, "--capacity", "500", "--date", "2026-02-01")
    return number  # licence year to 2027-01-31, renewal 2027-02-01, announce by 2026-08-01


def _price(plans: list[dict], valid_from: str) -> dict:
    (plan,) = [p for p in plans if p["code"] == "MG-PACKAGE"]
    wanted = ("package:500", valid_from)
    (price,) = [p for p in plan["prices"] if (p["component"], p["valid_from"]) == wanted]
    return price


def _add(cli, announced: str | None) -> list[dict]:
    args = ["catalogue", "price", "add", "MG-PACKAGE", "--component", "package:500"]
    args += ["--amount", "700.00", "--valid-from", "2027-01-01"]
    return cli(*args, *(["--announced", announced] if announced else []))


def test_M11_price_add_keeps_the_announcement_date(cli):
    assert _price(_add(cli, "2026-09-01"), "2027-01-01")["announced_on"] == "2026-09-01"


def test_M11_an_increase_announced_via_cli_too_late_waits_for_the_next_renewal(cli, package_school):
    _add(cli, "2026-09-01")  # 5 months before the renewal on 2027-02-01
    status = cli("package", "status", package_school, "--date", "2026-08-15")
    assert status["renewal"]["amount"] == "650.00"
    assert [p["amount"] for p in status["renewal"]["postponed_increases"]] == ["700.00"]
    assert status["renewal"]["postponed_increases"][0]["announced_on"] == "2026-09-01"


def test_M11_an_increase_announced_via_cli_6_months_ahead_applies(cli, package_school):
    _add(cli, "2026-08-01")
    status = cli("package", "status", package_school, "--date", "2026-08-15")
    assert status["renewal"]["amount"] == "700.00"
    assert status["renewal"]["postponed_increases"] == []
