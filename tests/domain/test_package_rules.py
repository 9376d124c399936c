"""Capacity packages with subject add-ons (M1-M11, worked examples 8 and 9): pure rules."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehrer_licenses.domain.catalogue import PricePoint
from lehrer_licenses.domain.default_catalogue import PACKAGE_PLANS
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.packages import (
    RESTART,
    UPGRADE,
    Account,
    addon_price,
    addon_refund,
    announced_in_time,
    cancellation_deadline,
    check_capacity,
    count_users,
    full_package_lines,
    licence_year,
    package_price,
    package_sizes,
    refund_lines,
    renewal_price,
    renewal_price_visible,
    upgrade_options,
)
from lehrer_licenses.domain.periods import Term, TermAlignment, cancellation_effective

(PLAN,) = PACKAGE_PLANS


def tr(text):
    return text


def total(lines):
    return sum((line.amount for line in lines), Decimal("0.00"))


# --- M1 -------------------------------------------------------------------------------------


def test_M1_example8_year_from_1_february_ends_31_january_with_deadline_31_october():
    year = licence_year(date(2026, 2, 1))
    assert year == Term(date(2026, 2, 1), date(2027, 1, 31))
    assert year.renewal_date == date(2027, 2, 1)
    assert cancellation_deadline(year, PLAN.notice_months) == date(2026, 10, 31)


def test_M1_a_licence_year_spanning_29_february_is_365_days_not_a_calendar_year():
    year = licence_year(date(2027, 6, 1))  # runs through 29 February 2028
    assert year.end == date(2028, 5, 30)  # not 31 May 2028
    assert year.days == 365
    assert licence_year(year.renewal_date).start == date(2028, 5, 31)
    # the notice deadline moves with it: 3 months before the renewal on 31 May 2028 is
    # 29 February 2028, so the last day is 28 February
    assert cancellation_deadline(year) == date(2028, 2, 28)


def test_M1_cancellation_in_time_ends_the_year_late_one_a_year_later():
    year = licence_year(date(2026, 2, 1))
    on_time = cancellation_effective(
        TermAlignment.ANNIVERSARY, year, date(2026, 10, 31), PLAN.notice_months
    )
    late = cancellation_effective(
        TermAlignment.ANNIVERSARY, year, date(2026, 11, 1), PLAN.notice_months
    )
    assert on_time.in_time and on_time.effective == date(2027, 1, 31)
    assert not late.in_time and late.effective == date(2028, 1, 31)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2090, 12, 31)))
def test_M1_every_licence_year_has_365_days_and_the_next_starts_the_day_after(start):
    year = licence_year(start)
    assert year.days == 365
    assert (year.end - year.start).days == 364
    assert licence_year(year.renewal_date).start == year.end + timedelta(days=1)
    assert cancellation_deadline(year) < year.end


# --- M3 -------------------------------------------------------------------------------------


def test_M3_sample_sizes_and_prices_are_catalogue_data_and_named_sample():
    assert "sample" in PLAN.name
    assert package_sizes(PLAN, date(2026, 1, 1)) == (250, 500, 750, 1000, 1400, 2000)
    assert package_price(PLAN, 1000, date(2026, 1, 1)) == Decimal("1000.00")
    assert package_price(PLAN, 1400, date(2026, 1, 1)) == Decimal("1400.00")


def test_M3_addon_price_follows_the_package_size_not_the_subject_users():
    assert addon_price(PLAN, 500, date(2026, 1, 1)) == Decimal("195.00")
    assert addon_price(PLAN, 1000, date(2026, 1, 1)) == Decimal("300.00")


def test_M3_an_unknown_size_is_refused_with_the_sizes_on_sale():
    with pytest.raises(DomainError, match="sizes: 250, 500, 750, 1000, 1400, 2000"):
        package_price(PLAN, 600, date(2026, 1, 1))


def test_M3_over_capacity_names_the_users_over_and_the_package_that_fits():
    check = check_capacity(PLAN, 500, 512, date(2026, 3, 1))
    assert not check.fits and check.over == 12 and check.suggested == 750
    assert check_capacity(PLAN, 500, 500, date(2026, 3, 1)).fits
    assert check_capacity(PLAN, 2000, 2500, date(2026, 3, 1)).suggested is None


# --- M4, M5 ---------------------------------------------------------------------------------


def test_M5_duplicate_registrations_of_one_pupil_count_once():
    on = date(2026, 6, 1)
    accounts = [
        Account("Anna Keller", last_used=date(2026, 5, 1)),
        Account("anna  keller", last_used=date(2026, 5, 20)),  # registered twice
        Account("Ben Ørsted", last_used=date(2026, 4, 2)),
    ]
    assert count_users(accounts, on) == 2


def test_M4_accounts_unused_for_more_than_a_year_drop_out():
    on = date(2026, 6, 1)
    accounts = [
        Account("a", last_used=on - timedelta(days=365)),  # exactly a year: still counts
        Account("b", last_used=on - timedelta(days=366)),  # more than a year: out
        Account("c", registered_on=on - timedelta(days=10)),  # new, not yet used: counts
    ]
    assert count_users(accounts, on) == 2


def test_M4_leavers_removed_any_time_do_not_count_from_that_day():
    accounts = [Account("a", last_used=date(2026, 5, 1), removed_on=date(2026, 5, 15))]
    assert count_users(accounts, date(2026, 5, 14)) == 1
    assert count_users(accounts, date(2026, 5, 15)) == 0


def test_M4_accounts_registered_later_do_not_count_yet():
    accounts = [Account("a", registered_on=date(2026, 7, 1), last_used=date(2026, 7, 2))]
    assert count_users(accounts, date(2026, 6, 30)) == 0


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "A", "b "]),
            st.dates(date(2024, 1, 1), date(2026, 12, 31)),
        ),
        max_size=20,
    ),
    st.dates(date(2025, 1, 1), date(2026, 12, 31)),
)
def test_M5_the_count_never_exceeds_the_distinct_persons(rows, on):
    accounts = [Account(person, last_used=used) for person, used in rows]
    count = count_users(accounts, on)
    assert 0 <= count <= len({p.strip().lower() for p, _used in rows})
    assert count_users(accounts + accounts, on) == count  # registering again changes nothing


# --- M7, M8 ---------------------------------------------------------------------------------


def test_M8_example9_upgrade_from_1000_to_1400_costs_150_plus_400():
    year = licence_year(date(2026, 2, 1))
    upgrade, restart = upgrade_options(
        PLAN, current_capacity=1000, new_capacity=1400, term=year, on=date(2026, 6, 10), tr=tr
    )
    assert upgrade.kind == UPGRADE and upgrade.amount == Decimal("550.00")
    assert [line.amount for line in upgrade.lines] == [Decimal("150.00"), Decimal("400.00")]
    assert upgrade.term == year  # the term is unchanged
    assert restart.kind == RESTART and restart.amount == Decimal("1400.00")
    assert restart.term == Term(date(2026, 6, 10), date(2027, 6, 9))


def test_M8_upgrade_on_the_last_day_of_a_term():
    year = licence_year(date(2026, 2, 1))
    upgrade, restart = upgrade_options(
        PLAN, current_capacity=500, new_capacity=750, term=year, on=year.end, tr=tr
    )
    assert upgrade.amount == Decimal("350.00")  # 150 + (850 - 650): no pro-rating
    assert upgrade.term.end == year.end
    assert upgrade.lines[1].period_start == upgrade.lines[1].period_end == year.end
    assert restart.term == licence_year(year.end)  # the new year starts that day


def test_M8_upgrade_outside_the_term_or_to_a_smaller_package_is_refused():
    year = licence_year(date(2026, 2, 1))
    with pytest.raises(DomainError, match="outside the licence year"):
        upgrade_options(
            PLAN, current_capacity=500, new_capacity=750, term=year, on=year.renewal_date, tr=tr
        )
    with pytest.raises(DomainError, match="at the renewal"):
        upgrade_options(
            PLAN, current_capacity=750, new_capacity=500, term=year, on=date(2026, 3, 1), tr=tr
        )


def test_M8_the_difference_uses_the_price_list_of_the_running_year():
    plan = replace(
        PLAN,
        prices=(
            *PLAN.prices,
            PricePoint("package:1400", Decimal("1500.00"), date(2026, 5, 1), date(2025, 10, 1)),
        ),
    )
    year = licence_year(date(2026, 2, 1))
    upgrade, restart = upgrade_options(
        plan, current_capacity=1000, new_capacity=1400, term=year, on=date(2026, 6, 10), tr=tr
    )
    assert upgrade.amount == Decimal("550.00")
    assert restart.amount == Decimal("1500.00")  # a new year is priced like an activation


@given(
    st.sampled_from([(250, 500), (500, 750), (500, 2000), (1000, 1400), (1400, 2000)]),
    st.integers(0, 364),
)
def test_M8_the_upgrade_is_the_fee_plus_the_difference_on_any_day(sizes, offset):
    year = licence_year(date(2026, 2, 1))
    old, new = sizes
    upgrade, restart = upgrade_options(
        PLAN,
        current_capacity=old,
        new_capacity=new,
        term=year,
        on=year.start + timedelta(days=offset),
        tr=tr,
    )
    on = year.start
    assert upgrade.amount == Decimal("150.00") + package_price(PLAN, new, on) - package_price(
        PLAN, old, on
    )
    assert restart.amount == package_price(PLAN, new, on)
    assert restart.term.days == 365


# --- M10 ------------------------------------------------------------------------------------


def test_M10_addon_refund_on_the_day_it_started_is_the_whole_price():
    year = licence_year(date(2026, 3, 15))
    assert addon_refund(Decimal("195.00"), year, year.start) == Decimal("195.00")


def test_M10_addon_refund_on_its_last_day_is_one_day():
    year = licence_year(date(2026, 3, 15))
    assert addon_refund(Decimal("195.00"), year, year.end) == Decimal("0.53")  # 195/365


def test_M10_addon_refund_half_way():
    year = licence_year(date(2026, 1, 1))
    # 182 days used (1 January to 1 July), 183 remaining: 365.00 x 183 / 365
    assert addon_refund(Decimal("365.00"), year, date(2026, 7, 2)) == Decimal("183.00")


def test_M10_refund_outside_the_addon_year_is_refused():
    year = licence_year(date(2026, 3, 15))
    with pytest.raises(DomainError, match="outside the add-on year"):
        addon_refund(Decimal("195.00"), year, year.renewal_date)


def test_M10_refund_line_is_negative_and_names_the_days():
    year = licence_year(date(2026, 3, 15))
    (line,) = refund_lines("Deutsch", Decimal("195.00"), year, year.end, tr)
    assert line.amount == Decimal("-0.53") and "1 of 365 days" in line.description


@given(
    st.decimals(min_value=0, max_value=10000, places=2),
    st.dates(date(2024, 1, 1), date(2040, 12, 31)),
    st.integers(0, 364),
)
def test_M10_the_refund_is_between_nothing_and_the_price_and_shrinks_day_by_day(
    price, start, offset
):
    year = licence_year(start)
    day = start + timedelta(days=offset)
    refund = addon_refund(price, year, day)
    assert Decimal(0) <= refund <= price
    if day < year.end:
        assert addon_refund(price, year, day + timedelta(days=1)) <= refund


def test_M10_moving_to_the_full_package_costs_the_difference_of_the_annual_prices():
    year = licence_year(date(2026, 2, 1))
    (line,) = full_package_lines(PLAN, 500, year, date(2026, 9, 1), tr)
    assert line.amount == Decimal("390.00")  # 1040 - 650


# --- M11 ------------------------------------------------------------------------------------


def _with_increase(announced):
    return replace(
        PLAN,
        prices=(
            *PLAN.prices,
            PricePoint("package:500", Decimal("700.00"), date(2027, 1, 1), announced),
        ),
    )


def test_M11_an_increase_announced_6_months_ahead_applies_at_the_renewal():
    plan = _with_increase(date(2026, 8, 1))
    price = renewal_price(plan, "package:500", date(2027, 2, 1))
    assert price.amount == Decimal("700.00") and price.postponed == ()


def test_M11_an_increase_announced_later_is_refused_at_that_renewal_and_applies_next_year():
    plan = _with_increase(date(2026, 8, 2))
    price = renewal_price(plan, "package:500", date(2027, 2, 1))
    assert price.amount == Decimal("650.00")
    assert [p.amount for p in price.postponed] == [Decimal("700.00")]
    assert renewal_price(plan, "package:500", date(2028, 2, 1)).amount == Decimal("700.00")


def test_M11_an_unannounced_increase_never_applies_at_a_renewal():
    plan = _with_increase(None)
    assert renewal_price(plan, "package:500", date(2030, 2, 1)).amount == Decimal("650.00")


def test_M11_a_decrease_applies_without_announcement():
    plan = replace(
        PLAN,
        prices=(*PLAN.prices, PricePoint("package:500", Decimal("600.00"), date(2027, 1, 1))),
    )
    assert renewal_price(plan, "package:500", date(2027, 2, 1)).amount == Decimal("600.00")


def test_M11_the_renewal_price_is_visible_from_6_months_before_expiry():
    renewal = date(2027, 2, 1)
    assert not renewal_price_visible(renewal, date(2026, 7, 31))
    assert renewal_price_visible(renewal, date(2026, 8, 1))


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=1, max_value=5000, places=2),
            st.dates(date(2024, 1, 2), date(2030, 12, 31)),
            st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2030, 12, 31))),
        ),
        max_size=6,
    ),
    st.dates(date(2024, 1, 1), date(2031, 12, 31)),
)
def test_M11_no_increase_announced_late_is_ever_charged_at_a_renewal(points, renewal):
    plan = replace(
        PLAN,
        prices=(
            *PLAN.prices,
            *(
                PricePoint("package:500", amount, start, announced)
                for amount, start, announced in points
            ),
        ),
    )
    price = renewal_price(plan, "package:500", renewal)
    listed = [p for p in plan.prices if p.component == "package:500" and p.valid_from <= renewal]
    allowed = [Decimal("650.00")] + [p.amount for p in listed if announced_in_time(p, renewal)]
    assert min(p.amount for p in listed) <= price.amount <= max(allowed)
