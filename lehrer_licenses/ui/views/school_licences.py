"""The school detail's "Packages and pupils" tab: only the licence models the school uses -- the
user package with its add-ons (M1-M11), the per-pupil subscription (F1-F11), or both -- and for a
school on neither one start area with the two ways in (a package; per-pupil terms and trial).
The parts are in ``licence_sections``; the actions open the dialogs of ``ui.dialogs``. Read when
the tab is shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.i18n import _
from lehrer_licenses.services.browse import licences as browse_licences
from lehrer_licenses.services.browse.licences import LicencesView
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.views.licence_sections import PackageSection, PackageStart, PupilSection
from lehrer_licenses.ui.widgets import error_colour, plain_label


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
        self.package_section = PackageSection()
        self.package_start = PackageStart()
        self.pupil_section = PupilSection()
        layout.addWidget(self.package_section)
        row = QHBoxLayout()  # the start area: both ways in side by side
        row.addWidget(self.package_start, 1)
        row.addWidget(self.pupil_section, 1)
        layout.addLayout(row)
        # A school on one model can still start the other: a labelled menu, not a hidden one.
        # A push button, like Letters… in Renewals: Fusion draws a tool button's menu arrow over
        # the end of its text ("beginnen⌄"), a push button's beside it.
        self.other_model = QPushButton(_("Start another licence model"))
        menu = QMenu(self.other_model)
        self.other_activate = QAction(_("Activate a user package\u2026"), menu)
        self.other_agreements = QAction(_("Per-pupil terms and DPA\u2026"), menu)
        self.other_trial = QAction(_("Start a per-pupil trial\u2026"), menu)
        self.other_start = QAction(_("Start a paid per-pupil year\u2026"), menu)
        for action in (
            self.other_activate, self.other_agreements, self.other_trial, self.other_start
        ):  # fmt: skip
            menu.addAction(action)
        self.other_model.setMenu(menu)
        other = QHBoxLayout()
        other.addWidget(self.other_model)
        other.addStretch(1)
        layout.addLayout(other)
        layout.addStretch(1)
        self.error = plain_label()
        self.error.setStyleSheet(f"color: {error_colour()};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Everything wraps: never scroll sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._expose()
        self._connect()
        self._show_parts(None)

    def _expose(self) -> None:
        """The parts' labels and buttons as the tab's own (tests and screenshots reach them)."""
        for part in (self.package_section, self.package_start, self.pupil_section):
            for name, value in vars(part).items():
                if not name.startswith("_"):
                    setattr(self, name, value)
        self.package = self.package_section.package
        self.addon_table = self.package_section.addon_table

    def _connect(self) -> None:
        from lehrer_licenses.ui.dialogs import package_dialogs as pd
        from lehrer_licenses.ui.dialogs import package_notice_dialogs as nd
        from lehrer_licenses.ui.dialogs import pupil_dialogs as pp

        actions = {
            self.activate_button: lambda on: pd.ActivatePackageDialog(
                self._db, self.number, on, self
            ),
            self.count_button: lambda on: pd.UserCountDialog(self._db, self.number, on, self),
            self.upgrade_button: lambda on: pd.UpgradeDialog(
                self._db, self.number, self.view.package.capacity, self.view.package.plan, on, self
            ),
            self.resize_button: lambda on: pd.ResizeAtRenewalDialog(
                self._db, self.number, self.view.package, on, self
            ),
            self.full_button: lambda on: pd.FullPackageDialog(self._db, self.number, on, self),
            self.cancel_button: lambda on: nd.CancelPackageDialog(self._db, self.number, on, self),
            self.addon_button: lambda on: pd.AddonDialog(self._db, self.number, on, self),
            self.addon_cancel_button: lambda on: nd.CancelAddonDialog(
                self._db, self.number, self.view.addons, on, self, self._selected_addon()
            ),
            self.agreements_button: lambda on: pp.AgreementsDialog(
                self._db, self.number, self.view, on, self
            ),
            self.trial_button: lambda on: pp.TrialDialog(self._db, self.number, on, self),
            self.start_button: lambda on: pp.StartPupilsDialog(self._db, self.number, on, self),
            self.pupil_count_button: lambda on: pp.PupilCountDialog(
                self._db, self.number, self.view.pupils, on, self
            ),
            self.pupil_upgrade_button: lambda on: pp.UpgradePupilsDialog(
                self._db, self.number, self.view.pupils, on, self
            ),
            self.notice_button: lambda on: pp.PupilNoticeDialog(
                self._db, self.number, self.view.pupils, on, self
            ),
        }
        for button, make in actions.items():
            button.clicked.connect(lambda _checked=False, make=make: self._open(make))
        for action, button in (
            (self.other_activate, self.activate_button),
            (self.other_agreements, self.agreements_button),
            (self.other_trial, self.trial_button),
            (self.other_start, self.start_button),
        ):
            action.triggered.connect(lambda _checked=False, make=actions[button]: self._open(make))

    def _selected_addon(self) -> int | None:
        rows = self.addon_table.selectionModel().selectedRows()
        if not rows or self.view is None:
            return None
        return self.view.addons[rows[0].row()].id

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
            self._show_parts(None)
            return
        try:
            self.view = browse_licences.licences_of(self._db, self.number, self.today())
        except Exception as exc:  # a school deleted meanwhile: say so in place of the figures
            self.view = None
            self._show_parts(None)
            self.error.setText(message_of(exc))
            self.error.show()
            return
        self.error.hide()
        self._show_parts(self.view)
        if self.view.package is not None:
            self.package_section.fill(self.view)
        self.pupil_section.fill(self.view)

    def _show_parts(self, v: LicencesView | None) -> None:
        """Which parts a school sees: those of the models it uses; none used -> the start."""
        has_package = v is not None and v.package is not None
        # A trial or a paid year means the school is on the per-pupil road.
        has_pupils = v is not None and (v.pupils is not None or v.trial is not None)
        starting = v is not None and not has_package and not has_pupils
        self.package_section.setVisible(has_package)
        self.package_start.setVisible(starting)
        self.pupil_section.setVisible(has_pupils or starting)
        self.other_model.setVisible(has_package != has_pupils)
        self.other_activate.setVisible(has_pupils and not has_package)
        only_package = has_package and not has_pupils
        self.other_agreements.setVisible(only_package)
        self.other_trial.setVisible(only_package and v.trial is None)
        self.other_start.setVisible(only_package)

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
