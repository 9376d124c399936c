"""The ``--json`` documents of the licence use cases (seats, user packages with their add-ons,
per-pupil subscriptions) and of ``renewals due``. Scripts of others read these keys, so their
names and order stay as they are; amounts are text with two decimals, days ISO dates."""

from __future__ import annotations

from datetime import date

from lehrer_licenses.domain.per_pupil import Settlement
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.licences.cancellation import CancellationNotice
from lehrer_licenses.services.licences.packages.addons import AddonCancellation
from lehrer_licenses.services.licences.packages.notice import SizeAtRenewal
from lehrer_licenses.services.licences.pupils.notice import PlanAtRenewal
from lehrer_licenses.services.licences.seats.cancellations import CancellationResult
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
        "invoice": item.invoice.to_json() if item.invoice else None,
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
