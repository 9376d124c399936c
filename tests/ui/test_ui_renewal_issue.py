"""Issue 14: the drafts a renewal run wrote are issued from the Renewals view itself (the run
just made, or an earlier one chosen by its year), with the Invoices view's confirmation,
progress and result list; orders' drafts are left alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader
from PySide6.QtCore import Qt

from lehrer_licenses.services.access import Access
from lehrer_licenses.services.billing import batch_issue, printing
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.season import year_end
from lehrer_licenses.ui import asking, formatting, workers
from lehrer_licenses.ui.views.renewals import RenewalsView

ISSUED_ON = date(2026, 12, 10)


def test_the_run_just_made_is_issued_from_the_renewals_view(
    qtbot, db, sample, vendor, tmp_path, monkeypatch
):
    questions: list[str] = []
    monkeypatch.setattr(asking, "confirm", lambda _p, _t, text: questions.append(text) or True)
    orders_drafts = browse_invoices.invoice_ids(db, "", "draft", ISSUED_ON)
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.today = ISSUED_ON
    view.year.setValue(2027)
    view.show()
    assert not view.issue_button.isEnabled()  # the run into 2027 has not been made

    qtbot.mouseClick(view.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.task is None and view.run is not None, timeout=10000)
    assert not view.issue_button.isEnabled()  # a preview writes no drafts
    with qtbot.waitSignal(view.renewed, timeout=10000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.task is None, timeout=5000)
    run_drafts = batch_issue.draft_ids(db, 2027)
    assert len(run_drafts) == 2 and set(run_drafts).isdisjoint(orders_drafts)
    assert view.issue_button.isEnabled()

    qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.batch_result is not None, timeout=20000)
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=10000)
    payable = sum(
        (browse_invoices.invoice_row(db, i, ISSUED_ON).payable for i in run_drafts),
        Decimal("0"),
    )
    assert "Issue 2 drafts?" in questions[-1]
    assert f"Total {formatting.money(payable, 'CHF')}" in questions[-1]
    result = view.batch_result
    outcomes = [result.table.item(i, 2).text() for i in range(result.table.rowCount())]
    assert [o.split(",")[0] for o in outcomes] == ["issued as 2026-00001", "issued as 2026-00002"]
    assert "2 invoices issued, 0 refused." in view.state.text()
    assert not view.issue_button.isEnabled()  # nothing of the run left to issue
    # the orders' drafts are not the run's: still drafts
    assert browse_invoices.invoice_ids(db, "", "draft", ISSUED_ON) == orders_drafts

    saved = tmp_path / "run.pdf"
    monkeypatch.setattr(asking, "save_file", lambda *_a, **_k: str(saved))
    monkeypatch.setattr(asking, "pdf_written", lambda *_a: None)  # closed
    qtbot.mouseClick(result.save_button, Qt.MouseButton.LeftButton)
    texts = [page.extract_text() for page in PdfReader(BytesIO(saved.read_bytes())).pages]
    each = [len(PdfReader(BytesIO(printing.invoice_pdf(db, n).pdf)).pages) for n in result.issued]
    assert len(texts) == sum(each)
    assert "2026-00001" in texts[0] and "2026-00002" in texts[each[0]]
    result.close()


def test_a_past_run_is_chosen_by_its_year_and_a_clerk_may_not_issue(
    qtbot, db, sample, vendor, monkeypatch
):
    year_end.run_renewals(db, 2027, dry_run=False)
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.year.setValue(2028)
    assert not view.issue_button.isEnabled()  # no run into 2028
    view.year.setValue(2027)
    assert view.issue_button.isEnabled()

    clerk = Access(user="bea", levels=frozenset({"clerk"}), server=True)
    view.set_access(clerk)
    assert not view.issue_button.isEnabled()
    assert view.issue_button.toolTip() == "Not for bea: this needs the role lehrer_accountant."

    view.set_access(Access(user="anna", levels=frozenset({"clerk", "accountant"}), server=True))
    monkeypatch.setattr(asking, "confirm", lambda *_a: False)  # the clerk thinks again
    qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    assert view.issue_task is None and view.batch_result is None
    assert len(batch_issue.draft_ids(db, 2027)) == 2
