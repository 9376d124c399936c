"""`invoice issue` of several drafts or all of them, `invoice payments N` and `payment reverse`:
the real command line on a database file."""

from __future__ import annotations

import json

import pytest
from support.cli_run import ok, refused
from support.cli_run import set_sample_vendor as set_vendor


def school(cli, name: str, address: bool = True) -> str:
    args = ["school", "add", "--name", name, "--country", "CH", "--language", "de"]
    if address:
        args += ["--street", "Schulhausstrasse", "--house-number", "5", "--postcode", "3011"]
        args += ["--city", "Bern"]
    return ok(cli, *args)["number"]


def order(cli, number: str, seats: str = "3") -> int:
    return ok(cli, "order", number, "--seats", seats, "--date", "2026-03-10")["id"]


@pytest.mark.slow  # test_issue_all_drafts_in_text stays fast
def test_issue_several_drafts_each_on_its_own(cli):
    set_vendor(cli)
    bern = school(cli, "Primarschule Dvořák")
    bare = school(cli, "Schule ohne Adresse", address=False)
    first, second, third = order(cli, bern), order(cli, bare, "2"), order(cli, bern, "1")
    refused(cli, "invoice", "issue", str(first), "999", match="no invoice with id 999")
    refused(cli, "invoice", "issue", "--run", "2027", match="--run goes with --all-drafts")
    refused(cli, "invoice", "issue", str(first), "--all-drafts", match="not both")

    code, out, err = cli("--json", "invoice", "issue", str(first), str(second), str(third))
    assert code == 2 and "1 of 3 drafts refused; the others are issued" in err
    doc = json.loads(out)
    assert [r["number"] for r in doc["results"]] == ["2026-00001", None, "2026-00002"]
    assert "no postal address" in doc["results"][1]["refused"]
    assert (doc["issued"], doc["refused"]) == (2, 1)
    refused(cli, "invoice", "issue", str(first), str(second), match=f"not a draft: {first}")
    refused(cli, "invoice", "issue", "--all-drafts", "--run", "2027", match="no drafts to issue")


def test_issue_all_drafts_in_text(cli):
    set_vendor(cli)
    bern = school(cli, "Primarschule Ørsted")
    order(cli, bern)
    order(cli, bern, "1")
    code, out, err = cli("invoice", "issue", "--all-drafts", "--date", "2026-03-11")
    assert code == 0, err
    assert "2026-00001" in out and "2026-00002" in out and "2 issued, 0 refused" in out
    assert ok(cli, "invoice", "list", "--status", "draft") == []


def test_reverse_a_payment_and_list_the_payments(cli):
    set_vendor(cli)
    draft = order(cli, school(cli, "Primarschule Łukasz Żółć"))
    number = ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")["number"]
    paid = ok(cli, "invoice", "pay", number, "--amount", "505.90", "--date", "2026-03-20")
    assert paid["status"] == "paid"
    payment = paid["payment"]["id"]
    refused(
        cli,
        *("payment", "reverse", str(payment), "--reason", "Irrtum", "--date", "2026-03-19"),
        match="lies before the payment's date",
    )
    refused(cli, "payment", "reverse", "77", "--reason", "Irrtum", match="no payment with id 77")
    refused(cli, "payment", "reverse", str(payment), "--reason", " ", match="needs a reason")

    doc = ok(
        cli,
        *("payment", "reverse", str(payment), "--reason", "andere Schule", "--date", "2026-04-20"),
    )
    assert doc["status"] == "overdue" and doc["open"] == "505.90"  # due 2026-04-10
    assert doc["reversal"]["payment"] == payment and doc["reversal"]["amount"] == "505.90"
    refused(
        cli,
        *("payment", "reverse", str(payment), "--reason", "nochmals", "--date", "2026-04-21"),
        match="already reversed",
    )

    listed = ok(cli, "invoice", "payments", number)
    rows = [(p["id"], p["amount"], p["reverses"], p["reversed_by"]) for p in listed["payments"]]
    assert rows == [
        (payment, "505.90", None, doc["reversal"]["id"]),
        (doc["reversal"]["id"], "-505.90", payment, None),
    ]
    code, out, _err = cli("invoice", "payments", number)
    assert code == 0
    assert f"reverses {payment}: andere Schule" in out and "-505.90" in out
