"""The renewal view runs the dry run and the real run on a worker thread."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.ui.views.renewals import RenewalsView, default_year


def test_default_year():
    assert default_year(date(2026, 11, 22)) == 2027
    assert default_year(date(2027, 1, 5)) == 2027


def test_preview_then_run(qtbot, db, sample, monkeypatch):
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.year.setValue(2027)
    assert not view.run_button.isEnabled()  # nothing previewed yet
    with qtbot.waitSignal(view.start_preview().signals.finished, timeout=10000):
        pass
    assert view.run is not None and view.run.dry_run
    assert view.summary_values["schools"].text() == "2"
    assert view.summary_values["renewed"].text() == "2"
    assert view.summary_values["seats_renewed"].text() == "6"
    # Example 3 for Aarau's 5 seats (222.75 net), and one seat for Zürich (44.55).
    assert "CHF\u00a0267.30 net" in view.summary_values["amounts"].text()
    assert sorted(view.table.texts(0)) == sorted([sample["aarau"], sample["zurich"]])
    assert "CHF\u00a0222.75" in view.table.texts(6)
    assert "nothing was written" in view.state.text()
    assert browse.school_row(db, sample["aarau"]).term_end == date(2026, 12, 31)

    assert view.run_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(view.renewed, timeout=10000):
        view.run_button.click()
    qtbot.waitUntil(lambda: view.task is None, timeout=5000)
    assert not view.run.dry_run
    assert browse.school_row(db, sample["aarau"]).term_end == date(2027, 12, 31)
    assert "2 draft invoices written" in view.state.text()
    assert not view.run_button.isEnabled()  # a real run is not repeated from its own result


def test_cancel_stops_the_preview(qtbot, db, sample):
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.year.setValue(2027)
    task = view.start_preview()
    task.cancel()  # before the first report: it stops there
    with qtbot.waitSignal(task.signals.finished, timeout=10000):
        pass
    assert view.state.text() == "Preview cancelled."
    assert view.run is None
    assert view.preview_button.isEnabled()


def test_letters_in_the_background(qtbot, db, sample, vendor, tmp_path, monkeypatch):
    from datetime import date

    from pypdf import PdfReader

    from lehrer_licenses.services.billing import issuing, lookups
    from lehrer_licenses.services.season import year_end as renewals

    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.year.setValue(2027)
    renewals.run_renewals(db, 2027, dry_run=False)
    task = view.letters("renewal", str(tmp_path / "renewal.pdf"), on=date(2026, 12, 1))
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    assert len(PdfReader(tmp_path / "renewal.pdf").pages) >= 2  # Aarau and Zürich
    assert "letters written" in view.state.text()

    first = min(browse_detail.school_detail(db, sample["zurich"]).invoices, key=lambda i: i.id)
    issuing.issue_invoice(db, str(first.id), date(2026, 1, 5))
    from lehrer_licenses.ui import asking

    offered: list[str] = []
    monkeypatch.setattr(asking, "pdf_written", lambda _p, _t, text: offered.append(text))
    task = view.letters(
        "dunning", str(tmp_path / "dunning.pdf"), on=date(2026, 3, 1), chosen=[first.id]
    )
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    assert (tmp_path / "dunning.pdf").read_bytes().startswith(b"%PDF")
    assert len(offered) == 1
    billing_doc = shape.invoice_json(lookups.show_invoice(db, str(first.id), date(2026, 3, 1)))
    assert billing_doc["status"] == "overdue"


def test_upcoming_deadlines_cancellations_and_price_changes(qtbot, db, sample):
    from datetime import date
    from decimal import Decimal

    from lehrer_licenses.services import catalogue
    from lehrer_licenses.services.licences.seats import cancellations

    cancellations.cancel(db, sample["aarau"], seats=1, received=date(2026, 9, 1))
    catalogue.add_price(db, "LO-LOCAL", "subscription", Decimal("46.80"), date(2027, 1, 1))
    view = RenewalsView(db)
    qtbot.addWidget(view)
    assert view.load_upcoming() is None  # only when one of its tabs is shown
    view.tabs.blockSignals(True)
    view.tabs.setCurrentIndex(1)
    view.tabs.blockSignals(False)
    task = view.load_upcoming(today=date(2026, 9, 15))
    with qtbot.waitSignal(task.signals.finished, timeout=20000):
        pass
    assert view.deadlines.texts(1) == [sample["aarau"], sample["zurich"]]
    assert set(view.deadlines.texts(0)) == {"31.10.2026"}
    assert "2 contracts" in view.deadlines_note.text()
    assert view.cancellations.texts(1) == [sample["aarau"]]
    assert view.prices.texts(3) == ["46.80"]


def test_preview_names_the_school_whose_draft_cannot_be_issued_and_how_to_mend_it(
    qtbot, db, sample
):
    """Issue 13: a school without a postal address got a renewal promised and no reason; the
    preview now runs the run's checks and says what to set, and where."""
    from PySide6.QtCore import Qt

    from lehrer_licenses.services.licences.seats import orders
    from lehrer_licenses.services.schools import SchoolInput, add_school

    lost = add_school(db, SchoolInput(name="Schule ohne Adresse", country="CH", language="de"))
    orders.order_seats(db, lost, 2, date(2026, 3, 10))
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.show()
    view.year.setValue(2027)
    qtbot.mouseClick(view.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.task is None and view.run is not None, timeout=10000)
    assert view.failures.isVisible()
    text = view.failures.text()
    assert text.startswith("1 draft cannot be issued until this is mended:")
    assert f"{lost} Schule ohne Adresse: school {lost} has no postal address" in text
    assert "postcode, town missing" in text and "Edit school…" in text
    row = view.table.texts(0).index(lost)
    assert "no postal address" in view.table.item(row, 0).toolTip()
    assert sample["aarau"] not in text
