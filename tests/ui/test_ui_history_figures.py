"""History lines carry the figures a clerk looks for (amount paid, invoice number, reminder level
and fee, dates as the UI writes them), in the UI's language, with no stored code showing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lehrer_licenses.services.billing import dunning, issuing, payments
from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.ui.views.schools import SchoolsView

RAW = re.compile(r"\b(issued|partly_paid|paid|draft|letters\.\w+|invoice\.\w+)\b")


def test_the_history_of_a_paid_invoice_in_german_names_the_amount_and_the_number(
    qtbot, db, sample, vendor, german
):
    draft = min(browse_detail.school_detail(db, sample["zurich"]).invoices, key=lambda i: i.id)
    number = issuing.issue_invoice(db, str(draft.id), date(2026, 1, 5)).number
    dunning.run_dunning(db, date(2026, 2, 20), invoices=[draft.id])
    payments.record_payment(db, number, Decimal("50.00"), date(2026, 2, 25))
    payments.record_payment(db, number, draft.payable - Decimal("50.00"), date(2026, 3, 2))
    view = SchoolsView(db)
    qtbot.addWidget(view)
    assert view.select_number(sample["zurich"])
    table = view.detail.history_table
    lines = [
        (table.item(row, 2).text(), table.item(row, 3).text()) for row in range(table.rowCount())
    ]
    by_action: dict[str, list[str]] = {}
    for action, text in lines:
        by_action.setdefault(action, []).append(text)
    issued = by_action["Rechnung ausgestellt"][0]
    assert f"Nummer: {number}" in issued and "Datum: 05.01.2026" in issued
    first, second = sorted(
        by_action["Zahlung eingegangen"], key=lambda text: "→ Teilweise" not in text
    )
    assert f"Nummer: {number}" in first and "Betrag: CHF\xa050.00" in first
    assert "bezahlt am: 25.02.2026" in first
    assert "Status: Ausgestellt → Teilweise bezahlt" in first
    assert "Status: Teilweise bezahlt → Bezahlt" in second
    reminder = by_action["Zahlungserinnerung"][0]
    assert f"Nummer: {number}" in reminder and "Mahnstufe: 1" in reminder
    assert "zahlbar bis: 02.03.2026" in reminder
    for action, text in lines:
        assert not RAW.search(action) and not RAW.search(text), (action, text)
