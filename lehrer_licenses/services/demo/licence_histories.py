"""Sample histories for user packages (DE, AT) and per-pupil subscriptions (NL) in ``demo``.

Like the per-seat histories in ``services.demo.sample_data``: prices and dates come from the same
domain
functions the use cases call, rows are collected for the bulk insert, and a history stops at
``today``. A package school activates a package, records counts (now and then over capacity),
orders a subject add-on, changes its size at renewals or cancels; a per-pupil school accepts the
terms, files its DPA, takes the trial, starts a paid year, records monthly counts and renews
with a settlement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.default_catalogue import PACKAGE_PLAN, PER_PUPIL_PLANS, TRIAL_PLAN
from lehrer_licenses.domain.invoice import compute_totals
from lehrer_licenses.domain.packages import (
    activation_lines,
    addon_lines,
    addon_price,
    licence_year,
    package_lines,
    package_price,
    package_sizes,
)
from lehrer_licenses.domain.per_pupil import (
    months_of,
    pre_investment,
    pre_investment_lines,
    pupil_months,
    settlement,
    trial_term,
    variant_of,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.domain.vat import vat_rate_for
from lehrer_licenses.i18n import gettext_for
from lehrer_licenses.services.billing.drafts import line_columns
from lehrer_licenses.services.catalogue import load_catalogue, plan_row
from lehrer_licenses.store.models import (
    Addon,
    Invoice,
    InvoiceLine,
    PackageCount,
    PreInvestmentRow,
    PupilCount,
    PupilTrial,
    Subscription,
)

PACKAGE = "package"
PER_PUPIL = "per_pupil"
# Of the schools of a country, the share on each of these models (the rest: per-teacher seats).
SHARE = {"DE": (PACKAGE, 0.5), "AT": (PACKAGE, 0.5), "NL": (PER_PUPIL, 0.6)}
SUBJECTS = ("Deutsch", "Englisch", "Physik", "Chemie", "Biologie")


@dataclass
class LicencePlans:
    package: tuple[Plan, int]
    pupils: dict[str, tuple[Plan, int]]
    trial_plan_id: int


def load_plans(session: Session) -> LicencePlans | None:
    """The plans the histories use; None when the catalogue does not have them."""
    catalogue = load_catalogue(session)
    codes = [PACKAGE_PLAN, *(p.code for p in PER_PUPIL_PLANS)]
    if any(code not in catalogue.codes() for code in codes):
        return None
    ids = {code: plan_row(session, code).id for code in codes}
    return LicencePlans(
        (catalogue.plan(PACKAGE_PLAN), ids[PACKAGE_PLAN]),
        {p.code: (catalogue.plan(p.code), ids[p.code]) for p in PER_PUPIL_PLANS},
        ids[TRIAL_PLAN],
    )


def choose(gen, country: str) -> str | None:
    """Which model a new school of ``country`` is on (None: per-teacher seats)."""
    if getattr(gen, "licence_plans", None) is None or country not in SHARE:
        return None
    model, share = SHARE[country]
    return model if gen.rng.random() < share else None


class _History:
    def __init__(self, gen, school: dict, plan: Plan, plan_id: int) -> None:
        self.gen, self.school, self.plan, self.plan_id = gen, school, plan, plan_id
        self.tr = gettext_for(school["language"])
        self.sub: dict = {}

    def invoice(
        self,
        reason: str,
        lines: list[Line],
        on: date,
        key: str | None = None,
        addon_id: int | None = None,
    ) -> int | None:
        if not lines:
            return None
        rate = vat_rate_for(self.gen.vat_rates, self.school["country"], on)
        t = compute_totals(lines, rate, self.plan.currency)
        invoice_id = self.gen.rows.add(
            Invoice,
            {
                "number": None,
                "kind": "invoice",
                "status": "draft",
                "school_id": self.school["id"],
                "subscription_id": self.sub["id"],
                "reason": reason,
                "billing_key": key,
                "currency": self.plan.currency,
                "language": self.school["language"],
                "invoice_date": on,
                "net": t.net.amount,
                "vat_rate": rate,
                "vat": t.vat.amount,
                "total": t.total.amount,
                "rounding": t.rounding.amount,
                "payable": t.payable.amount,
                "created_at": datetime.combine(on, datetime.min.time()),
                "addon_id": addon_id,
            },
        )
        for position, line in enumerate(lines, start=1):
            self.gen.rows.add(
                InvoiceLine,
                {"invoice_id": invoice_id, **line_columns(position, line)},
            )
        return invoice_id

    def start_subscription(self, term: Term, **extra) -> None:
        self.sub = {
            "school_id": self.school["id"],
            "plan_id": self.plan_id,
            "status": "active",
            "started_on": term.start,
            "term_start": term.start,
            "term_end": term.end,
            "ends_on": None,
            "lapsed_on": None,
            **extra,
        }
        self.gen.rows.add(Subscription, self.sub)


def _start_day(gen) -> date:
    """Like the per-seat histories: from the beginning of the year before last."""
    today = gen.today
    return gen.random_day(date(today.year - 2, 1, 5), today - timedelta(days=14))


# --- user packages --------------------------------------------------------------------------


class _PackageHistory(_History):
    def simulate(self) -> None:
        gen, rng, plan = self.gen, self.gen.rng, self.plan
        start = _start_day(gen)
        sizes = package_sizes(plan, start)
        capacity = rng.choice(sizes[:4])
        term = licence_year(start, plan.term_days)
        self.start_subscription(term, capacity=capacity, full_package=False)
        self.invoice("order", activation_lines(plan, capacity, start, self.tr), start)
        addon = None
        if rng.random() < 0.3:
            addon = self.order_addon(gen.random_day(start, min(term.end, gen.today)))
        while True:
            self.counts(term, capacity)
            renewal = term.renewal_date
            if renewal > gen.today:
                break
            if rng.random() < 0.05:  # cancelled in time: the package ends with its year
                self.sub["ends_on"] = term.end
                self.sub["status"], self.sub["lapsed_on"] = "lapsed", renewal
                break
            if rng.random() < 0.15:  # another size from the renewal on (M2)
                capacity = rng.choice(package_sizes(plan, renewal)[:5])
            term = licence_year(renewal, plan.term_days)
            self.sub["term_start"], self.sub["term_end"] = term.start, term.end
            self.sub["capacity"] = capacity
            self.invoice(
                "renewal",
                package_lines(
                    plan, capacity, term, package_price(plan, capacity, renewal), self.tr
                ),
                renewal,
                f"package-renewal:{self.sub['id']}:{renewal.isoformat()}",
            )
        if addon is not None:
            self.renew_addon(addon)

    def counts(self, term: Term, capacity: int) -> None:
        gen, rng = self.gen, self.gen.rng
        day = term.start + timedelta(days=30)
        while day <= min(term.end, gen.today):
            users = int(capacity * rng.uniform(0.7, 1.05))
            gen.rows.add(
                PackageCount,
                {
                    "school_id": self.school["id"],
                    "subscription_id": self.sub["id"],
                    "counted_on": day,
                    "users": users,
                    "capacity": capacity,
                    "source": rng.choice(("manual", "accounts")),
                    "created_at": datetime.combine(day, datetime.min.time()),
                },
            )
            day += timedelta(days=91)

    def order_addon(self, on: date) -> dict:
        plan, capacity = self.plan, self.sub["capacity"]
        term = licence_year(on, plan.term_days)
        price = addon_price(plan, capacity, on)
        own_address = self.gen.rng.random() < 0.4
        addon = {
            "school_id": self.school["id"],
            "subscription_id": self.sub["id"],
            "subject": self.gen.rng.choice(SUBJECTS),
            "status": "active",
            "started_on": on,
            "term_start": term.start,
            "term_end": term.end,
            "capacity": capacity,
            "price": price,
            "ends_on": None,
            "refunded_on": None,
            "billing_name": f"Förderverein {self.school['name']}"[:200] if own_address else "",
            "billing_street": self.school["street"] if own_address else "",
            "billing_postcode": self.school["postcode"] if own_address else "",
            "billing_city": self.school["city"] if own_address else "",
            "billing_country": self.school["country"] if own_address else "",
            "created_at": datetime.combine(on, datetime.min.time()),
        }
        self.gen.rows.add(Addon, addon)
        self.invoice(
            "addon",
            addon_lines(addon["subject"], capacity, term, price, self.tr),
            on,
            f"addon:{addon['id']}:{on.isoformat()}",
            addon["id"],
        )
        return addon

    def renew_addon(self, addon: dict) -> None:
        plan = self.plan
        term = Term(addon["term_start"], addon["term_end"])
        while term.renewal_date <= self.gen.today:
            renewal = term.renewal_date
            if self.sub["status"] != "active" and renewal >= self.sub["lapsed_on"]:
                addon["status"] = "lapsed"
                return
            capacity = self.sub["capacity"]
            price = addon_price(plan, capacity, renewal)
            term = licence_year(renewal, plan.term_days)
            addon.update(term_start=term.start, term_end=term.end, capacity=capacity, price=price)
            self.invoice(
                "addon",
                addon_lines(addon["subject"], capacity, term, price, self.tr),
                renewal,
                f"addon:{addon['id']}:{renewal.isoformat()}",
                addon["id"],
            )


# --- per-pupil subscriptions ----------------------------------------------------------------


class _PupilHistory(_History):
    def simulate(self, plans: LicencePlans) -> None:
        gen, rng = self.gen, self.gen.rng
        trial_start = _start_day(gen)
        signed = trial_start - timedelta(days=rng.randint(3, 40))
        self.school.update(
            terms_accepted_on=trial_start,
            dpa_reference=f"VO-{signed.year}-{rng.randint(1, 999):03d}",
            dpa_signed_on=signed,
        )
        months = rng.choice((3, 4, 6))
        trial = trial_term(
            trial_start, trial_start + relativedelta(months=months) - timedelta(days=1)
        )
        start = trial.end + timedelta(days=1)
        gen.rows.add(
            PupilTrial,
            {
                "school_id": self.school["id"],
                "plan_id": plans.trial_plan_id,
                "start_on": trial.start,
                "end_on": trial.end,
                "ended_on": None,
                "created_at": datetime.combine(trial.start, datetime.min.time()),
            },
        )
        if start > gen.today:
            return
        code = rng.choices(list(plans.pupils), [2, 4, 3, 2])[0]
        self.plan, self.plan_id = plans.pupils[code]
        parts = variant_of(self.plan).parts
        base = {part: rng.randint(40, 400) for part in parts}
        term = licence_year(start, self.plan.term_days)
        self.start_subscription(term, full_package=False)
        pre = pre_investment(self.plan, base, term)
        invoice_id = self.invoice("pre_investment", pre_investment_lines(pre, term, self.tr), start)
        self.save_pre(term, pre, invoice_id)
        counts: list[tuple[date, str, int]] = []
        while True:
            for month in months_of(term, gen.today):
                for part in parts:
                    count = max(0, base[part] + rng.randint(-15, 10))
                    counts.append((month, part, count))
                    gen.rows.add(
                        PupilCount,
                        {
                            "school_id": self.school["id"],
                            "month": month,
                            "part": part,
                            "count": count,
                            "created_at": datetime.combine(month, datetime.min.time()),
                        },
                    )
            renewal = term.renewal_date
            if renewal > gen.today:
                break
            if rng.random() < 0.05:  # stopped in time: no settlement (F7)
                self.sub["ends_on"] = term.end
                self.sub["status"], self.sub["lapsed_on"] = "lapsed", renewal
                break
            new_term = licence_year(renewal, self.plan.term_days)
            nxt = {part: max(0, base[part] + rng.randint(-20, 20)) for part in parts}
            result, next_pre = settlement(
                old_plan=self.plan,
                old_term=term,
                old_pre_investment=pre,
                old_pupil_months=pupil_months(counts, term),
                used_until=term.end,
                new_plan=self.plan,
                new_term=new_term,
                new_counts=nxt,
                tr=self.tr,
            )
            invoice_id = self.invoice(
                "settlement",
                result.lines,
                renewal,
                f"pupil-renewal:{self.sub['id']}:{renewal.isoformat()}",
            )
            for row in self.gen.rows.tables.get(PreInvestmentRow, [])[-len(pre) :]:
                row["settled"] = True
            term, pre, base = new_term, next_pre, nxt
            self.sub["term_start"], self.sub["term_end"] = term.start, term.end
            self.save_pre(term, pre, invoice_id)

    def save_pre(self, term: Term, parts, invoice_id: int | None) -> None:
        for p in parts:
            self.gen.rows.add(
                PreInvestmentRow,
                {
                    "school_id": self.school["id"],
                    "subscription_id": self.sub["id"],
                    "plan_id": self.plan_id,
                    "term_start": term.start,
                    "term_end": term.end,
                    "part": p.part,
                    "pupils": p.pupils,
                    "unit_price": p.unit_price,
                    "amount": p.amount,
                    "invoice_id": invoice_id,
                    "settled": False,
                    "created_at": datetime.combine(term.start, datetime.min.time()),
                },
            )


def simulate(gen, model: str, school: dict) -> None:
    """Add the history of ``school`` (its row, already collected) on ``model``."""
    plans: LicencePlans = gen.licence_plans
    if model == PACKAGE:
        plan, plan_id = plans.package
        _PackageHistory(gen, school, plan, plan_id).simulate()
    else:
        plan, plan_id = plans.pupils[TRIAL_PLAN]
        _PupilHistory(gen, school, plan, plan_id).simulate(plans)


__all__ = ["PACKAGE", "PER_PUPIL", "choose", "load_plans", "simulate"]
