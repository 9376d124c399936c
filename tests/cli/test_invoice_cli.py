"""The billing commands: vendor, invoice list/show/issue/pdf/pay/credit/delete/edit/accept/balance,
quote and letters dunning; --json output, and bad input refused with exit 2, nothing written."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from support.cli_run import fingerprint, ok, refused
from support.cli_run import set_sample_vendor as set_vendor


def school(cli, name="Primarschule Łukasz Żółć", language="de") -> str:
    return ok(
        cli,
        "school",
        "add",
        "--name",
        name,
        "--country",
        "CH",
        "--language",
        language,
        "--street",
        "Schulhausstrasse",
        "--house-number",
        "5",
        "--postcode",
        "3011",
        "--city",
        "Bern",
    )["number"]


def order(cli, number: str, seats="3", on="2026-03-10") -> int:
    return ok(cli, "order", number, "--seats", seats, "--date", on)["id"]


def test_vendor_show_and_set(cli):
    shown = ok(cli, "vendor", "show")
    assert shown["name"] == "" and "iban" in shown["missing"]
    set_vendor(cli)
    shown = ok(cli, "vendor", "show")
    assert shown["missing"] == [] and shown["qr_iban"] == "CH44 3199 9123 0008 8901 2"
    refused(cli, "vendor", "set", "--iban", "CH00 1234", match="iban: not a valid IBAN")
    refused(cli, "vendor", "set", match="nothing to set")


def test_issue_without_vendor_is_refused_naming_the_fields(cli):
    draft = order(cli, school(cli))
    refused(cli, "invoice", "issue", str(draft), match="set name, street, postcode, city")


def test_issue_pdf_pay_credit_and_list(cli, tmp_path):
    set_vendor(cli)
    number = school(cli)
    draft = order(cli, number)
    issued = ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")
    assert issued["number"] == "2026-00001" and issued["status"] == "issued"
    refused(cli, "invoice", "issue", str(draft), match="already issued")
    refused(cli, "invoice", "delete", "2026-00001", match="cannot be deleted")
    refused(cli, "invoice", "edit", "2026-00001", "--remove-line", "1", match="cannot be edited")

    out = tmp_path / "r.pdf"
    doc = ok(cli, "invoice", "pdf", "2026-00001", "-o", str(out))
    assert doc["stored"] is True and out.read_bytes().startswith(b"%PDF")
    again = tmp_path / "again.pdf"
    ok(cli, "invoice", "pdf", "2026-00001", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()
    text = PdfReader(out).pages[0].extract_text()
    assert "Rechnung 2026-00001" in text and "Łukasz Żółć" in text

    paid = ok(cli, "invoice", "pay", "2026-00001", "--amount", "200", "--date", "2026-03-20")
    assert paid["status"] == "partly_paid" and paid["open"] == "305.90"
    late = ok(cli, "invoice", "list", "--overdue", "--date", "2026-05-01")
    assert [(d["number"], d["days_overdue"], d["open"]) for d in late] == [
        ("2026-00001", 21, "305.90")
    ]
    # partly paid is what was paid, not the date: past its due date it is still listed so
    partly = ok(cli, "invoice", "list", "--status", "partly_paid", "--date", "2026-05-01")
    assert [(d["number"], d["status"], d["paid"]) for d in partly] == [
        ("2026-00001", "overdue", "200.00")
    ]
    credit = ok(
        cli, "invoice", "credit", "2026-00001", "--reason", "Rabatt", "--amount", "5.90",
        "--date", "2026-03-21",
    )  # fmt: skip
    assert credit["number"] == "G2026-00001"
    balance = ok(cli, "invoice", "balance", number, "--date", "2026-05-01")
    assert balance["balances"][0]["open"] == "300.00"
    rest = ok(cli, "invoice", "pay", issued["reference"], "--amount", "300", "--date", "2026-05-02")
    assert rest["status"] == "paid"
    assert [d["number"] for d in ok(cli, "invoice", "list", "--status", "paid")] == ["2026-00001"]
    assert [d["number"] for d in ok(cli, "invoice", "list", "--kind", "credit_note")] == [
        "G2026-00001"
    ]
    shown = ok(cli, "invoice", "show", "2026-00001")
    assert shown["credit_notes"] == ["G2026-00001"] and len(shown["payments"]) == 2
    code, out, _err = cli("invoice", "show", "2026-00001")
    assert code == 0 and "2026-00001" in out


def test_draft_edit_and_delete(cli):
    set_vendor(cli)
    draft = order(cli, school(cli))
    edited = ok(
        cli, "invoice", "edit", str(draft), "--add-line", "Kurs «Einführung»", "1", "250",
        "--remove-line", "2",
    )  # fmt: skip
    assert edited["lines"][-1]["description"] == "Kurs «Einführung»"
    refused(cli, "invoice", "edit", str(draft), "--add-line", "x", "one", "2", match="numbers")
    before = fingerprint(cli.path)
    refused(cli, "invoice", "delete", str(draft), match=f"invoice undo-order {draft}")
    assert fingerprint(cli.path) == before
    dry = ok(cli, "invoice", "undo-order", str(draft), "--dry-run")
    assert dry["dry_run"] is True and dry["positions"] == [1, 2, 3]
    assert fingerprint(cli.path) == before
    code, out, _err = cli("invoice", "undo-order", str(draft), "--dry-run")
    assert code == 0 and "dry run, nothing changed" in out and "removes 3 seat(s)" in out
    done = ok(cli, "invoice", "undo-order", str(draft), "--date", "2026-03-10")
    assert done["subscription_removed"] is True and done["seats_after"] == 0
    refused(cli, "invoice", "show", str(draft), match="no invoice")
    refused(cli, "invoice", "undo-order", str(draft), match="no invoice")


def test_pay_and_credit_refused_on_drafts(cli):
    set_vendor(cli)
    draft = order(cli, school(cli))
    refused(
        cli, "invoice", "pay", str(draft), "--amount", "10", "--date", "2026-03-10",
        match="issue it before",
    )  # fmt: skip
    refused(cli, "invoice", "credit", str(draft), "--reason", "x", match="edit or delete it")
    refused(
        cli, "invoice", "pay", str(draft), "--amount", "ten", "--date", "2026-03-10",
        match="not an amount",
    )  # fmt: skip


def test_pdf_to_a_missing_folder_writes_nothing(cli, tmp_path):
    set_vendor(cli)
    ok(cli, "invoice", "issue", str(order(cli, school(cli))), "--date", "2026-03-11")
    refused(
        cli, "invoice", "pdf", "2026-00001", "-o", str(tmp_path / "no" / "x.pdf"),
        match="no such folder",
    )  # fmt: skip


def test_quote_writes_a_numbered_quote_and_accept_makes_the_draft(cli, tmp_path):
    set_vendor(cli)
    number = school(cli, "École Françoise", "fr")
    out = tmp_path / "offre.pdf"
    quote = ok(cli, "quote", number, "--seats", "2", "--date", "2026-03-01", "-o", str(out))
    assert quote["number"] == "Q2026-00001" and quote["kind"] == "quote"
    text = PdfReader(out).pages[0].extract_text()
    assert "Offre Q2026-00001" in text and "École Françoise" in text
    refused(
        cli, "quote", number, "--seats", "2", "--date", "2026-03-01", "-o",
        str(tmp_path / "missing" / "q.pdf"), match="no such folder",
    )  # fmt: skip
    draft = ok(cli, "invoice", "accept", "Q2026-00001", "--date", "2026-03-05")
    assert draft["status"] == "draft" and draft["quote"] == "Q2026-00001"


@pytest.mark.slow  # test_letters_notice_renewal_and_price stays fast
def test_letters_dunning_batch_and_per_school(cli, tmp_path):
    set_vendor(cli)
    ok(cli, "vendor", "set", "--dunning-fees", "0,5,10", "--dunning-wait-days", "5,10,10")
    for name in ("Schule Dvořák", "Schule Ørsted"):
        draft = order(cli, school(cli, name))
        ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")
    dry = ok(cli, "letters", "dunning", "--date", "2026-04-16", "--dry-run")
    assert dry["reminders"] == 2 and dry["files"] == []
    assert ok(cli, "invoice", "list", "--overdue", "--date", "2026-04-16")[0]["dunning_level"] == 0
    batch = tmp_path / "mahnungen.pdf"
    folder = tmp_path / "per-school"
    folder.mkdir()
    run = ok(
        cli, "letters", "dunning", "--date", "2026-04-16", "-o", str(batch),
        "--per-school", str(folder),
    )  # fmt: skip
    assert [n["level"] for n in run["notices"]] == [1, 1]
    assert len(PdfReader(batch).pages) == 2 and len(list(folder.iterdir())) == 2
    assert "Zahlungserinnerung" in PdfReader(batch).pages[0].extract_text()
    assert ok(cli, "letters", "dunning", "--date", "2026-04-20", "--dry-run")["reminders"] == 0
    second = ok(cli, "letters", "dunning", "--date", "2026-04-26", "-o", str(batch))
    assert [(n["level"], n["fee"]) for n in second["notices"]] == [(2, "5.00"), (2, "5.00")]
    refused(cli, "letters", "dunning", "--date", "2026-05-10", match="-o FILE")


def test_letters_notice_renewal_and_price(cli, tmp_path):
    set_vendor(cli)
    number = school(cli)
    order(cli, number, "4")
    out = tmp_path / "notice.pdf"
    run = ok(cli, "letters", "notice", "--date", "2026-09-15", "-o", str(out))
    assert run["letters"] == 1 and run["schools"][0]["deadline"] == "2026-10-31"
    assert "verlängert sich am 01.01.2027" in " ".join(
        PdfReader(out).pages[0].extract_text().split()
    )
    ok(cli, "renewals", "run", "--year", "2027")
    run = ok(cli, "letters", "renewal", "--year", "2027", "--date", "2026-12-01", "-o", str(out))
    assert run["letters"] == 1
    refused(
        cli, "letters", "price", "LO-LOCAL", "--valid-from", "2027-01-01", "--date", "2026-06-01",
        "-o", str(out), match="no new subscription price",
    )  # fmt: skip


def test_einvoice_factur_x_and_xrechnung(cli, tmp_path):
    set_vendor(cli)
    number = ok(
        cli, "school", "add", "--name", "Grundschule Ørsted", "--country", "DE", "--language",
        "de", "--postcode", "80802", "--city", "München", "--email", "schule@example.org",
    )["number"]  # fmt: skip
    ok(cli, "invoice", "issue", str(order(cli, number)), "--date", "2026-03-11")
    pdf = tmp_path / "zugferd.pdf"
    assert ok(cli, "invoice", "einvoice", "2026-00001", "-o", str(pdf))["format"] == "factur-x"
    assert pdf.read_bytes().startswith(b"%PDF")
    xml = tmp_path / "xrechnung.xml"
    refused(
        cli, "invoice", "einvoice", "2026-00001", "--xrechnung", "-o", str(xml),
        match="Leitweg-ID",
    )  # fmt: skip
    assert not xml.exists()
    refused(cli, "invoice", "leitweg-id", number, "123", match="not a valid Leitweg-ID")
    ok(cli, "invoice", "leitweg-id", number, "04011000-1234512345-06")
    ok(cli, "invoice", "einvoice", "2026-00001", "--xrechnung", "-o", str(xml))
    assert b"04011000-1234512345-06" in xml.read_bytes()
