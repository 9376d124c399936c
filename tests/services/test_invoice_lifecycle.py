"""Quote -> draft -> issued -> paid / partly paid / overdue; credit notes; on real SQLite files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from stdnum import iso11649
from stdnum.ch import esr

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.services.billing import (
    credit_notes,
    draft_edits,
    issuing,
    lookups,
    payments,
    printing,
    quotes,
    references,
    vendor,
)
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.licences.seats.order_undo import undo_order
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.store.models import AuditEntry, Invoice, InvoicePdf, NumberCounter, School


@pytest.fixture
def desk(db):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    return db


ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}
DE_ADDRESS = {
    "street": "Leopoldstraße",
    "house_number": "8a",
    "postcode": "80802",
    "city": "München",
}


@pytest.fixture
def school_of(make_school):
    def make(name="Primarschule Łukasz Żółć", country="CH", language="de"):
        address = ADDRESS if country == "CH" else DE_ADDRESS
        return make_school(name, country=country, language=language, **address)

    return make


def old_name(db, school: str, name: str) -> str:
    """A name that is refused as it is typed now but that a file of an earlier version may
    still hold: written straight into the row."""
    with db.transaction() as session:
        session.execute(update(School).where(School.number == school).values(name=name))
    return school


def draft(db, school, seats=3, on=date(2026, 3, 10)) -> int:
    return order_seats(db, school, seats, on).invoice.id


def test_issue_numbers_dates_references_and_stores_the_pdf(desk, school_of):
    school = school_of()
    first = shape.invoice_json(
        issuing.issue_invoice(desk, str(draft(desk, school)), date(2026, 3, 11))
    )
    second = shape.invoice_json(
        issuing.issue_invoice(desk, str(draft(desk, school, 2)), date(2026, 3, 12))
    )
    assert (first["number"], second["number"]) == ("2026-00001", "2026-00002")
    assert first["status"] == "issued" and first["date"] == "2026-03-11"
    assert first["due_date"] == "2026-04-10"  # 30 days
    assert first["payable"] == "505.90"  # example 1: 468.00 + 8.1 % = 505.908 -> 505.90
    assert esr.is_valid(first["reference"]) and len(first["reference"]) == 27
    pdf = printing.invoice_pdf(desk, "2026-00001")
    assert pdf.stored and pdf.pdf.startswith(b"%PDF")
    assert printing.invoice_pdf(desk, "2026-00001").pdf == pdf.pdf  # the same bytes again
    with desk.reading() as session:
        assert session.scalar(select(func.count(InvoicePdf.id))) == 2
        counter = session.get(NumberCounter, ("invoice", 2026))
        assert counter.last == 2
        assert "invoice.issue" in session.scalars(select(AuditEntry.action)).all()


def eur_draft(db, school_number: str, on=date(2026, 3, 10), reason="order") -> int:
    """A EUR draft (the default catalogue sells in CHF only), as an EUR plan would write it."""
    from lehrer_licenses.domain.pricing import Line
    from lehrer_licenses.services.billing.drafts import create_draft
    from lehrer_licenses.services.schools import school_by_number

    line = Line("pkg", "Paket 1000 Nutzer", Decimal(1), Decimal("1000.00"), Decimal("1000.00"))
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        return create_draft(session, school, None, "EUR", reason, [line], on).id


def test_eur_invoices_and_vendors_without_qr_iban_get_creditor_references(desk, school_of):
    school = school_of("Grundschule Ørsted", country="DE", language="de")
    doc = shape.invoice_json(
        issuing.issue_invoice(desk, str(eur_draft(desk, school)), date(2026, 3, 11))
    )
    assert doc["payable"] == "1190.00"
    assert doc["currency"] == "EUR"
    assert doc["reference"].startswith("RF") and iso11649.is_valid(doc["reference"])
    assert doc["reference"] == references.creditor_reference(doc["number"])


def test_reference_helpers_make_valid_references():
    ref = references.qr_reference("2026-00017")
    assert ref.startswith("00000000000000000202600017") and esr.is_valid(ref)
    assert iso11649.is_valid(references.creditor_reference("G2026-00001"))
    assert iso11649.is_valid(references.creditor_reference("2026-00017"))


def test_issuing_twice_editing_or_deleting_an_issued_invoice_is_refused(desk, school_of):
    school = school_of()
    invoice_id = draft(desk, school)
    number = issuing.issue_invoice(desk, str(invoice_id), date(2026, 3, 11)).number
    with pytest.raises(InvalidInput, match="already issued; it cannot be issued again"):
        issuing.issue_invoice(desk, number, date(2026, 3, 12))
    with pytest.raises(InvalidInput, match="cannot be deleted: correct it with a credit note"):
        draft_edits.delete_draft(desk, number)
    with pytest.raises(InvalidInput, match="cannot be edited"):
        draft_edits.edit_draft(desk, str(invoice_id), remove=[1])
    with desk.reading() as session:
        assert session.get(NumberCounter, ("invoice", 2026)).last == 1


def test_drafts_can_be_edited_and_deleted(desk, school_of):
    school = school_of()
    invoice_id = draft(desk, school)
    doc = shape.invoice_json(
        draft_edits.edit_draft(
            desk,
            str(invoice_id),
            remove=[2],
            add=[draft_edits.LineInput("Schulung vor Ort", Decimal("2"), Decimal("150"))],
        )
    )
    assert [line["description"] for line in doc["lines"]][-1] == "Schulung vor Ort"
    assert doc["net"] == f"{Decimal('334.35') + Decimal('300.00'):.2f}"
    with pytest.raises(InvalidInput, match="has no line 9"):
        draft_edits.edit_draft(desk, str(invoice_id), remove=[9])
    # the order delivered its seats: its draft goes only with them
    # (services.licences.seats.order_undo)
    with pytest.raises(InvalidInput, match=f"undo the order .*invoice undo-order {invoice_id}"):
        draft_edits.delete_draft(desk, str(invoice_id))
    undo_order(desk, str(invoice_id), on=date(2026, 3, 10))
    with pytest.raises(NotFound):
        lookups.show_invoice(desk, str(invoice_id))
    # a draft tied to no licence can simply go
    free = eur_draft(desk, school_of("Grundschule Ørsted", country="DE"), reason="service")
    assert shape.deleted_json(draft_edits.delete_draft(desk, str(free)))["deleted"] is True
    with pytest.raises(NotFound):
        lookups.show_invoice(desk, str(free))


def test_numbers_follow_the_dates_within_a_series(desk, school_of):
    school = school_of()
    issuing.issue_invoice(desk, str(draft(desk, school)), date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="lies before 2026-00001"):
        issuing.issue_invoice(desk, str(draft(desk, school, 1)), date(2026, 4, 30))
    # a new year starts a new sequence
    later = shape.invoice_json(
        issuing.issue_invoice(desk, str(draft(desk, school, 1)), date(2027, 1, 4))
    )
    assert later["number"] == "2027-00001"


def test_full_and_partial_credit_notes_in_their_own_series(desk, school_of):
    school = school_of()
    number = issuing.issue_invoice(desk, str(draft(desk, school)), date(2026, 3, 11)).number
    part = shape.credit_note_json(
        credit_notes.credit_invoice(
            desk,
            number,
            reason="Ein Sitz doppelt bestellt",
            amount=Decimal("100.00"),
            on=date(2026, 3, 20),
        )
    )
    assert part["number"] == "G2026-00001" and part["kind"] == "credit_note"
    assert part["payable"] == "100.00" and part["net"] == "92.51" and part["vat"] == "7.49"
    assert part["lines"][0]["description"] == "Teilgutschrift zu Rechnung 2026-00001"
    assert part["invoice_status"] == "issued"
    with pytest.raises(InvalidInput, match=r"more than the CHF 405\.90"):
        credit_notes.credit_invoice(
            desk, number, reason="x", amount=Decimal("405.95"), on=date(2026, 3, 21)
        )
    rest = shape.credit_note_json(
        credit_notes.credit_invoice(desk, number, reason="Storno", on=date(2026, 3, 21))
    )
    assert rest["number"] == "G2026-00002" and rest["payable"] == "405.90"
    assert rest["invoice_status"] == "credited"
    with pytest.raises(InvalidInput, match="already credited in full"):
        credit_notes.credit_invoice(desk, number, reason="again", on=date(2026, 3, 22))
    shown = shape.invoice_json(lookups.show_invoice(desk, number, date(2026, 6, 1)))
    assert shown["status"] == "credited" and shown["open"] == "0.00"
    assert shown["credit_notes"] == ["G2026-00001", "G2026-00002"]
    assert printing.invoice_pdf(desk, "G2026-00002").stored


def test_a_full_credit_copies_the_lines(desk, school_of):
    school = school_of()
    number = issuing.issue_invoice(desk, str(draft(desk, school)), date(2026, 3, 11)).number
    note = shape.credit_note_json(
        credit_notes.credit_invoice(desk, number, reason="Storno", on=date(2026, 3, 11))
    )
    shown = shape.invoice_json(lookups.show_invoice(desk, number))
    assert [li["amount"] for li in note["lines"]] == [li["amount"] for li in shown["lines"]]
    assert note["rounding"] == shown["rounding"] and note["payable"] == shown["payable"]


def test_drafts_and_credit_notes_cannot_be_credited(desk, school_of):
    school = school_of()
    invoice_id = draft(desk, school)
    with pytest.raises(InvalidInput, match="edit or delete it instead"):
        credit_notes.credit_invoice(desk, str(invoice_id), reason="x", on=date(2026, 3, 11))
    with pytest.raises(InvalidInput, match="needs a reason"):
        credit_notes.credit_invoice(desk, str(invoice_id), reason=" ", on=date(2026, 3, 11))


def test_payments_partly_paid_paid_overdue_and_balance(desk, school_of):
    school = school_of()
    doc = shape.invoice_json(
        issuing.issue_invoice(desk, str(draft(desk, school)), date(2026, 3, 11))
    )
    number = doc["number"]
    assert (
        shape.invoice_json(lookups.show_invoice(desk, number, date(2026, 4, 10)))["status"]
        == "issued"
    )
    late = shape.invoice_json(lookups.show_invoice(desk, number, date(2026, 4, 25)))
    assert late["status"] == "overdue" and late["days_overdue"] == 15
    paid = shape.payment_json(
        payments.record_payment(desk, doc["reference"], Decimal("300.00"), date(2026, 4, 1))
    )
    assert paid["status"] == "partly_paid" and paid["open"] == "205.90"
    overdue = [shape.overdue_json(x) for x in payments.overdue_invoices(desk, date(2026, 4, 25))]
    assert [(d["number"], d["open"], d["days_overdue"]) for d in overdue] == [
        (number, "205.90", 15)
    ]
    balance = shape.balance_json(payments.school_balance(desk, school, date(2026, 4, 25)))
    assert balance["balances"] == [
        {
            "currency": "CHF",
            "invoiced": "505.90",
            "credited": "0.00",
            "paid": "300.00",
            "open": "205.90",
            "dunning_fees": "0.00",
        }
    ]
    done = shape.payment_json(
        payments.record_payment(desk, number, Decimal("205.90"), date(2026, 4, 26))
    )
    assert done["status"] == "paid" and done["overpaid"] == "0.00"
    assert payments.overdue_invoices(desk, date(2026, 5, 1)) == []
    assert lookups.list_invoices(desk, status="paid")[0].number == number


def test_payments_refused_on_drafts_and_bad_amounts(desk, school_of):
    school = school_of()
    invoice_id = draft(desk, school)
    with pytest.raises(InvalidInput, match="issue it before booking a payment"):
        payments.record_payment(desk, str(invoice_id), Decimal("1"), date(2026, 3, 11))
    with pytest.raises(InvalidInput, match="positive amount"):
        payments.record_payment(desk, str(invoice_id), Decimal("-1"), date(2026, 3, 11))
    with pytest.raises(NotFound):
        payments.record_payment(desk, "2099-99999", Decimal("1"), date(2026, 3, 11))


def test_quote_then_accept_makes_the_draft_in_one_go(desk, school_of):
    school = school_of()
    record, pdf = quotes.create_quote(desk, school, 3, date(2026, 3, 1))
    quote = shape.invoice_json(record)
    assert quote["number"] == "Q2026-00001" and quote["status"] == "quote"
    assert quote["net"] == "468.00" and quote["due_date"] == "2026-03-31"
    assert pdf.startswith(b"%PDF") and printing.invoice_pdf(desk, "Q2026-00001").pdf == pdf
    with pytest.raises(InvalidInput, match="valid until 2026-03-31"):
        quotes.accept_quote(desk, "Q2026-00001", date(2026, 4, 1))
    result = shape.accepted_quote_json(quotes.accept_quote(desk, "Q2026-00001", date(2026, 3, 10)))
    assert result["status"] == "draft" and result["net"] == "468.00" and result["code"]
    with pytest.raises(InvalidInput, match="already accepted"):
        quotes.accept_quote(desk, "Q2026-00001", date(2026, 3, 10))
    with pytest.raises(InvalidInput, match="is a quote and cannot be issued"):
        issuing.issue_invoice(desk, "Q2026-00001", date(2026, 3, 10))
    issued = shape.invoice_json(issuing.issue_invoice(desk, str(result["id"]), date(2026, 3, 10)))
    assert issued["number"] == "2026-00001"


def test_a_failed_issue_takes_no_number(desk, school_of):
    """A school name a QR-bill cannot carry fails while rendering: the counter rolls back."""
    school = old_name(desk, school_of(), "Школа №1")  # Cyrillic: not in the QR-bill set
    other = school_of()
    with pytest.raises(InvalidInput, match="cannot be printed"):
        issuing.issue_invoice(desk, str(draft(desk, school)), date(2026, 3, 11))
    ok = shape.invoice_json(issuing.issue_invoice(desk, str(draft(desk, other)), date(2026, 3, 11)))
    assert ok["number"] == "2026-00001"
    with desk.reading() as session:
        assert (
            session.scalar(select(func.count(Invoice.id)).where(Invoice.number.is_not(None))) == 1
        )
