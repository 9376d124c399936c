"""Vendor identity in the database: validated when set, required before anything is issued."""

from __future__ import annotations

from datetime import date

import pytest

from lehrer_licenses.services.billing import issuing, vendor
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.orders import order_seats


def test_a_new_database_has_no_vendor_and_names_what_is_missing(db):
    settings = vendor.get_vendor(db)
    assert settings.name == "" and settings.missing() == [
        "name",
        "street",
        "postcode",
        "city",
        "country",
        "iban",
    ]
    assert settings.invoice_format == "{year}-{seq:05d}"


def test_issuing_is_refused_until_the_vendor_is_set(db, make_school):
    number = make_school(postcode="3011", city="Bern")
    draft = order_seats(db, number, 3, date(2026, 3, 10)).invoice
    with pytest.raises(InvalidInput, match="vendor identity is incomplete: set name, street"):
        issuing.issue_invoice(db, str(draft.id), date(2026, 3, 10))
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    assert issuing.issue_invoice(db, str(draft.id), date(2026, 3, 10)).number == "2026-00001"


def test_set_vendor_validates_iban_qr_iban_vat_id_and_formats(db):
    with pytest.raises(InvalidInput, match="iban: not a valid IBAN"):
        vendor.set_vendor(db, {"iban": "CH93 0076 2011 6238 5295 8"})
    with pytest.raises(InvalidInput, match="is a QR-IBAN"):
        vendor.set_vendor(db, {"iban": "CH44 3199 9123 0008 8901 2"})
    with pytest.raises(InvalidInput, match="is not a QR-IBAN"):
        vendor.set_vendor(db, {"qr_iban": "CH93 0076 2011 6238 5295 7"})
    with pytest.raises(InvalidInput, match="not a valid VAT/UID number"):
        vendor.set_vendor(db, {"country": "CH", "vat_id": "CHE-123.456.789 MWST"})
    with pytest.raises(InvalidInput, match="must contain \\{seq\\}"):
        vendor.set_vendor(db, {"invoice_format": "{year}"})
    with pytest.raises(InvalidInput, match="must contain \\{year\\}"):
        vendor.set_vendor(db, {"invoice_format": "R-{seq:05d}"})
    with pytest.raises(InvalidInput, match="different numbers"):
        vendor.set_vendor(db, {"credit_format": "{year}-{seq:05d}"})
    with pytest.raises(InvalidInput, match="no such file"):
        vendor.set_vendor(db, {"logo_path": "/nonexistent/logo.png"})
    with pytest.raises(InvalidInput, match="dunning_fees: give 3 amounts"):
        vendor.set_vendor(db, {"dunning_fees": "5"})
    assert vendor.get_vendor(db).name == ""  # nothing was written


def test_set_vendor_stores_normalised_values_and_audits(db):
    from sqlalchemy import select

    from lehrer_licenses.store.models import AuditEntry

    settings = vendor.set_vendor(
        db,
        {
            "name": "Lernplattform Süd GmbH",
            "country": "de",
            "iban": "de89370400440532013000",
            "bic": "cobadeffxxx",
            "vat_id": "DE136695976",
            "payment_terms_days": "14",
            "dunning_fees": "0,5,10",
        },
    )
    assert settings.iban == "DE89 3704 0044 0532 0130 00"
    assert settings.country == "DE" and settings.bic == "COBADEFFXXX"
    again = vendor.get_vendor(db)
    assert again == settings
    assert [f"{fee}" for fee in again.dunning_fees] == ["0.00", "5.00", "10.00"]
    with db.reading() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "vendor.set" in actions


def test_demo_sets_a_sample_vendor_only_when_none_is_set(db):
    from lehrer_licenses.services.demo.sample_data import create_demo

    vendor.set_vendor(db, {"name": "Eigene Firma AG"})
    create_demo(db, 2, seed=3)
    assert vendor.get_vendor(db).name == "Eigene Firma AG"


def test_demo_on_a_fresh_database_sets_the_sample_vendor(db):
    from lehrer_licenses.services.demo.sample_data import create_demo

    create_demo(db, 2, seed=3)
    settings = vendor.get_vendor(db)
    assert settings.missing() == [] and settings.qr_iban
