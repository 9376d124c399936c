"""The PDFs of the invoices that one transaction of a batch run issues (the year-end run's group
of contracts): rendered while the transaction goes on, by render workers when the run has them
(``services.season.prerender``), and stored at its end, in that transaction.

An issue records the PDF's SHA-256 in its audit entry. Until the PDF is there, the entry holds
a placeholder (``add``), which ``store`` replaces with the hash before the entries are written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from lehrer_licenses.documents import InvoiceDocument
from lehrer_licenses.services.billing.printing import render
from lehrer_licenses.store.bulk import insert_rows
from lehrer_licenses.store.models import InvoicePdf

if TYPE_CHECKING:
    from lehrer_licenses.services.season.prerender import RenderWorkers

_COLUMNS = ("invoice_id", "pdf", "sha256", "created_at")
_ISSUE = "invoice.issue"


def _placeholder(invoice_id: int) -> str:
    return f"pdf-of-invoice-{invoice_id}"


@dataclass(frozen=True)
class _Pending:
    invoice_id: int
    key: str
    document: InvoiceDocument


class PdfBatch:
    def __init__(self, workers: RenderWorkers | None = None) -> None:
        self._workers = workers
        self._pending: list[_Pending] = []

    def add(self, invoice_id: int, key: str, document: InvoiceDocument) -> str:
        """Render ``document``, the invoice ``invoice_id``'s (``key``: unique in the run), for
        ``store``; returns what its audit entry holds for the hash until then."""
        if self._workers is not None:
            self._workers.submit(key, document)
        self._pending.append(_Pending(invoice_id, key, document))
        return _placeholder(invoice_id)

    def mark(self) -> int:
        return len(self._pending)

    def rollback_to(self, mark: int) -> None:
        """Forget the invoices added since ``mark`` (their savepoint was rolled back)."""
        for pending in self._pending[mark:]:
            if self._workers is not None:
                self._workers.drop(pending.key)
        del self._pending[mark:]

    def store(self, session: Session, entries: list[dict]) -> None:
        """Store every PDF added, in ``session``'s transaction, and put their hashes into the
        "invoice.issue" audit entries among ``entries`` (columns, not yet written).

        A document that cannot be rendered raises ``InvalidInput`` (as ``render`` does): the
        caller rolls the transaction back."""
        now = datetime.now()
        rows = []
        hashes: dict[int, str] = {}
        try:
            for pending in self._pending:
                pdf = self._workers.result(pending.key) if self._workers is not None else None
                if pdf is None:
                    pdf = render(pending.document)
                hashes[pending.invoice_id] = sha256 = hashlib.sha256(pdf).hexdigest()
                rows.append((pending.invoice_id, pdf, sha256, now))
        finally:
            self.rollback_to(0)
        insert_rows(session, InvoicePdf.__table__, _COLUMNS, rows)
        for entry in entries:
            if entry["action"] == _ISSUE and entry["entity_id"] in hashes:
                invoice_id = entry["entity_id"]
                entry["after"] = entry["after"].replace(
                    f'"{_placeholder(invoice_id)}"', f'"{hashes[invoice_id]}"'
                )
