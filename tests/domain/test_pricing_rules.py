from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lehrer_licenses.domain.catalogue import PricePoint, TierBand, TierMode, tier_split
from lehrer_licenses.domain.default_catalogue import DEFAULT_PLANS
from lehrer_licenses.domain.periods import calendar_year_term
from lehrer_licenses.domain.pricing import (
    price_new_seats,
    price_renewal,
    price_usage_in_arrears,
    prorated_subscription,
)

LOCAL, HOSTED = DEFAULT_PLANS
TEN_FROM_50 = (TierBand(50, Decimal("10"), date(2024, 1, 1)),)


def tr(text):
    return text


def net(lines):
    return sum(line.amount for line in lines)


def first_order(plan, seats, on):
    term = calendar_year_term(on)
    return price_new_seats(
        plan,
        seats=seats,
        order_date=on,
        first_position=1,
        running_term=None,
        term_for_order=term,
        tr=tr,
    )


def test_L2_first_year_costs_156_per_seat():
    assert net(first_order(LOCAL, 1, date(2026, 3, 10))) == Decimal("156.00")


def test_L3_reorder_prorates_the_subscription_at_4_50_a_month():
    term = calendar_year_term(date(2026, 9, 15))
    lines = price_new_seats(
        LOCAL,
        seats=2,
        order_date=date(2026, 9, 15),
        first_position=4,
        running_term=term,
        term_for_order=term,
        tr=tr,
    )
    assert net(lines) == Decimal("258.90")


def test_L3_the_prorated_subscription_is_capped_at_the_annual_price():
    months, amount = prorated_subscription(
        LOCAL, date(2026, 1, 20), calendar_year_term(date(2026, 1, 20))
    )
    assert months == 12 and amount == Decimal("44.55")  # 12 x 4.50 = 54.00 > 44.55


def test_L3_without_the_cap_the_full_monthly_rate_is_charged():
    uncapped = replace(LOCAL, proration_cap=False)
    _months, amount = prorated_subscription(
        uncapped, date(2026, 1, 20), calendar_year_term(date(2026, 1, 20))
    )
    assert amount == Decimal("54.00")


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)))
def test_L3_property_prorated_amount_never_exceeds_the_annual_price(day):
    _months, amount = prorated_subscription(LOCAL, day, calendar_year_term(day))
    assert Decimal(0) < amount <= Decimal("44.55")


def test_L4_renewal_of_5_seats():
    lines = price_renewal(LOCAL, seats=5, term=calendar_year_term(date(2027, 1, 1)), tr=tr)
    assert net(lines) == Decimal("222.75")


def test_L7_hosted_first_order_charges_only_base_licences():
    assert net(first_order(HOSTED, 10, date(2026, 1, 10))) == Decimal("1114.50")


def test_L7_example6_hosting_and_subscription_from_monthly_counts():
    counts = {date(2026, m, 1): 10 if m <= 6 else 12 for m in range(1, 13)}
    term = calendar_year_term(date(2026, 1, 1))
    lines = price_usage_in_arrears(
        HOSTED, term=term, monthly_counts=counts, canton_licence=False, tr=tr
    )
    assert [line.amount for line in lines] == [Decimal("463.65"), Decimal("490.05")]
    canton = price_usage_in_arrears(
        HOSTED, term=term, monthly_counts=counts, canton_licence=True, tr=tr
    )
    assert net(canton) == Decimal("463.65")


def test_L8_example7_graduated_tier_from_seat_50():
    plan = replace(LOCAL, tiers=TEN_FROM_50)
    assert net(first_order(plan, 60, date(2026, 3, 1))) == Decimal("9188.40")


def test_L8_seats_below_50_get_no_discount():
    plan = replace(LOCAL, tiers=TEN_FROM_50)
    assert net(first_order(plan, 49, date(2026, 3, 1))) == Decimal("7644.00")


def test_L8_a_reorder_crossing_seat_50_discounts_only_the_seats_from_50():
    plan = replace(LOCAL, tiers=TEN_FROM_50)
    term = calendar_year_term(date(2026, 9, 1))
    lines = price_new_seats(
        plan,
        seats=4,
        order_date=date(2026, 9, 1),
        first_position=48,
        running_term=term,
        term_for_order=term,
        tr=tr,
    )
    per_seat = Decimal("111.45") + 4 * Decimal("4.50")
    discount = [line for line in lines if line.code == "volume_discount"]
    assert len(discount) == 1 and discount[0].quantity == 2  # seats 50 and 51
    assert net(lines) == 4 * per_seat - Decimal("25.89")  # 2 x 129.45 x 10 %


def test_L8_volume_mode_discounts_every_seat_once_the_band_is_reached():
    assert tier_split(TEN_FROM_50, 1, 60, TierMode.VOLUME) == [(1, 60, Decimal("10"))]
    assert tier_split(TEN_FROM_50, 1, 60, TierMode.GRADUATED) == [
        (1, 49, Decimal(0)),
        (50, 60, Decimal("10")),
    ]


def test_L8_graduated_bands_split_in_order():
    table = (
        TierBand(50, Decimal("10"), date(2024, 1, 1)),
        TierBand(100, Decimal("15"), date(2024, 1, 1)),
    )
    assert tier_split(table, 40, 80, TierMode.GRADUATED) == [
        (40, 49, Decimal(0)),
        (50, 99, Decimal("10")),
        (100, 119, Decimal("15")),
    ]


def test_L13_an_order_is_priced_with_the_price_valid_on_its_date():
    plan = replace(
        LOCAL, prices=(*LOCAL.prices, PricePoint("base", Decimal("119.00"), date(2027, 1, 1)))
    )
    assert first_order(plan, 1, date(2026, 12, 31))[0].unit_price == Decimal("111.45")
    assert first_order(plan, 1, date(2027, 1, 1))[0].unit_price == Decimal("119.00")


def test_L13_a_tier_table_is_valid_from_its_date():
    plan = replace(LOCAL, tiers=(TierBand(50, Decimal("10"), date(2027, 1, 1)),))
    assert net(first_order(plan, 60, date(2026, 6, 1))) == Decimal("9360.00")
    assert net(first_order(plan, 60, date(2027, 6, 1))) == Decimal("9188.40")
