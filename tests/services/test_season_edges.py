"""Issue 17: licence rules at the edges of the season, through the use cases.

The year-end run for 2027 runs in December 2026, before its term starts; orders, seat changes and
cancellations dated in the rest of 2026 still belong to the running term and are priced for it
and, for the renewed term, as the renewal priced the other seats (one combined invoice)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lehrer_licenses.cli.json_billing import invoice_view_json
from lehrer_licenses.i18n import set_ui_language
from lehrer_licenses.services.catalogue import add_tier
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import code_history
from lehrer_licenses.services.licences.packages.activation import order_package
from lehrer_licenses.services.licences.packages.notice import cancel_package
from lehrer_licenses.services.licences.packages.upgrade import quote_upgrade, upgrade_package
from lehrer_licenses.services.licences.pupils.agreements import record_agreements, start_trial
from lehrer_licenses.services.licences.pupils.counts import record_pupil_counts
from lehrer_licenses.services.licences.pupils.notice import cancel_pupils, reminders_due
from lehrer_licenses.services.licences.pupils.paid_year import start_paid_year
from lehrer_licenses.services.licences.pupils.upgrade import upgrade_pupils
from lehrer_licenses.services.licences.seats.cancellations import cancel
from lehrer_licenses.services.licences.seats.hosting_usage import record_usage
from lehrer_licenses.services.licences.seats.orders import order_seats, quote_order
from lehrer_licenses.services.season.renewals_due import run_due_renewals
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.models import PupilCount


def _lines(doc):
    return [(line["quantity"], line["unit_price"], line["amount"]) for line in doc["lines"]]


def test_order_in_december_after_the_run_pays_december_and_the_renewed_year(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)
    # 1 seat on 2026-12-06: base 111.45 + December 2026 (1 month x 4.50) + 2027 as renewed
    # (44.55) = 160.50
    result = order_seats(db, school, 1, date(2026, 12, 6))
    doc = invoice_view_json(result.invoice)
    assert _lines(doc) == [
        ("1", "111.45", "111.45"),
        ("1", "4.50", "4.50"),
        ("1", "44.55", "44.55"),
    ]
    assert doc["net"] == "160.50"
    assert "01.12.2026 – 31.12.2026" in doc["lines"][1]["description"]
    assert "01.01.2027 – 31.12.2027" in doc["lines"][2]["description"]
    assert result.seats_after == 4 and result.term_end == date(2027, 12, 31)
    assert any("2027" in notice for notice in result.notices)
    # the new code carries the 4 seats of the renewed term (L6)
    newest = code_history(db, school)[-1]
    assert (newest.seats, newest.valid_until, newest.reason) == (4, date(2027, 12, 31), "order")
    # the quote shows the same two parts before anything is written
    quote = quote_order(db, school, 2, date(2026, 12, 20))
    # 2 x 111.45 + 2 x 4.50 + 2 x 44.55 = 222.90 + 9.00 + 89.10 = 321.00
    assert invoice_view_json(quote.invoice)["net"] == "321.00"


def test_order_after_the_run_keeps_the_volume_discount_by_position(db, make_school):
    school = make_school()
    add_tier(db, "LO-LOCAL", 50, Decimal("10"), date(2024, 1, 1))
    order_seats(db, school, 49, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)
    # seat 50 on 2026-12-06: 111.45 + 4.50 = 115.95, 10% off = -11.60 (11.595 rounded half-up);
    # 2027: 44.55, 10% off = -4.46 (4.455); 115.95 - 11.60 + 44.55 - 4.46 = 144.44
    doc = invoice_view_json(order_seats(db, school, 1, date(2026, 12, 6)).invoice)
    assert doc["net"] == "144.44"


def test_a_seat_given_up_at_the_end_of_2026_is_a_new_seat_in_december(db, make_school):
    school = make_school()
    order_seats(db, school, 5, date(2026, 3, 10))
    cancel(db, school, seats=1, received=date(2026, 10, 1))  # in time: ends 2026-12-31
    run = run_renewals(db, 2027, dry_run=False)
    assert run.items[0].seats_after == 4
    # reactivated on 2026-12-15 for 2027: a new base licence (L5) 111.45 + December 4.50 +
    # 2027 44.55 = 160.50; the notice says what keeping it would have cost
    quote = quote_order(db, school, 1, date(2026, 12, 15))
    assert invoice_view_json(quote.invoice)["net"] == "160.50"
    assert any("new base licence" in n for n in quote.notices)


def test_a_late_cancellation_in_december_after_the_run_ends_with_the_renewed_year(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)
    # received 2026-12-06, after the deadline 2026-10-31: the seat runs through 2027
    result = cancel(db, school, seats=1, received=date(2026, 12, 6))
    assert (result.in_time, result.deadline, result.effective) == (
        False,
        date(2026, 10, 31),
        date(2027, 12, 31),
    )
    renewal_2028 = run_renewals(db, 2028, dry_run=False)
    # 2 x 44.55 = 89.10
    assert renewal_2028.items[0].seats_after == 2
    assert invoice_view_json(renewal_2028.items[0].invoices[0])["net"] == "89.10"


def test_an_in_time_cancellation_after_an_early_run_is_refused_with_the_reason(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)  # run early, in October
    with pytest.raises(InvalidInput, match="already billed them for 2027"):
        cancel(db, school, seats=1, received=date(2026, 10, 20))


def test_dates_before_the_running_term_are_still_refused(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)
    with pytest.raises(InvalidInput, match=r"^An order on 2026-03-01 is before the running term"):
        order_seats(db, school, 1, date(2026, 3, 1))


# --- per-pupil counts after a settlement (F10), DB-hosting counts after their year (L7) -------


@pytest.fixture
def nl_school(make_school):
    return make_school("Basisschool De Regenboog", country="NL", language="nl")


def _pupils_ready(db, school):
    record_agreements(
        db, school, terms_accepted_on=date(2026, 1, 10),
        dpa_reference="VWO-2026-017", dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    start_trial(db, school, date(2026, 2, 1))


def test_F10_the_count_of_the_upgrade_month_is_settled_with_the_new_year(db, nl_school):
    _pupils_ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-12", date(2026, 8, 1), {"1-2": 50})  # 50 x 11.50 = 575
    for month in (8, 9, 10, 11, 12, 1, 2):
        record_pupil_counts(db, nl_school, date(2027 if month < 8 else 2026, month, 1), {"1-2": 50})
    # upgrade on 2027-03-14: credit -575.00; use Aug 2026-Feb 2027 = 7 x 50 x 0.96 = 336.00;
    # Combi pre-investment 50 x 11.50 + 150 x 3.60 = 575.00 + 540.00 = 1115.00; total 876.00
    up = upgrade_pupils(db, nl_school, "FPO-COMBI", date(2027, 3, 14), {"1-2": 50, "3-8": 150})
    assert up.parts.parts_json() == {
        "credit": "-575.00",
        "use": "336.00",
        "next_pre_investment": "1115.00",
        "total": "876.00",
    }
    # March's count, taken at the month's end, after the upgrade: accepted ...
    months = [date(2027, m, 1) for m in range(3, 13)] + [date(2028, 1, 1), date(2028, 2, 1)]
    for month in [*months, date(2028, 3, 1)]:
        record_pupil_counts(db, nl_school, month, {"1-2": 50, "3-8": 150})
    # ... and billed by the renewal of the Combi year on 2028-03-14: credit -1115.00; use
    # March 2027 - February 2028 = 12 x (50 x 0.96 + 150 x 0.30) = 12 x 93.00 = 1116.00 (11
    # months, 1023.00, when March was dropped); pre-investment 1115.00; total 1116.00
    (item,) = run_due_renewals(db, date(2028, 3, 14), dry_run=False).items
    assert item.settlement.parts_json() == {
        "credit": "-1115.00",
        "use": "1116.00",
        "next_pre_investment": "1115.00",
        "total": "1116.00",
    }


def test_F10_a_count_for_a_month_already_settled_is_refused_with_the_reason(db, nl_school):
    _pupils_ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-12", date(2026, 8, 1), {"1-2": 50})
    upgrade_pupils(db, nl_school, "FPO-COMBI", date(2027, 3, 14), {"1-2": 50, "3-8": 150})
    with pytest.raises(InvalidInput, match=r"^The use of 2027-02 was already settled"):
        record_pupil_counts(db, nl_school, date(2027, 2, 1), {"1-2": 50})
    with db.reading() as session:
        assert session.scalar(select(func.count(PupilCount.id))) == 0


def test_F10_an_upgrade_on_the_first_bills_that_month_once(db, nl_school):
    _pupils_ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-12", date(2026, 8, 1), {"1-2": 50})
    for month in (8, 9, 10, 11, 12, 1, 2):
        record_pupil_counts(db, nl_school, date(2027 if month < 8 else 2026, month, 1), {"1-2": 50})
    # on 2027-02-01 the old year bills Aug-Jan: 6 x 50 x 0.96 = 288.00; February is the new
    # year's first month (it used to be billed here and again with the new year)
    up = upgrade_pupils(db, nl_school, "FPO-COMBI", date(2027, 2, 1), {"1-2": 50, "3-8": 150})
    assert up.parts.parts_json()["use"] == "288.00"


def test_L7_a_usage_count_after_its_year_was_billed_is_refused(db, make_school):
    school = make_school(db_hosting=True)
    order_seats(db, school, 12, date(2026, 1, 5))
    for month in range(1, 12):
        record_usage(db, school, date(2026, month, 1), 10)
    run_renewals(db, 2027, dry_run=False)  # in December: bills Jan-Nov 2026, 110 user-months
    with pytest.raises(InvalidInput, match=r"^The usage of 2026 was already billed by the"):
        record_usage(db, school, date(2026, 12, 1), 12)
    record_usage(db, school, date(2027, 1, 1), 12)  # the new year's counts go on


def test_F9_per_pupil_years_run_to_the_anniversary_and_remind_2_months_before(db, nl_school):
    _pupils_ready(db, nl_school)
    # 50 x 11.50 = 575.00 for the year 2027-09-01 -> 2028-08-31 (365 days would end 08-30)
    start = start_paid_year(db, nl_school, "FPO-12", date(2027, 9, 1), {"1-2": 50})
    assert (start.term_start, start.term_end) == (date(2027, 9, 1), date(2028, 8, 31))
    assert invoice_view_json(start.invoice)["net"] == "575.00"
    assert reminders_due(db, date(2028, 6, 30)) == []
    (due,) = reminders_due(db, date(2028, 7, 1))
    assert due.renewal == date(2028, 9, 1)


# --- packages and per-pupil plans renewed ahead of their date -----------------------------


@pytest.fixture
def de_school(make_school):
    return make_school("Gymnasium Lindenberg", country="DE", language="de")


def test_M8_an_upgrade_before_a_package_renewal_run_ahead_pays_both_years(db, de_school):
    order_package(db, de_school, 1000, date(2026, 2, 1))  # year 2026-02-01 -> 2027-01-31
    (item,) = run_due_renewals(db, date(2027, 2, 1), dry_run=False).items  # run in January
    assert item.term_start == date(2027, 2, 1)
    # upgrade to 1,400 users on 2027-01-20: fee 150.00 + difference 400.00 for the running
    # year (example 9) + 1,400.00 - 1,000.00 = 400.00 for the renewed year = 950.00
    quote = quote_upgrade(db, de_school, 1400, date(2027, 1, 20))
    (option,) = quote.options
    assert option.option == "upgrade" and option.amount == Decimal("950.00")
    result = upgrade_package(db, de_school, 1400, date(2027, 1, 20))
    doc = invoice_view_json(result.invoice)
    assert [line["amount"] for line in doc["lines"]] == ["150.00", "400.00", "400.00"]
    assert (result.capacity, result.term_start) == (1400, date(2027, 2, 1))
    with pytest.raises(InvalidInput, match="cannot start on"):
        upgrade_package(db, de_school, 2000, date(2027, 1, 25), option="restart")


def test_M1_a_late_package_cancellation_before_a_renewal_run_ahead_ends_the_renewed_year(
    db, de_school
):
    order_package(db, de_school, 1000, date(2026, 2, 1))  # deadline 2026-10-31 (example 8)
    run_due_renewals(db, date(2027, 2, 1), dry_run=False)
    # received 2027-01-20, late for 2027-01-31: the package ends with the renewed year
    notice = cancel_package(db, de_school, date(2027, 1, 20))
    assert (notice.in_time, notice.deadline, notice.effective) == (
        False,
        date(2026, 10, 31),
        date(2028, 1, 31),
    )


def test_F11_F10_per_pupil_notice_and_upgrade_before_a_renewal_run_ahead(db, nl_school):
    _pupils_ready(db, nl_school)
    start_paid_year(db, nl_school, "FPO-12", date(2026, 8, 1), {"1-2": 50})
    record_pupil_counts(db, nl_school, date(2027, 8, 1), {"1-2": 50})
    run_due_renewals(db, date(2027, 8, 1), dry_run=False)  # run on 2027-07-25, say
    # a cancellation received 2027-07-25 is late (deadline 2027-06-30): it ends 2028-07-31
    notice = cancel_pupils(db, nl_school, date(2027, 7, 25))
    assert (notice.in_time, notice.effective) == (False, date(2028, 7, 31))
    with pytest.raises(InvalidInput, match="would restart a year already settled"):
        upgrade_pupils(db, nl_school, "FPO-COMBI", date(2027, 7, 26), {"1-2": 50, "3-8": 150})


def test_the_refusal_speaks_the_ui_language_with_its_dates(db, make_school):
    school = make_school()
    order_seats(db, school, 3, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)
    try:
        set_ui_language("de")
        with pytest.raises(InvalidInput) as refused:
            order_seats(db, school, 1, date(2026, 3, 1))
        assert str(refused.value) == (
            "Eine Bestellung am 01.03.2026 liegt vor der laufenden Vertragsperiode, die am "
            "01.01.2027 beginnt"
        )
        set_ui_language("fr")
        with pytest.raises(InvalidInput, match=r"01/03/2026 .* 01/01/2027"):
            order_seats(db, school, 1, date(2026, 3, 1))
    finally:
        set_ui_language("en")
