"""Typed text and the payment codes: typographic quotes, apostrophes, dashes, non-breaking spaces
and line breaks are mapped to their plain forms for the QR-bill, so such a school is billed like
any other; what no payment code can carry is refused as it is entered, edited or imported, the
field named, and the invoice keeps the text as typed."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from support.cli_run import fingerprint

from lehrer_licenses.domain.payment_text import payment_form, unpayable
from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR


def ok(cli, *args):
    code, out, err = cli("--json", *args)
    assert code == 0, err
    return json.loads(out)


def refused(cli, *args, match: tuple[str, ...]) -> None:
    before = fingerprint(cli.path)
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    for part in match:
        assert part in err, err
    assert fingerprint(cli.path) == before


def vendor(cli) -> None:
    args = []
    for key, value in SAMPLE_VENDOR.items():
        if value:
            args += [f"--{key.replace('_', '-')}", value]
    ok(cli, "vendor", "set", *args)


def issued_text(cli, tmp_path, number: str) -> str:
    draft = ok(cli, "order", number, "--seats", "3", "--date", "2026-03-10")["id"]
    issued = ok(cli, "invoice", "issue", str(draft), "--date", "2026-03-11")
    pdf = tmp_path / f"{number}.pdf"
    ok(cli, "invoice", "pdf", issued["number"], "-o", str(pdf))
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_the_plain_forms():
    assert payment_form("Collège de l\u2019Ouest") == "Collège de l'Ouest"
    assert payment_form("Schule \u201eAm See\u201c") == 'Schule "Am See"'
    assert payment_form("Seestrasse 1\u20133") == "Seestrasse 1-3"
    assert payment_form("Haus\u00a0B\u202fNord") == "Haus B Nord"
    assert payment_form("Schulhaus Nord\r\nEingang B ") == "Schulhaus Nord, Eingang B"
    assert unpayable("Dvořák Ørsted Łukasz Żółć «Ș»") == []
    assert unpayable("Школа №1 \U0001f600") == ["Ш", "а", "к", "л", "о", "№", "\U0001f600"]


@pytest.mark.slow  # the address-cell bill and the refusals stay fast
def test_typographic_names_and_addresses_are_billed_with_a_qr_bill(cli, tmp_path):
    vendor(cli)
    college = ok(
        cli, "school", "add", "--name", "Collège de l\u2019Ouest", "--country", "CH",
        "--language", "fr", "--street", "Rue du Lac", "--house-number", "1\u20133",
        "--postcode", "1950", "--city", "Sion",
    )["number"]  # fmt: skip
    text = issued_text(cli, tmp_path, college)
    assert "Collège de l\u2019Ouest" in text  # the address as typed, in the window
    assert "Collège de l'Ouest" in text and "Rue du Lac 1-3" in text  # the payment part
    assert "Section paiement" in text

    am_see = ok(
        cli, "school", "add", "--name", "Schule \u201eAm See\u201c", "--country", "CH",
        "--language", "de", "--postcode", "8800", "--city", "Thalwil",
    )["number"]  # fmt: skip
    text = issued_text(cli, tmp_path, am_see)
    assert "Schule \u201eAm See\u201c" in text and 'Schule "Am See"' in text
    assert "Zahlteil" in text


def test_a_line_break_in_an_imported_address_cell_is_billed(cli, tmp_path):
    vendor(cli)
    csv = tmp_path / "schulen.csv"
    csv.write_text(
        'Name;Strasse;PLZ;Ort;Land;Sprache\r\n"Primarschule Aesch";"Schulhaus Nord\r\nEingang B";'
        "4147;Aesch;CH;de\r\n",
        encoding="utf-8",
    )
    (row,) = ok(cli, "import", "schools", str(csv))["rows"]
    text = issued_text(cli, tmp_path, row["number"])
    assert "Schulhaus Nord, Eingang B" in " ".join(text.split())  # the payment part
    assert "Zahlteil" in text


def test_what_no_payment_code_carries_is_refused_as_it_is_entered(cli, tmp_path):
    refused(
        cli, "school", "add", "--name", "Школа 1", "--country", "CH", "--language", "de",
        match=("name:", "U+0428"),
    )  # fmt: skip
    number = ok(cli, "school", "add", "--name", "Schule", "--country", "CH", "--language", "de")[
        "number"
    ]
    refused(cli, "school", "edit", number, "--city", "Bern \U0001f600", match=("city:", "U+1F600"))
    csv = tmp_path / "schulen.csv"
    csv.write_text("name;city;country;language\nSchule;Αθήνα;CH;de\n", encoding="utf-8")
    refused(cli, "import", "schools", str(csv), match=("city", "U+0391"))
    ok(cli, "package", "order", number, "--capacity", "500", "--date", "2026-02-01")
    refused(
        cli, "addon", "order", number, "--subject", "Deutsch", "--date", "2026-04-15",
        "--billing-name", "Förderverein \u2116 1", "--billing-postcode", "8000",
        "--billing-city", "Zürich", "--billing-country", "CH",
        match=("billing address", "name", "U+2116"),
    )  # fmt: skip
