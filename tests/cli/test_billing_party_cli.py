"""An add-on paid by another party (M10): its invoice, credit note, reminder and e-invoice go to
that party and name the school as the licence holder; the school's own invoices do not."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from pypdf import PdfReader

from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR

RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def ok(cli, *args):
    code, out, err = cli("--json", *args)
    assert code == 0, err
    return json.loads(out)


def text_of(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def addon_billed_to_association(cli) -> tuple[str, dict]:
    args = []
    for key, value in SAMPLE_VENDOR.items():
        if value:
            args += [f"--{key.replace('_', '-')}", value]
    ok(cli, "vendor", "set", *args)
    number = ok(
        cli, "school", "add", "--name", "Gymnasium Ørsted", "--country", "DE", "--language", "de",
        "--street", "Schulweg", "--house-number", "3", "--postcode", "80802", "--city", "München",
        "--email", "schule@example.org",
    )["number"]  # fmt: skip
    order = ok(cli, "package", "order", number, "--capacity", "500", "--date", "2026-02-01")
    ok(cli, "invoice", "issue", str(order["invoice"]["id"]), "--date", "2026-02-01")
    addon = ok(
        cli, "addon", "order", number, "--subject", "Deutsch", "--date", "2026-04-15",
        "--billing-name", "Förderverein Gymnasium Ørsted e. V.", "--billing-street",
        "Am See 4", "--billing-postcode", "88161", "--billing-city", "Lindenberg",
        "--billing-country", "DE",
    )  # fmt: skip
    issued = ok(cli, "invoice", "issue", str(addon["invoice"]["id"]), "--date", "2026-04-15")
    return number, issued


@pytest.mark.slow  # the reminder stays fast
def test_the_addon_invoice_its_credit_note_and_e_invoice_go_to_the_paying_party(cli, tmp_path):
    _number, issued = addon_billed_to_association(cli)
    pdf = tmp_path / "addon.pdf"
    ok(cli, "invoice", "pdf", issued["number"], "-o", str(pdf))
    text = text_of(pdf)
    assert "Förderverein Gymnasium Ørsted e. V." in text and "88161 Lindenberg" in text
    assert "Lizenznehmer Gymnasium Ørsted" in text
    assert "Schulweg 3" not in text  # the school's address is not the billing address

    package_invoice = tmp_path / "package.pdf"
    ok(cli, "invoice", "pdf", "2026-00001", "-o", str(package_invoice))
    school_text = text_of(package_invoice)
    assert "Schulweg 3" in school_text and "Förderverein" not in school_text
    assert "Lizenznehmer" not in school_text

    credit = ok(
        cli, "invoice", "credit", issued["number"], "--reason", "Fach nicht genutzt",
        "--date", "2026-05-02",
    )  # fmt: skip
    note = tmp_path / "credit.pdf"
    ok(cli, "invoice", "pdf", credit["number"], "-o", str(note))
    note_text = text_of(note)
    assert "Förderverein Gymnasium Ørsted e. V." in note_text
    assert "Lizenznehmer Gymnasium Ørsted" in note_text

    facturx = tmp_path / "facturx.pdf"
    ok(cli, "invoice", "einvoice", issued["number"], "-o", str(facturx))
    xml = next(
        f.get_object()["/EF"]["/F"].get_data()
        for f in PdfReader(facturx).trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"][1::2]
    )
    buyer = etree.fromstring(xml).find(f".//{{{RAM}}}BuyerTradeParty")
    assert buyer.findtext(f"{{{RAM}}}Name") == "Förderverein Gymnasium Ørsted e. V."
    assert buyer.findtext(f".//{{{RAM}}}CityName") == "Lindenberg"
    assert b"schule@example.org" not in xml  # the school's address is not the buyer's
    code, _out, err = cli(
        "invoice", "einvoice", issued["number"], "--xrechnung", "-o", str(tmp_path / "x.xml")
    )
    assert code == 2 and "Förderverein Gymnasium Ørsted e. V." in err and "Factur-X" in err


def test_a_reminder_for_the_addon_invoice_goes_to_the_paying_party(cli, tmp_path):
    addon_billed_to_association(cli)
    letters = tmp_path / "mahnungen.pdf"
    run = ok(cli, "letters", "dunning", "--date", "2026-06-20", "-o", str(letters))
    assert len(run["notices"]) == 2  # the package's invoice and the add-on's
    reader = PdfReader(letters)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    to_association = [p for p in pages if "Förderverein Gymnasium Ørsted e. V." in p]
    assert len(to_association) == 1
    assert "Lizenznehmer Gymnasium Ørsted" in to_association[0]
    assert "Am See 4" in to_association[0] and "Schulweg 3" not in to_association[0]
    (to_school,) = [p for p in pages if "Schulweg 3" in p]
    assert "Lizenznehmer" not in to_school
