"""The ``--json`` documents of the office's records: schools, the catalogue's plans, a
restored backup and the demo data written. Scripts of others read these keys, so their names
and order stay as they are; amounts are text, days ISO dates, files paths as text."""

from __future__ import annotations

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.services.amount_text import money_text, price_text
from lehrer_licenses.services.backups import RestoreResult
from lehrer_licenses.services.demo.sample_data import DemoStats
from lehrer_licenses.services.schools import SchoolRecord, SchoolSummary


def school_json(school: SchoolRecord) -> dict:
    return {
        "number": school.number,
        "name": school.name,
        "street": school.street,
        "house_number": school.house_number,
        "postcode": school.postcode,
        "city": school.city,
        "country": school.country,
        "language": school.language,
        "email": school.email,
        "vat_id": school.vat_id,
        "db_hosting": school.db_hosting,
        "canton_licence": school.canton_licence,
    }


def school_summary_json(summary: SchoolSummary) -> dict:
    return {
        **school_json(summary.school),
        "contracts": [
            {
                "plan": c.plan,
                "status": c.status,
                "started_on": c.started_on.isoformat(),
                "term_start": c.term_start.isoformat(),
                "term_end": c.term_end.isoformat(),
                "ends_on": c.ends_on.isoformat() if c.ends_on else None,
                "seats": c.seats,
                "seats_taken": c.seats_taken,
                "seats_cancelled": c.seats_cancelled,
            }
            for c in summary.contracts
        ],
        "invoices": [
            {
                "id": inv.id,
                "number": inv.number,
                "status": inv.status,
                "reason": inv.reason,
                "date": inv.invoice_date.isoformat(),
                "currency": inv.currency,
                "payable": money_text(inv.payable),
            }
            for inv in summary.invoices
        ],
    }


def plan_json(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "product": plan.product_code,
        "name": plan.name,
        "names": dict(plan.names),  # per language; "name" where a language has none
        "kind": plan.kind.value,
        "currency": plan.currency,
        "term": plan.term.value,
        "notice_months": plan.notice_months,
        "billing": plan.billing.value,
        "proration_cap": plan.proration_cap,
        "prices": [
            {
                "component": p.component,
                "amount": price_text(p.amount),
                "valid_from": p.valid_from.isoformat(),
                "announced_on": p.announced_on.isoformat() if p.announced_on else None,
            }
            for p in plan.prices
        ],
        "tiers": [
            {
                "from": t.from_quantity,
                "percent_off": f"{t.percent_off.normalize():f}",
                "valid_from": t.valid_from.isoformat(),
            }
            for t in plan.tiers
        ],
    }


def restore_json(result: RestoreResult) -> dict:
    return {
        "restored_from": str(result.restored_from),
        "database": str(result.database),
        "previous_saved_as": str(result.previous_saved_as) if result.previous_saved_as else None,
        "schools": result.schools,
        "invoices": result.invoices,
    }


def demo_json(stats: DemoStats) -> dict:
    return {
        "schools": stats.schools,
        "teachers": stats.teachers,
        "seats": stats.seats,
        "invoices": stats.invoices,
        "usage_counts": stats.usage_counts,
        "packages": stats.packages,
        "pupil_trials": stats.pupil_trials,
        "issued": stats.issued,
        "paid": stats.paid,
        "partly_paid": stats.partly_paid,
        "credit_notes": stats.credit_notes,
        "reminders": stats.reminders,
        "seconds": stats.seconds,
    }
