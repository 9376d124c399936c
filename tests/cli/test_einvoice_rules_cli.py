"""`invoice einvoice` refuses a file that breaks an official rule: exit 2, the rule named with
its text on stderr, no file written, the database unchanged."""

from __future__ import annotations

import re

import pytest
from test_invoice_cli import ok, order, refused, set_vendor

from lehrer_licenses.services.billing import einvoices

LEITWEG = "04011000-1234512345-06"


@pytest.fixture
def issued(cli) -> str:
    set_vendor(cli)
    school = ok(
        cli, "school", "add", "--name", "Grundschule Ørsted", "--country", "DE", "--language",
        "de", "--postcode", "80802", "--city", "München", "--email", "schule@example.org",
    )["number"]  # fmt: skip
    ok(cli, "invoice", "leitweg-id", school, LEITWEG)
    return ok(cli, "invoice", "issue", str(order(cli, school)), "--date", "2026-03-11")["number"]


def _breaking(monkeypatch, pattern: bytes) -> None:
    """The XML as written, then damaged as a faulty change to documents/einvoice.py would."""
    real = einvoices.cii_xml

    def damaged(*args, **kwargs) -> bytes:
        xml = real(*args, **kwargs)
        broken = re.sub(pattern, b"", xml, count=1, flags=re.S)
        assert broken != xml
        return broken

    monkeypatch.setattr(einvoices, "cii_xml", damaged)


def test_seller_name_removed_is_refused_with_br_06(cli, issued, tmp_path, monkeypatch):
    _breaking(monkeypatch, rb"(?<=<ram:SellerTradeParty>)<ram:Name>[^<]*</ram:Name>")
    target = tmp_path / "zugferd.pdf"
    err = refused(cli, "invoice", "einvoice", issued, "-o", str(target), match="BR-06")
    assert "Seller name (BT-27)" in err and "not written" in err
    assert not target.exists()


def test_payment_means_removed_is_refused_with_br_de_1(cli, issued, tmp_path, monkeypatch):
    _breaking(
        monkeypatch,
        rb"<ram:SpecifiedTradeSettlementPaymentMeans>.*?</ram:SpecifiedTradeSettlementPaymentMeans>",
    )
    target = tmp_path / "xrechnung.xml"
    err = refused(
        cli, "invoice", "einvoice", issued, "--xrechnung", "-o", str(target), match="BR-DE-1:"
    )
    assert "PAYMENT INSTRUCTIONS" in err
    assert not target.exists()


@pytest.mark.slow  # fast in services/test_einvoice_official_rules.py
def test_a_taxed_invoice_whose_vendor_lost_its_vat_id_is_refused(cli, issued, tmp_path):
    ok(cli, "invoice", "einvoice", issued, "--xrechnung", "-o", str(tmp_path / "ok.xml"))
    ok(cli, "vendor", "set", "--vat-id", "")
    target = tmp_path / "zugferd.pdf"
    err = refused(cli, "invoice", "einvoice", issued, "-o", str(target), match="BR-S-02")
    assert "BR-CO-26" in err
    assert not target.exists()
    draft = order(cli, ok(cli, "invoice", "show", issued)["school"])
    refused(cli, "invoice", "issue", str(draft), match="vendor set --vat-id")
