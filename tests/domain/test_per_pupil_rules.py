"""Per-pupil subscriptions (F1-F11, worked example 10): pure rules."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehrer_licenses.domain.default_catalogue import PER_PUPIL_PLANS
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.per_pupil import (
    VARIANTS,
    PreInvestment,
    active_pupils,
    is_upgrade,
    licence_year,
    months_of,
    pre_investment,
    pupil_months,
    reminder_date,
    settlement,
    trial_refusals,
    trial_term,
    variant_of,
)
from lehrer_licenses.domain.periods import Term, TermAlignment, cancellation_effective

P12, P38, COMBI, P18 = PER_PUPIL_PLANS


def tr(text):
    return text


def amounts(lines):
    return [line.amount for line in lines]


# --- F1, F3 ---------------------------------------------------------------------------------


def test_F1_four_variants_with_their_parts():
    assert [variant_of(p).name for p in PER_PUPIL_PLANS] == [
        "1-2",
        "3-8 basis",
        "Combi",
        "1-8 full",
    ]
    assert variant_of(COMBI).parts == ("1-2", "3-8")


def test_F3_prices_per_pupil_and_year():
    year = licence_year(date(2026, 8, 1))
    assert [p.amount for p in pre_investment(P12, {"1-2": 10}, year)] == [Decimal("115.00")]
    assert [p.amount for p in pre_investment(P38, {"3-8": 10}, year)] == [Decimal("36.00")]
    assert [p.amount for p in pre_investment(P18, {"1-8": 10}, year)] == [Decimal("115.00")]


def test_F3_combi_is_the_two_parts_each_on_its_own_grades():
    year = licence_year(date(2026, 8, 1))
    parts = pre_investment(COMBI, {"1-2": 40, "3-8": 160}, year)
    assert [(p.part, p.amount) for p in parts] == [
        ("1-2", Decimal("460.00")),
        ("3-8", Decimal("576.00")),
    ]


def test_F5_a_count_for_every_part_and_no_other_is_needed():
    year = licence_year(date(2026, 8, 1))
    with pytest.raises(DomainError, match="a count is needed for part"):
        pre_investment(COMBI, {"1-2": 40}, year)
    with pytest.raises(DomainError, match="not 1-8"):
        pre_investment(P38, {"3-8": 1, "1-8": 2}, year)
    with pytest.raises(DomainError, match="negative"):
        pre_investment(P38, {"3-8": -1}, year)


# --- F2, F4 ---------------------------------------------------------------------------------


def test_F2_trial_lasts_at_most_6_months():
    assert trial_term(date(2026, 2, 1)) == Term(date(2026, 2, 1), date(2026, 7, 31))
    assert trial_term(date(2026, 2, 1), date(2026, 4, 30)).end == date(2026, 4, 30)
    with pytest.raises(DomainError, match="at most 6 months"):
        trial_term(date(2026, 2, 1), date(2026, 8, 1))


def test_F2_a_second_trial_is_refused():
    reasons = trial_refusals(
        terms_accepted_on=date(2026, 1, 1),
        dpa_reference="VO-2026-17",
        dpa_signed_on=date(2026, 1, 5),
        previous_trial=Term(date(2025, 1, 1), date(2025, 6, 30)),
        on=date(2026, 2, 1),
    )
    assert len(reasons) == 1 and "once" in reasons[0]


def test_F4_trial_refused_without_a_dpa_says_what_is_missing():
    reasons = trial_refusals(
        terms_accepted_on=date(2026, 1, 1),
        dpa_reference=None,
        dpa_signed_on=None,
        previous_trial=None,
        on=date(2026, 2, 1),
    )
    assert reasons == [
        "no data-processing agreement with the school board is on file (reference and date)"
    ]


def test_F4_trial_refused_without_terms_names_both_missing_things():
    reasons = trial_refusals(
        terms_accepted_on=None,
        dpa_reference="",
        dpa_signed_on=date(2026, 1, 1),
        previous_trial=None,
        on=date(2026, 2, 1),
    )
    assert "the general terms have not been accepted" in reasons
    assert any("data-processing agreement" in r for r in reasons)


def test_F4_trial_allowed_with_terms_and_dpa_on_file():
    assert (
        trial_refusals(
            terms_accepted_on=date(2026, 2, 1),
            dpa_reference="VO-17",
            dpa_signed_on=date(2026, 1, 15),
            previous_trial=None,
            on=date(2026, 2, 1),
        )
        == []
    )


# --- F5 -------------------------------------------------------------------------------------


def test_F5_pupils_with_data_processed_in_the_last_9_months():
    on = date(2026, 9, 30)
    processed = {"p1": date(2026, 9, 1), "p2": date(2025, 12, 30), "p3": date(2025, 12, 31)}
    assert active_pupils(processed, on) == 2  # p2 is 9 months ago to the day: out


def test_F5_months_of_a_year_are_those_whose_first_day_falls_in_it():
    year = licence_year(date(2026, 8, 1))
    assert months_of(year) == [date(2026 + (m < 8), m, 1) for m in (*range(8, 13), *range(1, 8))]
    mid = licence_year(date(2026, 8, 15))
    assert months_of(mid)[0] == date(2026, 9, 1) and months_of(mid)[-1] == date(2027, 8, 1)


def test_F5_a_year_across_29_february_still_has_12_months():
    # one calendar year from its start (issue 17; it was 365 days, ending on 2028-07-30)
    year = licence_year(date(2027, 8, 1))
    assert year.end == date(2028, 7, 31)
    assert len(months_of(year)) == 12


def test_F9_the_licence_year_renews_on_its_anniversary_for_ever():
    year = licence_year(date(2027, 9, 1))
    assert (year.start, year.end) == (date(2027, 9, 1), date(2028, 8, 31))
    for _ in range(5):  # across 2028 and 2032: no drift into August
        year = licence_year(year.renewal_date)
        assert (year.start.month, year.start.day) == (9, 1)
    assert reminder_date(date(2028, 9, 1)) == date(2028, 7, 1)  # 2 months before (F9)


# --- F6, F7 ---------------------------------------------------------------------------------


def test_F7_example10_renewal_settles_credit_use_and_next_pre_investment():
    year = licence_year(date(2026, 8, 1))
    (pre,) = pre_investment(P38, {"3-8": 200}, year)
    assert pre.amount == Decimal("720.00")
    result, next_parts = settlement(
        old_plan=P38,
        old_term=year,
        old_pre_investment=[pre],
        old_pupil_months={"3-8": 2340},
        used_until=year.end,
        new_plan=P38,
        new_term=licence_year(year.renewal_date),
        new_counts={"3-8": 210},
        tr=tr,
    )
    assert year.renewal_date == date(2027, 8, 1)
    assert amounts(result.lines) == [Decimal("-720.00"), Decimal("702.00"), Decimal("756.00")]
    assert result.total == Decimal("738.00")
    assert result.parts_json() == {
        "credit": "-720.00",
        "use": "702.00",
        "next_pre_investment": "756.00",
        "total": "738.00",
    }
    assert next_parts == [PreInvestment("3-8", 210, Decimal("3.60"), Decimal("756.00"))]


def test_F6_pupil_months_sum_the_monthly_counts_of_the_year_per_part():
    year = licence_year(date(2026, 8, 1))
    counts = [(m, "3-8", 195) for m in months_of(year)]
    counts.append((date(2026, 7, 1), "3-8", 999))  # before the year: not in it
    counts.append((date(2027, 8, 1), "3-8", 999))  # the next year
    assert pupil_months(counts, year) == {"3-8": 12 * 195}
    assert pupil_months(counts, year, until=date(2026, 10, 15)) == {"3-8": 3 * 195}


@given(
    st.integers(0, 5000),
    st.integers(0, 60000),
    st.integers(0, 5000),
    st.sampled_from(PER_PUPIL_PLANS),
)
def test_F7_settlement_is_minus_pre_plus_use_plus_next(pupils, months, next_pupils, plan):
    year = licence_year(date(2026, 8, 1))
    parts = variant_of(plan).parts
    pre = pre_investment(plan, {p: pupils for p in parts}, year)
    result, next_parts = settlement(
        old_plan=plan,
        old_term=year,
        old_pre_investment=pre,
        old_pupil_months={p: months for p in parts},
        used_until=year.end,
        new_plan=plan,
        new_term=licence_year(year.renewal_date),
        new_counts={p: next_pupils for p in parts},
        tr=tr,
    )
    use = sum((plan.price(f"pupil_month:{p}", year.start) * months for p in parts), Decimal("0.00"))
    assert result.total == -sum(p.amount for p in pre) + use + sum(p.amount for p in next_parts)


# --- F9, F10, F11 ---------------------------------------------------------------------------


def test_F9_reminder_two_months_before_the_renewal():
    assert reminder_date(date(2027, 8, 1)) == date(2027, 6, 1)


def test_F10_upgrades_are_moves_to_a_variant_covering_more():
    v12, v38, combi, full = (VARIANTS[n] for n in (1, 2, 3, 4))
    assert is_upgrade(v12, combi) and is_upgrade(v38, combi) and is_upgrade(combi, full)
    assert is_upgrade(v12, full) and is_upgrade(v38, full)
    assert not is_upgrade(combi, v12) and not is_upgrade(v12, v38) and not is_upgrade(full, full)


def test_F10_upgrade_settles_the_old_year_so_far_against_the_new_pre_investment():
    year = licence_year(date(2026, 8, 1))
    pre = pre_investment(P12, {"1-2": 50}, year)  # 575.00
    counts = [(m, "1-2", 50) for m in months_of(year, date(2026, 12, 31))]  # Aug-Dec
    upgrade_day = date(2027, 1, 10)
    result, _parts = settlement(
        old_plan=P12,
        old_term=year,
        old_pre_investment=pre,
        old_pupil_months=pupil_months(counts, year, upgrade_day),
        used_until=upgrade_day,
        new_plan=COMBI,
        new_term=licence_year(upgrade_day),
        new_counts={"1-2": 50, "3-8": 150},
        tr=tr,
    )
    # -575.00 + 250 x 0.96 + (50 x 11.50 + 150 x 3.60)
    assert amounts(result.lines) == [
        Decimal("-575.00"),
        Decimal("240.00"),
        Decimal("575.00"),
        Decimal("540.00"),
    ]
    assert result.total == Decimal("780.00")


def test_F11_downgrade_or_cancel_with_one_month_notice():
    year = licence_year(date(2026, 8, 1))
    assert P38.notice_months == 1
    on_time = cancellation_effective(TermAlignment.ANNIVERSARY, year, date(2027, 6, 30), 1)
    late = cancellation_effective(
        TermAlignment.ANNIVERSARY, year, date(2027, 7, 1), 1, P38.term_days
    )
    assert on_time.in_time and on_time.effective == year.end
    assert not late.in_time and late.effective == licence_year(year.renewal_date).end
