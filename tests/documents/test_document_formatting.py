"""Numbers, amounts and dates on documents; the documents' translation catalogues."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lehrer_licenses.documents.formatting import (
    format_amount,
    format_date,
    format_iban,
    format_money,
    format_percent,
    format_quantity,
    format_unit_price,
)
from lehrer_licenses.documents.swiss_qr_bill import format_qr_amount
from lehrer_licenses.documents.text import BOLD, REGULAR, ensure_fonts, stringWidth, wrap, wrap_code
from lehrer_licenses.i18n import parse_po
from lehrer_licenses.paths import translations_dir

D = Decimal


@pytest.mark.parametrize(
    ("currency", "language", "expected"),
    [
        ("CHF", "de", "1'234'567.50"),
        ("CHF", "fr", "1'234'567.50"),
        ("CHF", "it", "1'234'567.50"),
        ("CHF", "en", "1,234,567.50"),
        ("CHF", "nl", "1.234.567,50"),
        ("EUR", "de", "1.234.567,50"),
        ("EUR", "nl", "1.234.567,50"),
        ("EUR", "it", "1.234.567,50"),
        ("EUR", "en", "1,234,567.50"),
        ("EUR", "fr", "1\u202f234\u202f567,50"),
    ],
)
def test_amounts_per_currency_and_language(currency, language, expected):
    assert format_amount(D("1234567.5"), currency, language) == expected


def test_amount_edge_cases():
    assert format_amount(D("0"), "CHF", "de") == "0.00"
    assert format_amount(D("-0.004"), "CHF", "de") == "0.00"
    assert format_amount(D("-1234.5"), "CHF", "de") == "-1'234.50"
    assert format_amount(D("999.995"), "EUR", "de") == "1.000,00"
    assert format_amount(D("-0.01"), "EUR", "nl") == "-0,01"
    assert format_money(D("240.8"), "CHF", "de") == "CHF\u00a0240.80"
    with pytest.raises(TypeError):
        format_amount(1.5, "CHF", "de")  # type: ignore[arg-type]


def test_quantities_prices_and_percentages():
    assert format_quantity(D("3.000"), "CHF", "de") == "3"
    assert format_quantity(D("2.50"), "EUR", "de") == "2,5"
    assert format_quantity(D("1200"), "CHF", "de") == "1'200"
    assert format_unit_price(D("44.55"), "CHF", "de") == "44.55"
    assert format_unit_price(D("44.5"), "CHF", "de") == "44.50"
    assert format_unit_price(D("3.5125"), "CHF", "de") == "3.5125"
    assert format_unit_price(D("0.958333"), "EUR", "nl") == "0,9583"
    assert format_percent(D("8.1"), "CHF", "de") == "8.1%"
    assert format_percent(D("8.10"), "CHF", "en") == "8.1%"
    assert format_percent(D("19"), "EUR", "de") == "19\u00a0%"
    assert format_percent(D("7.7"), "EUR", "fr") == "7,7\u00a0%"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "10.03.2026"),
        ("fr", "10 mars 2026"),
        ("it", "10 marzo 2026"),
        ("en", "10 March 2026"),
        ("nl", "10 maart 2026"),
    ],
)
def test_dates(language, expected):
    assert format_date(date(2026, 3, 10), language) == expected


def test_french_first_of_the_month():
    assert format_date(date(2026, 8, 1), "fr") == "1er août 2026"
    assert format_date(date(2026, 8, 1), "de") == "01.08.2026"


def test_qr_bill_amounts_and_ibans():
    assert format_qr_amount(D("1007.1")) == "1 007.10"
    assert format_qr_amount(D("240.80")) == "240.80"
    assert format_iban("ch4431999123000889012") == "CH44 3199 9123 0008 8901 2"


def test_wrapping_respects_the_width_and_keeps_every_character():
    ensure_fonts()
    text = "Update subscription 2026, per teacher\nsecond paragraph " + "y" * 80
    width = 60 * 72 / 25.4
    lines = wrap(text, REGULAR, 9, width)
    assert all(stringWidth(line, REGULAR, 9) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert lines[0].startswith("Update")
    assert wrap("  ", REGULAR, 9, width) == []
    assert wrap("a\tb\x00c", REGULAR, 9, width) == ["a bc"]


def test_codes_break_after_their_dashes():
    ensure_fonts()
    code = "LO1-ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    lines = wrap_code(code, BOLD, 8.5, 100)
    assert "".join(lines) == code
    assert all(line.endswith("-") for line in lines[:-1])


# -- the catalogues --------------------------------------------------------------------------

QR_BILL_HEADINGS = {
    "Acceptance point",
    "Account / Payable to",
    "Additional information",
    "Payable by",
    "Payment part",
    "Receipt",
    "Currency",
}


def template_ids() -> list[str]:
    pot = (translations_dir() / "documents.pot").read_text(encoding="utf-8")
    return [m for m in re.findall(r'^msgid "(.*)"$', pot, flags=re.M) if m]


def test_template_matches_the_source():
    """Every message the documents use is in documents.pot (run pybabel extract if not)."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (Path(__file__).resolve().parents[2] / "lehrer_licenses/documents").glob("*.py")
    )
    used = set(re.findall(r'\b(?:N_|_)\(\s*"((?:[^"\\]|\\.)*)"', source))
    assert used == set(template_ids())


@pytest.mark.parametrize("language", ["de", "fr", "it", "nl"])
def test_every_document_message_is_translated(language):
    catalogue = parse_po(translations_dir() / language / "documents.po")
    expected = set(template_ids())
    if language == "nl":
        expected -= QR_BILL_HEADINGS  # English on purpose: no official Dutch wording
    assert expected - set(catalogue) == set()
    for msgid in expected:
        placeholders = set(re.findall(r"\{\w+\}", msgid))
        assert set(re.findall(r"\{\w+\}", catalogue[msgid])) == placeholders, msgid


def test_a_count_its_unit_and_its_rate_stay_on_one_line():
    ensure_fonts()
    for text, rate in (
        ("Abonnement de mise à jour 01.05.2026 – 31.12.2026, 8 mois × 4.50", "8 mois × 4.50"),
        ("Hébergement DB 01.05.2026 – 31.12.2026, 8 / mois × 4.50", "8 / mois × 4.50"),
    ):
        for width_mm in range(40, 120, 2):
            lines = wrap(text, REGULAR, 9, width_mm * 72 / 25.4)
            assert any(rate in line for line in lines), (width_mm, lines)
            assert "".join("".join(lines).split()) == "".join(text.split())
