"""The ``--json`` documents of the season's runs: the year-end renewal, letter runs and the
schools left without an e-mail draft. Scripts of others read these keys, so their names and
order stay as they are; amounts are text with two decimals, days ISO dates."""

from __future__ import annotations

from lehrer_licenses.cli.json_billing import invoice_view_json as invoice_json
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.season.letter_emails import WithoutEmail
from lehrer_licenses.services.season.letters import (
    LetterRun,
    NoticeReminderSchool,
    PriceChangeSchool,
    RenewalLetterSchool,
)
from lehrer_licenses.services.season.year_end import RenewalItem, RenewalRun, RunSummary


def renewal_summary_json(summary: RunSummary) -> dict:
    return {
        "schools": summary.schools,
        "renewed": summary.renewed,
        "lapsed": summary.lapsed,
        "failed": summary.failed,
        "seats_renewed": summary.seats_renewed,
        "seats_released": summary.seats_released,
        "invoices": summary.invoices,
        "amounts": {
            cur: {"net": money_text(totals.net), "payable": money_text(totals.payable)}
            for cur, totals in summary.amounts.items()
        },
    }


def renewal_item_json(item: RenewalItem) -> dict:
    return {
        "school": item.school,
        "error": item.error,
        "warning": item.warning,
        "school_name": item.school_name,
        "action": item.action,
        "seats_before": item.seats_before,
        "seats_after": item.seats_after,
        "seats_released": item.seats_released,
        "code": item.code,
        "invoices": [invoice_json(i) for i in item.invoices],
    }


def renewal_run_json(run: RenewalRun) -> dict:
    return {
        "year": run.year,
        "dry_run": run.dry_run,
        "summary": renewal_summary_json(run.summary()),
        "invoices": [invoice_json(inv) for item in run.items for inv in item.invoices],
        "schools": [renewal_item_json(item) for item in run.items],
    }


def letter_school_json(
    school: NoticeReminderSchool | RenewalLetterSchool | PriceChangeSchool,
) -> dict:
    doc: dict = {"school": school.school, "name": school.name}
    if isinstance(school, NoticeReminderSchool):
        doc |= {
            "renewal": school.renewal.isoformat(),
            "deadline": school.deadline.isoformat(),
            "seats": school.seats,
        }
    elif isinstance(school, RenewalLetterSchool):
        doc["invoice"] = school.invoice
    else:
        doc["renewal"] = school.renewal.isoformat()
    return doc


def letter_run_json(run: LetterRun) -> dict:
    return {
        "kind": run.kind,
        "date": run.on.isoformat(),
        "letters": len(run.letters),
        "schools": [letter_school_json(s) for s in run.schools],
        "without_letter": [
            {"school": r.school, "name": r.name, "reason": r.reason} for r in run.without_letter
        ],
    }


def without_email_json(rows: list[WithoutEmail]) -> list[dict]:
    return [{"school": r.school, "name": r.name, "reason": r.reason} for r in rows]
