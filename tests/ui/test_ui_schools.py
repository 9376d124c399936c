"""The schools table fetches lazily in pages, sorts and searches in SQL; the view debounces."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt

from lehrer_licenses.services.billing import issuing, payments
from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.ui.models.schools_model import COLUMNS, SchoolsModel
from lehrer_licenses.ui.views.schools import SchoolsView

COL = {c.key: i for i, c in enumerate(COLUMNS)}


def test_model_fetches_page_by_page(qtbot, db, school, qtmodeltester):
    for i in range(25):
        school(f"Schule {i:02d}")
    model = SchoolsModel(db, page_size=10)
    # More than a page: counted after the first page, on a worker.
    qtbot.waitUntil(lambda: model.counted_total is not None, timeout=3000)
    assert model.total == 25
    assert model.rowCount() == 10  # only the first page is read
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 20
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 25
    assert not model.canFetchMore(QModelIndex())
    assert model.pages_fetched == 3
    qtmodeltester.check(model, force_py=True)


def test_model_sorts_and_searches_in_sql(db, sample, vendor):
    # Open = issued or partly paid, less payments (the drafts of the other order are not open).
    first = min(browse_detail.school_detail(db, sample["aarau"]).invoices, key=lambda i: i.id)
    issuing.issue_invoice(db, str(first.id), date(2026, 3, 10))
    payments.record_payment(db, str(first.id), Decimal("100.00"), date(2026, 3, 20))
    model = SchoolsModel(db, page_size=2)
    model.sort(COL["seats"], Qt.SortOrder.DescendingOrder)
    # Sorting starts over at the first page, sorted over all rows, not just the loaded ones.
    assert model.rowCount() == 2
    assert model.row_at(0).number == sample["aarau"]
    assert model.data(model.index(0, COL["seats"])) == "5"
    assert model.data(model.index(0, COL["open_total"])) == "CHF\u00a0405.90"
    model.set_search("genève")
    assert model.total == 1
    assert model.row_at(0).name == "École de Genève"
    assert model.data(model.index(0, COL["status"])) == "No contract"
    assert model.headerData(COL["term_end"], Qt.Orientation.Horizontal) == "Term ends"


def test_view_search_as_you_type_and_detail(qtbot, db, sample):
    view = SchoolsView(db)
    qtbot.addWidget(view)
    view.show()
    assert view.count_label.text() == "3 schools"
    reloads = []
    view.model.reloaded.connect(lambda: reloads.append(view.model.search))
    qtbot.keyClicks(view.search, "nord")  # QTest types ASCII only
    # Only once the typing paused is the database asked, not once per keystroke.
    qtbot.waitUntil(lambda: view.model.total == 1, timeout=3000)
    assert reloads[-1] == "nord"
    assert len(reloads) < 4
    assert view.count_label.text() == "1 found"
    view.search.clear()
    view.apply_search()
    assert view.select_number(sample["aarau"])
    detail = view.detail
    assert detail.title.text() == "Schulhaus Aarau"
    assert "5 held: 1 on teachers, 4 free" in detail.seats.text()
    assert detail.seat_table.item(0, 1).text() == "Łukasz Żółć"
    assert detail.invoice_table.rowCount() == 2
    assert detail.history_table.rowCount() >= 4


def test_a_typed_search_shows_its_first_page_before_the_count(qtbot, db, school, monkeypatch):
    """More matches than the first page holds: the page is shown at once, "5+ found" beside it,
    and the count follows from a worker (counting may take longer than finding the page)."""
    monkeypatch.setattr(SchoolsModel, "FIRST_PAGE", 5)
    for i in range(8):
        school(f"Schulhaus {i:02d}", city="Thun")
    school("Gymnasium Kirchenfeld", city="Bern")
    view = SchoolsView(db)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.count_label.text() == "9 schools", timeout=3000)
    shown = []
    view.model.reloaded.connect(
        lambda: shown.append((view.model.search, view.model.rowCount(), view.count_label.text()))
    )
    view.search.setFocus()
    qtbot.keyClicks(view.search, "schulhaus")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert shown[-1] == ("schulhaus", 5, "5+ found")
    qtbot.waitUntil(lambda: view.count_label.text() == "8 found", timeout=3000)
    assert view.model.total == 8
    # Fewer than a page: the count is the page's, known with it.
    view.search.clear()
    qtbot.keyClicks(view.search, "gymnasium")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert shown[-1] == ("gymnasium", 1, "1 found")


def test_refresh_keeps_the_selection(qtbot, db, sample, school):
    view = SchoolsView(db)
    qtbot.addWidget(view)
    view.select_number(sample["zurich"])
    school("Neue Schule")
    view.refresh()
    assert view.selected_number() == sample["zurich"]
    assert view.model.total == 4 == browse.count_schools(db)


def test_a_header_click_sorts_and_the_first_schools_details_follow_the_pause(qtbot, db, sample):
    """The click on "Name" re-sorts at once; the details of the school now first follow after
    the pause a search's do (building the panel made the first click slow at 200k schools)."""
    from PySide6.QtCore import QPoint

    view = SchoolsView(db)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    qtbot.waitExposed(view)
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(COL["name"]) + header.sectionSize(COL["name"]) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert view.model.sort_order == ("name", False)
    names = [view.model.row_at(i).name for i in range(view.model.rowCount())]
    assert names == sorted(names, key=str.casefold)
    assert view.selected_number() == view.model.row_at(0).number
    assert view._detail is None  # the click itself did not build the detail panel
    qtbot.waitUntil(lambda: view.detail.title.text() == names[0], timeout=3000)
