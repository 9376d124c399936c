"""The renewals view's letters: one PDF in a chosen order or e-mail drafts into a folder; and its
list of packages over capacity."""

from __future__ import annotations

from datetime import date
from email import policy
from email.parser import BytesParser

from pypdf import PdfReader

from lehrer_licenses.services import schools as school_service
from lehrer_licenses.ui.dialogs.letter_batch import (
    EMAILS,
    PDF,
    BatchChoice,
    LetterBatchDialog,
)
from lehrer_licenses.ui.views.renewals import RenewalsView


def test_dialog_offers_order_and_destination(qtbot, tmp_path):
    dialog = LetterBatchDialog("notice-reminders-2026-09-15.pdf")
    qtbot.addWidget(dialog)
    assert [dialog.order.itemData(i) for i in range(dialog.order.count())] == [
        "postcode",
        "number",
        "name",
    ]
    dialog.order.setCurrentIndex(2)
    assert dialog.choice().order == "name" and dialog.choice().destination == PDF
    dialog.destination.setCurrentIndex(1)
    assert not dialog.order.isEnabled()
    assert not dialog.path.text().endswith(".pdf")  # a folder now
    dialog.path.setText(str(tmp_path / "drafts"))
    dialog._accept()
    assert dialog.result() == LetterBatchDialog.DialogCode.Accepted
    assert (tmp_path / "drafts").is_dir() and dialog.choice().destination == EMAILS


def test_letters_as_ordered_pdf_and_as_email_drafts(qtbot, db, sample, vendor, tmp_path):
    with db.transaction() as session:  # Aarau gets an e-mail address, Zürich has none
        school = school_service.school_by_number(session, sample["aarau"])
        school.street, school.house_number, school.email = "Bahnhofstrasse", "1", "a@aarau.example"
        other = school_service.school_by_number(session, sample["zurich"])
        other.street, other.house_number = "Seestrasse", "2"
    view = RenewalsView(db)
    qtbot.addWidget(view)
    on = date(2026, 9, 15)
    pdf = tmp_path / "notice.pdf"
    task = view.letters("notice", on=on, choice=BatchChoice(PDF, pdf, "name"))
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert "Schulhaus Aarau" in pages[0] and "Zürich Nord" in pages[-1]
    task = view.letters("notice", on=on, choice=BatchChoice(PDF, pdf, "postcode"))
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert "Schulhaus Aarau" in pages[0]  # 5000 before 8050

    folder = tmp_path / "drafts"
    folder.mkdir()
    task = view.letters("notice", on=on, choice=BatchChoice(EMAILS, folder))
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    [eml] = list(folder.glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert message["To"].addresses[0].addr_spec == "a@aarau.example"
    assert message["X-Unsent"] == "1"
    assert "1 e-mail draft written" in view.state.text()
    assert f"{sample['zurich']} Zürich Nord" in view.state.text()  # listed, to be posted


def test_over_capacity_tab_lists_packages_above_their_size(qtbot, db, school):
    from lehrer_licenses.services.licences.packages.activation import order_package
    from lehrer_licenses.services.licences.packages.counts import record_user_count

    number = school("Gymnasium Köln")
    order_package(db, number, 1000, date(2026, 2, 1))
    record_user_count(db, number, date(2026, 6, 10), users=1100)
    view = RenewalsView(db)
    qtbot.addWidget(view)
    view.tabs.blockSignals(True)
    view.tabs.setCurrentWidget(view.over_capacity)
    view.tabs.blockSignals(False)
    task = view.load_upcoming(today=date(2026, 6, 10))
    with qtbot.waitSignal(task.signals.finished, timeout=20000):
        pass
    table = view.over_capacity.table
    assert table.texts(0) == [number]
    assert [table.item(0, c).text() for c in (3, 4, 5, 6)] == ["1100", "1000", "100", "1400"]
    assert "550.00" in table.item(0, 7).text()
    assert "1 package holds" in view.over_capacity.note.text()
