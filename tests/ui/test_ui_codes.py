"""Registration codes in the school detail: the history, issuing one, the clipboard, the QR."""

from __future__ import annotations

import zxingcpp
from PySide6.QtGui import QGuiApplication

from lehrer_licenses.services.licences import codes
from lehrer_licenses.ui.dialogs.code_dialog import CodeQrDialog, qr_pixmap
from lehrer_licenses.ui.views.school_detail import SchoolDetailPanel


def test_code_history_issue_copy_and_qr(qtbot, db, sample, tmp_path):
    panel = SchoolDetailPanel(db)
    qtbot.addWidget(panel)
    panel.show_school(sample["aarau"])
    assert panel.code_table.rowCount() == 2  # one per order (L6)
    assert panel.code_table.texts(2) == ["5", "3"]  # newest first: the seat count it carries
    issued = panel.issue_code()
    assert issued is not None and issued.seats == 5
    assert [c.serial for c in codes.code_history(db, sample["aarau"])] == [1, 2, 3]
    assert panel.tabs.currentIndex() == 4 and panel.tabs.tabText(4) == "Codes (3)"
    assert panel.selected_code().code == issued.code
    panel.copy_code()
    assert QGuiApplication.clipboard().text() == issued.code
    assert codes.verify_code(issued.code)["quantity"] == 5

    dialog = CodeQrDialog(issued)
    qtbot.addWidget(dialog)
    image = qr_pixmap(issued.code).toImage()
    path = tmp_path / "qr.png"
    image.save(str(path))
    from PIL import Image

    decoded = zxingcpp.read_barcodes(Image.open(path))
    assert [d.text for d in decoded] == [issued.code]


def test_no_code_without_seats(qtbot, db, sample):
    panel = SchoolDetailPanel(db)
    qtbot.addWidget(panel)
    panel.show_school(sample["geneve"])
    assert not panel.issue_code_button.isEnabled()
    assert not panel.qr_button.isEnabled()
