"""A wrong payment is taken back by a counter-booking: the original stays, the reversal names it
and why, the invoice's status follows what is left paid; on real database files."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lehrer_licenses.services.billing import issuing, payments, vendor
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.store.models import AuditEntry, Payment

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}


@pytest.fixture
def issued(db, make_school):
    """An issued invoice of 505.90 CHF, due 2026-04-10."""
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    school = make_school("Primarschule Dvořák", country="CH", language="de", **ADDRESS)
    draft = order_seats(db, school, 3, date(2026, 3, 10)).invoice.id
    return issuing.issue_invoice(db, str(draft), date(2026, 3, 11)).view.number


def test_reversing_a_full_payment_makes_a_paid_invoice_open_again(db, issued):
    booked = payments.record_payment(db, issued, Decimal("505.90"), date(2026, 3, 20), "E-Banking")
    assert booked.record.status == "paid"

    result = payments.reverse_payment(
        db, booked.payment_id, "  Zahlung einer  anderen Schule ", date(2026, 3, 25)
    )

    assert result.record.status == "issued"  # not yet due on the reversal date
    assert result.record.open == Decimal("505.90")
    assert result.amount == Decimal("505.90") and result.reason == "Zahlung einer anderen Schule"
    _record, lines = payments.invoice_payments(db, issued)
    assert [(p.id, p.amount, p.reverses_id, p.reversed_by) for p in lines] == [
        (booked.payment_id, Decimal("505.90"), None, result.reversal_id),
        (result.reversal_id, Decimal("-505.90"), booked.payment_id, None),
    ]
    assert lines[1].paid_on == date(2026, 3, 25) and lines[1].reason.startswith("Zahlung")
    assert lines[0].reference == "E-Banking"  # the original is kept as it was booked
    with db.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "invoice.payment_reversed")
        ).one()
        assert json.loads(entry.before) == {"status": "paid", "payment": booked.payment_id}
        after = json.loads(entry.after)
        assert after["status"] == "issued" and after["reason"] == "Zahlung einer anderen Schule"
        assert session.scalar(select(Payment.amount).where(Payment.id == booked.payment_id)) == (
            Decimal("505.90")
        )


def test_the_status_after_a_reversal_follows_the_date_and_what_is_left(db, issued):
    first = payments.record_payment(db, issued, Decimal("300.00"), date(2026, 3, 20))
    second = payments.record_payment(db, issued, Decimal("205.90"), date(2026, 3, 21))
    later = payments.reverse_payment(db, second.payment_id, "doppelt gebucht", date(2026, 4, 20))
    assert later.record.status == "overdue"  # past 2026-04-10 with 205.90 open
    assert later.record.open == Decimal("205.90")
    again = payments.record_payment(db, issued, Decimal("205.90"), date(2026, 4, 21))
    assert again.record.status == "paid"
    partly = payments.reverse_payment(db, first.payment_id, "falsche Schule", date(2026, 3, 22))
    assert partly.record.status == "partly_paid" and partly.record.open == Decimal("300.00")


def test_a_payment_is_reversed_once_and_never_before_it_was_booked(db, issued):
    booked = payments.record_payment(db, issued, Decimal("100.00"), date(2026, 3, 20))
    with pytest.raises(InvalidInput, match="lies before the payment's date"):
        payments.reverse_payment(db, booked.payment_id, "Irrtum", date(2026, 3, 19))
    with pytest.raises(InvalidInput, match="needs a reason"):
        payments.reverse_payment(db, booked.payment_id, "   ", date(2026, 3, 21))
    with pytest.raises(InvalidInput, match="at most 200"):
        payments.reverse_payment(db, booked.payment_id, "x" * 201, date(2026, 3, 21))
    with pytest.raises(NotFound, match="no payment with id 999"):
        payments.reverse_payment(db, 999, "Irrtum", date(2026, 3, 21))
    reversal = payments.reverse_payment(db, booked.payment_id, "Irrtum", date(2026, 3, 21))
    with pytest.raises(InvalidInput, match=r"already reversed on .*reversal"):
        payments.reverse_payment(db, booked.payment_id, "nochmals", date(2026, 3, 22))
    with pytest.raises(InvalidInput, match="is itself the reversal of payment"):
        payments.reverse_payment(db, reversal.reversal_id, "zurück", date(2026, 3, 22))
    _record, lines = payments.invoice_payments(db, issued)
    assert len(lines) == 2  # the refusals wrote nothing
