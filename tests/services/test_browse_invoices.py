"""The invoices list of the desktop view (services/browse/invoices.py): what is paid, credited
and open per invoice, and the filters a clerk works by (open, overdue, partly paid, kinds)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lehrer_licenses.services.billing import credit_notes, issuing, payments, states
from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR, set_vendor
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.licences.seats import orders


@pytest.fixture
def billed(db, make_school):
    """Worked examples 1 and 2 at one school: both issued, the first partly paid, the second
    credited in part; a third school's order stays a draft."""
    set_vendor(db, dict(SAMPLE_VENDOR))
    aarau = make_school("Schulhaus Aarau", city="Aarau", postcode="5000")
    other = make_school("Zürich Nord", city="Zürich", postcode="8050")
    first = orders.order_seats(db, aarau, 3, date(2026, 3, 10)).invoice.id
    second = orders.order_seats(db, aarau, 2, date(2026, 9, 15)).invoice.id
    draft = orders.order_seats(db, other, 1, date(2026, 9, 20)).invoice.id
    issuing.issue_invoice(db, str(first), date(2026, 3, 10))
    issuing.issue_invoice(db, str(second), date(2026, 9, 15))
    payments.record_payment(db, str(first), Decimal("100.00"), date(2026, 3, 20))
    credit_notes.credit_invoice(
        db, str(second), reason="one seat too many", amount=Decimal("50.00"), on=date(2026, 9, 30)
    )
    return {"aarau": aarau, "first": first, "second": second, "draft": draft}


def test_paid_credited_and_open(db, billed):
    today = date(2026, 10, 1)
    rows = {r.id: r for r in browse_invoices.list_invoices(db, today=today)}
    first, second = rows[billed["first"]], rows[billed["second"]]
    assert (first.payable, first.paid, first.open, first.status) == (
        Decimal("505.90"),
        Decimal("100.00"),
        Decimal("405.90"),
        "overdue",  # partly paid, and due since 9 April
    )
    assert (second.credited, second.open, second.status) == (
        Decimal("50.00"),
        Decimal("229.85"),
        "issued",
    )
    assert rows[billed["draft"]].open == 0
    note = next(r for r in rows.values() if r.kind == "credit_note")
    assert note.credits_invoice_id == billed["second"]
    # The schools list sums the same open amounts (drafts are not open).
    school = browse.school_row(db, billed["aarau"])
    assert school.open_total == Decimal("405.90") + Decimal("229.85")


def test_filters(db, billed):
    def ids(status, today=date(2026, 10, 1)):
        return {r.id for r in browse_invoices.list_invoices(db, status=status, today=today)}

    assert ids("draft") == {billed["draft"]}
    assert ids("open") == {billed["first"], billed["second"]}
    assert ids("partly_paid") == {billed["first"]}
    assert ids("overdue") == {billed["first"]}  # due 30 days after 10 March
    assert ids("overdue", today=date(2026, 12, 1)) == {billed["first"], billed["second"]}
    assert len(ids("credit_note")) == 1
    assert browse_invoices.count_invoices(db, status="open") == 2
    assert browse_invoices.list_invoices(db, status="open", today=date(2026, 10, 1))[0].status
    row = browse_invoices.invoice_row(db, billed["first"], date(2026, 10, 1))
    assert row.status == "overdue"
    assert browse_invoices.invoice_ids(db, status="open") == [billed["second"], billed["first"]]
    with pytest.raises(ValueError):
        browse_invoices.list_invoices(db, status="nonsense")


def test_same_names_and_overdue_rule_as_billing():
    for name in (
        "INVOICE",
        "CREDIT_NOTE",
        "QUOTE",
        "DRAFT",
        "ISSUED",
        "PARTLY_PAID",
        "PAID",
        "CREDITED",
        "OVERDUE",
    ):
        assert getattr(browse_invoices, name) == getattr(states, name)
    for status in ("draft", "issued", "partly_paid", "paid", "credited"):
        for due in (None, date(2026, 1, 1), date(2027, 1, 1)):
            for amount in (Decimal("0.00"), Decimal("5.00")):
                args = (status, due, amount, date(2026, 6, 1))
                assert browse_invoices.display_status(*args) == states.display_status(*args)
