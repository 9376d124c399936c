"""Per-pupil subscriptions, Focus PO-style (F1-F11). Pure rules, no I/O.

A per-pupil plan (``PlanKind.PER_UNIT``) names its variant in its options (``variant``: the number
of ``PUPIL_PLAN_VARIANTS``) and prices each part it is made of with two components:

    pupil_month:<part>   per pupil and month (the year's use is settled with it)
    pupil_year:<part>    per pupil and year (the pre-investment)

Parts: ``1-2`` (grades 1-2), ``3-8`` (grades 3-8, basis) and ``1-8`` (grades 1-8, full). "Combi" is
the parts 1-2 and 3-8, each counted on its own grades (F3).

Readings of the vendor page chosen here (the page is silent on them):

- The trial (F2) lasts at most 6 calendar months: from its first day to the day before the same
  date 6 months later (2026-02-01 to 2026-07-31). It is given once per school, ever. Every paid
  year is preceded by a trial: a school that never had one cannot start a paid year.
- Terms and DPA (F4) are needed for the trial and, through it, for every paid year.
- The licence year is one calendar year from its start, renewed on the anniversary
  (2027-09-01 -> 2028-08-31): the page sells a one-year subscription, not 365 days (M1).
- A month's count belongs to the licence year its first day falls in (a year starting on the
  15th has its first counted month in the following month).
- The next pre-investment is the pupils counted "in the first weeks after the renewal date": the
  renewal run takes the count of the renewal's month when it is recorded, otherwise the latest
  count before it, otherwise the pupils of the previous pre-investment.
- Notice: the page gives none; this project uses 1 month (the reminder comes 2 months before the
  renewal, F9, so a school has a month to act). A downgrade or cancellation received by the
  deadline applies at the next renewal; a later one at the renewal after it (like L4).
- "No settlement when stopping" (F7) holds after any year: the year's pre-investment stays the
  price of the year, nothing is credited or charged at its end.
- An upgrade (F10) is a move to a variant that covers strictly more (1-2 or 3-8 -> Combi -> 1-8
  full; 1-2 or 3-8 -> 1-8 full). Any other change is a downgrade or a switch and waits for the
  renewal (F11).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.periods import ONE_CALENDAR_YEAR, Term, anniversary_term, month_start
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.domain.regcode_verifier import PUPIL_PLAN_VARIANTS
from lehrer_licenses.i18n import N_, _

Translate = Callable[[str], str]

PART_12 = "1-2"
PART_38 = "3-8"
PART_18 = "1-8"
PARTS = (PART_12, PART_38, PART_18)
PART_LABELS = {
    PART_12: N_("Focus PO 1-2"),
    PART_38: N_("Focus PO 3-8 (basis)"),
    PART_18: N_("Focus PO 1-8 (full)"),
}

PUPIL_MONTH = "pupil_month"
PUPIL_YEAR = "pupil_year"

TRIAL_MAX_MONTHS = 6  # F2
REMINDER_MONTHS = 2  # F9
ACTIVITY_MONTHS = 9  # F5: pupils with data processed in the last 9 months
TRIAL_VARIANT = 4  # "1-8 full"


@dataclass(frozen=True, slots=True)
class Variant:
    number: int
    name: str
    parts: tuple[str, ...]
    covers: frozenset[str]  # what the variant gives; an upgrade covers strictly more


_GRADES_12 = "grades 1-2"
_BASIS_38 = "grades 3-8 basis"
_FULL_38 = "grades 3-8 full"

VARIANTS: dict[int, Variant] = {
    1: Variant(1, PUPIL_PLAN_VARIANTS[1], (PART_12,), frozenset({_GRADES_12})),
    2: Variant(2, PUPIL_PLAN_VARIANTS[2], (PART_38,), frozenset({_BASIS_38})),
    3: Variant(3, PUPIL_PLAN_VARIANTS[3], (PART_12, PART_38), frozenset({_GRADES_12, _BASIS_38})),
    4: Variant(4, PUPIL_PLAN_VARIANTS[4], (PART_18,), frozenset({_GRADES_12, _BASIS_38, _FULL_38})),
}


def variant_of(plan: Plan) -> Variant:
    if plan.kind is not PlanKind.PER_UNIT:
        raise DomainError(_("plan {plan} is not sold per pupil").format(plan=plan.code))
    text = plan.option("variant")
    if not text.isdigit() or int(text) not in VARIANTS:
        raise DomainError(_("plan {plan} names no pupil plan variant").format(plan=plan.code))
    return VARIANTS[int(text)]


def is_upgrade(old: Variant, new: Variant) -> bool:
    """F10: the new variant covers everything the old one does, and more."""
    return new.covers > old.covers


# --- trial (F2, F4) -------------------------------------------------------------------------


def trial_term(start: date, until: date | None = None) -> Term:
    """The free trial from ``start``: at most 6 months, shorter when ``until`` says so (F2)."""
    longest = start + relativedelta(months=TRIAL_MAX_MONTHS) - timedelta(days=1)
    if until is None:
        return Term(start, longest)
    if until < start:
        raise DomainError(
            _("the trial cannot end ({end}) before it starts ({start})").format(
                end=until.isoformat(), start=start.isoformat()
            )
        )
    if until > longest:
        raise DomainError(
            _("a trial lasts at most 6 months: from {start} until {end} at the latest").format(
                start=start.isoformat(), end=longest.isoformat()
            )
        )
    return Term(start, until)


def trial_refusals(
    *,
    terms_accepted_on: date | None,
    dpa_reference: str | None,
    dpa_signed_on: date | None,
    previous_trial: Term | None,
    on: date,
) -> list[str]:
    """Why a trial starting on ``on`` cannot be given: every missing thing, in words (F2, F4)."""
    reasons = []
    if previous_trial is not None:
        reasons.append(
            _("the school had its free trial already ({start} to {end}); it is given once").format(
                start=previous_trial.start.isoformat(), end=previous_trial.end.isoformat()
            )
        )
    if terms_accepted_on is None:
        reasons.append(_("the general terms have not been accepted"))
    elif terms_accepted_on > on:
        reasons.append(
            _("the general terms are accepted only from {day}").format(
                day=terms_accepted_on.isoformat()
            )
        )
    if not (dpa_reference or "").strip() or dpa_signed_on is None:
        reasons.append(
            _("no data-processing agreement with the school board is on file (reference and date)")
        )
    elif dpa_signed_on > on:
        reasons.append(
            _("the data-processing agreement is signed only from {day}").format(
                day=dpa_signed_on.isoformat()
            )
        )
    return reasons


# --- the licence year, notice and reminder (F5, F9, F11) ------------------------------------


def licence_year(start: date, days: int = ONE_CALENDAR_YEAR) -> Term:
    return anniversary_term(start, days)


def reminder_date(renewal_date: date) -> date:
    """F9: the reminder of the notice period goes out 2 months before the renewal."""
    return renewal_date - relativedelta(months=REMINDER_MONTHS)


def months_of(term: Term, until: date | None = None) -> list[date]:
    """The months (as their first day) counted in ``term``: those whose first day is in it,
    up to ``until`` (included) when given."""
    last = term.end if until is None else min(term.end, until)
    month = month_start(term.start)
    if month < term.start:
        month += relativedelta(months=1)
    months = []
    while month <= last:
        months.append(month)
        month += relativedelta(months=1)
    return months


def active_pupils(last_processed: Mapping[str, date], on: date) -> int:
    """Pupils with data processed in the 9 months up to ``on`` (F5), each counted once."""
    since = on - relativedelta(months=ACTIVITY_MONTHS)
    return sum(1 for day in last_processed.values() if since < day <= on)


# --- prices and invoice lines (F3, F5, F6, F7, F10) -----------------------------------------


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _check_counts(variant: Variant, counts: Mapping[str, int], what: str) -> None:
    unknown = sorted(set(counts) - set(variant.parts))
    if unknown:
        raise DomainError(
            _("variant {variant} has the part(s) {parts}, not {unknown}").format(
                variant=variant.name, parts=", ".join(variant.parts), unknown=", ".join(unknown)
            )
        )
    missing = [p for p in variant.parts if p not in counts]
    if missing:
        raise DomainError(
            _("{what}: a count is needed for part(s) {parts}").format(
                what=what, parts=", ".join(missing)
            )
        )
    for part, count in counts.items():
        if count < 0:
            raise DomainError(
                _("A pupil count cannot be negative: {part}={n}").format(part=part, n=count)
            )


def yearly_price(plan: Plan, part: str, on: date) -> Decimal:
    return plan.price(f"{PUPIL_YEAR}:{part}", on)


def monthly_price(plan: Plan, part: str, on: date) -> Decimal:
    return plan.price(f"{PUPIL_MONTH}:{part}", on)


@dataclass(frozen=True, slots=True)
class PreInvestment:
    """One part of a year's pre-investment as it was invoiced (what a settlement credits)."""

    part: str
    pupils: int
    unit_price: Decimal
    amount: Decimal


def pre_investment(plan: Plan, counts: Mapping[str, int], term: Term) -> list[PreInvestment]:
    """F5: pupils counted in the covered grades x the yearly price, per part."""
    variant = variant_of(plan)
    _check_counts(variant, counts, _("the pre-investment"))
    result = []
    for part in variant.parts:
        unit = yearly_price(plan, part, term.start)
        result.append(PreInvestment(part, counts[part], unit, round_half_up(unit * counts[part])))
    return result


def pre_investment_lines(parts: Sequence[PreInvestment], term: Term, tr: Translate) -> list[Line]:
    return [
        Line(
            f"{PUPIL_YEAR}:{p.part}",
            tr("{label}: pre-investment {start} – {end}, {n} pupils").format(
                label=tr(PART_LABELS[p.part]), start=_d(term.start), end=_d(term.end), n=p.pupils
            ),
            Decimal(p.pupils),
            p.unit_price,
            p.amount,
            term.start,
            term.end,
        )
        for p in parts
    ]


def credit_lines(parts: Sequence[PreInvestment], term: Term, tr: Translate) -> list[Line]:
    """F6: the pre-investment of the year being settled, credited."""
    return [
        Line(
            f"credit:{p.part}",
            tr("{label}: credit of the pre-investment {start} – {end}").format(
                label=tr(PART_LABELS[p.part]), start=_d(term.start), end=_d(term.end)
            ),
            Decimal(p.pupils),
            -p.unit_price,
            -p.amount,
            term.start,
            term.end,
        )
        for p in parts
    ]


def use_lines(
    plan: Plan,
    pupil_months: Mapping[str, int],
    term: Term,
    until: date,
    tr: Translate,
) -> list[Line]:
    """F6: the actual use of ``term`` up to ``until``: pupil-months x the monthly price."""
    variant = variant_of(plan)
    lines = []
    for part in variant.parts:
        months = pupil_months.get(part, 0)
        if months < 0:
            raise DomainError(
                _("A pupil count cannot be negative: {part}={n}").format(part=part, n=months)
            )
        unit = monthly_price(plan, part, term.start)
        lines.append(
            Line(
                f"{PUPIL_MONTH}:{part}",
                tr("{label}: use {start} – {end}, {n} pupil-months").format(
                    label=tr(PART_LABELS[part]), start=_d(term.start), end=_d(until), n=months
                ),
                Decimal(months),
                unit,
                round_half_up(unit * months),
                term.start,
                until,
            )
        )
    return lines


def use_months(term: Term, until: date | None = None) -> list[date]:
    """The months (as their first day) whose use a settlement of ``term`` bills: from the month
    the year starts in up to the month before the renewal date's month (which belongs to the
    next year), or up to ``until``'s month.

    A year that restarts mid-month on an upgrade (F10) thus bills its first month itself (the
    upgrade settles the old year up to the month before): the count of that month is taken at
    the month's end, after the old year was settled, and would otherwise be billed nowhere."""
    stop = month_start(term.renewal_date)
    if until is not None:
        stop = min(stop, month_start(until) + relativedelta(months=1))
    month, months = month_start(term.start), []
    while month < stop:
        months.append(month)
        month += relativedelta(months=1)
    return months


def pupil_months(counts: Iterable[tuple[date, str, int]], term: Term, until: date | None = None):
    """Sum of the monthly counts per part over the use months of ``term`` (up to ``until``)."""
    months = set(use_months(term, until))
    sums: dict[str, int] = {}
    for month, part, count in counts:
        if month in months:
            sums[part] = sums.get(part, 0) + count
    return sums


@dataclass(frozen=True, slots=True)
class Settlement:
    """F6/F7 (renewal) and F10 (upgrade): one invoice of three parts."""

    credit: tuple[Line, ...]
    use: tuple[Line, ...]
    next_pre_investment: tuple[Line, ...]

    @property
    def lines(self) -> list[Line]:
        return [*self.credit, *self.use, *self.next_pre_investment]

    @staticmethod
    def _sum(lines: Iterable[Line]) -> Decimal:
        return sum((line.amount for line in lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self._sum(self.lines)

    def parts_json(self) -> dict[str, str]:
        return {
            "credit": f"{self._sum(self.credit):.2f}",
            "use": f"{self._sum(self.use):.2f}",
            "next_pre_investment": f"{self._sum(self.next_pre_investment):.2f}",
            "total": f"{self.total:.2f}",
        }


def settlement(
    *,
    old_plan: Plan,
    old_term: Term,
    old_pre_investment: Sequence[PreInvestment],
    old_pupil_months: Mapping[str, int],
    used_until: date,
    new_plan: Plan,
    new_term: Term,
    new_counts: Mapping[str, int],
    tr: Translate,
) -> tuple[Settlement, list[PreInvestment]]:
    """The settlement invoice at a renewal (F6/F7) or an upgrade (F10), and the new
    pre-investment it contains. Example 10: -720.00 + 702.00 + 756.00 = 738.00."""
    next_parts = pre_investment(new_plan, new_counts, new_term)
    return (
        Settlement(
            tuple(credit_lines(old_pre_investment, old_term, tr)),
            tuple(use_lines(old_plan, old_pupil_months, old_term, used_until, tr)),
            tuple(pre_investment_lines(next_parts, new_term, tr)),
        ),
        next_parts,
    )
