"""M10: moving to the full package refunds each running subject add-on pro rata by a credit note
that references the add-on's issued invoice, written by billing's own credit use case inside the
same transaction; an add-on invoice still a draft gets the refund deducted instead."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.services.billing import credit_notes, issuing, lookups, vendor
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.packages.activation import order_package
from lehrer_licenses.services.licences.packages.addons import order_addon
from lehrer_licenses.services.licences.packages.full_package import move_to_full_package
from lehrer_licenses.services.season.renewals_due import run_due_renewals
from lehrer_licenses.store.models import Addon, Invoice, Subscription


@pytest.fixture
def school(db, make_school):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    number = make_school(
        "Gymnasium Lindenberg", country="DE", language="de",
        street="Hauptstraße", house_number="1", postcode="88161", city="Lindenberg",
    )  # fmt: skip
    order_package(db, number, 500, date(2026, 2, 1))
    return number


def issued_addon(db, school: str, on: date) -> dict:
    result = order_addon(db, school, "Deutsch", on)
    return shape.invoice_json(issuing.issue_invoice(db, str(result.invoice.id), on))


def test_M10_refund_of_an_issued_addon_invoice_is_a_credit_note_referencing_it(db, school):
    invoice = issued_addon(db, school, date(2026, 4, 15))
    assert (invoice["net"], invoice["payable"]) == ("195.00", "232.05")  # 19 % VAT
    quote = move_to_full_package(db, school, date(2026, 10, 15), quote=True)
    result = move_to_full_package(db, school, date(2026, 10, 15))
    (note,) = result.refunds
    shown = shape.invoice_json(lookups.show_invoice(db, note.number))
    assert shown["kind"] == "credit_note" and shown["status"] == "issued"
    assert shown["credits_invoice_id"] == invoice["id"]
    # 195.00 x 182 of 365 days = 97.23 net; 115.70 with VAT, which gives back 97.23 net
    assert quote.refunds[0].lines[0].amount == Decimal("-97.23")
    assert (shown["net"], shown["payable"]) == ("97.23", "115.70")
    assert "182 von 365 Tagen" in shown["note"]  # why, in the school's language
    (line,) = shown["lines"]  # the printed line says what is refunded, not just "partial"
    assert "Deutsch" in line["description"] and "182 von 365 Tagen" in line["description"]
    assert line["amount"] == "97.23"
    assert invoice["number"] in result.notices[0] and result.notices == quote.notices
    assert shape.invoice_json(lookups.show_invoice(db, invoice["number"]))["credited"] == "115.70"


def test_M10_refund_on_the_day_it_started_credits_the_whole_invoice(db, school):
    invoice = issued_addon(db, school, date(2026, 4, 15))
    (note,) = move_to_full_package(db, school, date(2026, 4, 15)).refunds
    shown = shape.invoice_json(lookups.show_invoice(db, note.number))
    assert (shown["net"], shown["payable"]) == ("195.00", "232.05")
    assert [line["description"] for line in shown["lines"]] == [
        line["description"] for line in invoice["lines"]
    ]  # the whole invoice, line by line
    assert shape.invoice_json(lookups.show_invoice(db, invoice["number"]))["open"] == "0.00"


def test_M10_refund_on_its_last_day_credits_one_day(db, school):
    invoice = issued_addon(db, school, date(2026, 4, 15))
    run_due_renewals(db, date(2027, 2, 1), dry_run=False)  # the package year covers 2027-04-14
    (note,) = move_to_full_package(db, school, date(2027, 4, 14)).refunds
    shown = shape.invoice_json(lookups.show_invoice(db, note.number))
    assert (shown["net"], shown["payable"]) == ("0.53", "0.63")  # 195 / 365, + 19 %
    assert shown["credits_invoice_id"] == invoice["id"]


def test_M10_refund_of_a_draft_addon_invoice_is_deducted_from_the_draft(db, school):
    draft = order_addon(db, school, "Deutsch", date(2026, 4, 15)).invoice
    quote = move_to_full_package(db, school, date(2026, 10, 15), quote=True)
    assert "draft" in quote.notices[0]
    (refund,) = move_to_full_package(db, school, date(2026, 10, 15)).refunds
    assert refund.id == draft.id and refund.status == "draft"
    assert refund.lines[-1].amount == Decimal("-97.23") and refund.totals.net.amount == Decimal(
        "97.77"
    )
    with db.reading() as session:
        assert session.scalars(select(Invoice.kind)).all().count("credit_note") == 0


def test_M10_a_credit_note_refused_leaves_the_move_unwritten(db, school):
    invoice = issued_addon(db, school, date(2026, 4, 15))
    # a credit note dated later already exists: numbering in date order refuses an earlier one
    credit_notes.credit_invoice(
        db, invoice["number"], reason="Kulanz", amount=Decimal("1.00"), on=date(2026, 9, 1)
    )
    with db.reading() as session:
        before = session.scalars(select(Invoice.id)).all()
    with pytest.raises(InvalidInput):
        move_to_full_package(db, school, date(2026, 8, 1))
    with db.reading() as session:
        assert session.scalars(select(Invoice.id)).all() == before
        assert session.scalar(select(Subscription.full_package)) is False
        assert session.scalar(select(Addon.status)) == "active"


def test_M10_move_with_an_issued_addon_invoice_needs_the_schools_postal_address(db, make_school):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    number = make_school("Schule ohne Ort", country="DE", language="de")
    order_package(db, number, 500, date(2026, 2, 1))
    result = order_addon(db, number, "Deutsch", date(2026, 4, 15))
    with db.transaction() as session:  # an add-on invoice issued before the address was lost
        invoice = session.get(Invoice, result.invoice.id)
        invoice.status, invoice.number = "issued", "2026-09999"
    with pytest.raises(InvalidInput, match="postal address"):
        move_to_full_package(db, number, date(2026, 5, 1), quote=True)
