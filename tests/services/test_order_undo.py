"""Undoing an order of seats while its invoice is a draft (L2, L3, L6), and the drafts that cannot
simply be deleted because they bill a licence already delivered."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from support.cli_run import fingerprint

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.domain.regcode import verify
from lehrer_licenses.services.billing import draft_edits, issuing, lookups, vendor
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences import codes
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.services.licences.seats.order_undo import undo_order
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store import audit
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import AuditEntry, Invoice, IssuedCode, Seat, Subscription

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}
DAY = date(2026, 3, 10)


@pytest.fixture
def school(db, make_school):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    return make_school("Primarschule Aesch", **ADDRESS)


def audit_actions(db) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_undo_a_first_order_leaves_the_school_without_a_contract(db, db_path, school):
    before = fingerprint(db_path, without=("audit_entry", "issued_code"))
    draft = order_seats(db, school, 3, DAY).invoice.id

    dry = undo_order(db, str(draft), dry_run=True)
    assert (dry.kind, dry.positions, dry.subscription_removed) == ("first_order", [1, 2, 3], True)
    assert (
        dry.seats_after == 0
        and f"{dry.payable:.2f}"
        == shape.invoice_json(lookups.show_invoice(db, str(draft)))["payable"]
    )
    assert any("no contract again" in line for line in dry.summary())
    with db.reading() as session:
        assert session.get(Invoice, draft) is not None  # a dry run writes nothing

    done = undo_order(db, str(draft), on=DAY)
    assert done.code is None and not done.dry_run
    with db.reading() as session:
        assert session.scalars(select(Subscription)).all() == []
        assert session.scalars(select(Seat)).all() == []
        assert session.get(Invoice, draft) is None
        # the code handed out with the order stays in the history, tied to no contract
        assert [(c.serial, c.subscription_id) for c in session.scalars(select(IssuedCode))] == [
            (1, None)
        ]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "order.undo")).one()
        after = json.loads(entry.after)
        assert after["subscription_removed"] is True and after["removed_positions"] == [1, 2, 3]
        assert json.loads(entry.before)["invoice_id"] == draft
    assert fingerprint(db_path, without=("audit_entry", "issued_code")) == before
    # the school can order again, as a first order
    assert order_seats(db, school, 2, DAY).kind == "first_order"


def test_undo_a_reorder_removes_only_its_seats_and_issues_a_code_for_the_rest(db, school):
    order_seats(db, school, 3, DAY)
    draft = order_seats(db, school, 2, date(2026, 5, 4)).invoice.id
    done = undo_order(db, str(draft), on=date(2026, 5, 5))
    assert (done.kind, done.positions, done.seats_before, done.seats_after) == (
        "reorder",
        [4, 5],
        5,
        3,
    )
    with db.reading() as session:
        assert [s.position for s in session.scalars(select(Seat).order_by(Seat.position))] == [
            1,
            2,
            3,
        ]
        assert session.get(Invoice, draft) is None
    history = codes.code_history(db, school)
    assert [(c.seats, c.reason) for c in history] == [(3, "order"), (5, "order"), (3, "correction")]
    licence = verify(done.code, KeyStore().public_key(), today=date(2026, 5, 5))
    assert licence.quantity == 3 and licence.valid_until == date(2026, 12, 31)
    assert audit_actions(db)[-1] == "order.undo"
    # then the first order can be undone too
    first = lookups.list_invoices(db, school=school)[0].id
    assert undo_order(db, str(first), on=date(2026, 5, 6)).subscription_removed


def test_refused_while_a_seat_of_the_order_is_assigned(db, db_path, school):
    draft = order_seats(db, school, 2, DAY).invoice.id
    teacher = seats.add_teacher(db, school, "Anna", "Keller")
    seats.assign_seat(db, school, teacher, DAY, position=2)
    before = fingerprint(db_path)
    with pytest.raises(InvalidInput, match=r"seat 2 to Anna Keller.*free them first"):
        undo_order(db, str(draft), on=DAY)
    with pytest.raises(InvalidInput, match="Anna Keller"):
        undo_order(db, str(draft), dry_run=True)
    assert fingerprint(db_path) == before
    # freed, the seat and the history of who held it go with the order
    seats.free_seat(db, school, teacher, date(2026, 3, 12))
    done = undo_order(db, str(draft), on=DAY)
    assert done.freed_history == 1 and done.subscription_removed


def test_refused_after_a_renewal(db, school):
    draft = order_seats(db, school, 2, DAY).invoice.id
    run_renewals(db, 2027, dry_run=False)
    with pytest.raises(InvalidInput, match=r"later invoice .*Renewal"):
        undo_order(db, str(draft), on=date(2027, 1, 5))


def test_refused_once_issued(db, school):
    draft = order_seats(db, school, 2, DAY).invoice.id
    number = issuing.issue_invoice(db, str(draft), date(2026, 3, 11)).number
    with pytest.raises(InvalidInput, match=f"already issued.*credit note.*invoice credit {number}"):
        undo_order(db, number)


def test_refused_for_an_order_that_a_later_order_builds_on(db, school):
    first = order_seats(db, school, 2, DAY).invoice.id
    second = order_seats(db, school, 1, date(2026, 4, 1)).invoice.id
    with pytest.raises(InvalidInput, match=rf"later order .*#{second}.*undo that order first"):
        undo_order(db, str(first), on=DAY)
    undo_order(db, str(second), on=DAY)
    assert undo_order(db, str(first), on=DAY).subscription_removed


def test_old_orders_are_matched_by_position_and_day(db, school, monkeypatch):
    """An order recorded before orders listed their seat ids."""
    order_seats(db, school, 1, DAY)

    def record_as_before(session, action, *args, after=None, **kw):
        after = {k: v for k, v in (after or {}).items() if k != "seat_ids"}
        audit.record(session, action, *args, after=after, **kw)

    monkeypatch.setattr(orders, "audit", SimpleNamespace(record=record_as_before))
    draft = order_seats(db, school, 2, date(2026, 4, 1)).invoice.id
    with db.reading() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "order.seats"))
        assert ["seat_ids" in json.loads(e.after) for e in entries] == [True, False]
    assert undo_order(db, str(draft), dry_run=True).positions == [2, 3]
    with db.transaction() as session:  # its seats no longer match: refused, nothing guessed
        session.scalars(select(Seat).where(Seat.position == 3)).one().acquired_on = DAY
    with pytest.raises(InvalidInput, match=r"cannot be identified.*positions 2 to 3"):
        undo_order(db, str(draft), dry_run=True)


def test_delete_refuses_drafts_that_bill_a_delivered_licence(db, school):
    order = order_seats(db, school, 2, DAY).invoice.id
    with pytest.raises(InvalidInput, match=rf"undo the order \(`invoice undo-order {order}`\)"):
        draft_edits.delete_draft(db, str(order))
    issuing.issue_invoice(db, str(order), date(2026, 3, 11))
    run_renewals(db, 2027, dry_run=False)
    with db.reading() as session:
        renewal = session.scalars(select(Invoice).where(Invoice.reason == "renewal")).one().id
    with pytest.raises(InvalidInput, match=r"change its lines \(`invoice edit \d+`\) or issue it"):
        draft_edits.delete_draft(db, str(renewal))
    with pytest.raises(InvalidInput, match="not an order"):
        undo_order(db, str(renewal))
    with db.reading() as session:
        assert session.get(Invoice, renewal) is not None


def test_refused_after_a_cancellation(db, school):
    from lehrer_licenses.services.licences.seats.cancellations import cancel

    draft = order_seats(db, school, 3, DAY).invoice.id
    cancel(db, school, seats=1, received=date(2026, 4, 1))
    with pytest.raises(InvalidInput, match="seat 3 of this order is cancelled"):
        undo_order(db, str(draft), dry_run=True)
    # an order after the cancellation does not build on it: it can be undone
    later = order_seats(db, school, 1, date(2026, 4, 10)).invoice.id
    assert undo_order(db, str(later), on=date(2026, 4, 10)).seats_after == 3


def test_refusals_are_translated(db, school):
    from lehrer_licenses.i18n import set_ui_language

    draft = order_seats(db, school, 2, DAY).invoice.id
    set_ui_language("de")
    with pytest.raises(InvalidInput, match="Bestellung rückgängig machen"):
        draft_edits.delete_draft(db, str(draft))
    assert "entfernt 2 Lizenz(en)" in undo_order(db, str(draft), dry_run=True).summary()[0]
