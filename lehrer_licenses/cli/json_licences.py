"""The ``--json`` documents of the licence use cases (seats, user packages with their add-ons,
per-pupil subscriptions) and of ``renewals due``. Scripts of others read these keys, so their
names and order stay as they are; amounts are text with two decimals, days ISO dates."""

from __future__ import annotations

from datetime import date

from lehrer_licenses.cli.json_billing import invoice_view_json
from lehrer_licenses.domain.per_pupil import Settlement
from lehrer_licenses.domain.regcode import PUPIL_PLAN_VARIANTS
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.licences.cancellation import CancellationNotice
from lehrer_licenses.services.licences.codes import CodeView
from lehrer_licenses.services.licences.packages.addons import AddonCancellation, AddonResult
from lehrer_licenses.services.licences.packages.contract import PackageResult
from lehrer_licenses.services.licences.packages.counts import CountResult
from lehrer_licenses.services.licences.packages.notice import SizeAtRenewal
from lehrer_licenses.services.licences.packages.over_capacity import OverCapacity
from lehrer_licenses.services.licences.packages.status import (
    AddonView,
    PackageStatus,
    RenewalAt,
)
from lehrer_licenses.services.licences.packages.upgrade import PricedOption, UpgradeQuote
from lehrer_licenses.services.licences.pupils.agreements import Agreements, TrialStarted
from lehrer_licenses.services.licences.pupils.contract import PupilResult
from lehrer_licenses.services.licences.pupils.counts import PupilCounts
from lehrer_licenses.services.licences.pupils.notice import PlanAtRenewal, ReminderDue
from lehrer_licenses.services.licences.pupils.status import PupilStatus
from lehrer_licenses.services.licences.seats.cancellations import CancellationResult
from lehrer_licenses.services.licences.seats.holders import SeatView
from lehrer_licenses.services.licences.seats.order_undo import OrderUndo
from lehrer_licenses.services.licences.seats.orders import OrderQuote
from lehrer_licenses.services.season.renewals_due import DueItem, DueRun, DueSummary


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def seat_cancellation_json(result: CancellationResult) -> dict:
    return {
        "school": result.school,
        "received": result.received.isoformat(),
        "deadline": result.deadline.isoformat(),
        "in_time": result.in_time,
        "effective": result.effective.isoformat(),
        "seats": "all" if result.seats is None else result.seats,
        "seats_after": result.seats_after,
    }


def cancellation_json(notice: CancellationNotice) -> dict:
    """A cancelled package or per-pupil subscription; an add-on names itself after the school."""
    head: dict = {"school": notice.school}
    if isinstance(notice, AddonCancellation):
        head |= {"addon": notice.addon, "subject": notice.subject}
    return {
        **head,
        "received": notice.received.isoformat(),
        "deadline": notice.deadline.isoformat(),
        "in_time": notice.in_time,
        "effective": notice.effective.isoformat(),
    }


def size_at_renewal_json(result: SizeAtRenewal) -> dict:
    return {
        "school": result.school,
        "capacity": result.capacity,
        "capacity_from_renewal": result.capacity_from_renewal,
        "renewal": result.renewal.isoformat(),
        "received": result.received.isoformat(),
    }


def plan_at_renewal_json(result: PlanAtRenewal) -> dict:
    return {
        "school": result.school,
        "plan": result.plan,
        "new_plan": result.new_plan,
        "received": result.received.isoformat(),
        "deadline": result.deadline.isoformat(),
        "in_time": result.in_time,
        "from": result.from_day.isoformat(),
    }


def settlement_json(settlement: Settlement | None) -> dict[str, str] | None:
    return settlement.parts_json() if settlement is not None else None


def due_item_json(item: DueItem) -> dict:
    return {
        "school": item.school,
        "school_name": item.school_name,
        "contract": item.contract,
        "id": item.id,
        "renewal": item.renewal.isoformat(),
        "action": item.action,
        "term_start": _day(item.term_start),
        "term_end": _day(item.term_end),
        "quantity": item.quantity,
        "settlement": settlement_json(item.settlement),
        "notices": item.notices,
        "code": item.code,
        "invoice": invoice_view_json(item.invoice) if item.invoice else None,
    }


def due_summary_json(summary: DueSummary) -> dict:
    return {
        "renewals": summary.renewals,
        "lapses": summary.lapses,
        "invoices": summary.invoices,
        "net": {cur: money_text(v) for cur, v in summary.net.items()},
    }


def due_run_json(run: DueRun) -> dict:
    return {
        "until": run.until.isoformat(),
        "dry_run": run.dry_run,
        "summary": due_summary_json(run.summary()),
        "items": [due_item_json(i) for i in run.items],
    }


# --- user packages and add-ons --------------------------------------------------------------


def package_result_json(result: PackageResult) -> dict:
    return {
        "school": result.school,
        "plan": result.plan,
        "action": result.action,
        "capacity": result.capacity,
        "term_start": result.term_start.isoformat(),
        "term_end": result.term_end.isoformat(),
        "cancellation_deadline": result.cancellation_deadline.isoformat(),
        "notices": result.notices,
        "code": result.code,
        "invoice": invoice_view_json(result.invoice),
        "refunds": [invoice_view_json(r) for r in result.refunds],
    }


def priced_option_json(option: PricedOption) -> dict:
    return {
        "option": option.option,
        "capacity_from": option.capacity_from,
        "capacity_to": option.capacity_to,
        "amount": money_text(option.amount),
        "term_start": option.term_start.isoformat(),
        "term_end": option.term_end.isoformat(),
        "invoice": invoice_view_json(option.invoice),
    }


def count_result_json(result: CountResult) -> dict:
    return {
        "school": result.school,
        "date": result.counted_on.isoformat(),
        "users": result.users,
        "capacity": result.capacity,
        "source": result.source,
        "over_capacity": result.check.over,
        "suggested_capacity": result.check.suggested,
        "warning": result.warning,
        "options": [priced_option_json(o) for o in result.options],
    }


def upgrade_quote_json(quote: UpgradeQuote) -> dict:
    return {
        "school": quote.school,
        "date": quote.on.isoformat(),
        "capacity": quote.capacity,
        "term_start": quote.term_start.isoformat(),
        "term_end": quote.term_end.isoformat(),
        "options": [priced_option_json(o) for o in quote.options],
    }


def renewal_json(renewal: RenewalAt) -> dict:
    quote = renewal.quote
    return {
        "date": renewal.on.isoformat(),
        "capacity": renewal.capacity,
        "visible_from": quote.visible_from.isoformat(),
        "amount": money_text(quote.amount) if quote.amount is not None else None,
        "postponed_increases": [
            {
                "amount": money_text(p.amount),
                "valid_from": p.valid_from.isoformat(),
                "announced_on": _day(p.announced_on),
            }
            for p in quote.postponed_increases
        ],
    }


def addon_json(view: AddonView) -> dict:
    address = view.billing_address
    doc = {
        "id": view.id,
        "subject": view.subject,
        "status": view.status,
        "started_on": view.started_on.isoformat(),
        "term_start": view.term_start.isoformat(),
        "term_end": view.term_end.isoformat(),
        "capacity": view.capacity,
        "price": money_text(view.price),
        "cancellation_deadline": view.cancellation_deadline.isoformat(),
        "ends_on": _day(view.ends_on),
        "refunded_on": _day(view.refunded_on),
        "billing_address": {
            "name": address.name,
            "street": address.street,
            "postcode": address.postcode,
            "city": address.city,
            "country": address.country,
        },
    }
    if view.renewal is not None:
        doc["renewal"] = renewal_json(view.renewal)
    return doc


def addon_result_json(result: AddonResult) -> dict:
    addon = (
        addon_json(result.addon)
        if result.addon is not None
        else {
            "subject": result.subject,
            "term_start": result.term.start.isoformat(),
            "term_end": result.term.end.isoformat(),
            "capacity": result.capacity,
        }
    )
    return {
        "school": result.school,
        "addon": addon,
        "notices": result.notices,
        "invoice": invoice_view_json(result.invoice),
    }


def package_status_json(status: PackageStatus) -> dict:
    latest = status.latest_count
    return {
        "school": status.school,
        "plan": status.plan,
        "currency": status.currency,
        "capacity": status.capacity,
        "full_package": status.full_package,
        "term_start": status.term_start.isoformat(),
        "term_end": status.term_end.isoformat(),
        "cancellation_deadline": status.cancellation_deadline.isoformat(),
        "ends_on": _day(status.ends_on),
        "latest_count": (
            {"date": latest.on.isoformat(), "users": latest.users} if latest else None
        ),
        "renewal": renewal_json(status.renewal) if status.renewal else None,
        "addons": [addon_json(a) for a in status.addons],
    }


# --- per-pupil subscriptions ----------------------------------------------------------------


def pupil_result_json(result: PupilResult) -> dict:
    return {
        "school": result.school,
        "plan": result.plan,
        "variant": result.variant,
        "action": result.action,
        "term_start": result.term_start.isoformat(),
        "term_end": result.term_end.isoformat(),
        "pupils": result.pupils,
        "settlement": settlement_json(result.parts),
        "notices": result.notices,
        "code": result.code,
        "invoice": invoice_view_json(result.invoice),
    }


def agreements_json(result: Agreements) -> dict:
    return {
        "school": result.school,
        "terms_accepted_on": _day(result.terms_accepted_on),
        "dpa_reference": result.dpa_reference,
        "dpa_signed_on": _day(result.dpa_signed_on),
    }


def trial_json(result: TrialStarted) -> dict:
    return {
        "school": result.school,
        "plan": result.plan,
        "variant": result.variant,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "code": result.code,
    }


def pupil_counts_json(result: PupilCounts) -> dict:
    return {
        "school": result.school,
        "month": result.month.strftime("%Y-%m"),
        "counts": result.counts,
        "notices": result.notices,
    }


def reminder_json(due: ReminderDue) -> dict:
    return {
        "school": due.school,
        "school_name": due.school_name,
        "plan": due.plan,
        "renewal": due.renewal.isoformat(),
        "reminder": due.reminder.isoformat(),
        "notice_deadline": due.notice_deadline.isoformat(),
    }


def pupil_status_json(status: PupilStatus) -> dict:
    trial, sub = status.trial, status.subscription
    return {
        "school": status.school,
        "terms_accepted_on": _day(status.terms_accepted_on),
        "dpa_reference": status.dpa_reference,
        "dpa_signed_on": _day(status.dpa_signed_on),
        "trial": (
            {
                "start": trial.start.isoformat(),
                "end": trial.end.isoformat(),
                "ended_on": _day(trial.ended_on),
            }
            if trial
            else None
        ),
        "subscription": (
            {
                "plan": sub.plan,
                "variant": sub.variant,
                "term_start": sub.term_start.isoformat(),
                "term_end": sub.term_end.isoformat(),
                "notice_deadline": sub.notice_deadline.isoformat(),
                "reminder": sub.reminder.isoformat(),
                "ends_on": _day(sub.ends_on),
                "renew_plan": sub.renew_plan,
                "pre_investment": [
                    {"part": p.part, "pupils": p.pupils, "amount": f"{p.amount:.2f}"}
                    for p in sub.pre_investment
                ],
            }
            if sub
            else None
        ),
    }


# --- seats and registration codes -----------------------------------------------------------


def order_quote_json(result: OrderQuote) -> dict:
    return {
        "school": result.school,
        "plan": result.plan,
        "kind": result.kind,
        "seats": result.seats,
        "seats_after": result.seats_after,
        "term_start": result.term_start.isoformat(),
        "term_end": result.term_end.isoformat(),
        "notices": result.notices,
        "code": result.code,
        "invoice": invoice_view_json(result.invoice),
    }


def seat_json(view: SeatView) -> dict:
    return {
        "seat": view.position,
        "id": view.seat_id,
        "status": view.status,
        "acquired_on": view.acquired_on.isoformat(),
        "release_on": _day(view.release_on),
        "teacher_id": view.teacher_id,
        "teacher": view.teacher,
        "frozen": view.frozen,
    }


def order_undo_json(result: OrderUndo) -> dict:
    return {
        "invoice_id": result.invoice_id,
        "school": result.school,
        "kind": result.kind,
        "currency": result.currency,
        "payable": f"{result.payable:.2f}",
        "seats_removed": len(result.positions),
        "positions": result.positions,
        "seats_before": result.seats_before,
        "seats_after": result.seats_after,
        "subscription_removed": result.subscription_removed,
        "assignments_removed": result.freed_history,
        "quote_reopened": result.quote,
        "code": result.code,
        "dry_run": result.dry_run,
    }


def code_json(view: CodeView) -> dict:
    return {
        "school": view.school,
        "serial": view.serial,
        "product": view.product,
        "kind": view.kind.name.lower(),
        "seats": view.seats,  # the quantity: seats, package capacity or pupils
        "variant": PUPIL_PLAN_VARIANTS.get(view.variant) if view.variant else None,
        "issued_on": view.issued_on.isoformat(),
        "valid_until": view.valid_until.isoformat(),
        "reason": view.reason,
        "code": view.code,
    }


def over_capacity_json(found: OverCapacity) -> dict:
    return {
        "school": found.school,
        "name": found.school_name,
        "plan": found.plan,
        "counted_on": found.counted_on.isoformat(),
        "users": found.users,
        "capacity": found.capacity,
        "over": found.over,
        "suggested_capacity": found.suggested,
        "currency": found.currency,
        "upgrade_amount": money_text(found.upgrade_amount)
        if found.upgrade_amount is not None
        else None,
        "suggested_annual_price": money_text(found.suggested_price)
        if found.suggested_price is not None
        else None,
        "term_end": found.term_end.isoformat(),
    }
