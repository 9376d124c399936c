"""Dialogs of a per-pupil subscription (F1-F11): terms and DPA (F4), the free trial (F2, says
what is missing), the paid year with its pre-investment (F5), monthly pupil counts, the upgrade
with its settlement (F10), and a downgrade or cancellation within notice (F11)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse import licences as browse_licences
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.pupils import agreements as pupil_agreements
from lehrer_licenses.services.licences.pupils import counts as pupil_counts
from lehrer_licenses.services.licences.pupils import notice as pupil_notice
from lehrer_licenses.services.licences.pupils import paid_year
from lehrer_licenses.services.licences.pupils import upgrade as pupil_upgrade
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.licence_dialog import LicenceDialog, Preview, date_edit
from lehrer_licenses.ui.handles import Database

MAX_PUPILS = 100_000


def _part_title(part: str) -> str:
    return {
        "1-2": _("Pupils in grades 1-2"),
        "3-8": _("Pupils in grades 3-8"),
        "1-8": _("Pupils in grades 1-8"),
    }.get(part, part)


class _PartCounts:
    """One spin box per part (grade range); only the parts of the chosen plan are shown."""

    def __init__(self, dialog: LicenceDialog) -> None:
        self.boxes: dict[str, QSpinBox] = {}
        for part in ("1-2", "3-8", "1-8"):
            box = QSpinBox()
            box.setRange(0, MAX_PUPILS)
            dialog.add_row(_part_title(part), box)
            dialog.watch(box.valueChanged)
            self.boxes[part] = box
        self._form = dialog.form

    def show_parts(self, parts) -> None:
        for part, box in self.boxes.items():
            self._form.setRowVisible(box, part in parts)

    def counts(self, parts) -> dict[str, int]:
        return {part: self.boxes[part].value() for part in parts}


class AgreementsDialog(LicenceDialog):
    """F4: the general terms accepted and the data-processing agreement on file."""

    def __init__(
        self,
        db: Database,
        school: str,
        view: browse_licences.LicencesView,
        on: date,
        parent: QWidget | None = None,
    ):
        super().__init__(db, school, _("Terms and data-processing agreement"), _("Save"), parent)
        self.terms = self.add_row(_("Terms accepted"), QCheckBox(_("on")))
        self.terms_date = self.add_row("", date_edit(view.terms_accepted_on or on))
        self.terms.setChecked(view.terms_accepted_on is not None)
        self.dpa_reference = self.add_row(_("DPA reference"), QLineEdit(view.dpa_reference or ""))
        self.dpa_date = self.add_row(_("DPA signed on"), date_edit(view.dpa_signed_on or on))
        self.watch(
            self.terms.toggled,
            self.terms_date.dateChanged,
            self.dpa_reference.textChanged,
            self.dpa_date.dateChanged,
        )
        self.refresh_preview()

    def quote(self) -> Preview:
        if not self.terms.isChecked() and not self.dpa_reference.text().strip():
            raise InvalidInput(_("Give the date the terms were accepted, or the DPA's reference"))
        return Preview(_("Nothing is billed; a trial needs both (F4)."))

    def job(self):
        db, school = self._db, self.school
        terms = fmt.from_qdate(self.terms_date.date()) if self.terms.isChecked() else None
        reference = self.dpa_reference.text().strip() or None
        signed = fmt.from_qdate(self.dpa_date.date()) if reference else None
        return lambda: pupil_agreements.record_agreements(
            db, school, terms_accepted_on=terms, dpa_reference=reference, dpa_signed_on=signed
        )


class TrialDialog(LicenceDialog):
    """F2: one free trial of "1-8 full" per school, at most 6 months; F4: refused without terms
    and a DPA, and the dialog says what is missing before anything is tried."""

    def __init__(self, db: Database, school: str, on: date, parent: QWidget | None = None):
        super().__init__(db, school, _("Start the free trial"), _("Start trial"), parent)
        self.date = self.add_row(_("Trial from"), date_edit(on))
        self.shorter = self.add_row(_("Ends early"), QCheckBox(_("on")))
        self.until = self.add_row("", date_edit(on))
        self.watch(self.date.dateChanged, self.shorter.toggled, self.until.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        on = fmt.from_qdate(self.date.date())
        self.until.setEnabled(self.shorter.isChecked())
        missing = browse_licences.trial_missing(self._db, self.school, on)
        if missing:
            raise InvalidInput(
                _("The trial cannot start: {reasons}.").format(reasons="; ".join(missing))
            )
        return Preview(
            _("Free trial of Focus PO 1-8 (full) from {day}, at most 6 months; nothing is billed.")
            .format(day=fmt.day(on))
        )  # fmt: skip

    def job(self):
        db, school, on = self._db, self.school, fmt.from_qdate(self.date.date())
        until = fmt.from_qdate(self.until.date()) if self.shorter.isChecked() else None
        return lambda: pupil_agreements.start_trial(db, school, on, until)


class _PlanCountsDialog(LicenceDialog):
    """A plan, a day and pupils per part, priced by a per-pupil use case with ``quote=True``
    (its invoice shown) and run without it on commit."""

    invoice_label = ""

    def __init__(
        self,
        db: Database,
        school: str,
        titles: tuple[str, str, str, str],
        plans: list[browse_licences.PlanChoice],
        on: date,
        parent: QWidget | None,
    ):
        title, button, plan_label, date_label = titles
        super().__init__(db, school, title, button, parent)
        self.plans = {p.code: p for p in plans}
        self.plan = self.add_row(plan_label, QComboBox())
        for p in self.plans.values():
            self.plan.addItem(f"{p.code} \u2013 {p.name}", p.code)
        self.date = self.add_row(date_label, date_edit(on))
        self.counts = _PartCounts(self)
        self.watch(self.plan.currentIndexChanged, self.date.dateChanged)
        self.refresh_preview()

    def parts(self) -> tuple[str, ...]:
        return self.plans[self.plan.currentData()].parts

    def set_plan(self, code: str) -> None:
        self.plan.setCurrentIndex(self.plan.findData(code))

    def use_case(self, *args, **kwargs):
        raise NotImplementedError

    def term_text(self, q) -> str:
        raise NotImplementedError

    def quote(self) -> Preview:
        self.counts.show_parts(self.parts())
        q = self.use_case(
            self._db,
            self.school,
            self.plan.currentData(),
            fmt.from_qdate(self.date.date()),
            self.counts.counts(self.parts()),
            quote=True,
        )
        return Preview(self.term_text(q), [(_(self.invoice_label), q.invoice)], q.notices)

    def job(self):
        db, school, plan = self._db, self.school, self.plan.currentData()
        on, counts = fmt.from_qdate(self.date.date()), self.counts.counts(self.parts())
        run = self.use_case
        return lambda: run(db, school, plan, on, counts)


class StartPupilsDialog(_PlanCountsDialog):
    """F5: the paid year from a day; the pre-investment = pupils counted x yearly price."""

    invoice_label = N_("Pre-investment invoice (F5)")

    def __init__(self, db: Database, school: str, on: date, parent: QWidget | None = None):
        titles = (_("Start the paid year"), _("Start"), _("Plan"), _("Paid year from"))
        super().__init__(db, school, titles, browse_licences.pupil_plans(db), on, parent)

    def use_case(self, *args, **kwargs):
        return paid_year.start_paid_year(*args, **kwargs)

    def term_text(self, q) -> str:
        return _("Subscription year {start} \u2013 {end}, plan {variant}.").format(
            start=fmt.day(q.term_start), end=fmt.day(q.term_end), variant=q.variant
        )


class PupilCountDialog(LicenceDialog):
    """A month's pupils with data processed in the last 9 months, per part (F5)."""

    def __init__(
        self,
        db: Database,
        school: str,
        info: browse_licences.PupilInfo,
        on: date,
        parent: QWidget | None = None,
    ):
        super().__init__(db, school, _("Record the pupils of a month"), _("Record"), parent)
        self.info = info
        self.month = self.add_row(_("Month"), date_edit(on, month_only=True))
        self.counts = _PartCounts(self)
        self.counts.show_parts(info.parts)
        self.watch(self.month.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        month = fmt.from_qdate(self.month.date()).replace(day=1)
        rows = browse_licences.monthly_use(
            self._db, self.school, self.counts.counts(self.info.parts), month
        )
        cur = self.info.currency
        text = "\n".join(
            _("{part}: {n} pupils x {unit} = {amount}").format(
                part=part, n=n, unit=fmt.money(unit, cur), amount=fmt.money(amount, cur)
            )
            for part, n, unit, amount in rows
        )
        return Preview(
            _("Use of {month}, settled at the renewal (F6):").format(month=month.strftime("%m.%Y"))
            + "\n"
            + text
        )

    def job(self):
        db, school = self._db, self.school
        month = fmt.from_qdate(self.month.date()).replace(day=1)
        counts = self.counts.counts(self.info.parts)
        return lambda: pupil_counts.record_pupil_counts(db, school, month, counts)


class UpgradePupilsDialog(_PlanCountsDialog):
    """F10: a larger plan during the year restarts the year; one invoice settles the old
    subscription against the new pre-investment."""

    invoice_label = N_("Settlement invoice (F10)")

    def __init__(
        self,
        db: Database,
        school: str,
        info: browse_licences.PupilInfo,
        on: date,
        parent: QWidget | None = None,
    ):
        titles = (_("Upgrade the per-pupil plan"), _("Upgrade"), _("New plan"), _("Upgrade on"))
        plans = [p for p in browse_licences.pupil_plans(db) if p.code != info.plan]
        super().__init__(db, school, titles, plans, on, parent)

    def use_case(self, *args, **kwargs):
        return pupil_upgrade.upgrade_pupils(*args, **kwargs)

    def term_text(self, q) -> str:
        return _("A new subscription year {start} \u2013 {end} starts, plan {variant}.").format(
            start=fmt.day(q.term_start), end=fmt.day(q.term_end), variant=q.variant
        )


class PupilNoticeDialog(LicenceDialog):
    """F11: a downgrade (to a smaller plan from the renewal) or a cancellation, with notice."""

    def __init__(
        self,
        db: Database,
        school: str,
        info: browse_licences.PupilInfo,
        on: date,
        parent: QWidget | None = None,
    ):
        super().__init__(db, school, _("Downgrade or cancel"), _("Save"), parent)
        self.info = info
        self.cancel = self.add_row(_("What"), QRadioButton(_("Cancel the subscription")))
        self.downgrade = self.add_row("", QRadioButton(_("Change to a smaller plan:")))
        self.cancel.setChecked(True)
        self.plan = self.add_row(_("Plan"), QComboBox())
        for p in browse_licences.pupil_plans(db):
            if p.code != info.plan:
                self.plan.addItem(f"{p.code} \u2013 {p.name}", p.code)
        self.date = self.add_row(_("Received on"), date_edit(on))
        self.watch(self.cancel.toggled, self.plan.currentIndexChanged, self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        self.plan.setEnabled(self.downgrade.isChecked())
        n = browse_licences.pupil_notice_preview(
            self._db, self.school, fmt.from_qdate(self.date.date())
        )
        if self.cancel.isChecked():
            text = (
                _("In time (deadline {deadline}): the subscription ends on {day}; no settlement.")
                if n.in_time
                else _("Too late (deadline {deadline}): the subscription ends on {day}.")
            )
            return Preview(text.format(deadline=fmt.day(n.deadline), day=fmt.day(n.effective)))
        text = (
            _("In time (deadline {deadline}): plan {plan} from the renewal after {day}.")
            if n.in_time
            else _("Too late (deadline {deadline}): plan {plan} only from the renewal after {day}.")
        )
        return Preview(
            text.format(
                deadline=fmt.day(n.deadline),
                plan=self.plan.currentData(),
                day=fmt.day(n.effective),
            )
        )

    def job(self):
        db, school, received = self._db, self.school, fmt.from_qdate(self.date.date())
        if self.cancel.isChecked():
            return lambda: pupil_notice.cancel_pupils(db, school, received)
        plan = self.plan.currentData()
        return lambda: pupil_notice.change_at_renewal(db, school, plan, received)
