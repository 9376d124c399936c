"""Issuing many drafts at once (a renewal run's), and printing many documents as one PDF.

Each draft is issued by ``issuing.issue_invoice`` in its own transaction: a draft that is
refused (no postal address, a billing party missing) leaves the others issued, and the result
names the reason per draft, so the clerk mends that one and issues it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from sqlalchemy import or_, select

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing import issuing, printing
from lehrer_licenses.services.billing.states import DRAFT, INVOICE, ZERO
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice


def draft_ids(db: Database, renewal_year: int | None = None) -> list[int]:
    """The invoice drafts in the order they were written; with ``renewal_year`` only those the
    year-end run of that year wrote: the renewals into the year and the DB-hosting usage of the
    year before, billed in arrears by the same run (see year_end's billing keys)."""
    query = select(Invoice.id).where(Invoice.kind == INVOICE, Invoice.status == DRAFT)
    if renewal_year is not None:
        query = query.where(
            or_(
                Invoice.billing_key.like(f"renewal:%:{renewal_year}"),
                Invoice.billing_key.like(f"usage:%:{renewal_year - 1}"),
            )
        )
    with db.reading() as session:
        return list(session.scalars(query.order_by(Invoice.id)))


@dataclass(frozen=True)
class BatchTotals:
    count: int
    totals: tuple[tuple[str, Decimal], ...]  # (currency, payable), by currency


def draft_totals(db: Database, ids: Sequence[int]) -> BatchTotals:
    """What issuing the drafts ``ids`` bills, per currency; refuses ids that are not drafts."""
    if not ids:
        raise InvalidInput(_("no drafts selected: select the drafts to issue"))
    with db.reading() as session:
        rows = session.execute(
            select(
                Invoice.id, Invoice.status, Invoice.kind, Invoice.currency, Invoice.payable
            ).where(Invoice.id.in_(list(ids)))
        ).all()
    found = {row.id: row for row in rows}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput(_("no invoice with id {ids}").format(ids=", ".join(missing)))
    not_drafts = [str(r.id) for r in rows if r.status != DRAFT or r.kind != INVOICE]
    if not_drafts:
        raise InvalidInput(
            _("only drafts can be issued; not a draft: {ids}").format(ids=", ".join(not_drafts))
        )
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.currency] = sums.get(row.currency, ZERO) + row.payable
    return BatchTotals(len(rows), tuple(sorted(sums.items())))


@dataclass(frozen=True)
class BatchResult:
    invoice_id: int
    number: str | None  # the number given, None when refused
    payable: Decimal | None
    currency: str | None
    refused: str | None  # why this draft was not issued


def issue_drafts(
    db: Database,
    ids: Sequence[int],
    on: date | None = None,
    step: Callable[[int, BatchResult], bool] | None = None,
) -> list[BatchResult]:
    """Issue each draft in its own transaction; ``step(done, result)`` after each one, False from
    it stops the batch there (the ones issued stay issued)."""
    results: list[BatchResult] = []
    for invoice_id in ids:
        try:
            record = issuing.issue_invoice(db, str(invoice_id), on)
            payable = record.view.totals.payable
            result = BatchResult(
                invoice_id, record.view.number, payable.amount, record.view.currency, None
            )
        except DomainError as exc:
            result = BatchResult(invoice_id, None, None, None, str(exc))
        results.append(result)
        if step is not None and not step(len(results), result):
            break
    return results


def combined_pdf(db: Database, keys: Sequence[str]) -> tuple[bytes, int]:
    """The PDFs of the documents ``keys`` (numbers or ids) one after the other in one file, as a
    stack to print or post; with the page count. Issued documents are their stored PDFs."""
    if not keys:
        raise InvalidInput(_("no documents selected: select the invoices to print"))
    writer = PdfWriter()
    for key in keys:
        writer.append(PdfReader(BytesIO(printing.invoice_pdf(db, key).pdf)))
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
