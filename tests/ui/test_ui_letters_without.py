"""The renewal letters' result in the app names the schools that get no letter and why: a
DB-hosting school is billed after the year from its counts, so it has no renewal invoice."""

from __future__ import annotations

from datetime import date

from support.ui_driving import file_printer

from lehrer_licenses.services.licences.seats import orders
from lehrer_licenses.services.season import year_end
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.dialogs import letter_batch
from lehrer_licenses.ui.views.renewals import RenewalsView


def test_renewal_letters_say_which_schools_get_none(
    qtbot, db, vendor, german, tmp_path, monkeypatch, school
):
    # the ui conftest's school fixture: "from conftest import add" found tests/cli's conftest
    # first when both folders ran in one process
    local = school("Schulhaus Aarau", "Aarau", "5000", street="Bahnhofstrasse")
    hosted = school("Schule Wolke", "Olten", "4600", street="Ringstrasse", db_hosting=True)
    year = date.today().year + 1
    for number in (local, hosted):
        orders.order_seats(db, number, 3, date(year - 1, 3, 10))
    year_end.run_renewals(db, year, dry_run=False)
    target = tmp_path / "briefe.pdf"
    monkeypatch.setattr(
        letter_batch,
        "ask_letter_batch",
        lambda *_a: letter_batch.BatchChoice(letter_batch.PDF, target),
    )
    offers: list[str] = []
    monkeypatch.setattr(asking, "pdf_written", lambda _p, _t, text: offers.append(text) or None)
    monkeypatch.setattr(asking, "printer", lambda *_a: file_printer(tmp_path / "printed.pdf"))

    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.year.setValue(year)
    [action] = [
        a
        for a in view.letters_button.menu().actions()
        if a.text().startswith("Verlängerungsbriefe")
    ]
    action.trigger()
    qtbot.waitUntil(lambda: "keinen Brief" in view.state.text(), timeout=30000)
    text = view.state.text()
    assert "1 Brief" in text and "1 Schule erhält keinen Brief (DB-Hosting:" in text
    assert f"{hosted} Schule Wolke" in text and local not in text.split("keinen Brief")[1]
