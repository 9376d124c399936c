"""File menu work: backup, restore (connections closed first, reopened after), the daily
backup at start, and the first-run assistant with sample data made in the background."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.ui.dialogs.first_run import FirstRunWizard, needs_first_run
from lehrer_licenses.ui.main_window import MainWindow


@pytest.mark.sqlite_only(reason="backs up and restores the SQLite file")
def test_backup_then_restore_replaces_and_reopens(qtbot, db, sample, settings, tmp_path, school):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    target = tmp_path / "copy.sqlite"
    task = window.backup(str(target))
    with qtbot.waitSignal(task.signals.finished, timeout=20000):
        pass
    assert target.is_file()
    assert "3 schools" in window.statusBar().currentMessage()

    school("Added after the backup")
    window.schools.refresh()
    assert window.schools.model.total == 4
    qtbot.waitUntil(lambda: not window.seats.model.loading, timeout=10000)
    task = window.restore(str(target), confirmed=True)
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: window.db is not db, timeout=5000)
    assert window.schools.model.total == 3
    assert browse.count_schools(window.db) == 3
    assert (tmp_path / "backups").is_dir()  # the replaced database is kept
    window.db.dispose()


@pytest.mark.sqlite_only(reason="the daily backup copies the SQLite file")
def test_daily_backup_once_a_day(qtbot, db, settings, tmp_path):
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    task = window.start_daily_backup()
    with qtbot.waitSignal(task.signals.finished, timeout=20000):
        pass
    folder = tmp_path / "backups"
    assert len(list(folder.glob("*daily*.llbackup"))) == 1
    task = window.start_daily_backup()
    with qtbot.waitSignal(task.signals.finished, timeout=20000):
        pass
    assert len(list(folder.glob("*daily*.llbackup"))) == 1


def test_first_run_assistant_sets_vendor_and_makes_sample_data(qtbot, db):
    assert needs_first_run(db)
    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.vendor_page.form
    form.edits["name"].setText("Lizenzbüro Muster")
    form.edits["iban"].setText("not an iban")
    wizard.next()
    assert wizard.currentPage() is wizard.vendor_page  # the red field stops it
    form.edits["iban"].setText("CH93 0076 2011 6238 5295 7")
    wizard.next()
    assert wizard.currentPage() is wizard.key_page
    assert "Fingerprint" in wizard.key_page.keys.status.text()
    wizard.next()
    wizard.sample_page.sample.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.sample_created, timeout=60000)
    assert browse.count_schools(db) == 200
    assert vendor.get_vendor(db).name == "Lizenzbüro Muster"  # not the sample vendor
    assert not needs_first_run(db)
