"""The Renewals view's tabs about what is coming: notice deadlines of the next 90 days, pending
cancellations, announced price changes and packages over their capacity, read in the background
the first time one of their tabs is shown.

A mixin of RenewalsView (it uses its ``_db`` and ``tabs``; ``_build_upcoming`` adds the tabs)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.views.over_capacity import OverCapacityList
from lehrer_licenses.ui.widgets import ReadOnlyTable, plain_label
from lehrer_licenses.ui.workers import Progress, Task, start


class UpcomingLists:
    def _build_upcoming(self, tabs: QTabWidget) -> None:
        self.deadlines = ReadOnlyTable(
            [
                _("Notice deadline"),
                _("School"),
                _("Name"),
                _("Plan"),
                _("Term ends"),
                _("Seats"),
                _("Note"),
            ],
            numeric=[5],
            stretch=2,
        )
        self.deadlines_note = plain_label()
        deadlines_page = QWidget()
        deadlines_layout = QVBoxLayout(deadlines_page)
        deadlines_layout.setContentsMargins(0, 0, 0, 0)
        deadlines_layout.addWidget(self.deadlines_note)
        deadlines_layout.addWidget(self.deadlines, 1)
        self.cancellations = ReadOnlyTable(
            [_("Runs until"), _("School"), _("Name"), _("Received"), _("Seats"), _("In time")],
            stretch=2,
        )
        self.prices = ReadOnlyTable(
            [_("Valid from"), _("Plan"), _("Component"), _("Amount"), _("Announced on")],
            numeric=[3],
            stretch=2,
        )
        tabs.addTab(deadlines_page, _("Notice deadlines"))
        tabs.addTab(self.cancellations, _("Cancellations"))
        tabs.addTab(self.prices, _("Price changes"))
        self.over_capacity = OverCapacityList()
        tabs.addTab(self.over_capacity, _("Over capacity"))
        tabs.currentChanged.connect(lambda _i: self.load_upcoming())
        self.upcoming_task: Task | None = None
        self._upcoming_loaded = False

    def load_upcoming(self, today: date | None = None) -> Task | None:
        """Notice deadlines of the next 90 days, pending cancellations and coming price changes,
        read in the background the first time one of their tabs is shown."""
        if self._upcoming_loaded or self.upcoming_task is not None or self.tabs.currentIndex() == 0:
            return None
        from lehrer_licenses.services.browse import renewals as browse_renewals
        from lehrer_licenses.services.licences.packages import over_capacity

        db, day = self._db, today or date.today()

        def work(_progress: Progress):
            upcoming, total = browse_renewals.upcoming_deadlines(db, day)
            return (
                upcoming,
                total,
                browse_renewals.pending_cancellations(db),
                browse_renewals.price_changes(db, day),
                over_capacity.over_capacity(db, day),
            )

        task = Task(work)
        task.signals.succeeded.connect(self._show_upcoming)
        task.signals.failed.connect(lambda exc: show_error(self, exc))
        task.signals.finished.connect(self._upcoming_finished)
        self.upcoming_task = task
        self.deadlines_note.setText(_("Reading the contracts…"))
        return start(task)

    def _upcoming_finished(self) -> None:
        self.upcoming_task = None

    def _show_upcoming(self, result) -> None:
        upcoming, total, cancellations, prices, packages_over = result
        self.over_capacity.show_rows(packages_over)
        self._upcoming_loaded = True
        self.deadlines_note.setText(
            ngettext(
                "{n} contract renews unless a cancellation arrives by its notice deadline "
                "(the next 90 days).",
                "{n} contracts renew unless a cancellation arrives by their notice deadline "
                "(the next 90 days).",
                total,
            ).format(n=total)
            + (
                " " + _("The first {shown} are listed.").format(shown=len(upcoming))
                if total > len(upcoming)
                else ""
            )
        )
        self.deadlines.set_rows(
            [
                [
                    fmt.day(u.notice_deadline),
                    u.school,
                    u.school_name,
                    u.plan_name,
                    fmt.day(u.term_end),
                    str(u.seats),
                    _("cancelled, ends then") if u.ending else "",
                ]
                for u in upcoming
            ]
        )
        self.cancellations.set_rows(
            [
                [
                    fmt.day(c.effective_on),
                    c.school,
                    c.school_name,
                    fmt.day(c.received_on),
                    _("whole contract") if c.seats is None else str(c.seats),
                    _("yes") if c.in_time else _("no, too late"),
                ]
                for c in cancellations
            ]
        )
        self.prices.set_rows(
            [
                [
                    fmt.day(p.valid_from),
                    p.plan_name,
                    labels.price_component(p.component),
                    fmt.price(p.amount),
                    fmt.day(p.announced_on),
                ]
                for p in prices
            ]
        )
