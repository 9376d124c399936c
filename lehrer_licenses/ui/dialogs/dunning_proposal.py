"""Payment reminders as a clerk sends them: first the proposal (every overdue invoice with its next
reminder level, fee and open amount, each ticked), then only the ticked ones are recorded and
printed, and the letters are offered for opening or printing.

Reached from the Invoices view and from Renewals › Letters; both call ``send_reminders``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.ui import asking
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.pdf import offer_saved
from lehrer_licenses.ui.progress import Progress, run_with_progress
from lehrer_licenses.ui.widgets import connect_unchecked, plain_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from lehrer_licenses.services.billing.dunning import DunningRun
    from lehrer_licenses.ui.dialogs.letter_batch import BatchChoice
    from lehrer_licenses.ui.handles import Database
    from lehrer_licenses.ui.workers import Task

COLUMNS = ("invoice", "school", "level", "fee", "open", "overdue")


class DunningProposalDialog(QDialog):
    """The reminders due, each a ticked row; OK sends the ticked ones."""

    def __init__(self, proposal: DunningRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Payment reminders"))
        self.proposal = proposal
        self.intro = plain_label(
            _(
                "Reminders due on {date}. Untick the invoices that get no reminder now; "
                "nothing is recorded before you send."
            ).format(date=fmt.day(proposal.on))
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(proposal.notices), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [
                _("Invoice"),
                _("School"),
                _("Reminder"),
                _("Fee"),
                _("Open"),
                _("Days overdue"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, notice in enumerate(proposal.notices):
            first = QTableWidgetItem(notice.number)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked)
            first.setData(Qt.ItemDataRole.UserRole, notice.invoice_id)
            cells = [
                first,
                QTableWidgetItem(f"{notice.school} {notice.school_name}"),
                QTableWidgetItem(_("Reminder {level}").format(level=notice.level)),
                QTableWidgetItem(fmt.money(notice.fee, notice.currency)),
                QTableWidgetItem(fmt.money(notice.open, notice.currency)),
                QTableWidgetItem(str(notice.days_overdue)),
            ]
            for column, item in enumerate(cells):
                if column >= 3:
                    item.setTextAlignment(right)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        # the school's name takes the room left; the figures stay beside it, not at the far edge
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._update_count)
        self.all_button = QPushButton(_("Tick all"))
        self.none_button = QPushButton(_("Tick none"))
        connect_unchecked(self.all_button.clicked, lambda: self._tick_all(True))
        connect_unchecked(self.none_button.clicked, lambda: self._tick_all(False))
        self.count = plain_label()
        self.exhausted = plain_label(
            _("After the last reminder, still open: {numbers}").format(
                numbers=", ".join(proposal.exhausted)
            )
            if proposal.exhausted
            else ""
        )
        self.exhausted.setWordWrap(True)
        self.exhausted.setVisible(bool(proposal.exhausted))
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)
        ticks.addWidget(self.count)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(
            _("Send reminders…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(ticks)
        layout.addWidget(self.exhausted)
        layout.addWidget(self.buttons)
        self._update_count()
        self.resize(820, 420)

    def _items(self) -> list[QTableWidgetItem]:
        return [self.table.item(row, 0) for row in range(self.table.rowCount())]

    def _tick_all(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for item in self._items():
            item.setCheckState(state)

    def _update_count(self, *_args) -> None:
        chosen = len(self.chosen_ids())
        self.count.setText(
            ngettext(
                "{n} of {total} invoice chosen",
                "{n} of {total} invoices chosen",
                chosen,
            ).format(n=chosen, total=self.table.rowCount())
        )
        self.send_button.setEnabled(chosen > 0)

    def chosen_ids(self) -> list[int]:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]


def ask_reminders(parent: QWidget | None, proposal: DunningRun) -> list[int] | None:
    """The invoice ids the clerk ticked, or None (cancelled, or nothing due: then it says so)."""
    if not proposal.notices:
        text = _("No payment reminders are due on {date}.").format(date=fmt.day(proposal.on))
        if proposal.exhausted:
            text += " " + _("After the last reminder, still open: {numbers}").format(
                numbers=", ".join(proposal.exhausted)
            )
        asking.inform(parent, _("Payment reminders"), text)
        return None
    dialog = DunningProposalDialog(proposal, parent)
    return dialog.chosen_ids() if dialog.exec() == QDialog.DialogCode.Accepted else None


def offer_letters(parent: QWidget | None, path: Path) -> None:
    """Open the reminders' PDF or print it, as the clerk chooses."""
    offer_saved(
        parent,
        path,
        _("The reminders are saved in {path}. Open or print them now?").format(path=path),
    )


def send_reminders(
    parent: QWidget | None,
    db: Database,
    on: date,
    *,
    choice: BatchChoice | None = None,
    chosen: list[int] | None = None,
    on_written: Callable[[str], None] | None = None,
) -> Task | None:
    """Propose, let the clerk choose, then record and write the chosen reminders in the
    background; ``on_written`` gets the result line. ``choice``/``chosen`` given: not asked."""
    from lehrer_licenses.services.billing import dunning
    from lehrer_licenses.ui.dialogs import letter_batch

    if chosen is None:
        chosen = ask_reminders(parent, dunning.propose_dunning(db, on))
        if chosen is None:
            return None
    if choice is None:
        choice = letter_batch.ask_letter_batch(
            parent, f"{_('payment-reminders')}-{on.isoformat()}.pdf"
        )
        if choice is None:
            return None

    def work(progress: Progress):
        letter_batch.check_before_run(db, choice)
        progress(0, 2)
        run = dunning.run_dunning(db, on, invoices=chosen)
        progress(1, 2)
        written = letter_batch.write_batch(db, run.letters, choice)
        progress(2, 2)
        return written

    def done(written) -> None:
        if on_written is not None:
            on_written(letter_batch.written_message(written, choice))
        if written.letters and choice.destination == letter_batch.PDF:
            offer_letters(parent, choice.path)

    return run_with_progress(parent, _("Letters"), _("Writing the letters…"), work, done)
