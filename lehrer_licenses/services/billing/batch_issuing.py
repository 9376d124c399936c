"""The year-end run's final write of an invoice it issues: a new invoice row with its lines.

Everything else of the issue is ``issuing.issue``'s, as for a single draft. The row is written
as plain INSERTs -- what ``drafts.create_draft`` followed by issuing the draft leaves in the
database, with the same audit entries -- so that one contract's transaction stays cheap (no
unit-of-work flush per row).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from lehrer_licenses.services.billing.drafts import InvoiceView, line_columns
from lehrer_licenses.services.billing.issuing import Issued, IssuedInvoice, IssueRun, issue
from lehrer_licenses.services.billing.states import INVOICE, ISSUED
from lehrer_licenses.store import audit
from lehrer_licenses.store.audit import AuditJournal
from lehrer_licenses.store.bulk import GroupInserts
from lehrer_licenses.store.models import Invoice, InvoiceLine, School

if TYPE_CHECKING:
    from lehrer_licenses.services.billing.pdf_batch import PdfBatch

_INVOICE = Invoice.__table__
_INSERT_INVOICE = _INVOICE.insert().returning(_INVOICE.c.id)
_LINES = InvoiceLine.__table__
_INSERT_LINES = _LINES.insert()


def insert_issued(
    session: Session,
    run: IssueRun,
    draft: InvoiceView,
    school: School,
    subscription_id: int | None,
    billing_key: str,
    registration_code: str | None,
    journal: AuditJournal,
    drafts_journal: AuditJournal,
    pdfs: PdfBatch | None = None,
    product: str = "",
    inserts: GroupInserts | None = None,
) -> Issued:
    """Issue the priced ``draft`` on ``run.on`` as a new invoice row in the caller's transaction.
    The "invoice.draft" entry a draft would have had goes to ``drafts_journal`` (written before
    the step's other entries, as a run that leaves drafts writes it), the issue's to ``journal``.
    With ``inserts`` (a group's) the rows are written with the group.
    """

    def write(session: Session, issued: IssuedInvoice) -> int:
        now = datetime.now()
        columns = dict(
            kind=INVOICE,
            status=ISSUED,
            number=issued.number,
            school_id=school.id,
            subscription_id=subscription_id,
            reason=draft.reason,
            billing_key=billing_key,
            currency=issued.currency,
            language=issued.language,
            invoice_date=issued.invoice_date,
            due_date=issued.due_date,
            net=issued.net,
            vat_rate=issued.vat_rate,
            vat_regime=issued.vat_regime,
            vat=issued.vat,
            total=issued.total,
            rounding=issued.rounding,
            payable=issued.payable,
            reference=issued.reference,
            created_at=now,
            issued_at=now,
        )
        if inserts is not None:
            invoice_id = inserts.insert(_INVOICE, columns)
        else:
            invoice_id = session.execute(_INSERT_INVOICE, columns).scalar_one()
        lines = [
            {"invoice_id": invoice_id, **line_columns(position, line)}
            for position, line in enumerate(issued.lines, start=1)
        ]
        if inserts is not None:
            inserts.insert_many(_LINES, lines)
        else:
            session.execute(_INSERT_LINES, lines)
        audit.record(
            drafts_journal,
            "invoice.draft",
            "invoice",
            invoice_id,
            school_id=school.id,
            after={
                "reason": draft.reason,
                "net": issued.net,
                "payable": issued.payable,
                "currency": issued.currency,
                "billing_key": billing_key,
            },
        )
        return invoice_id

    return issue(
        session,
        run,
        draft,
        school,
        write,
        label=billing_key,
        language=school.language,
        registration_code=registration_code,
        audit_to=journal,
        pdfs=pdfs,
        pdf_key=billing_key,
        product=product,
    )
