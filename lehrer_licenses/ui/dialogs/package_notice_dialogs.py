"""Cancelling a user package (M1: three months before the end of the licence year) and a subject
add-on (M10: its own year, its own notice). Each says before anything is written whether the
notice is in time and on which day the package or add-on ends; the services refuse the rest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QComboBox, QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.services.browse import licences as browse_licences
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.packages import addons
from lehrer_licenses.services.licences.packages import notice as package_notice
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.licence_dialog import LicenceDialog, Preview, date_edit


def _outcome(n: browse_licences.NoticePreview, in_time: str, late: str) -> Preview:
    text = in_time if n.in_time else late
    notices = (
        []
        if n.in_time
        else [
            _(
                "Received after the deadline of {deadline}: it renews once more before it ends."
            ).format(deadline=fmt.day(n.deadline))
        ]
    )
    return Preview(
        text.format(deadline=fmt.day(n.deadline), day=fmt.day(n.effective)), notices=notices
    )


class CancelPackageDialog(LicenceDialog):
    """M1: the day the school's notice arrived decides when the package ends."""

    def __init__(self, db, school: str, on: date, parent: QWidget | None = None):
        super().__init__(
            db, school, _("Cancel the user package"), _("Record the cancellation"), parent
        )
        self.date = self.add_row(_("Received on"), date_edit(on))
        self.watch(self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        n = browse_licences.package_cancel_preview(
            self._db, self.school, fmt.from_qdate(self.date.date())
        )
        self.notice = n
        return _outcome(
            n,
            _("In time (deadline {deadline}): the package ends on {day}, with its licence year."),
            _("Too late (deadline {deadline}): the package ends only on {day}."),
        )

    def job(self):
        db, school, received = self._db, self.school, fmt.from_qdate(self.date.date())
        return lambda: package_notice.cancel_package(db, school, received)


class CancelAddonDialog(LicenceDialog):
    """M10: one running add-on, cancelled by its own notice deadline."""

    def __init__(
        self,
        db,
        school: str,
        addon_list: Sequence[browse_licences.AddonInfo],
        on: date,
        parent: QWidget | None = None,
        selected: int | None = None,
    ):
        super().__init__(
            db, school, _("Cancel a subject add-on"), _("Record the cancellation"), parent
        )
        self.addon = self.add_row(_("Add-on"), QComboBox())
        for a in addon_list:
            if a.status == "active" and a.ends_on is None:
                self.addon.addItem(
                    _("{subject} (year {start} \u2013 {end})").format(
                        subject=a.subject, start=fmt.day(a.term_start), end=fmt.day(a.term_end)
                    ),
                    a.id,
                )
        if selected is not None and self.addon.findData(selected) >= 0:
            self.addon.setCurrentIndex(self.addon.findData(selected))
        self.date = self.add_row(_("Received on"), date_edit(on))
        self.watch(self.addon.currentIndexChanged, self.date.dateChanged)
        self.refresh_preview()

    def quote(self) -> Preview:
        if self.addon.currentData() is None:
            raise InvalidInput(_("No running add-on to cancel."))
        n = browse_licences.addon_cancel_preview(
            self._db, self.school, self.addon.currentData(), fmt.from_qdate(self.date.date())
        )
        return _outcome(
            n,
            _("In time (deadline {deadline}): the add-on ends on {day}, with its own year."),
            _("Too late (deadline {deadline}): the add-on ends only on {day}."),
        )

    def job(self):
        db, school, addon = self._db, self.school, self.addon.currentData()
        received = fmt.from_qdate(self.date.date())
        return lambda: addons.cancel_addon(db, school, addon, received)
