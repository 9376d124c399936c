"""The school detail's "Packages and pupils" tab and its dialogs: prices shown before committing
(M8 both options, F5 pre-investment), the trial refused with its reasons (F2, F4), and what the
chosen option wrote, checked through the services."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QScrollArea
from sqlalchemy import func, select

from lehrer_licenses.services.browse import licences as browse_licences
from lehrer_licenses.services.licences.packages import activation as package_activation
from lehrer_licenses.services.licences.packages import addons
from lehrer_licenses.services.licences.packages import counts as package_counts
from lehrer_licenses.services.licences.pupils import agreements as pupil_agreements
from lehrer_licenses.services.licences.pupils import paid_year
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.models import Invoice
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.package_dialogs import AddonDialog, UpgradeDialog
from lehrer_licenses.ui.dialogs.package_notice_dialogs import CancelAddonDialog, CancelPackageDialog
from lehrer_licenses.ui.dialogs.pupil_dialogs import StartPupilsDialog, TrialDialog
from lehrer_licenses.ui.views.licence_sections import address_text
from lehrer_licenses.ui.views.school_detail import SchoolDetailPanel


@pytest.fixture
def de_school(db):
    number = add_school(
        db,
        SchoolInput(
            name="Gymnasium Lindenberg", country="DE", language="de",
            city="Lindenberg", postcode="88161",
        ),
    )  # fmt: skip
    package_activation.order_package(db, number, 1000, date(2026, 2, 1))  # example 8
    return number


@pytest.fixture
def nl_school(db):
    return add_school(
        db,
        SchoolInput(
            name="OBS De Klimop", country="NL", language="nl", city="Utrecht", postcode="3511 AB"
        ),
    )


def commit(qtbot, dialog) -> None:
    dialog.refresh_preview()
    assert dialog.commit_button.isEnabled(), dialog.error.text()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.commit_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def upgrade_dialog(qtbot, db, school) -> UpgradeDialog:
    dialog = UpgradeDialog(db, school, 1000, "MG-PACKAGE", date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.size.setCurrentIndex(dialog.size.findData(1400))
    dialog.refresh_preview()
    return dialog


def test_M8_upgrade_dialog_shows_both_options_with_their_prices_example_9(qtbot, db, de_school):
    dialog = upgrade_dialog(qtbot, db, de_school)
    up, restart = dialog.option_buttons["upgrade"], dialog.option_buttons["restart"]
    assert "550.00" in up.text() and "1'400.00" in restart.text()  # 150.00 + 400.00 / new price
    assert up.isChecked() and not dialog.option_boxes.isHidden()
    assert dialog.option_previews["upgrade"].lines.texts(3) == ["150.00", "400.00"]
    assert dialog.option_previews["restart"].net.text() == "EUR\xa01'400.00"
    assert "31.01.2027" in dialog._upgrade_explain.text()  # the year runs on (example 8)
    assert "10.06.2026" in dialog._restart_explain.text()
    with db.reading() as session:  # nothing written by looking
        assert session.scalar(select(func.count(Invoice.id))) == 1


def test_M8_upgrade_dialog_commits_the_upgrade_option(qtbot, db, de_school):
    dialog = upgrade_dialog(qtbot, db, de_school)
    commit(qtbot, dialog)
    assert dialog.outcome.action == "upgrade"
    assert dialog.outcome.invoice.totals.net.amount == 550
    info = browse_licences.licences_of(db, de_school, date(2026, 6, 10)).package
    assert (info.capacity, info.term_start, info.term_end) == (
        1400, date(2026, 2, 1), date(2027, 1, 31),
    )  # fmt: skip


def test_M8_upgrade_dialog_commits_the_restart_option(qtbot, db, de_school):
    dialog = upgrade_dialog(qtbot, db, de_school)
    dialog.choose("restart")
    commit(qtbot, dialog)
    assert dialog.outcome.action == "restart"
    assert dialog.outcome.invoice.totals.net.amount == 1400
    info = browse_licences.licences_of(db, de_school, date(2026, 6, 10)).package
    assert (info.capacity, info.term_start, info.term_end) == (
        1400, date(2026, 6, 10), date(2027, 6, 9),
    )  # fmt: skip


def test_M10_addon_dialog_checks_the_billing_address_inline(qtbot, db, de_school):
    dialog = AddonDialog(db, de_school, date(2026, 4, 15))
    qtbot.addWidget(dialog)
    assert not dialog.commit_button.isEnabled()  # no subject yet
    dialog.subject.setText("Deutsch")
    dialog.billing_name.setText("Förderverein")
    dialog.refresh_preview()
    assert "postcode, town, country missing" in dialog.error.text()
    assert not dialog.commit_button.isEnabled()
    dialog.billing_postcode.setText("88161")
    dialog.billing_city.setText("Lindenberg")
    dialog.billing_country.setCurrentIndex(dialog.billing_country.findData("DE"))
    commit(qtbot, dialog)
    (addon,) = browse_licences.licences_of(db, de_school).addons
    assert address_text(addon.billing_address) == "Förderverein, 88161 Lindenberg, DE"


def test_F4_trial_refused_without_dpa_says_what_is_missing(qtbot, db, nl_school):
    pupil_agreements.record_agreements(db, nl_school, terms_accepted_on=date(2026, 1, 10))
    dialog = TrialDialog(db, nl_school, date(2026, 2, 1))
    qtbot.addWidget(dialog)
    assert not dialog.commit_button.isEnabled()
    assert "no data-processing agreement" in dialog.error.text()
    assert "general terms" not in dialog.error.text()  # those are accepted
    assert browse_licences.licences_of(db, nl_school).trial is None


def test_F2_a_second_trial_is_refused_with_the_services_reason(qtbot, db, nl_school):
    pupil_agreements.record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10), dpa_reference="VWO-17",
        dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    first = TrialDialog(db, nl_school, date(2026, 2, 1))
    qtbot.addWidget(first)
    commit(qtbot, first)
    second = TrialDialog(db, nl_school, date(2026, 9, 1))
    qtbot.addWidget(second)
    assert not second.commit_button.isEnabled()
    assert "had its free trial already (2026-02-01 to 2026-07-31)" in second.error.text()


def test_F5_start_dialog_shows_the_example_10_pre_investment_and_starts(qtbot, db, nl_school):
    pupil_agreements.record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10), dpa_reference="VWO-17",
        dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    pupil_agreements.start_trial(db, nl_school, date(2026, 2, 1))
    dialog = StartPupilsDialog(db, nl_school, date(2026, 8, 1))
    qtbot.addWidget(dialog)
    dialog.set_plan("FPO-38")
    dialog.counts.boxes["3-8"].setValue(200)
    dialog.refresh_preview()
    (invoice,) = dialog.invoice_previews()
    assert invoice.net.text() == "EUR\xa0720.00"  # 200 x 3.60
    assert dialog.counts.boxes["1-2"].isHidden()  # not a part of the 3-8 plan
    commit(qtbot, dialog)
    pupils = browse_licences.licences_of(db, nl_school).pupils
    assert (pupils.plan, str(pupils.pre_investment_total)) == ("FPO-38", "720.00")
    assert pupils.settlement_due == date(2027, 8, 1)


def test_the_tab_shows_package_addons_and_over_capacity(qtbot, db, de_school):
    package_counts.record_user_count(db, de_school, date(2026, 6, 10), users=1100)
    panel = SchoolDetailPanel(db)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_school(de_school)
    panel.tabs.setCurrentWidget(panel.licences)
    tab = panel.licences
    assert "1'000 users" in tab.package.text()
    assert "over capacity by 100" in tab.users.text()
    assert tab.licence_year.text() == "01.02.2026 \u2013 31.01.2027"
    assert tab.package_deadline.text().startswith("31.10.2026")  # example 8
    assert not tab.activate_button.isVisible() and tab.upgrade_button.isVisible()
    assert "renews on 01.02.2027" in panel.status.text()


# --- the layout: the models the school uses, every action in view ---------------------------


def licences_tab(qtbot, db, school, today=date(2026, 6, 10)):
    panel = SchoolDetailPanel(db)
    qtbot.addWidget(panel)
    panel.resize(1130, 310)  # the detail pane of the main window at its default size
    panel.show()
    panel.licences.today = lambda: today
    panel.show_school(school)
    panel.tabs.setCurrentWidget(panel.licences)
    qtbot.waitUntil(lambda: panel.licences.view is not None)
    return panel.licences


def assert_in_view(tab, buttons) -> None:
    """Each button is shown and lies inside the visible width (nothing behind a » menu, nothing
    cut off at the right edge)."""
    viewport = tab.findChild(QScrollArea).viewport()
    for button in buttons:
        assert button.isVisible(), button.text()
        left = button.mapTo(viewport, button.rect().topLeft()).x()
        assert left >= 0 and left + button.width() <= viewport.width(), button.text()


def test_a_per_pupil_school_shows_no_empty_package_box(qtbot, db, nl_school):
    pupil_agreements.record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10), dpa_reference="VWO-17",
        dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    pupil_agreements.start_trial(db, nl_school, date(2026, 2, 1))
    tab = licences_tab(qtbot, db, nl_school)
    assert not tab.package_section.isVisible() and not tab.package_start.isVisible()
    assert tab.pupil_section.isVisible()
    assert_in_view(tab, [tab.agreements_button, tab.start_button])
    assert not tab.trial_button.isVisible()  # had its trial; not offered greyed out either
    assert tab.other_model.isVisible() and tab.other_activate.isVisible()


def test_every_action_of_a_package_school_is_in_view(qtbot, db, de_school):
    addons.order_addon(db, de_school, "Deutsch", date(2026, 3, 1), addons.BillingAddress())
    tab = licences_tab(qtbot, db, de_school)
    assert not tab.pupil_section.isVisible() and not tab.package_start.isVisible()
    section = tab.package_section
    assert_in_view(tab, [*section.buttons, section.addon_button, section.addon_cancel_button])
    assert all(b.isEnabled() for b in section.buttons)
    assert tab.addon_table.isVisible() and tab.addon_table.rowCount() == 1


def test_every_action_of_a_running_per_pupil_school_is_in_view(qtbot, db, nl_school):
    pupil_agreements.record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10), dpa_reference="VWO-17",
        dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    pupil_agreements.start_trial(db, nl_school, date(2026, 2, 1))
    paid_year.start_paid_year(db, nl_school, "FPO-38", date(2026, 8, 1), {"3-8": 200})
    tab = licences_tab(qtbot, db, nl_school, date(2026, 9, 1))
    assert_in_view(
        tab,
        [tab.agreements_button, tab.pupil_count_button, tab.pupil_upgrade_button,
         tab.notice_button],
    )  # fmt: skip
    assert not tab.package_section.isVisible()


def test_a_school_on_no_model_sees_the_two_starts(qtbot, db, nl_school):
    tab = licences_tab(qtbot, db, nl_school)
    assert not tab.package_section.isVisible() and not tab.other_model.isVisible()
    assert_in_view(tab, [tab.activate_button, tab.agreements_button, tab.trial_button,
                         tab.start_button])  # fmt: skip
    assert not tab.pupil_count_button.isVisible()


# --- cancelling a package (M1) and an add-on (M10) ------------------------------------------


def test_M1_cancel_dialog_says_in_time_or_late_and_commits_example_8(qtbot, db, de_school):
    dialog = CancelPackageDialog(db, de_school, date(2026, 11, 1))
    qtbot.addWidget(dialog)
    assert "Too late (deadline 31.10.2026)" in dialog.summary.text()
    assert "31.01.2028" in dialog.summary.text() and dialog.notices.isVisibleTo(dialog)
    dialog.date.setDate(fmt.to_qdate(date(2026, 10, 31)))
    dialog.refresh_preview()
    assert "In time (deadline 31.10.2026)" in dialog.summary.text()
    assert "31.01.2027" in dialog.summary.text()
    assert browse_licences.licences_of(db, de_school).package.ends_on is None  # not yet
    commit(qtbot, dialog)
    info = browse_licences.licences_of(db, de_school, date(2026, 11, 1)).package
    assert info.ends_on == date(2027, 1, 31)
    again = CancelPackageDialog(db, de_school, date(2026, 11, 1))
    qtbot.addWidget(again)
    assert "already cancelled" in again.error.text() and not again.commit_button.isEnabled()


def test_M10_cancel_addon_dialog_uses_the_addons_own_year(qtbot, db, de_school):
    addons.order_addon(db, de_school, "Deutsch", date(2026, 3, 1), addons.BillingAddress())
    (addon,) = browse_licences.licences_of(db, de_school).addons
    dialog = CancelAddonDialog(db, de_school, [addon], date(2026, 11, 30), None, addon.id)
    qtbot.addWidget(dialog)
    assert "In time (deadline 30.11.2026)" in dialog.summary.text()
    assert "28.02.2027" in dialog.summary.text()
    commit(qtbot, dialog)
    (addon,) = browse_licences.licences_of(db, de_school).addons
    assert addon.ends_on == date(2027, 2, 28)
