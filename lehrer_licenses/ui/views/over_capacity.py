"""The renewals view's list of user packages over their capacity (M3): which school, how many users
above the package size, and what the next size costs (upgrade now, or its annual price, M8).
The rows come from ``services.licences.packages.over_capacity``, read with the view's other
upcoming lists."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.widgets import ReadOnlyTable, plain_label


class OverCapacityList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = plain_label()
        self.note.setWordWrap(True)
        self.table = ReadOnlyTable(
            [
                _("School"),
                _("Name"),
                _("Counted on"),
                _("Users"),
                _("Package size"),
                _("Over by"),
                _("Next size"),
                _("Upgrade now"),
                _("Annual price"),
            ],
            numeric=[3, 4, 5, 6, 7, 8],
            stretch=1,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: Sequence) -> None:
        """``rows``: ``services.licences.packages.over_capacity.OverCapacity`` items, the largest
        excess first."""
        self.note.setText(
            ngettext(
                "{n} package holds more users than its size allows (M3): remove unused "
                "accounts, or upgrade (one-time fee plus the difference, the year runs on).",
                "{n} packages hold more users than their size allows (M3): remove unused "
                "accounts, or upgrade (one-time fee plus the difference, the year runs on).",
                len(rows),
            ).format(n=len(rows))
            if rows
            else _("No package is over its capacity.")
        )
        self.table.set_rows(
            [
                [
                    o.school,
                    o.school_name,
                    fmt.day(o.counted_on),
                    str(o.users),
                    str(o.capacity),
                    str(o.over),
                    str(o.suggested) if o.suggested else _("none larger"),
                    fmt.money(o.upgrade_amount, o.currency) if o.upgrade_amount is not None else "",
                    fmt.money(o.suggested_price, o.currency)
                    if o.suggested_price is not None
                    else "",
                ]
                for o in rows
            ]
        )
