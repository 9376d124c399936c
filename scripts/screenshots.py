"""Render every view and dialog of the desktop app with sample data into PNG files.

    python scripts/screenshots.py OUTPUT_FOLDER [--language de] [--schools 60]

Runs offscreen (no display needed). The pictures are for looking at: cut-off text, empty
areas and cramped columns show up here long before a user reports them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QLocale, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from lehrer_licenses.i18n import LANGUAGES, set_ui_language
from lehrer_licenses.services import browse, cancellations, orders, renewals, seats
from lehrer_licenses.services.demo import create_demo
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.services.setup import init_database
from lehrer_licenses.ui import formatting
from lehrer_licenses.ui.app import create_application
from lehrer_licenses.ui.dialogs.cancel import CancelDialog
from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog
from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog
from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.settings import Settings
from lehrer_licenses.ui.workers import Task

TODAY = date(2026, 11, 22)
WINDOW_SIZE = (1280, 800)


class Shooter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.files: list[Path] = []

    def __call__(self, name: str, widget: QWidget) -> Path:
        settle()
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        self.files.append(path)
        print(path)
        return path


def settle(ms: int = 150) -> None:
    """Let debounce timers fire and layouts finish before grabbing."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(task: Task) -> None:
    loop = QEventLoop()
    task.signals.finished.connect(loop.quit)
    loop.exec()


def with_dialog(dialog: QWidget, shoot: Callable[[], None]) -> None:
    dialog.show()
    try:
        shoot()
    finally:
        dialog.close()


def sample_data(db) -> dict[str, str]:
    create_demo(db, 60, seed=7, today=TODAY)
    new = add_school(
        db,
        SchoolInput(
            name="Schule Ørsted-Dvořák",
            country="CH",
            language="de",
            street="Rosenbergstrasse",
            house_number="4",
            postcode="9000",
            city="St. Gallen",
            email="sekretariat@rosenberg.example.ch",
        ),
    )
    # Worked example 5 of DESIGN.md, set up to be completed after the renewal.
    reduced = add_school(
        db,
        SchoolInput(
            name="Primarschule Łukasz Żółć",
            country="CH",
            language="de",
            postcode="3000",
            city="Bern",
        ),
    )
    orders.order_seats(db, reduced, 5, date(2026, 3, 10))
    for first, last in (("Anna", "Muster"), ("Luca", "Bernasconi"), ("Zoë", "Ørsted")):
        teacher = seats.add_teacher(db, reduced, first, last, f"{first.lower()}@schule.ch")
        seats.assign_seat(db, reduced, teacher, date(2026, 3, 11))
    seats.add_teacher(db, reduced, "Admin", "Sekretariat", admin=True)
    cancellations.cancel(db, reduced, seats=1, received=date(2026, 10, 1))
    running = next(
        r
        for r in browse.list_schools(db, limit=200, sort_key="seats", descending=True)
        if r.status == browse.STATUS_ACTIVE and r.term_end == date(2026, 12, 31)
    )
    return {"new": new, "reduced": reduced, "running": running.number}


def render(folder: Path, language: str) -> list[Path]:
    app = create_application()
    set_ui_language(language)
    formatting.set_locale(QLocale("de_CH"))
    shoot = Shooter(folder)
    workdir = Path(tempfile.mkdtemp(prefix="ll-shots-"))
    db, _installed = init_database(workdir / "screens.sqlite")
    numbers = sample_data(db)
    settings = Settings(QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat))

    window = MainWindow(db, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.schools.select_number(numbers["reduced"])
    shoot("schools", window)
    for tab in range(1, window.schools.detail.tabs.count()):
        window.schools.detail.tabs.setCurrentIndex(tab)
        shoot(f"school-tab-{tab}", window)
    window.schools.detail.tabs.setCurrentIndex(0)
    window.schools.search.setText("schule")
    window.schools.apply_search()
    window.schools.select_number(numbers["running"])
    shoot("schools-search", window)
    window.schools.search.clear()
    window.schools.apply_search()
    window.schools.select_number(numbers["new"])
    shoot("school-without-contract", window)

    dialog = NewSchoolDialog(db, window)
    with_dialog(dialog, lambda: shoot("new-school-empty", dialog))
    dialog = NewSchoolDialog(db, window)
    dialog.name.setText("Oberstufe Aesch")
    dialog.postcode.setText("41470")
    dialog.email.setText("sekretariat(at)aesch.ch")
    dialog.vat_id.setText("CHE-123.456.788")
    dialog.canton_licence.setChecked(True)
    dialog._touched.update(dialog.errors)
    dialog.validate()
    with_dialog(dialog, lambda: shoot("new-school-errors", dialog))

    dialog = OrderSeatsDialog(db, numbers["new"], on=TODAY, parent=window)
    dialog.set_values(seats=12)
    dialog.refresh_preview()
    with_dialog(dialog, lambda: shoot("order-first", dialog))
    dialog = OrderSeatsDialog(db, numbers["running"], on=TODAY, parent=window)
    dialog.set_values(seats=3)
    dialog.refresh_preview()
    with_dialog(dialog, lambda: shoot("order-reorder", dialog))
    dialog = OrderSeatsDialog(db, numbers["running"], on=date(2027, 2, 1), parent=window)
    with_dialog(dialog, lambda: shoot("order-refused", dialog))

    dialog = CancelDialog(db, numbers["running"], received=date(2026, 10, 31), parent=window)
    dialog.set_values(seats=2, received=date(2026, 10, 31))
    with_dialog(dialog, lambda: shoot("cancel-in-time", dialog))
    dialog = CancelDialog(db, numbers["running"], parent=window)
    dialog.set_values(whole=True, received=date(2026, 11, 1))
    with_dialog(dialog, lambda: shoot("cancel-late", dialog))

    window.show_view(1)
    shoot("invoices", window)
    window.invoices.status.setCurrentIndex(window.invoices.status.findData("draft"))
    window.invoices.search.setText("Żółć")
    window.invoices.apply_search()
    shoot("invoices-search", window)

    window.show_view(2)
    view = window.renewals
    view.year.setValue(2027)
    shoot("renewals-empty", window)
    view._set_busy(True)
    view._progress(17, 48)
    shoot("renewals-busy", window)
    view._set_busy(False)
    wait_for(view.start_preview())
    shoot("renewals-preview", window)
    renewals.run_renewals(db, 2027, dry_run=False)

    window.show_view(0)
    dialog = OrderSeatsDialog(db, numbers["reduced"], on=date(2027, 9, 1), parent=window)
    with_dialog(dialog, lambda: shoot("order-l5-notice", dialog))

    box = window.about_box()
    with_dialog(box, lambda: shoot("about", box))
    window.close()
    db.dispose()
    app.processEvents()
    return shoot.files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--language", choices=LANGUAGES, default="en")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    files = render(args.folder, args.language)
    print(f"{len(files)} screenshots in {args.folder}")
    QApplication.instance().quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
