"""The invoices view: paged, newest first, filtered by status, the selected one shown below."""

from __future__ import annotations

from lehrer_licenses.ui.views.invoices import InvoicesView


def test_invoices_view_lists_filters_and_shows_lines(qtbot, db, sample):
    view = InvoicesView(db)
    qtbot.addWidget(view)
    assert view.count_label.text() == "3 documents"
    # Newest first: Aarau's reorder of 2026-09-15 (example 2: 258.90 net).
    first = view.model.row_at(0)
    assert (first.school, str(first.net)) == (sample["aarau"], "258.90")
    assert view.preview.net.text() == "CHF\u00a0258.90"
    assert view.preview.lines.rowCount() == 2
    assert "Schulhaus Aarau" in view.title.text()

    view.search.setText("Zürich")
    view.apply_search()
    assert view.model.total == 1
    assert view.preview.net.text() == "CHF\u00a0156.00"  # 111.45 + 44.55
    view.status.setCurrentIndex(view.status.findData("paid"))
    assert view.model.total == 0
    assert view.preview.lines.rowCount() == 0
    assert view.title.text() == "No invoice selected"


def test_invoices_sort_by_payable_in_sql(qtbot, db, sample):
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.model.sort(view.model.column_of("payable"))
    amounts = [view.model.row_at(i).payable for i in range(view.model.rowCount())]
    assert amounts == sorted(amounts)


def test_issue_print_pay_and_credit_through_the_view(qtbot, db, sample, vendor, tmp_path):
    """The invoice lifecycle through the real dialogs; each step checked in the database."""
    from datetime import date
    from decimal import Decimal

    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from lehrer_licenses.services.billing import printing
    from lehrer_licenses.services.browse import invoices as browse_invoices
    from lehrer_licenses.ui.dialogs.invoice_dialogs import (
        CreditNoteDialog,
        IssueDialog,
        PaymentDialog,
    )

    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = date(2026, 9, 20)
    view.search.setText(sample["zurich"])
    view.apply_search()
    row = view.selected()
    assert row.status == "draft" and view.issue_button.isEnabled()
    assert not view.pay_button.isEnabled()

    dialog = IssueDialog(db, row, date(2026, 9, 20), view)
    qtbot.addWidget(dialog)
    dialog.confirm_button.click()
    assert dialog.result_doc.number == "2026-00001"
    view.refresh(select=row.id)
    row = view.selected()
    assert row.number == "2026-00001" and row.status == "issued"
    assert view.pay_button.isEnabled() and not view.issue_button.isEnabled()
    assert "open CHF\u00a0168.65" in view.settlement.text()  # 156.00 + VAT, rounded to 0.05

    # Print to a PDF file, as the print dialog's "print to file" does: the stored document.
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert view.print_invoice(printer)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert printed == printing.invoice_pdf(db, "2026-00001").pdf
    assert "2026-00001" in PdfReader(tmp_path / "printed.pdf").pages[0].extract_text()
    assert view.save_pdf(str(tmp_path / "saved.pdf")).read_bytes() == printed

    dialog = PaymentDialog(db, row, date(2026, 9, 25), view)
    qtbot.addWidget(dialog)
    assert dialog.amount.text() == "168.65"  # the open amount, as the locale writes it
    dialog.amount.setText("abc")
    assert not dialog.confirm_button.isEnabled()
    assert dialog.amount_error.text()
    dialog.amount.setText("100.00")
    dialog.confirm_button.click()
    view.refresh(select=row.id)
    row = browse_invoices.invoice_row(db, row.id, date(2026, 9, 25))
    assert (row.paid, row.open, row.status) == (Decimal("100.00"), Decimal("68.65"), "partly_paid")

    dialog = CreditNoteDialog(db, row, date(2026, 9, 30), view)
    qtbot.addWidget(dialog)
    assert "2026-00001" in dialog.explain.text()  # the invoice it corrects
    dialog.part.setChecked(True)
    dialog.amount.setText("500")
    assert "At most" in dialog.amount_error.text()
    dialog.amount.setText("68.65")
    assert not dialog.confirm_button.isEnabled()  # a reason is required
    dialog.reason.setPlainText("Goodwill: installation trouble")
    dialog.confirm_button.click()
    assert dialog.result_doc.record.credits_invoice == "2026-00001"
    row = browse_invoices.invoice_row(db, row.id, date(2026, 9, 30))
    assert (row.credited, row.open, row.status) == (Decimal("68.65"), 0, "paid")


def test_export_listed_pdfs_in_the_background(qtbot, db, sample, vendor, tmp_path):
    view = InvoicesView(db)
    qtbot.addWidget(view)
    task = view.export_listed(str(tmp_path))
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    assert len(list(tmp_path.glob("*.pdf"))) == 3  # the drafts, rendered as drafts
    assert "3 PDF files written" in view.settlement.text()


def test_einvoice_of_an_issued_invoice(qtbot, db, sample, vendor, tmp_path):
    from datetime import date

    from lehrer_licenses.services.billing import issuing

    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.search.setText(sample["zurich"])
    view.apply_search()
    assert not view.einvoice_button.isEnabled()  # a draft has none
    issuing.issue_invoice(db, str(view.selected().id), date(2026, 1, 5))
    view.refresh()
    assert view.einvoice_button.isEnabled()
    saved = view.save_einvoice(False, str(tmp_path / "facturx.pdf"))
    from pypdf import PdfReader

    assert "factur-x.xml" in PdfReader(saved).attachments


def test_an_einvoice_that_breaks_a_rule_is_refused_in_a_message_box(
    qtbot, db, sample, vendor, tmp_path, monkeypatch
):
    """The vendor's VAT number cleared after issuing: the Factur-X would break BR-S-02, so the
    menu's action shows the rules in a message box and writes no file."""
    from datetime import date

    from lehrer_licenses.services.billing import issuing
    from lehrer_licenses.services.billing.vendor import set_vendor
    from lehrer_licenses.ui import asking

    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.search.setText(sample["zurich"])
    view.apply_search()
    issuing.issue_invoice(db, str(view.selected().id), date(2026, 1, 5))
    view.refresh()
    set_vendor(db, {"vat_id": ""})
    target = tmp_path / "facturx.pdf"
    boxes: list = []
    monkeypatch.setattr(asking, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(asking, "show_box", lambda box: boxes.append(box.text()) or 0)
    (factur_x, _xrechnung) = view.einvoice_button.menu().actions()
    factur_x.trigger()
    assert len(boxes) == 1 and "BR-S-02" in boxes[0] and "not written" in boxes[0]
    assert not target.exists()
