"""Refusals coming from the services write dates as the app's tables do (31.12.2026 in de-CH,
31/12/2026 in fr-FR), never ISO 8601: the clerk compares them with the dates on screen."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QLocale, Qt

from lehrer_licenses.i18n import set_ui_language
from lehrer_licenses.services.billing import issuing
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.ui import formatting
from lehrer_licenses.ui.dialogs.invoice_dialogs import PaymentDialog

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(
    ("language", "locale", "typed", "shown"),
    [
        ("de", "de_CH", "15.09.2026", ("15.09.2026", "20.09.2026")),
        ("fr", "fr_FR", "15/09/2026", ("15/09/2026", "20/09/2026")),
    ],
)
def test_a_payment_before_the_invoice_is_refused_with_the_dates_as_shown(
    qtbot, db, sample, vendor, language, locale, typed, shown
):
    ids = browse_invoices.invoice_ids(db, sample["zurich"], None, date(2026, 9, 20))
    issuing.issue_invoice(db, str(ids[0]), date(2026, 9, 20))
    set_ui_language(language)
    formatting.set_locale(QLocale(locale))
    dialog = PaymentDialog(db, browse_invoices.invoice_row(db, ids[0]), date(2026, 9, 25))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "10")
    dialog.on.setFocus()
    dialog.on.lineEdit().selectAll()
    qtbot.keyClicks(dialog.on, typed)
    qtbot.keyClick(dialog.on, Qt.Key.Key_Tab)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    message = dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert all(day in message for day in shown), message
    assert not ISO_DATE.search(message), message
