"""The year-end renewal: a dry run first (what would be billed, to whom), then the real run.

Both run on a worker thread with a progress bar and a Cancel button; the services open their
own session per contract, so the UI thread stays responsive. A cancelled real run keeps the
contracts it renewed (each is its own transaction); running again picks up the rest.

The drafts a run wrote are issued from here too ("Issue drafts…", ui/batch_issuing.py, as the
Invoices view issues several): those of the year shown, so an earlier run is chosen by its year.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.access import ACCOUNTANT, LOCAL, Access
from lehrer_licenses.ui import asking, labels
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.pdf import offer_saved
from lehrer_licenses.ui.permissions import permit
from lehrer_licenses.ui.progress import run_with_progress
from lehrer_licenses.ui.views.renewal_problems import item_amounts, problems_text
from lehrer_licenses.ui.views.renewals_upcoming import UpcomingLists
from lehrer_licenses.ui.widgets import (
    InlineError,
    ReadOnlyTable,
    connect_unchecked,
    field_label,
    plain_label,
)
from lehrer_licenses.ui.workers import Cancelled, Progress, Task, start

if TYPE_CHECKING:
    from lehrer_licenses.services.season.year_end import RenewalRun


def default_year(today: date | None = None) -> int:
    """The renewal to prepare: next January's from the autumn on, else this year's."""
    today = today or date.today()
    return today.year + 1 if today.month >= 7 else today.year


class RenewalsView(UpcomingLists, QWidget):
    renewed = Signal()  # a real run wrote something: other views should re-read

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.task: Task | None = None
        self.access = LOCAL  # the run issues invoices: an accountant's right
        self.today: date | None = None  # tests and screenshots fix the day drafts are issued on
        self._dry_run = True
        self.run: RenewalRun | None = None

        self.year = QSpinBox()
        self.year.setRange(2000, 2200)
        self.year.setValue(default_year())
        self.year.valueChanged.connect(self._year_changed)
        self.preview_button = QPushButton(_("Preview"))
        self.run_button = QPushButton(_("Run renewal…"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.preview_button.clicked.connect(self.start_preview)
        self.run_button.clicked.connect(self.confirm_and_run)
        self.cancel_button.clicked.connect(self.cancel)
        self.issue_button = QPushButton(_("Issue drafts…"))
        self.issue_button.setToolTip(
            _("Issue the drafts that the renewal into the year shown wrote and that are not issued")
        )
        connect_unchecked(self.issue_button.clicked, self.issue_run_drafts)
        self.issue_task: Task | None = None
        self.batch_result = None  # the result list of the last batch issue, while it is open
        self.run_drafts: list[int] = []  # the drafts of the renewal into the year shown
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.state = plain_label()
        self.state.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Renew into the term starting 1 January")))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.preview_button)
        top.addWidget(self.run_button)
        top.addStretch(1)
        self.letters_button = QPushButton(_("Letters…"))
        self.letters_button.setToolTip(
            _("Notice-period reminders, renewal letters and payment reminders as one PDF")
        )
        letters_menu = QMenu(self.letters_button)
        letters_menu.addAction(_("Notice-period reminders…"), lambda: self.letters("notice"))
        letters_menu.addAction(
            _("Renewal letters for the year shown…"), lambda: self.letters("renewal")
        )
        self.dunning_action = letters_menu.addAction(
            _("Payment reminders…"), lambda: self.letters("dunning")
        )
        self.letters_button.setMenu(letters_menu)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)

        summary_box = QGroupBox(_("Summary"))
        grid = QGridLayout(summary_box)
        self.summary_values: dict[str, QLabel] = {}
        rows = [
            ("schools", _("Contracts due")),
            ("renewed", _("Renewed")),
            ("lapsed", _("Lapsing")),
            ("failed", _("Not renewed")),
            ("seats_renewed", _("Seats renewed")),
            ("seats_released", _("Seats released")),
            ("invoices", _("Invoices")),
            ("amounts", _("Amounts")),
        ]
        for i, (key, text) in enumerate(rows):
            value = plain_label()
            self.summary_values[key] = value
            grid.addWidget(QLabel(field_label(text)), i % 4, (i // 4) * 2)
            grid.addWidget(value, i % 4, (i // 4) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)

        self.table = ReadOnlyTable(
            [
                _("School"),
                _("Name"),
                _("Action"),
                _("Seats before"),
                _("Seats after"),
                _("Released"),
                _("Net"),
                _("Payable"),
            ],
            numeric=[3, 4, 5, 6, 7],
            stretch=1,
        )

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(busy)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state, 1)
        # beside the run's outcome ("... draft invoices written"), not in the top row, which
        # would then make the window wider than a small screen allows
        state_row.addWidget(self.issue_button)
        state_row.addWidget(self.letters_button)
        layout.addLayout(state_row)
        preview_page = QWidget()
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(summary_box)
        # What the run would stop at, school by school, with the way to mend it: the preview
        # runs the real run's checks, so its counts are the run's.
        self.failures = InlineError()
        preview_layout.addWidget(self.failures)
        preview_layout.addWidget(self.table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(preview_page, _("Renewal run"))
        self._build_upcoming(self.tabs)
        layout.addWidget(self.tabs, 1)
        self._set_busy(False)
        self._show_run(None)
        self._count_drafts()
        self.state.setText(
            _("Preview shows what the renewal would bill, without writing anything.")
        )

    def set_access(self, access: Access) -> None:
        self.access = access
        ready = self.run is not None and self.run.dry_run and self.task is None
        permit(self.run_button, access, ACCOUNTANT, ready)
        permit(self.dunning_action, access, ACCOUNTANT)
        self._enable_issue()

    def set_database(self, db: Database) -> None:
        self._upcoming_loaded = False
        if self.task is not None:
            self.task.cancel()
        self._db = db
        self._show_run(None)
        self._count_drafts()

    def refresh(self) -> None:
        """The upcoming lists again (a preview is only valid for the moment it was made)."""
        self._upcoming_loaded = False
        if self.tabs.currentIndex() > 0:
            self.load_upcoming()
        self._count_drafts()

    # --- running -------------------------------------------------------------------------------

    def start_preview(self) -> Task:
        return self._start(dry_run=True)

    def confirm_and_run(self) -> None:
        year = self.year.value()
        if asking.confirm(
            self,
            _("Run the renewal"),
            _(
                "Renew all contracts due into {year} and write their draft invoices? "
                "Cancellations that took effect are applied; lapsing contracts end."
            ).format(year=year),
        ):
            self.start_run()

    def start_run(self) -> Task:
        return self._start(dry_run=False)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.state.setText(_("Stopping after the current contract…"))

    def _start(self, dry_run: bool) -> Task:
        # Imported on first use: renewals bring the PDF renderers (a quarter of a second).
        from lehrer_licenses.services.season import year_end as renewals

        db, year = self._db, self.year.value()

        def work(progress: Progress) -> RenewalRun:
            return renewals.run_renewals(db, year, dry_run=dry_run, progress=progress)

        task = Task(work)
        task.signals.progress.connect(self._progress)
        # Bound methods of this widget, not lambdas: Qt then queues the calls to the UI thread.
        task.signals.succeeded.connect(self._succeeded)
        task.signals.failed.connect(self._failed)
        task.signals.cancelled.connect(self._cancelled)
        task.signals.finished.connect(self._finished)
        self.task = task
        self._dry_run = dry_run
        self._set_busy(True)
        self.progress.setRange(0, 0)  # busy until the first report says how many
        message = (
            _("Previewing the renewal into {year}…") if dry_run else _("Renewing into {year}…")
        )
        self.state.setText(message.format(year=year))
        return start(task)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(_("%v of %m contracts"))

    def _succeeded(self, run: RenewalRun) -> None:
        self._show_run(run)
        if run.dry_run:
            self.state.setText(
                _("Preview of the renewal into {year}: nothing was written.").format(year=run.year)
            )
        else:
            n = run.summary().invoices
            self.state.setText(
                ngettext(
                    "Renewal into {year} done: {n} draft invoice written.",
                    "Renewal into {year} done: {n} draft invoices written.",
                    n,
                ).format(year=run.year, n=n)
            )
            self.renewed.emit()

    def _failed(self, exc: Exception) -> None:
        self.state.setText(_("The renewal stopped with an error."))
        show_error(self, exc)
        if not self._dry_run:
            self.renewed.emit()

    def _cancelled(self, exc: Cancelled) -> None:
        if self._dry_run:
            self.state.setText(_("Preview cancelled."))
        else:
            self.state.setText(
                _(
                    "Stopped after {done} of {total} contracts. The ones done are renewed; "
                    "run again to renew the rest."
                ).format(done=exc.done, total=exc.total)
            )
            self.renewed.emit()

    def _finished(self) -> None:
        self.task = None
        self._set_busy(False)
        if not self._dry_run:
            self._count_drafts()

    def _year_changed(self, _year: int) -> None:
        self._show_run(None)
        self._count_drafts()

    # --- issuing the run's drafts --------------------------------------------------------------

    def _count_drafts(self) -> None:
        from lehrer_licenses.services.billing import batch_issue

        self.run_drafts = batch_issue.draft_ids(self._db, self.year.value())
        self._enable_issue()

    def _enable_issue(self) -> None:
        idle = self.task is None and self.issue_task is None
        permit(self.issue_button, self.access, ACCOUNTANT, idle and bool(self.run_drafts))

    def issue_run_drafts(self) -> Task | None:
        """The drafts the renewal into the year shown wrote (the run just made, or an earlier
        one: choose its year), issued as the Invoices view issues several: one confirmation,
        progress with Cancel, the result per invoice."""
        from lehrer_licenses.ui import batch_issuing

        self._count_drafts()  # another desk may have issued some meanwhile
        if not self.run_drafts:
            return None

        def shown(dialog) -> None:
            self.batch_result = dialog
            self.state.setText(dialog.summary.text())
            self.renewed.emit()  # the invoices and the schools' balances changed

        def finished() -> None:
            self.issue_task = None
            self._count_drafts()

        on = self.today or date.today()
        task = batch_issuing.issue_in_background(
            self, self._db, self.run_drafts, on, shown, finished
        )
        if task is not None:
            self.issue_task = task
            self._enable_issue()
        return task

    # --- letters -------------------------------------------------------------------------------

    def letters(
        self,
        kind: str,
        target: str | None = None,
        on: date | None = None,
        choice=None,
        chosen: list[int] | None = None,
    ) -> Task | None:
        """Write a batch of letters in the background: notice-period reminders for the
        next two months, renewal letters of the year shown, or payment reminders (the proposal
        first: only the reminders ticked there are recorded, ``chosen`` ticks without asking).
        The dialog asks for one PDF in an order, or e-mail drafts into a folder
        (``letter_batch``)."""
        from lehrer_licenses.ui.dialogs import dunning_proposal, letter_batch

        on = on or date.today()
        asked = choice is None and target is None  # the clerk chose the file: offer it after
        if choice is None and target is not None:
            choice = letter_batch.BatchChoice(letter_batch.PDF, Path(target))
        if kind == "dunning":
            return dunning_proposal.send_reminders(
                self, self._db, on, choice=choice, chosen=chosen, on_written=self.state.setText
            )
        if choice is None:
            names = {
                "notice": _("notice-reminders"),
                "renewal": _("renewal-letters"),
            }
            choice = letter_batch.ask_letter_batch(self, f"{names[kind]}-{on.isoformat()}.pdf")
            if choice is None:
                return None
        db, year = self._db, self.year.value()

        def work(progress: Progress):
            from lehrer_licenses.services.season import letters

            letter_batch.check_before_run(db, choice)
            progress(0, 2)
            if kind == "notice":
                run = letters.notice_reminders(db, on)
            else:
                run = letters.renewal_letters(db, year, on)
            progress(1, 2)
            written = letter_batch.write_batch(db, run.letters, choice)
            progress(2, 2)
            return written, run.without_letter

        def done(result) -> None:
            written, without = result
            message = letter_batch.written_message(written, choice)
            if without:
                message += " " + letter_batch.without_letter_text(without)
            self.state.setText(message)
            if asked and choice.destination == letter_batch.PDF and written.letters:
                offer_saved(self, choice.path, message)

        return run_with_progress(self, _("Letters"), _("Writing the letters…"), work, done)

    # --- showing -------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        # Hidden at the end of a real run inside the main window, the progress row's request to
        # lay out again went unanswered and its height stayed as a blank line: lay out now.
        self.layout().activate()
        self.cancel_button.setEnabled(busy)
        self.preview_button.setEnabled(not busy)
        self.year.setEnabled(not busy)
        permit(
            self.run_button,
            self.access,
            ACCOUNTANT,
            not busy and self.run is not None and self.run.dry_run,
        )
        self._enable_issue()

    def _show_run(self, run: RenewalRun | None) -> None:
        self.run = run
        permit(
            self.run_button,
            self.access,
            ACCOUNTANT,
            run is not None and run.dry_run and self.task is None,
        )
        if run is None:
            for value in self.summary_values.values():
                value.setText("\u2013")
            self.table.set_rows([])
            self.failures.show_message("")
            return
        summary = run.summary()
        self.failures.show_message(problems_text(run))
        for key, value in self.summary_values.items():
            if key == "amounts":
                value.setText(
                    "\n".join(
                        _("{net} net, {payable} payable").format(
                            net=fmt.money(totals.net, cur),
                            payable=fmt.money(totals.payable, cur),
                        )
                        for cur, totals in summary.amounts.items()
                    )
                    or "\u2013"
                )
            else:
                value.setText(str(getattr(summary, key)))
        rows = []
        for item in run.items:
            net, payable, currency = item_amounts(item)
            rows.append(
                [
                    item.school,
                    item.school_name,
                    labels.renewal_action(item.action),
                    str(item.seats_before),
                    str(item.seats_after),
                    str(item.seats_released),
                    fmt.money(net, currency) if item.invoices else "",
                    fmt.money(payable, currency) if item.invoices else "",
                ]
            )
        self.table.set_rows(rows, [item.error or item.warning or "" for item in run.items])
