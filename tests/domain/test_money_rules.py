from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehrer_licenses.domain.errors import CurrencyMismatch
from lehrer_licenses.domain.invoice import compute_totals
from lehrer_licenses.domain.money import Money, payable_rounding, round_half_up
from lehrer_licenses.domain.pricing import Line

amounts = st.decimals(
    min_value=Decimal("-100000"),
    max_value=Decimal("100000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
prices = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("5000"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


def test_round_half_up_rounds_halves_away_from_zero():
    assert round_half_up(Decimal("18.04275")) == Decimal("18.04")
    assert round_half_up(Decimal("0.005")) == Decimal("0.01")
    assert round_half_up(Decimal("-0.005")) == Decimal("-0.01")
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(0.1, "CHF")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1.00", "CHF") * 1.5  # type: ignore[operator]
    with pytest.raises(CurrencyMismatch):
        Money.of("1.00", "CHF") + Money.of("1.00", "EUR")


def test_example3_chf_payable_rounds_to_five_rappen_and_shows_the_difference():
    payable, rounding = payable_rounding(Money.of("240.79", "CHF"))
    assert payable == Money.of("240.80", "CHF")
    assert rounding == Money.of("0.01", "CHF")


def test_euro_totals_are_not_cash_rounded():
    payable, rounding = payable_rounding(Money.of("240.79", "EUR"))
    assert payable.amount == Decimal("240.79") and rounding.amount == 0


@given(amounts)
def test_chf_payable_is_a_multiple_of_five_rappen_within_two_and_a_half(total):
    payable, rounding = payable_rounding(Money(total, "CHF"))
    assert payable.amount % Decimal("0.05") == 0
    assert abs(rounding.amount) <= Decimal("0.025")
    assert payable.amount - rounding.amount == total


@given(
    st.lists(st.tuples(st.integers(min_value=1, max_value=500), prices), min_size=1, max_size=20),
    st.sampled_from([Decimal("8.1"), Decimal("19"), Decimal("20"), Decimal("21")]),
    st.sampled_from(["CHF", "EUR"]),
)
def test_lines_sum_to_net_and_total_is_net_plus_vat(items, rate, currency):
    lines = [Line("x", "x", Decimal(q), p, round_half_up(q * p)) for q, p in items]
    totals = compute_totals(lines, rate, currency)
    assert totals.net.amount == sum(line.amount for line in lines)
    assert totals.vat.amount == round_half_up(totals.net.amount * rate / 100)
    assert totals.total.amount == totals.net.amount + totals.vat.amount
    assert totals.payable.amount == totals.total.amount + totals.rounding.amount
    for money in (totals.net, totals.vat, totals.total, totals.payable):
        assert money.amount == money.amount.quantize(Decimal("0.01"))
