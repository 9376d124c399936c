"""DESIGN.md section 2, examples 1-7, through the use cases and a real SQLite file."""

from datetime import date
from decimal import Decimal

from lehrer_licenses.cli.json_billing import invoice_view_json
from lehrer_licenses.services.billing.drafts import get_invoice
from lehrer_licenses.services.catalogue import add_tier
from lehrer_licenses.services.licences.seats.cancellations import cancel
from lehrer_licenses.services.licences.seats.hosting_usage import record_usage
from lehrer_licenses.services.licences.seats.orders import order_seats, quote_order
from lehrer_licenses.services.season.year_end import run_renewals


def test_L2_example1_first_order_of_3_seats(db, make_school):
    school = make_school()
    result = order_seats(db, school, 3, date(2026, 3, 10))
    doc = invoice_view_json(result.invoice)
    assert doc["net"] == "468.00"
    assert [(line["quantity"], line["unit_price"]) for line in doc["lines"]] == [
        ("3", "111.45"),
        ("3", "44.55"),
    ]
    assert result.term_end == date(2026, 12, 31)
    assert doc["number"] is None and doc["status"] == "draft"
    assert invoice_view_json(get_invoice(db, str(doc["id"]))) == doc


def test_L3_example2_reorder_of_2_seats_in_september(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    result = order_seats(db, school, 2, date(2026, 9, 15))
    assert result.kind == "reorder" and result.seats_after == 5
    assert invoice_view_json(result.invoice)["net"] == "258.90"


def test_L4_example3_renewal_of_5_seats_with_vat_and_rounding(db, make_school):
    school = make_school()
    order_seats(db, school, 5, date(2026, 3, 10))
    run = run_renewals(db, 2027, dry_run=False)
    doc = invoice_view_json(run.items[0].invoices[0])
    assert (
        doc["net"],
        doc["vat_rate"],
        doc["vat"],
        doc["total"],
        doc["rounding"],
        doc["payable"],
    ) == ("222.75", "8.1", "18.04", "240.79", "0.01", "240.80")


def test_L4_example4_cancellation_on_31_october_ends_the_same_year(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    result = cancel(db, school, seats=None, whole_contract=True, received=date(2026, 10, 31))
    assert result.in_time and result.effective == date(2026, 12, 31)


def test_L4_example4_cancellation_on_1_november_ends_a_year_later(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    result = cancel(db, school, seats=None, whole_contract=True, received=date(2026, 11, 1))
    assert not result.in_time and result.effective == date(2027, 12, 31)
    run = run_renewals(db, 2027, dry_run=False)  # still renewed for 2027 ...
    assert run.items[0].action == "renew" and run.items[0].seats_after == 3
    run = run_renewals(db, 2028, dry_run=False)  # ... and ends after it
    assert run.items[0].action == "lapse" and not run.items[0].invoices


def test_L5_example5_a_seat_given_up_needs_a_new_base_licence(db, make_school):
    school = make_school()
    order_seats(db, school, 5, date(2026, 3, 10))
    cancel(db, school, seats=1, received=date(2026, 10, 1))
    renewal = run_renewals(db, 2027, dry_run=False)
    assert renewal.items[0].seats_after == 4
    assert invoice_view_json(renewal.items[0].invoices[0])["net"] == "178.20"  # 4 x 44.55
    quote = quote_order(db, school, 1, date(2027, 9, 1))
    assert invoice_view_json(quote.invoice)["net"] == "129.45"
    assert any("new base licence" in notice and "44.55" in notice for notice in quote.notices)
    assert (
        invoice_view_json(order_seats(db, school, 1, date(2027, 9, 1)).invoice)["net"] == "129.45"
    )


def test_L7_example6_db_hosting_billed_in_arrears(db, make_school):
    school = make_school(db_hosting=True)
    order = order_seats(db, school, 12, date(2026, 1, 5))
    assert invoice_view_json(order.invoice)["net"] == "1337.40"  # base licences only
    for month in range(1, 13):
        record_usage(db, school, date(2026, month, 1), 10 if month <= 6 else 12)
    run = run_renewals(db, 2027, dry_run=False)
    doc = invoice_view_json(run.items[0].invoices[0])
    assert [line["amount"] for line in doc["lines"]] == ["463.65", "490.05"]
    assert doc["net"] == "953.70"


def test_L7_example6_canton_licence_waives_the_subscription(db, make_school):
    school = make_school(db_hosting=True, canton_licence=True)
    order_seats(db, school, 12, date(2026, 1, 5))
    for month in range(1, 13):
        record_usage(db, school, date(2026, month, 1), 10 if month <= 6 else 12)
    run = run_renewals(db, 2027, dry_run=False)
    assert invoice_view_json(run.items[0].invoices[0])["net"] == "463.65"


def test_L8_example7_first_order_of_60_seats_with_a_tier_from_seat_50(db, make_school):
    add_tier(db, "LO-LOCAL", 50, Decimal("10"), date(2024, 1, 1))
    school = make_school()
    assert (
        invoice_view_json(order_seats(db, school, 60, date(2026, 3, 10)).invoice)["net"]
        == "9188.40"
    )
