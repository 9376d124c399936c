"""The Invoices view's exports: the selected invoice as an e-invoice (Factur-X or XRechnung), and
the PDFs of every listed document into a folder in the background.

A mixin of InvoicesView (it uses its ``_db``, ``model``, ``today``, ``selected``, ``error``,
``settlement``, ``export_button``, ``export_task`` and ``_enable``)."""

from __future__ import annotations

from pathlib import Path

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse.invoices import InvoiceListRow
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.pdf import safe_name
from lehrer_licenses.ui.progress import run_with_progress
from lehrer_licenses.ui.workers import Progress, Task


def pdf_name(row: InvoiceListRow) -> str:
    number = row.number or f"{_('draft')}-{row.id}"
    return safe_name(f"{number}-{row.school_name}")


class InvoiceExports:
    def save_einvoice(self, xrechnung: bool, path: str | None = None) -> Path | None:
        """The selected invoice as Factur-X (a PDF with its EN 16931 XML inside) or as an
        XRechnung XML for German public schools (needs the school's Leitweg-ID)."""
        from lehrer_licenses.services.billing import einvoices as einvoice

        row = self.selected()
        if row is None or not row.number:
            return None
        if path is None:
            suffix, kind = ("xml", "XML (*.xml)") if xrechnung else ("pdf", "PDF (*.pdf)")
            name = f"{pdf_name(row)}-{'xrechnung' if xrechnung else 'facturx'}.{suffix}"
            path = asking.save_file(self, _("Save e-invoice"), name, kind)
            if path is None:
                return None
        try:
            made = einvoice.make_einvoice(self._db, str(row.id), xrechnung=xrechnung)
        except DomainError as exc:
            show_error(self, exc, _("No e-invoice"))
            return None
        target = Path(path)
        target.write_bytes(made.data)
        return target

    def export_listed(self, folder: str | None = None) -> Task | None:
        """The PDFs of every listed document into a folder, off the UI thread with progress."""
        if folder is None:
            folder = asking.folder(self, _("Export PDFs to"))
            if folder is None:
                return None
        target = Path(folder)
        db = self._db
        ids = browse_invoices.invoice_ids(db, self.model.search, self.model.status, self.today)

        from lehrer_licenses.services.billing import printing

        def work(progress: Progress) -> int:
            written = 0
            progress(0, len(ids))
            for done, invoice_id in enumerate(ids, start=1):
                try:
                    result = printing.invoice_pdf(db, str(invoice_id))
                except DomainError:
                    continue  # e.g. a draft of a school without a postal address
                row = browse_invoices.invoice_row(db, invoice_id)
                name = pdf_name(row) if row else str(invoice_id)
                (target / f"{name}.pdf").write_bytes(result.pdf)
                written += 1
                progress(done, len(ids))
            return written

        def done(written: int) -> None:
            self.error.show_message("")
            self.settlement.setText(
                ngettext(
                    "{n} PDF file written to {folder}.",
                    "{n} PDF files written to {folder}.",
                    written,
                ).format(n=written, folder=target)
            )

        def finished() -> None:
            self.export_task = None
            self._enable(self.selected())

        task = run_with_progress(
            self,
            _("Export PDFs"),
            ngettext("Writing {n} PDF file…", "Writing {n} PDF files…", len(ids)).format(
                n=len(ids)
            ),
            work,
            on_done=done,
        )
        task.signals.finished.connect(finished)
        self.export_task = task
        self.export_button.setEnabled(False)
        return task
