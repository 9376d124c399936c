"""Billing's typed results as the command line's JSON (DESIGN section 5): amounts as strings with
two decimals, dates in ISO form. Scripts and the tests of others read these keys."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from lehrer_licenses.domain.vat import VatRegime
from lehrer_licenses.services.amount_text import money_text, price_text, quantity_text
from lehrer_licenses.services.billing.batch_issue import BatchResult
from lehrer_licenses.services.billing.credit_notes import CreditNote
from lehrer_licenses.services.billing.draft_edits import DeletedDraft
from lehrer_licenses.services.billing.drafts import InvoiceView
from lehrer_licenses.services.billing.dunning import DunningRun, Reminder
from lehrer_licenses.services.billing.einvoices import EInvoice, LeitwegId
from lehrer_licenses.services.billing.lookups import InvoiceRecord, PaymentLine
from lehrer_licenses.services.billing.payments import (
    Balance,
    BookedPayment,
    OverdueInvoice,
    ReversedPayment,
    SchoolBalance,
)
from lehrer_licenses.services.billing.printing import PdfResult
from lehrer_licenses.services.billing.quotes import AcceptedQuote
from lehrer_licenses.services.billing.states import CREDIT_NOTE, QUOTE
from lehrer_licenses.services.billing.vat_regimes import Regimes
from lehrer_licenses.services.billing.vendor import VendorSettings


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def invoice_view_json(view: InvoiceView) -> dict:
    """DESIGN.md section 5's invoice: quantities and prices as plain decimals, amounts with two
    decimals."""
    t = view.totals
    return {
        "id": view.id,
        "number": view.number,
        "status": view.status,
        "school": view.school,
        "school_name": view.school_name,
        "reason": view.reason,
        "date": view.invoice_date.isoformat(),
        "currency": view.currency,
        "lines": [
            {
                "description": line.description,
                "quantity": quantity_text(line.quantity),
                "unit_price": price_text(line.unit_price),
                "amount": money_text(line.amount),
            }
            for line in view.lines
        ],
        "net": money_text(t.net.amount),
        "vat_rate": f"{t.vat_rate.normalize():f}",
        "vat": money_text(t.vat.amount),
        "total": money_text(t.total.amount),
        "rounding": money_text(t.rounding.amount),
        "payable": money_text(t.payable.amount),
    }


def invoice_json(record: InvoiceRecord) -> dict:
    """An invoice, credit note or quote with its lifecycle fields (and what ``show`` adds)."""
    doc = invoice_view_json(record.view)
    doc.update(
        {
            "status": record.status,
            "kind": record.kind,
            "school_id": record.school_id,
            "language": record.language,
            "due_date": record.due_date.isoformat() if record.due_date else None,
            "reference": record.reference,
            "paid": _money(record.paid),
            "credited": _money(record.credited),
            "open": _money(record.open),
            "days_overdue": record.days_overdue,
            "note": record.note,
        }
    )
    if record.kind == CREDIT_NOTE:
        doc["credits_invoice_id"] = record.credits_invoice_id
    if record.kind == QUOTE and record.quote:
        doc["quote"] = record.quote
    if record.payments is not None:
        doc["payments"] = [
            {"date": p.paid_on.isoformat(), "amount": _money(p.amount), "reference": p.reference}
            for p in record.payments
        ]
    if record.credit_notes is not None:
        doc["credit_notes"] = list(record.credit_notes)
    if record.credits_invoice is not None:
        doc["credits_invoice"] = record.credits_invoice
    return doc


def credit_note_json(result: CreditNote) -> dict:
    return {**invoice_json(result.record), "invoice_status": result.invoice_status}


def payment_json(result: BookedPayment) -> dict:
    doc = invoice_json(result.record)
    doc["payment"] = {
        "date": result.paid_on.isoformat(),
        "amount": _money(result.amount),
        "id": result.payment_id,
    }
    doc["overpaid"] = _money(result.overpaid)
    return doc


def _payment_line_json(p: PaymentLine) -> dict:
    return {
        "id": p.id,
        "date": p.paid_on.isoformat(),
        "amount": _money(p.amount),
        "reference": p.reference,
        "reverses": p.reverses_id,
        "reason": p.reason,
        "reversed_by": p.reversed_by,
    }


def payments_json(record: InvoiceRecord, lines: tuple[PaymentLine, ...]) -> dict:
    doc = invoice_json(record)
    doc["payments"] = [_payment_line_json(p) for p in lines]
    return doc


def reversal_json(result: ReversedPayment) -> dict:
    doc = invoice_json(result.record)
    doc["reversal"] = {
        "id": result.reversal_id,
        "payment": result.payment_id,
        "date": result.reversed_on.isoformat(),
        "amount": _money(result.amount),
        "reason": result.reason,
    }
    return doc


def batch_issue_json(results: list[BatchResult]) -> dict:
    return {
        "results": [
            {
                "id": r.invoice_id,
                "number": r.number,
                "payable": _money(r.payable) if r.payable is not None else None,
                "currency": r.currency,
                "refused": r.refused,
            }
            for r in results
        ],
        "issued": sum(1 for r in results if r.number),
        "refused": sum(1 for r in results if r.refused),
    }


def _balance_json(balance: Balance) -> dict:
    return {
        "currency": balance.currency,
        "invoiced": _money(balance.invoiced),
        "credited": _money(balance.credited),
        "paid": _money(balance.paid),
        "open": _money(balance.open),
        "dunning_fees": _money(balance.fees),
    }


def balance_json(result: SchoolBalance) -> dict:
    return {
        "school": result.school,
        "school_name": result.school_name,
        "balances": [_balance_json(b) for b in result.balances],
        "open_invoices": [_open_invoice_json(record) for record in result.open_invoices],
    }


_OPEN_INVOICE_KEYS = (
    "number",
    "date",
    "due_date",
    "status",
    "currency",
    "payable",
    "open",
    "days_overdue",
)


def _open_invoice_json(record: InvoiceRecord) -> dict:
    doc = invoice_json(record)
    return {key: doc[key] for key in _OPEN_INVOICE_KEYS}


def overdue_json(overdue: OverdueInvoice) -> dict:
    return {**invoice_json(overdue.record), "dunning_level": overdue.dunning_level}


def deleted_json(result: DeletedDraft) -> dict:
    return {"id": result.id, "deleted": True}


def accepted_quote_json(result: AcceptedQuote) -> dict:
    return {**invoice_view_json(result.invoice), "quote": result.quote, "code": result.code}


def _reminder_json(reminder: Reminder) -> dict:
    return {
        "invoice_id": reminder.invoice_id,
        "number": reminder.number,
        "school": reminder.school,
        "school_name": reminder.school_name,
        "level": reminder.level,
        "currency": reminder.currency,
        "open": _money(reminder.open),
        "fee": _money(reminder.fee),
        "amount_due": _money(reminder.amount_due),
        "days_overdue": reminder.days_overdue,
        "pay_by": reminder.pay_by.isoformat(),
    }


def dunning_json(run: DunningRun) -> dict:
    return {
        "date": run.on.isoformat(),
        "dry_run": run.dry_run,
        "reminders": len(run.notices),
        "notices": [_reminder_json(n) for n in run.notices],
        "after_last_reminder": run.exhausted,
    }


def pdf_json(result: PdfResult) -> dict:
    return {"number": result.number, "kind": result.kind, "bytes": len(result.pdf)}


def einvoice_json(result: EInvoice) -> dict:
    return {"number": result.number, "format": result.kind, "bytes": len(result.data)}


def leitweg_id_json(result: LeitwegId) -> dict:
    return {"school": result.school, "leitweg_id": result.leitweg_id}


def vendor_json(settings: VendorSettings, regimes: Regimes) -> dict:
    """The vendor's identity and billing settings, with what is still missing to issue, and
    the VAT regime of each school country (the undeclared ones as they are applied)."""
    doc = {k: v for k, v in asdict(settings).items() if k != "errors"}
    doc["dunning_wait_days"] = list(settings.dunning_wait_days)
    doc["dunning_fees"] = [_money(fee) for fee in settings.dunning_fees]
    doc["missing"] = settings.missing()
    doc["vat_regimes"] = [
        vat_regime_json(regime, settings.country, settings.vat_id) for regime in regimes.listing()
    ]
    return doc


def vat_regime_json(regime: VatRegime, vendor_country: str, home_vat_id: str = "") -> dict:
    """One country's regime: whose VAT is charged and the vendor number printed with it."""
    return {
        "country": regime.country,
        "regime": regime.kind,
        "tax_country": regime.tax_country(vendor_country or regime.country),
        "vat_id": regime.number(home_vat_id),
        "declared": regime.declared,
    }
