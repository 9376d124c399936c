"""The parts of the "Packages and pupils" tab, each filled from a ``LicencesView``: the user
package with its add-ons (M1-M11), the per-pupil subscription (F1-F11) and, for a school on no
licence model yet, the start of a package. The key facts come first in two columns (the tab is
short), the actions wrap onto a second row rather than hiding behind a » menu."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import N_, _, ngettext
from lehrer_licenses.services.browse import licences as browse_licences
from lehrer_licenses.services.browse.licences import LicencesView
from lehrer_licenses.services.licences.packages.contract import BillingAddress
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.flow_layout import flow_of
from lehrer_licenses.ui.widgets import ReadOnlyTable, error_colour, field_label, plain_label

DASH = "\u2013"
_ADDON_STATUS = {"active": N_("running"), "lapsed": N_("lapsed"), "refunded": N_("refunded")}


def span(start: date, end: date) -> str:
    return f"{fmt.day(start)} {DASH} {fmt.day(end)}"


class Facts(QWidget):
    """Label and value pairs in two columns, or in one when the pane is narrow (it never
    forces the tab wider); a wide fact takes a row of its own."""

    TWO_COLUMNS_FROM = 520  # pixels; below it the pairs stack

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(3)
        self._facts: list[tuple[QLabel, QLabel, bool]] = []
        self._columns = 0
        self._place(2)

    def add(self, label: str, wide: bool = False) -> QLabel:
        value = plain_label()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title = plain_label(field_label(label))
        title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        value.title = title  # so a fact can be hidden with its label
        self._facts.append((title, value, wide))
        self._place(self._columns, force=True)
        return value

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place(2 if event.size().width() >= self.TWO_COLUMNS_FROM else 1)

    def _place(self, columns: int, force: bool = False) -> None:
        if columns == self._columns and not force:
            return
        self._columns = columns
        for title, value, _wide in self._facts:
            self.grid.removeWidget(title)
            self.grid.removeWidget(value)
        row, column = 0, 0
        for title, value, wide in self._facts:
            wide = wide or columns == 1
            if wide and column:
                row, column = row + 1, 0
            self.grid.addWidget(title, row, column)
            self.grid.addWidget(value, row, column + 1, 1, 3 if wide else 1)
            if wide or column:
                row, column = row + 1, 0
            else:
                column = 2
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1 if columns == 2 else 0)


def show_fact(value: QLabel, shown: bool) -> None:
    value.setVisible(shown)
    value.title.setVisible(shown)


class PackageSection(QGroupBox):
    """A running user package: its facts, its actions, and its subject add-ons below."""

    def __init__(self) -> None:
        super().__init__(_("User package"))
        layout = QVBoxLayout(self)
        facts = Facts()
        self.package = facts.add(_("Package"))
        self.licence_year = facts.add(_("Licence year"))
        self.package_deadline = facts.add(_("Notice deadline"))
        self.users = facts.add(_("Users"))
        self.package_renewal = facts.add(_("Renewal"), wide=True)
        layout.addWidget(facts)
        self.count_button = QPushButton(_("Count users\u2026"))
        self.upgrade_button = QPushButton(_("Upgrade\u2026"))
        self.resize_button = QPushButton(_("Size at renewal\u2026"))
        self.full_button = QPushButton(_("Full package\u2026"))
        self.cancel_button = QPushButton(_("Cancel the package\u2026"))
        self.buttons = (
            self.count_button,
            self.upgrade_button,
            self.resize_button,
            self.full_button,
            self.cancel_button,
        )
        layout.addWidget(flow_of(*self.buttons))

        head = QHBoxLayout()
        self.addon_title = plain_label()
        font = self.addon_title.font()
        font.setBold(True)
        self.addon_title.setFont(font)
        self.addon_button = QPushButton(_("Add subject\u2026"))
        self.addon_cancel_button = QPushButton(_("Cancel an add-on\u2026"))
        head.addWidget(self.addon_title)
        head.addWidget(flow_of(self.addon_button, self.addon_cancel_button), 1)
        layout.addLayout(head)
        self.addon_table = ReadOnlyTable(
            [
                _("Subject"),
                _("Started"),
                _("Add-on year"),
                _("Price"),
                _("Billing address"),
                _("Notice deadline"),
                _("Status"),
            ],
            numeric=[3],
            stretch=4,
        )
        layout.addWidget(self.addon_table)

    def fill(self, v: LicencesView) -> None:
        p = v.package
        kind = _("full package") if p.full_package else _("package")
        self.package.setText(
            _("{plan}: {kind} of {n} users").format(
                plan=p.plan, kind=kind, n=fmt.quantity(p.capacity)
            )
        )
        self.licence_year.setText(span(p.term_start, p.term_end))
        self.package_deadline.setText(
            _("ends on {day} (cancelled)").format(day=fmt.day(p.ends_on))
            if p.ends_on
            else _("{day} for the end of this year").format(day=fmt.day(p.cancellation_deadline))
        )
        if p.users is None:
            self.users.setText(_("not counted yet"))
            self.users.setStyleSheet("")
        else:
            text = _("{users} on {day}").format(
                users=fmt.quantity(p.users), day=fmt.day(p.counted_on)
            )
            if p.over_capacity:
                text += f" {DASH} " + _("over capacity by {n}").format(
                    n=fmt.quantity(p.users - p.capacity)
                )
            self.users.setText(text)
            self.users.setStyleSheet(f"color: {error_colour()};" if p.over_capacity else "")
        size = p.renew_capacity or p.capacity
        price = (
            fmt.money(p.renewal_price, p.currency)
            if p.renewal_price is not None
            else _("price shown from {day}").format(day=fmt.day(p.price_visible_from))
        )
        self.package_renewal.setText(
            _("none: the package ends with its licence year")
            if p.ends_on
            else _("{day}: {n} users, {price}").format(
                day=fmt.day(date.fromordinal(p.term_end.toordinal() + 1)),
                n=fmt.quantity(size),
                price=price,
            )
        )
        # A cancelled package keeps its actions in view, greyed out with the reason.
        cancelled = _("The package is cancelled.") if p.ends_on else ""
        for button in (self.resize_button, self.cancel_button):
            button.setEnabled(not p.ends_on)
            button.setToolTip(cancelled)
        self.full_button.setVisible(not p.full_package)
        self.addon_button.setVisible(not p.full_package)
        self.addon_cancel_button.setVisible(bool(v.addons))
        self.addon_cancel_button.setEnabled(any(cancellable(a) for a in v.addons))
        self.addon_title.setText(_("Subject add-ons ({n})").format(n=len(v.addons)))
        self.addon_table.setVisible(bool(v.addons))
        self.addon_table.set_rows(
            [
                [
                    a.subject,
                    fmt.day(a.started_on),
                    span(a.term_start, a.term_end),
                    fmt.money(a.price, p.currency),
                    address_text(a.billing_address) or _("the school"),
                    fmt.day(a.cancellation_deadline),
                    addon_status(a),
                ]
                for a in v.addons
            ]
        )
        self.addon_table.fit_rows(1, 6)


def address_text(address: BillingAddress) -> str:
    """An add-on's own billing address on one line; empty: the school's own."""
    place = " ".join(p for p in (address.postcode, address.city) if p)
    return ", ".join(p for p in (address.name, address.street, place, address.country) if p)


def cancellable(a: browse_licences.AddonInfo) -> bool:
    return a.status == "active" and a.ends_on is None


def addon_status(a: browse_licences.AddonInfo) -> str:
    if a.status == "refunded" and a.refunded_on:
        return _("refunded on {day}").format(day=fmt.day(a.refunded_on))
    if a.ends_on:
        return _("cancelled, ends on {day}").format(day=fmt.day(a.ends_on))
    return _(_ADDON_STATUS.get(a.status, a.status))


class PackageStart(QGroupBox):
    """For a school on no licence model yet: what a package is, and its one action."""

    def __init__(self) -> None:
        super().__init__(_("User package"))
        layout = QVBoxLayout(self)
        text = plain_label(
            _(
                "A package of a number of users (pupils and teachers) for a licence year of "
                "365 days from its activation; three months' notice."
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.activate_button = QPushButton(_("Activate\u2026"))
        layout.addWidget(flow_of(self.activate_button))
        layout.addStretch(1)


class PupilSection(QGroupBox):
    """The per-pupil subscription; before it starts, only its agreements and trial (F2, F4)."""

    def __init__(self) -> None:
        super().__init__(_("Per-pupil subscription"))
        layout = QVBoxLayout(self)
        facts = Facts()
        self.agreements = facts.add(_("Terms and DPA"), wide=True)
        self.trial = facts.add(_("Trial"), wide=True)
        self.pupil_plan = facts.add(_("Plan"))
        self.pupil_term = facts.add(_("Term"))
        self.pre_investment = facts.add(_("Pre-investment"))
        self.pupil_counts = facts.add(_("Latest count"))
        self.settlement = facts.add(_("Settlement"), wide=True)
        layout.addWidget(facts)
        self.agreements_button = QPushButton(_("Terms and DPA\u2026"))
        self.trial_button = QPushButton(_("Start trial\u2026"))
        self.start_button = QPushButton(_("Start paid year\u2026"))
        self.pupil_count_button = QPushButton(_("Count pupils\u2026"))
        self.pupil_upgrade_button = QPushButton(_("Upgrade\u2026"))
        self.notice_button = QPushButton(_("Downgrade or cancel\u2026"))
        layout.addWidget(
            flow_of(
                self.agreements_button,
                self.trial_button,
                self.start_button,
                self.pupil_count_button,
                self.pupil_upgrade_button,
                self.notice_button,
            )
        )
        layout.addStretch(1)

    def fill(self, v: LicencesView) -> None:
        parts = [
            _("terms accepted on {day}").format(day=fmt.day(v.terms_accepted_on))
            if v.terms_accepted_on
            else _("terms not accepted"),
            _("DPA {reference} of {day}").format(
                reference=v.dpa_reference, day=fmt.day(v.dpa_signed_on)
            )
            if v.dpa_reference and v.dpa_signed_on
            else _("no DPA on file"),
        ]
        self.agreements.setText("; ".join(parts))
        if v.trial is None:
            self.trial.setText(_("none yet (one free trial per school)"))
        else:
            text = span(v.trial.start, v.trial.end)
            if v.trial_ended_on:
                text += f" {DASH} " + _("ended on {day}").format(day=fmt.day(v.trial_ended_on))
            self.trial.setText(text)
        s = v.pupils
        # Only what applies now is offered: the trial and the start before, the rest after.
        self.trial_button.setVisible(v.trial is None and s is None)
        self.start_button.setVisible(s is None)
        for button in (self.pupil_count_button, self.pupil_upgrade_button, self.notice_button):
            button.setVisible(s is not None)
        for value in (self.pupil_plan, self.pupil_term, self.pre_investment, self.pupil_counts):
            show_fact(value, s is not None)
        show_fact(self.settlement, s is not None)
        if s is None:
            return
        self.notice_button.setEnabled(s.ends_on is None)
        self.notice_button.setToolTip(_("The subscription is cancelled.") if s.ends_on else "")
        plan = f"{s.plan} ({s.variant})"
        if s.renew_plan:
            plan += "; " + _("from the renewal: {plan}").format(plan=s.renew_plan.split("@")[0])
        self.pupil_plan.setText(plan)
        term = span(s.term_start, s.term_end)
        term += "; " + (
            _("ends on {day} (cancelled)").format(day=fmt.day(s.ends_on))
            if s.ends_on
            else _("notice by {day}").format(day=fmt.day(s.notice_deadline))
        )
        self.pupil_term.setText(term)
        self.pre_investment.setText(
            ", ".join(
                ngettext("{part}: {n} pupil", "{part}: {n} pupils", x.pupils).format(
                    part=x.part, n=fmt.quantity(x.pupils)
                )
                for x in s.pre_investment
            )
            + f" {DASH} "
            + fmt.money(s.pre_investment_total, s.currency)
        )
        self.pupil_counts.setText(
            _("{month}: {counts}").format(
                month=s.latest_month.strftime("%m.%Y"),
                counts=", ".join(f"{k} = {fmt.quantity(n)}" for k, n in s.latest_counts.items()),
            )
            if s.latest_month
            else _("no monthly count yet")
        )
        self.settlement.setText(
            _("due on {day} (credit, use, next pre-investment)").format(
                day=fmt.day(s.settlement_due)
            )
            if s.settlement_due
            else _("none: the subscription ends with its year (F7)")
        )
