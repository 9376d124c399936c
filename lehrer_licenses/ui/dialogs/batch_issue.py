"""What a batch issue did, invoice by invoice: the number given, or why a draft was refused
(each draft is issued on its own, so the others stay issued); the issued ones can be printed or
saved as one PDF from here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.billing.batch_issue import BatchResult
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.widgets import connect_unchecked, plain_label


def summary_text(results: Sequence[BatchResult], total: int) -> str:
    issued = sum(1 for r in results if r.number)
    refused = len(results) - issued
    text = ngettext("{n} invoice issued", "{n} invoices issued", issued).format(n=issued)
    text += ", " + ngettext("{n} refused", "{n} refused", refused).format(n=refused) + "."
    if len(results) < total:
        left = total - len(results)
        text += " " + ngettext(
            "Cancelled: {n} draft was not issued and is still a draft.",
            "Cancelled: {n} drafts were not issued and are still drafts.",
            left,
        ).format(n=left)
    if refused:
        text += " " + _(
            "A refused draft stays a draft; mend what is named and issue it again. The others "
            "are issued all the same."
        )
    return text


class BatchResultDialog(QDialog):
    def __init__(
        self,
        results: Sequence[BatchResult],
        total: int,
        names: dict[int, str],
        print_issued: Callable[[list[str]], object],
        save_issued: Callable[[list[str]], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Issued drafts"))
        self.results = list(results)
        self.summary = plain_label(summary_text(results, total))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(self.results), 3)
        self.table.setHorizontalHeaderLabels([_("Draft"), _("School"), _("Result")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # One line a draft, as in the other lists: a long school name is cut, its tooltip whole.
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        for row, result in enumerate(self.results):
            if result.number:
                outcome = _("issued as {number}, {amount}").format(
                    number=result.number,
                    amount=fmt.money(result.payable, result.currency or ""),
                )
            else:
                outcome = _("refused: {reason}").format(reason=result.refused)
            for column, text in enumerate(
                (str(result.invoice_id), names.get(result.invoice_id, ""), outcome)
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 260)
        self.issued = [r.number for r in self.results if r.number]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(
            _("Print issued…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button = buttons.addButton(
            _("Save issued as one PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        for button in (self.print_button, self.save_button):
            button.setEnabled(bool(self.issued))
        connect_unchecked(self.print_button.clicked, lambda: print_issued(self.issued))
        connect_unchecked(self.save_button.clicked, lambda: save_issued(self.issued))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)
