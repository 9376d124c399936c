"""Fields typed into as people type: amounts in the payment dialog, dates in one go. Every test
types with qtbot.keyClicks into the real field and presses the real keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from lehrer_licenses.services.billing import issuing
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.ui import formatting
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.dialogs.invoice_dialogs import PaymentDialog


@pytest.fixture
def issued(db, sample, vendor):
    """Zürich Nord's draft issued: 168.65 open."""
    ids = browse_invoices.invoice_ids(db, sample["zurich"], None, date(2026, 9, 20))
    issuing.issue_invoice(db, str(ids[0]), date(2026, 9, 20))
    return browse_invoices.invoice_row(db, ids[0])


def type_amount(qtbot, dialog, text: str) -> None:
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, text)


@pytest.mark.parametrize(
    ("locale", "typed", "booked"),
    [
        ("de_CH", "12,50", "12.50"),
        ("de_CH", "12.50", "12.50"),
        ("de_CH", "1'234.50", "1234.50"),
        ("de_CH", "1 234,50", "1234.50"),
        ("de_DE", "1.234,50", "1234.50"),
        ("en_US", "12,50", "12.50"),
    ],
)
def test_payment_amount_typed_as_people_type_it(qtbot, db, issued, locale, typed, booked):
    formatting.set_locale(QLocale(locale))
    dialog = PaymentDialog(db, issued, date(2026, 9, 25))
    qtbot.addWidget(dialog)
    dialog.show()
    type_amount(qtbot, dialog, typed)
    assert dialog.value() == Decimal(booked)
    assert dialog.confirm_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert browse_invoices.invoice_row(db, issued.id).paid == Decimal(booked)


def test_an_ambiguous_amount_is_refused_and_says_why(qtbot, db, issued):
    formatting.set_locale(QLocale("de_CH"))
    dialog = PaymentDialog(db, issued, date(2026, 9, 25))
    qtbot.addWidget(dialog)
    dialog.show()
    type_amount(qtbot, dialog, "1.234")
    assert not dialog.confirm_button.isEnabled()
    assert "ambiguous" in dialog.amount_error.text()
    assert "1.234 or 1234" in dialog.amount_error.text()


@pytest.mark.parametrize("typed", ["15.10.2026", "15.10.26", "15102026"])
@pytest.mark.parametrize("finish", [Qt.Key.Key_Tab, Qt.Key.Key_Return])
def test_a_date_typed_in_one_go(qtbot, typed, finish):
    form = QWidget()
    layout = QVBoxLayout(form)
    field = DateField(date(2026, 1, 1))
    after = QLineEdit()
    layout.addWidget(field)
    layout.addWidget(after)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, finish)
    assert formatting.from_qdate(field.date()) == date(2026, 10, 15)
    assert field.text() == "15.10.2026"
