"""The VAT regime per school country, in the vendor settings: a small table, one row a country
(``services.billing.vat_regimes``). The number is asked only for a registration abroad."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.vat import (
    COUNTRIES,
    DOMESTIC,
    NOT_TAXABLE,
    REGISTERED,
    REVERSE_CHARGE,
    VatRegime,
)
from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.billing import vat_regimes
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, plain_label

REGIME_NAMES = {
    DOMESTIC: N_("Domestic VAT (own country)"),
    REGISTERED: N_("VAT registration in that country"),
    REVERSE_CHARGE: N_("Reverse charge (0 %)"),
    NOT_TAXABLE: N_("Not taxable (0 %)"),
}


class VatRegimeTable(QWidget):
    """Country | regime | VAT number of the registration there; saved with the vendor."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.saved = {r.country: r for r in vat_regimes.get_regimes(db).listing()}
        self.table = QTableWidget(len(COUNTRIES), 3)
        self.table.setHorizontalHeaderLabels([_("Country"), _("How VAT is charged"), _("Number")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.kinds: dict[str, QComboBox] = {}
        self.numbers: dict[str, QLineEdit] = {}
        for row, country in enumerate(COUNTRIES):
            regime = self.saved[country]
            name = QLineEdit(labels.country_choice(country))
            name.setReadOnly(True)
            name.setFrame(False)
            name.setCursorPosition(0)  # the start of the name in view, not its end
            kind = QComboBox()
            for code, label in REGIME_NAMES.items():
                kind.addItem(_(label), code)
            kind.setCurrentIndex(kind.findData(regime.kind))
            number = QLineEdit(regime.vat_id)
            number.setPlaceholderText(_("the number of the VAT registration in that country"))
            kind.currentIndexChanged.connect(lambda _i, c=country: self._kind_changed(c))
            self.table.setCellWidget(row, 0, name)
            self.table.setCellWidget(row, 1, kind)
            self.table.setCellWidget(row, 2, number)
            self.kinds[country], self.numbers[country] = kind, number
            self._kind_changed(country)
        # A cell widget does not size its column: wide enough for "Deutschland (DE)" in full.
        metrics = self.table.fontMetrics()
        names = [labels.country_choice(country) for country in COUNTRIES]
        self.table.setColumnWidth(0, max(metrics.horizontalAdvance(n) for n in names) + 16)
        self.table.setMinimumHeight(
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(r) for r in range(len(COUNTRIES)))
            + 4
        )
        note = plain_label(
            _(
                "A country not declared yet is billed as before: domestic VAT at home, the "
                "school country's rate abroad with the home number."
            )
        )
        note.setWordWrap(True)
        self.error = InlineError()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(self.error)

    def _kind_changed(self, country: str) -> None:
        registered = self.kinds[country].currentData() == REGISTERED
        self.numbers[country].setEnabled(registered)

    def regime(self, country: str) -> VatRegime:
        kind = self.kinds[country].currentData()
        number = self.numbers[country].text().strip() if kind == REGISTERED else ""
        return VatRegime(country, kind, number)

    def changes(self) -> list[tuple[str, str, str]]:
        """The rows that differ from what applies now (an undeclared row left as it is shown
        stays undeclared)."""
        out = []
        for country in COUNTRIES:
            now, before = self.regime(country), self.saved[country]
            if (now.kind, now.vat_id) != (before.kind, before.vat_id):
                out.append((country, now.kind, now.vat_id))
        return out

    def save(self) -> None:
        changes = self.changes()
        if changes:
            saved = vat_regimes.set_regimes(self._db, changes)
            self.saved.update({r.country: r for r in saved})
        self.error.show_message("")
