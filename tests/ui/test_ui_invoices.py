"""The invoices view: paged, newest first, filtered by status, the selected one shown below."""

from __future__ import annotations

from lehrer_licenses.ui.views.invoices import InvoicesView


def test_invoices_view_lists_filters_and_shows_lines(qtbot, db, sample):
    view = InvoicesView(db)
    qtbot.addWidget(view)
    assert view.count_label.text() == "3 invoices"
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
