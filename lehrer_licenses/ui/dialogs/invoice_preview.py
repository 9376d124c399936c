"""An invoice as a table: every line, then net, VAT, total, cash rounding and payable."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import InvoiceView
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.widgets import RIGHT, ReadOnlyTable, plain_label


class InvoicePreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = ReadOnlyTable(
            [_("Description"), _("Quantity"), _("Unit price"), _("Amount")],
            numeric=[1, 2, 3],
            stretch=0,
        )
        self._grid = QGridLayout()
        self._grid.setColumnStretch(0, 1)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(2)
        self.net_label, self.net = self._row(0, _("Net"))
        self.vat_label, self.vat = self._row(1, _("VAT"))
        self.total_label, self.total = self._row(2, _("Total"))
        # Swiss cash rounding (DESIGN section 4): only CHF totals round to 0.05.
        self.rounding_label, self.rounding = self._row(3, _("Rounding"))
        self.payable_label, self.payable = self._row(4, _("Payable"))
        for label in (self.payable_label, self.payable):
            font = label.font()
            font.setBold(True)
            label.setFont(font)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lines)
        layout.addLayout(self._grid)
        self.lines.fit_rows(3, 8)

    def _row(self, row: int, text: str) -> tuple[QLabel, QLabel]:
        label = plain_label(text)
        value = plain_label()
        label.setAlignment(RIGHT)
        value.setAlignment(RIGHT)
        value.setMinimumWidth(value.fontMetrics().horizontalAdvance("CHF 00'000'000.00"))
        self._grid.addWidget(label, row, 0)
        self._grid.addWidget(value, row, 1)
        return label, value

    def show_invoice(self, invoice: InvoiceView | None) -> None:
        if invoice is None:
            self.lines.set_rows([])
            self.lines.fit_rows(3, 8)
            for value in (self.net, self.vat, self.total, self.rounding, self.payable):
                value.setText("")
            self.vat_label.setText(_("VAT"))
            return
        cur = invoice.currency
        self.lines.set_rows(
            [
                [
                    line.description,
                    fmt.quantity(line.quantity),
                    fmt.price(line.unit_price),
                    fmt.number(line.amount),
                ]
                for line in invoice.lines
            ]
        )
        self.lines.fit_rows(3, 8)
        t = invoice.totals
        self.net.setText(fmt.money(t.net.amount, cur))
        self.vat_label.setText(_("VAT {rate}").format(rate=fmt.percent(t.vat_rate)))
        self.vat.setText(fmt.money(t.vat.amount, cur))
        self.total.setText(fmt.money(t.total.amount, cur))
        self.rounding.setText(fmt.money(t.rounding.amount, cur))
        self.payable.setText(fmt.money(t.payable.amount, cur))
