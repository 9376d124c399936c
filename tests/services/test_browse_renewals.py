"""The renewals view's lists: notice deadlines coming up, pending cancellations, price changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lehrer_licenses.services import catalogue
from lehrer_licenses.services.browse import renewals as browse_renewals
from lehrer_licenses.services.licences.seats import cancellations, orders


def test_deadlines_cancellations_and_prices(db, make_school):
    a = make_school("Schulhaus Aarau", city="Aarau", postcode="5000")
    b = make_school("Zürich Nord", city="Zürich", postcode="8050")
    orders.order_seats(db, a, 3, date(2026, 3, 10))
    orders.order_seats(db, b, 2, date(2026, 3, 10))
    cancellations.cancel(db, b, seats=None, whole_contract=True, received=date(2026, 10, 1))
    rows, total = browse_renewals.upcoming_deadlines(db, date(2026, 9, 15))
    assert total == 2
    assert [(r.school, r.notice_deadline, r.seats, r.ending) for r in rows] == [
        (a, date(2026, 10, 31), 3, False),
        (b, date(2026, 10, 31), 2, True),
    ]
    assert browse_renewals.upcoming_deadlines(db, date(2026, 11, 1))[1] == 0  # deadline passed
    pending = browse_renewals.pending_cancellations(db)
    assert [(c.school, c.seats, c.effective_on) for c in pending] == [(b, None, date(2026, 12, 31))]
    catalogue.add_price(db, "LO-LOCAL", "base", Decimal("119.00"), date(2027, 1, 1))
    changes = browse_renewals.price_changes(db, date(2026, 9, 15))
    assert [(p.plan, p.component, p.amount) for p in changes] == [
        ("LO-LOCAL", "base", Decimal("119.00"))
    ]
