"""Dialogs of a user package (M1-M11): activate, record a user count, upgrade mid-year with both
options side by side (M8), change the size at the renewal (M2), add a subject add-on with its own
billing address (M10) and move to the full package with the add-on refunds. Each shows what it
would write, priced by the services' quotes, before anything is written."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.browse import licences as browse_licences
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.packages import activation as package_activation
from lehrer_licenses.services.licences.packages import addons, full_package
from lehrer_licenses.services.licences.packages import counts as package_counts
from lehrer_licenses.services.licences.packages import notice as package_notice
from lehrer_licenses.services.licences.packages import upgrade as package_upgrade
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.dialogs.invoice_preview import InvoicePreview
from lehrer_licenses.ui.dialogs.licence_dialog import LicenceDialog, Preview, date_edit
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import plain_label

UPGRADE, RESTART = "upgrade", "restart"
MAX_USERS = 1_000_000


def _sizes(combo: QComboBox, sizes, current: int | None = None) -> None:
    combo.clear()
    for size in sizes:
        combo.addItem(ngettext("{n} user", "{n} users", size).format(n=fmt.quantity(size)), size)
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))


def _year(start: date, end: date) -> str:
    return f"{fmt.day(start)} \u2013 {fmt.day(end)}"


class ActivatePackageDialog(LicenceDialog):
    """A package of N users from a day: the licence year of 365 days starts (M1)."""

    def __init__(self, db: Database, school: str, on: date, parent: QWidget | None = None):
        super().__init__(db, school, _("Activate a user package"), _("Activate"), parent)
        plans = browse_licences.package_plan_sizes(db, on)
        self.plan_code = next(iter(plans), None)
        self.size = self.add_row(_("Package"), QComboBox())
        _sizes(self.size, plans.get(self.plan_code, ()))
        self.date = self.add_row(_("Activated on"), date_edit(on))
        self.watch(self.size.currentIndexChanged, self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        q = package_activation.quote_package(
            self._db, self.school, self.size.currentData() or 0, fmt.from_qdate(self.date.date())
        )
        return Preview(
            _("Licence year {year}; cancellation by {deadline} for its end").format(
                year=_year(q.term_start, q.term_end),
                deadline=fmt.day(q.cancellation_deadline),
            ),
            [(_("Draft invoice this will create"), q.invoice)],
            q.notices,
        )

    def job(self):
        db, school, size = self._db, self.school, self.size.currentData()
        on = fmt.from_qdate(self.date.date())
        plan = self.plan_code
        return lambda: package_activation.order_package(db, school, size, on, plan)


class UserCountDialog(LicenceDialog):
    """Registered users on a day (M3); over capacity, both ways out are priced (M7, M8)."""

    def __init__(self, db: Database, school: str, on: date, parent: QWidget | None = None):
        super().__init__(db, school, _("Record a user count"), _("Record"), parent)
        self.users = self.add_row(_("Registered users"), QSpinBox())
        self.users.setRange(0, MAX_USERS)
        self.date = self.add_row(_("Counted on"), date_edit(on))
        hint = plain_label(
            _("Pupils and teachers together; duplicates once, accounts unused for a year not.")
        )
        hint.setWordWrap(True)
        self.form.addRow("", hint)
        self.watch(self.users.valueChanged, self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        on = fmt.from_qdate(self.date.date())
        check = browse_licences.capacity_preview(self._db, self.school, self.users.value(), on)
        if check.over <= 0:
            return Preview(
                _("{users} of {capacity} users: the package holds them.").format(
                    users=check.users, capacity=check.capacity
                )
            )
        text = _("{users} users, {over} more than the package of {capacity} allows (M3).").format(
            users=check.users, over=check.over, capacity=check.capacity
        )
        if check.suggested is None:
            return Preview(text, notices=[_("No larger package exists: remove accounts (M4).")])
        choices = browse_licences.upgrade_choices(self._db, self.school, check.suggested, on)
        by = {c.option: c for c in choices}
        notice = _(
            "Remove accounts (unused ones and leavers, M4), or upgrade to {n} users: "
            "{upgrade} with the year running on, or {restart} for a new licence year."
        ).format(
            n=check.suggested,
            upgrade=fmt.money(by[UPGRADE].amount, by[UPGRADE].invoice.currency),
            restart=fmt.money(by[RESTART].amount, by[RESTART].invoice.currency),
        )
        return Preview(text, notices=[notice])

    def job(self):
        db, school, users = self._db, self.school, self.users.value()
        on = fmt.from_qdate(self.date.date())
        return lambda: package_counts.record_user_count(db, school, on, users=users)


class UpgradeDialog(LicenceDialog):
    """M8: the two ways to a larger package, each with its price and invoice; the user picks."""

    def __init__(
        self,
        db: Database,
        school: str,
        capacity: int,
        plan: str,
        on: date,
        parent: QWidget | None = None,
    ):
        super().__init__(db, school, _("Upgrade the package"), _("Upgrade"), parent)
        self.capacity = capacity
        self.size = self.add_row(_("New package"), QComboBox())
        sizes = browse_licences.package_plan_sizes(db, on).get(plan, ())
        _sizes(self.size, [s for s in sizes if s > capacity])
        self.date = self.add_row(_("Upgrade on"), date_edit(on))
        self.choices: dict[str, browse_licences.UpgradeChoice] = {}
        self.group = QButtonGroup(self)
        self.option_buttons: dict[str, QRadioButton] = {}
        self.option_previews: dict[str, InvoicePreview] = {}
        self.option_boxes = QWidget()
        grid = QGridLayout(self.option_boxes)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, option in enumerate((UPGRADE, RESTART)):
            box = QGroupBox()
            inner = QVBoxLayout(box)
            button = QRadioButton()
            button.setStyleSheet("QRadioButton { font-weight: bold; }")
            self.group.addButton(button)
            explain = plain_label()
            explain.setWordWrap(True)
            invoice = InvoicePreview()
            inner.addWidget(button)
            inner.addWidget(explain)
            inner.addWidget(invoice)
            grid.addWidget(box, 0, column)
            self.option_buttons[option] = button
            self.option_previews[option] = invoice
            setattr(self, f"_{option}_explain", explain)
        self.option_buttons[UPGRADE].setChecked(True)
        self.layout().insertWidget(3, self.option_boxes)
        self.setMinimumWidth(1100)
        self.watch(self.size.currentIndexChanged, self.date.dateChanged)
        if self.size.count() == 0:
            self.error.show_message(_("No larger package exists."))
        self.refresh_preview()

    @property
    def chosen(self) -> str:
        return UPGRADE if self.option_buttons[UPGRADE].isChecked() else RESTART

    def choose(self, option: str) -> None:
        self.option_buttons[option].setChecked(True)

    def quote(self) -> Preview:
        if self.size.currentData() is None:
            raise InvalidInput(_("No larger package exists."))
        on = fmt.from_qdate(self.date.date())
        new = self.size.currentData()
        choices = browse_licences.upgrade_choices(self._db, self.school, new, on)
        self.choices = {c.option: c for c in choices}
        up, restart = self.choices[UPGRADE], self.choices[RESTART]
        cur = up.invoice.currency
        self.option_buttons[UPGRADE].setText(
            _("Upgrade now: {amount}").format(amount=fmt.money(up.amount, cur))
        )
        self._upgrade_explain.setText(
            _(
                "A one-time fee plus the difference of the annual prices; the licence year runs "
                "on until {end}."
            ).format(end=fmt.day(up.term_end))
        )
        self.option_buttons[RESTART].setText(
            _("New licence year: {amount}").format(amount=fmt.money(restart.amount, cur))
        )
        self._restart_explain.setText(
            _(
                "The rest of the running year is given up; a new licence year {year} starts at "
                "the price of the {n}-user package."
            ).format(year=_year(restart.term_start, restart.term_end), n=fmt.quantity(new))
        )
        self.option_previews[UPGRADE].show_invoice(up.invoice)
        self.option_previews[RESTART].show_invoice(restart.invoice)
        return Preview(
            _("From {old} to {new} users on {day}: choose one of the two ways (M8).").format(
                old=fmt.quantity(self.capacity), new=fmt.quantity(new), day=fmt.day(on)
            )
        )

    def _show(self, preview: Preview, error: str) -> None:
        super()._show(preview, error)
        self.option_boxes.setVisible(not error)

    def job(self):
        db, school, size, option = self._db, self.school, self.size.currentData(), self.chosen
        on = fmt.from_qdate(self.date.date())
        return lambda: package_upgrade.upgrade_package(db, school, size, on, option)


class ResizeAtRenewalDialog(LicenceDialog):
    """M2: the package size for the next licence year; smaller only by the notice deadline."""

    def __init__(
        self,
        db: Database,
        school: str,
        info: browse_licences.PackageInfo,
        on: date,
        parent: QWidget | None = None,
    ):
        super().__init__(db, school, _("Package size at the renewal"), _("Save"), parent)
        self.info = info
        self.renewal = date.fromordinal(info.term_end.toordinal() + 1)
        self.size = self.add_row(_("From the renewal on"), QComboBox())
        sizes = browse_licences.package_plan_sizes(db, self.renewal).get(info.plan, ())
        _sizes(self.size, sizes, info.renew_capacity or info.capacity)
        self.date = self.add_row(_("Received on"), date_edit(on))
        self.watch(self.size.currentIndexChanged, self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        size = self.size.currentData()
        received = fmt.from_qdate(self.date.date())
        if size < self.info.capacity and received > self.info.cancellation_deadline:
            raise InvalidInput(
                _(
                    "A smaller package for the renewal on {renewal} had to arrive by {deadline}; "
                    "ask again for the renewal after it"
                ).format(
                    renewal=fmt.day(self.renewal),
                    deadline=fmt.day(self.info.cancellation_deadline),
                )
            )
        price = browse_licences.package_year_price(self._db, self.info.plan, size, self.renewal)
        return Preview(
            _("From the renewal on {day}: {n} users for {price} a year (excl. VAT).").format(
                day=fmt.day(self.renewal), n=size, price=fmt.money(price, self.info.currency)
            )
        )

    def job(self):
        db, school, size = self._db, self.school, self.size.currentData()
        on = fmt.from_qdate(self.date.date())
        return lambda: package_notice.change_at_renewal(db, school, size, on)


class AddonDialog(LicenceDialog):
    """M10: a subject add-on from a day, a year of its own, its own invoice and billing address."""

    def __init__(self, db: Database, school: str, on: date, parent: QWidget | None = None):
        super().__init__(db, school, _("Add a subject add-on"), _("Order"), parent)
        self.subject = self.add_row(_("Subject"), QLineEdit())
        self.date = self.add_row(_("Starts on"), date_edit(on))
        box = QGroupBox(_("Billing address of the add-on (empty: the school's)"))
        address = QGridLayout(box)
        self.billing_name = QLineEdit()
        self.billing_street = QLineEdit()
        self.billing_postcode = QLineEdit()
        self.billing_city = QLineEdit()
        self.billing_country = QComboBox()
        self.billing_country.addItem("", "")
        for code in labels.COUNTRY_NAMES:
            self.billing_country.addItem(labels.country(code), code)
        for row, (text, widget) in enumerate(
            (
                (_("Name"), self.billing_name),
                (_("Street"), self.billing_street),
                (_("Postcode"), self.billing_postcode),
                (_("Town"), self.billing_city),
                (_("Country"), self.billing_country),
            )
        ):
            address.addWidget(plain_label(text), row, 0)
            address.addWidget(widget, row, 1)
        self.form.addRow(box)
        self.watch(
            self.subject.textChanged,
            self.date.dateChanged,
            self.billing_name.textChanged,
            self.billing_postcode.textChanged,
            self.billing_city.textChanged,
            self.billing_country.currentIndexChanged,
        )
        self.refresh_preview()

    def address(self) -> addons.BillingAddress:
        return addons.BillingAddress(
            self.billing_name.text().strip(),
            self.billing_street.text().strip(),
            self.billing_postcode.text().strip(),
            self.billing_city.text().strip(),
            self.billing_country.currentData() or "",
        )

    def quote(self) -> Preview:
        if not self.subject.text().strip():
            return Preview(_("Name the subject to see the price."), ready=False)
        addons.check_billing_address(self.address())
        q = addons.quote_addon(
            self._db, self.school, self.subject.text(), fmt.from_qdate(self.date.date())
        )
        return Preview(
            _("Add-on year {year}, priced by the package of {n} users (M3).").format(
                year=_year(q.term.start, q.term.end), n=q.capacity
            ),
            [(_("The add-on's own draft invoice"), q.invoice)],
        )

    def job(self):
        db, school, subject, address = self._db, self.school, self.subject.text(), self.address()
        on = fmt.from_qdate(self.date.date())
        return lambda: addons.order_addon(db, school, subject, on, address)


class FullPackageDialog(LicenceDialog):
    """M10: move to the full package; every running add-on is refunded pro rata."""

    def __init__(self, db: Database, school: str, on: date, parent: QWidget | None = None):
        super().__init__(db, school, _("Move to the full package"), _("Move"), parent)
        self.date = self.add_row(_("Move on"), date_edit(on))
        self.watch(self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        q = full_package.move_to_full_package(
            self._db, self.school, fmt.from_qdate(self.date.date()), quote=True
        )
        invoices = [(_("Draft invoice for the rest of the licence year"), q.invoice)]
        invoices += [(_("Pro-rata refund of an add-on"), r) for r in q.refunds]
        summary = ngettext(
            "Every subject is included from then on; {n} add-on refunded pro rata.",
            "Every subject is included from then on; {n} add-ons refunded pro rata.",
            len(q.refunds),
        ).format(n=len(q.refunds))
        return Preview(summary, invoices, q.notices)

    def job(self):
        db, school, on = self._db, self.school, fmt.from_qdate(self.date.date())
        return lambda: full_package.move_to_full_package(db, school, on)
