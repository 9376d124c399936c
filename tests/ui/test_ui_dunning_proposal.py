"""The dunning proposal as a clerk uses it: the Invoices view's "Payment reminders…" button shows
every reminder due, ticked; the clerk unticks, ticks, sends; only the ticked invoices get a
reminder, and the letters are offered for printing."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt
from support.ui_driving import file_printer, when_shown

from lehrer_licenses.services.billing import dunning, issuing
from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.ui import asking
from lehrer_licenses.ui.dialogs.dunning_proposal import DunningProposalDialog
from lehrer_licenses.ui.dialogs.letter_batch import LetterBatchDialog
from lehrer_licenses.ui.views.invoices import InvoicesView

ON = date(2026, 11, 16)


def issue_every_draft(db, sample) -> list[str]:
    numbers = []
    for school in (sample["aarau"], sample["zurich"]):
        for invoice in sorted(browse_detail.school_detail(db, school).invoices, key=lambda i: i.id):
            numbers.append(issuing.issue_invoice(db, str(invoice.id), date(2026, 9, 20)).number)
    return numbers


def test_only_the_ticked_invoices_get_a_reminder(qtbot, db, sample, vendor, tmp_path, monkeypatch):
    numbers = issue_every_draft(db, sample)
    assert len(numbers) == 3
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.today = ON
    view.resize(1400, 800)
    view.show()
    qtbot.waitExposed(view)
    printed = tmp_path / "printed.pdf"
    target = tmp_path / "reminders.pdf"
    offered: list[str] = []
    monkeypatch.setattr(asking, "printer", file_printer(printed))
    monkeypatch.setattr(asking, "pdf_written", lambda _p, _t, text: offered.append(text) or "print")
    seen: list = []
    rows_seen: list = []

    def tick(dialog: DunningProposalDialog) -> None:
        table = dialog.table
        rows_seen.append([table.item(row, 0).text() for row in range(table.rowCount())])
        rows_seen.append([table.item(row, 0).checkState() for row in range(table.rowCount())])
        qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
        assert not dialog.send_button.isEnabled()
        table.setFocus()
        for row in (0, 1, 2):  # select some ...
            table.setCurrentCell(row, 0)
            qtbot.keyClick(table, Qt.Key.Key_Space)
        table.setCurrentCell(1, 0)  # ... deselect one
        qtbot.keyClick(table, Qt.Key.Key_Space)
        rows_seen.append(dialog.count.text())
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)

    def save_to(dialog: LetterBatchDialog) -> None:
        dialog.path.clear()
        qtbot.keyClicks(dialog.path, str(target))
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)

    when_shown(DunningProposalDialog, tick, seen)
    when_shown(LetterBatchDialog, save_to, seen)
    qtbot.mouseClick(view.remind_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "letters written" in view.settlement.text(), timeout=30000)
    assert [s for s in seen if isinstance(s, Exception)] == []
    assert rows_seen[0] == numbers
    assert rows_seen[1] == [Qt.CheckState.Checked] * 3
    assert rows_seen[2] == "2 of 3 invoices chosen"
    assert "2 letters written" in view.settlement.text()
    assert len(PdfReader(target).pages) == 2
    assert printed.read_bytes() == target.read_bytes()
    assert len(offered) == 1 and str(target) in offered[0]
    left = dunning.propose_dunning(db, ON)
    assert [n.number for n in left.notices] == [numbers[1]]
    reminded = {numbers[0], numbers[2]}
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert all(number in text for number in reminded) and numbers[1] not in text


def test_renewals_letters_menu_shows_the_proposal_and_escape_sends_nothing(
    qtbot, db, sample, vendor, monkeypatch
):
    from lehrer_licenses.ui.views.renewals import RenewalsView

    numbers = issue_every_draft(db, sample)
    import lehrer_licenses.ui.views.renewals as renewals_module

    class OnTheDay(date):
        @classmethod
        def today(cls):
            return ON

    monkeypatch.setattr(renewals_module, "date", OnTheDay)
    view = RenewalsView(db)
    qtbot.addWidget(view)
    seen: list = []
    shown: list[list[str]] = []

    def escape(dialog: DunningProposalDialog) -> None:
        shown.append([dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())])
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)

    when_shown(DunningProposalDialog, escape, seen)
    action = next(
        a for a in view.letters_button.menu().actions() if a.text() == "Payment reminders…"
    )
    action.trigger()
    assert [s for s in seen if isinstance(s, Exception)] == []
    assert shown == [numbers]
    assert [n.number for n in dunning.propose_dunning(db, ON).notices] == numbers
