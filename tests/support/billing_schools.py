"""Schools with a full postal address in each country, for the billing tests (issuing needs one,
the QR-bill and the e-invoices carry it)."""

from __future__ import annotations

ADDRESSES = {
    "CH": {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"},
    "DE": {"street": "Leopoldstraße", "house_number": "3", "postcode": "80802", "city": "München"},
    "AT": {"street": "Schulgasse", "house_number": "7", "postcode": "1010", "city": "Wien"},
    "NL": {"street": "Keizersgracht", "house_number": "123", "postcode": "1015 CJ",
           "city": "Amsterdam"},
}  # fmt: skip


def school_in(make_school, country: str, language: str = "de", **extra) -> str:
    """A school "Schule Dvořák <country>" with an address and an e-mail; its number."""
    return make_school(
        f"Schule Dvořák {country}",
        country=country,
        language=language,
        email="sekretariat@schule.example",
        **ADDRESSES[country],
        **extra,
    )
