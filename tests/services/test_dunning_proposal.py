"""The dunning proposal: the reminders due, nothing written; then only the chosen invoices are
reminded, and an invoice paid since the proposal is refused instead of reminded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lehrer_licenses.services.billing import dunning, issuing, payments, vendor
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.orders import order_seats

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}


@pytest.fixture
def desk(db):
    vendor.set_vendor(db, {**vendor.SAMPLE_VENDOR, "dunning_fees": "5,10,20"})
    return db


def issued(desk, school) -> int:
    draft = order_seats(desk, school, 3, date(2026, 3, 10)).invoice.id
    issuing.issue_invoice(desk, str(draft), date(2026, 3, 11))  # due 10.04.
    return draft


def test_the_proposal_writes_nothing_and_the_run_reminds_only_the_chosen(desk, make_school):
    first, second, third = (
        issued(desk, make_school(name, **ADDRESS)) for name in ("Dvořák", "Ørsted", "Żółć")
    )
    on = date(2026, 4, 20)
    proposal = dunning.propose_dunning(desk, on)
    assert [(n.invoice_id, n.level, n.fee) for n in proposal.notices] == [
        (first, 1, Decimal("5.00")),
        (second, 1, Decimal("5.00")),
        (third, 1, Decimal("5.00")),
    ]
    assert proposal.letters == [] and proposal.dry_run
    assert dunning.propose_dunning(desk, on).notices == proposal.notices
    run = dunning.run_dunning(desk, on, invoices=[third, first])
    assert [n.invoice_id for n in run.notices] == [first, third]
    assert len(run.letters) == 2 and run.batch_pdf.startswith(b"%PDF")
    assert [n.invoice_id for n in dunning.propose_dunning(desk, on).notices] == [second]
    later = dunning.propose_dunning(desk, date(2026, 5, 4))
    assert [(n.invoice_id, n.level) for n in later.notices] == [(first, 2), (second, 1), (third, 2)]


def test_an_invoice_paid_since_the_proposal_is_refused_and_nothing_is_sent(desk, make_school):
    first = issued(desk, make_school("Dvořák", **ADDRESS))
    second = issued(desk, make_school("Ørsted", **ADDRESS))
    on = date(2026, 4, 20)
    assert len(dunning.propose_dunning(desk, on).notices) == 2
    payments.record_payment(desk, str(second), Decimal("505.90"), date(2026, 4, 19))
    with pytest.raises(
        InvalidInput, match=f"no reminder is due on 2026-04-20 for invoice id {second}"
    ):
        dunning.run_dunning(desk, on, invoices=[first, second])
    assert len(dunning.propose_dunning(desk, on).notices) == 1
    with pytest.raises(InvalidInput, match="choose at least one invoice"):
        dunning.run_dunning(desk, on, invoices=[])
