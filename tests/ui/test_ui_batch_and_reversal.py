"""Clicked paths of issue 14 (first half): several drafts issued with one click, the result per
invoice, the issued ones as one PDF; a payment reversed from the invoice's payments list; a
saved PDF offered to open or print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from support.ui_driving import when_shown

from lehrer_licenses.services.billing import issuing, payments, printing
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.ui import asking, formatting, workers
from lehrer_licenses.ui.dialogs.invoice_dialogs import ReversePaymentDialog
from lehrer_licenses.ui.views.invoices import InvoicesView

TODAY = date(2026, 9, 20)


def click_row(qtbot, view: InvoicesView, row: int, control: bool = False) -> None:
    table = view.table
    rect = table.visualRect(view.model.index(row, 1))
    modifier = Qt.KeyboardModifier.ControlModifier if control else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def file_printer(path) -> QPrinter:
    chosen = QPrinter()
    chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    chosen.setOutputFileName(str(path))
    return chosen


def pdf_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def test_ctrl_click_drafts_issue_them_and_print_the_issued_as_one_pdf(
    qtbot, db, sample, vendor, tmp_path, monkeypatch
):
    bare = add_school(db, SchoolInput(name="Schule ohne Adresse", country="CH", language="de"))
    orders.order_seats(db, bare, 1, date(2026, 9, 18))
    questions: list[str] = []
    monkeypatch.setattr(asking, "confirm", lambda _p, _t, text: questions.append(text) or True)
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = TODAY
    view.refresh()
    view.show()
    assert view.model.total == 4  # newest first: the bare school's draft on top
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 1, control=True)
    click_row(qtbot, view, 2, control=True)
    chosen = view.selected_rows()
    assert [r.status for r in chosen] == ["draft"] * 3
    assert view.issue_button.isEnabled()

    qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.batch_result is not None, timeout=20000)
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=10000)
    total = sum((r.payable for r in chosen), Decimal("0"))
    assert "Issue 3 drafts?" in questions[0]
    assert f"Total {formatting.money(total, 'CHF')}" in questions[0]
    assert "does not undo the others" in questions[0]

    result = view.batch_result
    outcomes = [result.table.item(i, 2).text() for i in range(result.table.rowCount())]
    assert outcomes[0].startswith("refused: ") and "no postal address" in outcomes[0]
    assert outcomes[1].startswith("issued as 2026-00001") and outcomes[2].startswith(
        "issued as 2026-00002"
    )
    assert "2 invoices issued, 1 refused." in result.summary.text()
    assert result.table.item(0, 1).text().endswith("Schule ohne Adresse")

    # "Save issued as one PDF…", then "Print…" in the offer that follows.
    saved, offers = tmp_path / "batch.pdf", []
    monkeypatch.setattr(asking, "save_file", lambda *_a, **_k: str(saved))
    monkeypatch.setattr(asking, "printer", lambda *_a: file_printer(tmp_path / "printed.pdf"))

    def offer(_parent, _title, text):
        offers.append(text)
        return asking.PRINT

    monkeypatch.setattr(asking, "pdf_written", offer)
    qtbot.mouseClick(result.save_button, Qt.MouseButton.LeftButton)
    assert offers and str(saved) in offers[0]
    each = [len(PdfReader(BytesIO(printing.invoice_pdf(db, n).pdf)).pages) for n in result.issued]
    texts = pdf_texts(saved.read_bytes())
    assert len(texts) == sum(each)
    assert "2026-00001" in texts[0] and "2026-00002" in texts[each[0]]
    assert (tmp_path / "printed.pdf").read_bytes() == saved.read_bytes()
    result.close()


def test_issue_all_listed_drafts_and_several_selected_print_as_one(
    qtbot, db, sample, vendor, tmp_path, monkeypatch
):
    monkeypatch.setattr(asking, "confirm", lambda *_a: True)
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = TODAY
    view.refresh()
    view.show()
    view.status.setCurrentIndex(view.status.findData("draft"))
    assert view.issue_listed_button.isEnabled()
    qtbot.mouseClick(view.issue_listed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.batch_result is not None, timeout=20000)
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=10000)
    assert len(view.batch_result.issued) == 3
    view.batch_result.close()
    assert browse_invoices.invoice_ids(db, "", "draft", TODAY) == []

    view.status.setCurrentIndex(view.status.findData(None))
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 2, control=True)
    numbers = [r.number for r in view.selected_rows()]
    monkeypatch.setattr(asking, "printer", lambda *_a: file_printer(tmp_path / "two.pdf"))
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    texts = pdf_texts((tmp_path / "two.pdf").read_bytes())
    each = [len(PdfReader(BytesIO(printing.invoice_pdf(db, n).pdf)).pages) for n in numbers]
    assert len(texts) == sum(each)
    assert numbers[0] in texts[0] and numbers[1] in texts[each[0]]


def test_reverse_a_payment_from_the_payments_list(qtbot, db, sample, vendor):
    ids = browse_invoices.invoice_ids(db, sample["zurich"], None, TODAY)
    number = issuing.issue_invoice(db, str(ids[0]), date(2026, 9, 1)).view.number
    booked = payments.record_payment(db, number, Decimal("168.65"), date(2026, 9, 5), "Bank")
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = TODAY
    view.search.setText(number)
    view.apply_search()
    view.show()
    assert view.selected().status == "paid"
    assert view.payments_box.isVisible() and view.payment_list.count() == 1
    assert view.reverse_button.isEnabled()

    seen: list = []

    def reverse(dialog: ReversePaymentDialog) -> None:
        assert not dialog.confirm_button.isEnabled()  # no reason yet
        # a date before the payment is refused with both dates named
        dialog.on.setFocus()
        dialog.on.lineEdit().selectAll()
        qtbot.keyClicks(dialog.on, "04.09.2026")
        qtbot.keyClick(dialog.on, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.reason, "Zahlung der Schule Aarau")
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.error.text())
        dialog.on.setFocus()
        dialog.on.lineEdit().selectAll()
        qtbot.keyClicks(dialog.on, "15.10.2026")
        qtbot.keyClick(dialog.on, Qt.Key.Key_Tab)
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    when_shown(ReversePaymentDialog, reverse, seen)
    qtbot.mouseClick(view.reverse_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 2, seen
    assert "lies before the payment's date" in seen[1]
    assert "04.09.2026" in seen[1] and "05.09.2026" in seen[1]

    row = view.selected()
    assert row.status == "issued" and row.open == Decimal("168.65")  # due 2026-10-01
    _record, lines = payments.invoice_payments(db, number)
    assert [(p.amount, p.reverses_id, p.reason) for p in lines] == [
        (Decimal("168.65"), None, ""),
        (Decimal("-168.65"), booked.payment_id, "Zahlung der Schule Aarau"),
    ]
    assert lines[1].paid_on == date(2026, 10, 15)
    assert view.payment_list.count() == 2
    assert "reversal: Zahlung der Schule Aarau" in view.payment_list.item(1).text()
    assert not view.reverse_button.isEnabled()  # nothing left to reverse


def test_saving_a_pdf_offers_open_and_print(qtbot, db, sample, vendor, tmp_path, monkeypatch):
    from lehrer_licenses.ui import pdf

    opened: list = []
    monkeypatch.setattr(pdf, "open_saved", opened.append)
    monkeypatch.setattr(asking, "save_file", lambda *_a, **_k: str(tmp_path / "one.pdf"))
    monkeypatch.setattr(asking, "pdf_written", lambda *_a: asking.OPEN)
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = TODAY
    view.refresh()
    view.show()
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert opened == [tmp_path / "one.pdf"]
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")


def test_letters_saved_from_the_menu_are_offered_to_print(
    qtbot, db, sample, vendor, tmp_path, monkeypatch
):
    from lehrer_licenses.services.season import year_end
    from lehrer_licenses.ui.dialogs import letter_batch
    from lehrer_licenses.ui.views.renewals import RenewalsView

    target = tmp_path / "renewal-letters.pdf"
    offers: list[str] = []
    monkeypatch.setattr(
        letter_batch,
        "ask_letter_batch",
        lambda *_a: letter_batch.BatchChoice(letter_batch.PDF, target),
    )
    monkeypatch.setattr(
        asking, "pdf_written", lambda _p, _t, text: offers.append(text) or asking.PRINT
    )
    monkeypatch.setattr(asking, "printer", lambda *_a: file_printer(tmp_path / "printed.pdf"))
    year = date.today().year + 1
    year_end.run_renewals(db, year, dry_run=False)
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.year.setValue(year)
    [action] = [a for a in view.letters_button.menu().actions() if a.text().startswith("Renewal")]
    action.trigger()
    qtbot.waitUntil(lambda: bool(offers), timeout=30000)
    assert "letters written to" in offers[0] and str(target) in offers[0]
    assert (tmp_path / "printed.pdf").read_bytes() == target.read_bytes()
    assert len(PdfReader(target).pages) >= 2  # Aarau and Zürich
