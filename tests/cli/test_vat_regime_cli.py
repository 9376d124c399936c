"""`vendor regime set COUNTRY REGIME [--vat-id X]` declares how a country's schools are billed,
`vendor show` lists the regime of every school country; what cannot be billed is refused with
exit 2 and nothing written; an invoice issued under a regime prints its tax word and number."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from support.cli_run import ok, refused
from support.cli_run import set_sample_vendor as set_vendor


def test_vendor_show_lists_the_regimes_and_regime_set_declares_one(cli):
    set_vendor(cli)
    code, out, _err = cli("vendor", "show")
    assert code == 0
    assert "  CH  domestic        CH CHE-123.456.788 MWST  (not declared: billed as before)" in out
    assert "  DE  registered      DE CHE-123.456.788 MWST  (not declared: billed as before)" in out

    declared = ok(cli, "vendor", "regime", "set", "de", "registered", "--vat-id", "DE136695976")
    assert declared == {
        "country": "DE",
        "regime": "registered",
        "tax_country": "DE",
        "vat_id": "DE136695976",
        "declared": True,
    }
    ok(cli, "vendor", "regime", "set", "AT", "reverse-charge")
    ok(cli, "vendor", "regime", "set", "NL", "not-taxable")
    shown = ok(cli, "vendor", "show")["vat_regimes"]
    assert [(r["country"], r["regime"], r["vat_id"], r["declared"]) for r in shown] == [
        ("CH", "domestic", "CHE-123.456.788 MWST", False),
        ("DE", "registered", "DE136695976", True),
        ("AT", "reverse-charge", "CHE-123.456.788 MWST", True),
        ("NL", "not-taxable", "CHE-123.456.788 MWST", True),
    ]
    code, out, _err = cli("vendor", "show")
    assert "  DE  registered      DE DE136695976\n" in out
    assert "  AT  reverse-charge  AT CHE-123.456.788 MWST\n" in out


def test_what_cannot_be_billed_is_refused_and_nothing_written(cli):
    set_vendor(cli)
    refused(cli, "vendor", "regime", "set", "DE", "registered", match="needs its number (--vat-id)")
    refused(
        cli,
        *("vendor", "regime", "set", "DE", "registered", "--vat-id", "DE136695975"),
        match="--vat-id: not a valid VAT number of DE: 'DE136695975'",
    )
    refused(
        cli,
        *("vendor", "regime", "set", "CH", "registered", "--vat-id", "CHE-123.456.788 MWST"),
        match="CH is the vendor's own country: declare it domestic",
    )
    refused(cli, "vendor", "regime", "set", "CH", "reverse-charge", match="schools abroad")
    code, _out, err = cli("vendor", "regime", "set", "FR", "domestic")
    assert code == 2 and "invalid choice: 'FR'" in err


def test_an_invoice_to_a_german_school_under_a_german_registration(cli, tmp_path):
    set_vendor(cli)
    ok(cli, "vendor", "regime", "set", "DE", "registered", "--vat-id", "DE 136 695 976")
    school = ok(
        cli,
        *("school", "add", "--name", "Grundschule Ørsted", "--country", "DE", "--language", "de"),
        *("--street", "Leopoldstraße", "--house-number", "3", "--postcode", "80802"),
        *("--city", "München"),
    )["number"]
    draft = ok(cli, "order", school, "--seats", "3", "--date", "2026-03-10")["id"]
    issued = ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")
    assert (issued["vat_rate"], issued["vat"]) == ("19", "88.92")  # 468.00 x 19 %
    out = tmp_path / "invoice.pdf"
    ok(cli, "invoice", "pdf", issued["number"], "-o", str(out))
    text = PdfReader(BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "USt. 19%" in text and "USt.-Nr. DE 136 695 976" in text
    assert "MWST" not in text
