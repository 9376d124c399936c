"""The school detail's "Packages and pupils" tab: the user package with its size, licence year,
user counts and renewal (M1-M11), its subject add-ons (M10), and the per-pupil subscription with
agreements, trial, pre-investment and settlement (F1-F11); the actions open the dialogs of
``ui.dialogs.package_dialogs`` and ``ui.dialogs.pupil_dialogs``. Read when the tab is shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services import browse_licences
from lehrer_licenses.services.browse_licences import LicencesView
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import (
    ReadOnlyTable,
    button_bar,
    error_colour,
    field_label,
    plain_label,
)

DASH = "\u2013"
_ADDON_STATUS = {"active": N_("running"), "lapsed": N_("lapsed"), "refunded": N_("refunded")}


def _span(start: date, end: date) -> str:
    return f"{fmt.day(start)} {DASH} {fmt.day(end)}"


class SchoolLicencesTab(QWidget):
    changed = Signal()  # something was written: invoices, codes and history changed too

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.number: str | None = None
        self.view: LicencesView | None = None
        self._stale = True
        self.today = date.today  # tests and screenshots fix the day the dialogs start on

        content = QWidget()
        layout = QVBoxLayout(content)
        row = QHBoxLayout()
        layout.addLayout(row)

        self.package_box = QGroupBox(_("User package"))
        package = QVBoxLayout(self.package_box)
        form = QFormLayout()
        self.package = self._value(form, _("Package"))
        self.licence_year = self._value(form, _("Licence year"))
        self.package_deadline = self._value(form, _("Notice deadline"))
        self.users = self._value(form, _("Users"))
        self.package_renewal = self._value(form, _("Renewal"))
        package.addLayout(form)
        self.activate_button = QPushButton(_("Activate\u2026"))
        self.count_button = QPushButton(_("Count users\u2026"))
        self.upgrade_button = QPushButton(_("Upgrade\u2026"))
        self.resize_button = QPushButton(_("Size at renewal\u2026"))
        self.addon_button = QPushButton(_("Add subject\u2026"))
        self.full_button = QPushButton(_("Full package\u2026"))
        package.addWidget(button_bar(self.activate_button, self.count_button, self.upgrade_button))
        package.addWidget(button_bar(self.resize_button, self.addon_button, self.full_button))
        package.addStretch(1)
        row.addWidget(self.package_box, 1)

        self.pupil_box = QGroupBox(_("Per-pupil subscription"))
        pupils = QVBoxLayout(self.pupil_box)
        form = QFormLayout()
        self.agreements = self._value(form, _("Terms and DPA"))
        self.trial = self._value(form, _("Trial"))
        self.pupil_plan = self._value(form, _("Plan"))
        self.pupil_term = self._value(form, _("Term"))
        self.pre_investment = self._value(form, _("Pre-investment"))
        self.pupil_counts = self._value(form, _("Latest count"))
        self.settlement = self._value(form, _("Settlement"))
        pupils.addLayout(form)
        self.agreements_button = QPushButton(_("Terms and DPA\u2026"))
        self.trial_button = QPushButton(_("Start trial\u2026"))
        self.start_button = QPushButton(_("Start paid year\u2026"))
        self.pupil_count_button = QPushButton(_("Count pupils\u2026"))
        self.pupil_upgrade_button = QPushButton(_("Upgrade\u2026"))
        self.notice_button = QPushButton(_("Downgrade or cancel\u2026"))
        pupils.addWidget(button_bar(self.agreements_button, self.trial_button, self.start_button))
        pupils.addWidget(
            button_bar(self.pupil_count_button, self.pupil_upgrade_button, self.notice_button)
        )
        pupils.addStretch(1)
        row.addWidget(self.pupil_box, 1)

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
        self.addon_title = plain_label()
        layout.addWidget(self.addon_title)
        layout.addWidget(self.addon_table, 1)
        self.error = plain_label()
        self.error.setStyleSheet(f"color: {error_colour()};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        from lehrer_licenses.ui.dialogs import package_dialogs as pd
        from lehrer_licenses.ui.dialogs import pupil_dialogs as pp

        self.activate_button.clicked.connect(
            lambda: self._open(lambda on: pd.ActivatePackageDialog(self._db, self.number, on, self))
        )
        self.count_button.clicked.connect(
            lambda: self._open(lambda on: pd.UserCountDialog(self._db, self.number, on, self))
        )
        self.upgrade_button.clicked.connect(
            lambda: self._open(
                lambda on: pd.UpgradeDialog(
                    self._db,
                    self.number,
                    self.view.package.capacity,
                    self.view.package.plan,
                    on,
                    self,
                )
            )
        )
        self.resize_button.clicked.connect(
            lambda: self._open(
                lambda on: pd.ResizeAtRenewalDialog(
                    self._db, self.number, self.view.package, on, self
                )
            )
        )
        self.addon_button.clicked.connect(
            lambda: self._open(lambda on: pd.AddonDialog(self._db, self.number, on, self))
        )
        self.full_button.clicked.connect(
            lambda: self._open(lambda on: pd.FullPackageDialog(self._db, self.number, on, self))
        )
        self.agreements_button.clicked.connect(
            lambda: self._open(
                lambda on: pp.AgreementsDialog(self._db, self.number, self.view, on, self)
            )
        )
        self.trial_button.clicked.connect(
            lambda: self._open(lambda on: pp.TrialDialog(self._db, self.number, on, self))
        )
        self.start_button.clicked.connect(
            lambda: self._open(lambda on: pp.StartPupilsDialog(self._db, self.number, on, self))
        )
        self.pupil_count_button.clicked.connect(
            lambda: self._open(
                lambda on: pp.PupilCountDialog(self._db, self.number, self.view.pupils, on, self)
            )
        )
        self.pupil_upgrade_button.clicked.connect(
            lambda: self._open(
                lambda on: pp.UpgradePupilsDialog(self._db, self.number, self.view.pupils, on, self)
            )
        )
        self.notice_button.clicked.connect(
            lambda: self._open(
                lambda on: pp.PupilNoticeDialog(self._db, self.number, self.view.pupils, on, self)
            )
        )

    @staticmethod
    def _value(form: QFormLayout, label: str) -> QLabel:
        value = plain_label()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(field_label(label), value)
        return value

    # --- reading ---------------------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self._db = db
        self.show_school(None)

    def show_school(self, number: str | None) -> None:
        """Remember the school; read it now if the tab is on screen, else when it is shown."""
        self.number = number
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        self._stale = False
        if self.number is None:
            self.view = None
            return
        try:
            self.view = browse_licences.licences_of(self._db, self.number, self.today())
        except Exception as exc:  # a school deleted meanwhile: say so in place of the figures
            self.view = None
            self.error.setText(message_of(exc))
            self.error.show()
            return
        self.error.hide()
        self._fill(self.view)

    def _fill(self, v: LicencesView) -> None:
        p = v.package
        has = p is not None
        self.activate_button.setEnabled(not has)
        for button in (self.count_button, self.upgrade_button, self.resize_button):
            button.setEnabled(has)
        self.addon_button.setEnabled(has and not p.full_package)
        self.full_button.setEnabled(has and not p.full_package)
        if p is None:
            self.package.setText(_("No user package"))
            for label in (self.licence_year, self.package_deadline, self.users):
                label.setText(DASH)
            self.package_renewal.setText(DASH)
            self.users.setStyleSheet("")
        else:
            kind = _("full package") if p.full_package else _("package")
            self.package.setText(
                _("{plan}: {kind} of {n} users").format(
                    plan=p.plan, kind=kind, n=fmt.quantity(p.capacity)
                )
            )
            self.licence_year.setText(_span(p.term_start, p.term_end))
            self.package_deadline.setText(
                _("ends on {day} (cancelled)").format(day=fmt.day(p.ends_on))
                if p.ends_on
                else _("{day} for the end of this year").format(
                    day=fmt.day(p.cancellation_deadline)
                )
            )
            if p.users is None:
                self.users.setText(_("not counted yet"))
                self.users.setStyleSheet("")
            else:
                text = _("{users} on {day}").format(
                    users=fmt.quantity(p.users), day=fmt.day(p.counted_on)
                )
                if p.over_capacity:
                    text += " \u2013 " + _("over capacity by {n}").format(
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
                DASH
                if p.ends_on
                else _("{day}: {n} users, {price}").format(
                    day=fmt.day(date.fromordinal(p.term_end.toordinal() + 1)),
                    n=fmt.quantity(size),
                    price=price,
                )
            )
        self.addon_title.setText(_("Subject add-ons ({n})").format(n=len(v.addons)))
        self.addon_table.set_rows(
            [
                [
                    a.subject,
                    fmt.day(a.started_on),
                    _span(a.term_start, a.term_end),
                    fmt.money(a.price, p.currency if p else None),
                    a.billing_address or _("the school"),
                    fmt.day(a.cancellation_deadline),
                    self._addon_status(a),
                ]
                for a in v.addons
            ]
        )
        self._fill_pupils(v)

    @staticmethod
    def _addon_status(a: browse_licences.AddonInfo) -> str:
        status = _(_ADDON_STATUS.get(a.status, a.status))
        if a.status == "refunded" and a.refunded_on:
            return _("refunded on {day}").format(day=fmt.day(a.refunded_on))
        if a.ends_on:
            return _("cancelled, ends on {day}").format(day=fmt.day(a.ends_on))
        return status

    def _fill_pupils(self, v: LicencesView) -> None:
        parts = []
        parts.append(
            _("terms accepted on {day}").format(day=fmt.day(v.terms_accepted_on))
            if v.terms_accepted_on
            else _("terms not accepted")
        )
        parts.append(
            _("DPA {reference} of {day}").format(
                reference=v.dpa_reference, day=fmt.day(v.dpa_signed_on)
            )
            if v.dpa_reference and v.dpa_signed_on
            else _("no DPA on file")
        )
        self.agreements.setText("; ".join(parts))
        if v.trial is None:
            self.trial.setText(_("none yet (one free trial per school)"))
        else:
            text = _span(v.trial.start, v.trial.end)
            if v.trial_ended_on:
                text += " \u2013 " + _("ended on {day}").format(day=fmt.day(v.trial_ended_on))
            self.trial.setText(text)
        s = v.pupils
        self.trial_button.setEnabled(v.trial is None and s is None)
        self.start_button.setEnabled(s is None)
        for button in (self.pupil_count_button, self.pupil_upgrade_button, self.notice_button):
            button.setEnabled(s is not None)
        if s is None:
            self.pupil_plan.setText(_("No per-pupil subscription"))
            for label in (self.pupil_term, self.pre_investment, self.pupil_counts):
                label.setText(DASH)
            self.settlement.setText(DASH)
            return
        plan = f"{s.plan} ({s.variant})"
        if s.renew_plan:
            plan += "; " + _("from the renewal: {plan}").format(plan=s.renew_plan.split("@")[0])
        self.pupil_plan.setText(plan)
        term = _span(s.term_start, s.term_end)
        term += "; " + (
            _("ends on {day} (cancelled)").format(day=fmt.day(s.ends_on))
            if s.ends_on
            else _("notice by {day}").format(day=fmt.day(s.notice_deadline))
        )
        self.pupil_term.setText(term)
        self.pre_investment.setText(
            ", ".join(
                _("{part}: {n} pupils").format(part=x.part, n=fmt.quantity(x.pupils))
                for x in s.pre_investment
            )
            + " \u2013 "
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

    # --- actions ---------------------------------------------------------------------------

    def _open(self, make) -> QDialog | None:
        if self.number is None or self.view is None:
            return None
        dialog = make(self.today())
        self.last_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.load()
            self.changed.emit()
        return dialog
