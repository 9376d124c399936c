"""The VAT regime rules in the domain: the rate each regime charges (dated rates per country),
the tax word of a country and language, the legal notes, the stored text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.vat import (
    DEFAULT_VAT_RATES,
    VatRate,
    VatRegime,
    default_regime,
    regime_note,
    tax_word,
)

RATES = (*DEFAULT_VAT_RATES, VatRate("CH", Decimal("7.7"), date(2018, 1, 1)))
ON = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("regime", "rate"),
    [
        (VatRegime("CH", "domestic"), "8.1"),
        (VatRegime("DE", "domestic"), "8.1"),  # a Swiss vendor's own VAT, whatever the school
        (VatRegime("DE", "registered", "DE136695976"), "19"),
        (VatRegime("AT", "registered", "ATU13585627"), "20"),
        (VatRegime("DE", "reverse-charge"), "0"),
        (VatRegime("NL", "not-taxable"), "0"),
    ],
)
def test_the_rate_of_each_regime_for_a_swiss_vendor(regime, rate):
    assert regime.rate(RATES, "CH", ON) == Decimal(rate)


def test_rates_stay_dated():
    assert VatRegime("CH", "domestic").rate(RATES, "CH", date(2023, 12, 31)) == Decimal("7.7")
    with pytest.raises(DomainError, match="no VAT rate for CH valid on 2017-12-31"):
        VatRegime("CH", "domestic").rate(RATES, "CH", date(2017, 12, 31))


def test_an_undeclared_country_keeps_the_billing_of_before():
    assert default_regime("CH", "CH") == VatRegime("CH", "domestic", "", declared=False)
    abroad = default_regime("CH", "DE")
    assert (abroad.kind, abroad.rate(RATES, "CH", ON)) == ("registered", Decimal("19"))
    assert abroad.number("CHE-123.456.788 MWST") == "CHE-123.456.788 MWST"
    assert VatRegime("DE", "registered", "DE136695976").number("CHE-1") == "DE136695976"


@pytest.mark.parametrize(
    ("country", "language", "word"),
    [
        ("CH", "de", "MWST"),
        ("CH", "fr", "TVA"),
        ("CH", "it", "IVA"),
        ("CH", "en", "VAT"),
        ("DE", "de", "USt."),
        ("AT", "de", "USt."),
        ("DE", "en", "VAT"),
        ("NL", "nl", "btw"),
        ("NL", "en", "VAT"),
    ],
)
def test_the_tax_word_is_the_countrys_in_the_documents_language(country, language, word):
    assert tax_word(country, language) == word


def test_the_legal_notes_of_the_0_percent_regimes():
    assert regime_note("reverse-charge", "de") == "Steuerschuldnerschaft des Leistungsempfängers"
    assert regime_note("reverse-charge", "en") == "Reverse charge"
    assert regime_note("not-taxable", "fr") == "Non soumis à la TVA"
    assert regime_note("registered", "de") == ""


def test_the_stored_text_reads_back():
    regime = VatRegime("DE", "registered", "DE136695976")
    assert regime.encode() == "registered DE136695976"
    assert VatRegime.decode("DE", regime.encode()) == regime
    assert VatRegime.decode("AT", "reverse-charge") == VatRegime("AT", "reverse-charge")
    with pytest.raises(DomainError, match="unknown VAT regime 'zero'"):
        VatRegime.decode("AT", "zero")
