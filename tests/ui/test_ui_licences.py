"""The school detail's "Packages and pupils" tab and its dialogs: prices shown before committing
(M8 both options, F5 pre-investment), the trial refused with its reasons (F2, F4), and what the
chosen option wrote, checked through the services."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from lehrer_licenses.services import browse_licences, packages, per_pupil
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.models import Invoice
from lehrer_licenses.ui.dialogs.package_dialogs import AddonDialog, UpgradeDialog
from lehrer_licenses.ui.dialogs.pupil_dialogs import StartPupilsDialog, TrialDialog
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
    packages.order_package(db, number, 1000, date(2026, 2, 1))  # example 8
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
    assert addon.billing_address == "Förderverein, 88161 Lindenberg, DE"


def test_F4_trial_refused_without_dpa_says_what_is_missing(qtbot, db, nl_school):
    per_pupil.record_agreements(db, nl_school, terms_accepted_on=date(2026, 1, 10))
    dialog = TrialDialog(db, nl_school, date(2026, 2, 1))
    qtbot.addWidget(dialog)
    assert not dialog.commit_button.isEnabled()
    assert "no data-processing agreement" in dialog.error.text()
    assert "general terms" not in dialog.error.text()  # those are accepted
    assert browse_licences.licences_of(db, nl_school).trial is None


def test_F2_a_second_trial_is_refused_with_the_services_reason(qtbot, db, nl_school):
    per_pupil.record_agreements(
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
    per_pupil.record_agreements(
        db, nl_school, terms_accepted_on=date(2026, 1, 10), dpa_reference="VWO-17",
        dpa_signed_on=date(2026, 1, 12),
    )  # fmt: skip
    per_pupil.start_trial(db, nl_school, date(2026, 2, 1))
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
    packages.record_user_count(db, de_school, date(2026, 6, 10), users=1100)
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
    assert not tab.activate_button.isEnabled() and tab.upgrade_button.isEnabled()
    assert "renews on 01.02.2027" in panel.status.text()
