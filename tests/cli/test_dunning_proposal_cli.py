"""`dunning propose` lists the reminders due without writing anything; `dunning run --invoices`
sends only the chosen ones."""

from __future__ import annotations

from pypdf import PdfReader
from support.cli_run import ok, refused
from support.cli_run import set_sample_vendor as set_vendor
from test_invoice_cli import order, school


def test_propose_then_remind_only_the_chosen_invoices(cli, tmp_path):
    set_vendor(cli)
    ok(cli, "vendor", "set", "--dunning-fees", "5,10,20", "--dunning-wait-days", "5,10,10")
    ids = []
    for name in ("Schule Dvořák", "Schule Ørsted", "Schule Żółć"):
        draft = order(cli, school(cli, name))
        ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")
        ids.append(draft)
    proposal = ok(cli, "dunning", "propose", "--date", "2026-04-16")
    assert [(n["invoice_id"], n["level"], n["fee"]) for n in proposal["notices"]] == [
        (ids[0], 1, "5.00"),
        (ids[1], 1, "5.00"),
        (ids[2], 1, "5.00"),
    ]
    assert proposal["notices"][0]["open"] == "505.90"
    # proposing writes nothing: the same proposal the next time
    assert ok(cli, "dunning", "propose", "--date", "2026-04-16") == proposal
    batch = tmp_path / "mahnungen.pdf"
    chosen = f"{ids[0]},{ids[2]}"
    run = ok(cli, "dunning", "run", "--invoices", chosen, "--date", "2026-04-16", "-o", str(batch))
    assert [n["invoice_id"] for n in run["notices"]] == [ids[0], ids[2]]
    assert len(PdfReader(batch).pages) == 2
    again = ok(cli, "dunning", "propose", "--date", "2026-04-16")
    assert [n["invoice_id"] for n in again["notices"]] == [ids[1]]
    levels = {
        row["id"]: row["dunning_level"]
        for row in ok(cli, "invoice", "list", "--overdue", "--date", "2026-04-16")
    }
    assert levels == {ids[0]: 1, ids[1]: 0, ids[2]: 1}


def test_run_refuses_what_is_not_due_and_bad_ids(cli, tmp_path):
    set_vendor(cli)
    draft = order(cli, school(cli))
    ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")
    out = tmp_path / "m.pdf"
    refused(
        cli, "dunning", "run", "--invoices", "4,x", "--date", "2026-04-30", "-o", str(out),
        match="invoice ids are whole numbers",
    )  # fmt: skip
    refused(
        cli, "dunning", "run", "--invoices", str(draft), "--date", "2026-04-12", "-o", str(out),
        match="no reminder is due",
    )  # fmt: skip
    refused(
        cli, "dunning", "run", "--invoices", str(draft), "--date", "2026-04-30", match="-o FILE"
    )
    assert not out.exists()
    code, text, _err = cli("dunning", "propose", "--date", "2026-04-30")
    assert code == 0
    assert text.splitlines()[0] == "1 reminder due"
    assert f"{draft}" in text.splitlines()[1] and "505.90" in text.splitlines()[1]
