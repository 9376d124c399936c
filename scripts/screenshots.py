"""Render every view and dialog of the desktop app with sample data into PNG files.

    python scripts/screenshots.py OUTPUT_FOLDER [--language de] [--dark]
        [--size 1280x720] [--scale 1.5] [--check] [--check-dates]

Runs offscreen (no display needed). The pictures are for looking at: cut-off text, empty
areas and cramped columns show up here long before a user reports them. ``--check`` also
measures every label, button, tab and column header of each picture (text_fit.py) and exits
with 1 listing the ones that cut their text; ``--check-dates`` the ones that write a date as
2026-12-31 where the app shows its own format.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QLocale, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from text_fit import clipped_texts, iso_dates  # scripts/ is on the path when this script runs

from lehrer_licenses.i18n import LANGUAGES, set_ui_language
from lehrer_licenses.services import catalogue
from lehrer_licenses.services.billing import dunning, issuing, payments
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.services.browse import school_detail as browse_detail
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.licences.seats import cancellations, orders
from lehrer_licenses.services.licences.seats import holders as seats
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.services.season import year_end as renewals
from lehrer_licenses.ui import formatting
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.app import apply_language, create_application
from lehrer_licenses.ui.dialogs.cancel import CancelDialog
from lehrer_licenses.ui.dialogs.code_dialog import CodeQrDialog
from lehrer_licenses.ui.dialogs.dunning_proposal import DunningProposalDialog
from lehrer_licenses.ui.dialogs.first_run import FirstRunWizard
from lehrer_licenses.ui.dialogs.invoice_dialogs import (
    CreditNoteDialog,
    IssueDialog,
    PaymentDialog,
    ReversePaymentDialog,
)
from lehrer_licenses.ui.dialogs.new_school import NewSchoolDialog
from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog
from lehrer_licenses.ui.dialogs.seat_dialogs import (
    AddTeacherDialog,
    FreeSeatDialog,
    TransferSeatDialog,
    UsageDialog,
)
from lehrer_licenses.ui.dialogs.settings_dialog import SettingsDialog
from lehrer_licenses.ui.main_window import MainWindow
from lehrer_licenses.ui.settings import Settings
from lehrer_licenses.ui.views.catalogue import AddPriceDialog, AddTierDialog
from lehrer_licenses.ui.workers import Task

TODAY = date(2026, 11, 22)
WINDOW_SIZE = (1280, 800)


class Shooter:
    def __init__(self, folder: Path, check: bool = False, check_dates: bool = False) -> None:
        self.folder = folder
        self.count = 0
        self.files: list[Path] = []
        self.check = check
        self.check_dates = check_dates
        self.clipped: list[str] = []
        self.iso_dates: list[str] = []

    def __call__(self, name: str, widget: QWidget) -> Path:
        settle()
        problems = clipped_texts(widget) if self.check else []
        if problems:
            # Text that a background query filled in a moment ago gets its lines in the next
            # layout pass (slower on a busy machine): only what stays cut off counts.
            settle(1000)
            problems = clipped_texts(widget)
        if self.check_dates:
            self.iso_dates += [f"{self.count + 1:02d}-{name}: {p}" for p in iso_dates(widget)]
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        self.files.append(path)
        print(path)
        self.clipped += [f"{path.name}: {problem}" for problem in problems]
        return path


def settle(ms: int = 150) -> None:
    """Let debounce timers fire and layouts finish before grabbing."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_seats(view) -> None:
    """Until the seats view's background query has shown its first page and count."""
    for _ in range(600):
        if not view.model.loading and view.model.counted_total is not None:
            break
        settle(50)


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
    seats.set_frozen(db, teacher, True)
    # An issued, partly paid invoice and a credit note, for the invoices view and its dialogs.
    first = min(browse_detail.school_detail(db, reduced).invoices, key=lambda i: i.id).id
    issuing.issue_invoice(db, str(first), date(2026, 3, 12))
    payments.record_payment(db, str(first), Decimal("300.00"), date(2026, 4, 2))
    catalogue.add_price(
        db, "LO-LOCAL", "base", Decimal("119.00"), date(2027, 1, 1), announced_on=date(2026, 6, 1)
    )
    running = next(
        r
        for r in browse.list_schools(db, limit=200, sort_key="seats", descending=True)
        if r.status == browse.STATUS_ACTIVE and r.term_end == date(2026, 12, 31)
    )
    return {
        "new": new,
        "reduced": reduced,
        "running": running.number,
        "issued": str(first),
    }


def dark_palette() -> QPalette:
    """A dark palette as the desktop's dark mode gives one (Fusion, so it applies offscreen)."""
    palette = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#262626"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#353535"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#2f65ca"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#3a3a3a"),
        (role.ToolTipText, "#e6e6e6"),
        (role.PlaceholderText, "#8a8a8a"),
        (role.Link, "#6ea8ff"),
    ):
        palette.setColor(r, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    return palette


def render(
    folder: Path,
    language: str,
    dark: bool = False,
    size: tuple[int, int] = WINDOW_SIZE,
    check: bool = False,
    check_dates: bool = False,
) -> Shooter:
    app = create_application(style="Fusion")
    if dark:
        app.setPalette(dark_palette())
    set_ui_language(language)
    formatting.set_locale(QLocale("de_CH"))
    shoot = Shooter(folder, check, check_dates)
    workdir = Path(tempfile.mkdtemp(prefix="ll-shots-"))
    # A signing key of its own: the pictures never touch the user's real key folder.
    os.environ.setdefault("LEHRER_LICENSES_KEYS", str(workdir / "keys"))
    db, _installed = init_database(workdir / "screens.sqlite")
    numbers = sample_data(db)
    settings = Settings(QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat))
    settings[opt.UI_LANGUAGE] = language
    apply_language(settings)  # Qt's own buttons (Save, Cancel, Next) in the language too
    formatting.set_locale(QLocale("de_CH"))

    window = MainWindow(db, settings)
    window.resize(*size)
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

    window.schools.select_number(numbers["reduced"])
    window.schools.detail.tabs.setCurrentIndex(4)
    shoot("school-codes", window)
    code = window.schools.detail.selected_code()
    dialog = CodeQrDialog(code, window)
    with_dialog(dialog, lambda: shoot("code-qr", dialog))
    window.schools.detail.tabs.setCurrentIndex(0)
    licence_shots(db, window, shoot)

    window.show_view(1)
    seats_view = window.seats
    seats_view.today = TODAY
    wait_seats(seats_view)
    shoot("seats", window)
    seats_view.school.setText(numbers["reduced"])
    seats_view.apply_filter()
    wait_seats(seats_view)
    frozen = next(
        (i for i in range(seats_view.model.rowCount()) if seats_view.model.row_at(i).frozen), 0
    )
    seats_view.select_row(frozen)
    shoot("seats-school", window)
    held = seats_view.selected()
    dialog = TransferSeatDialog(db, held, TODAY, window)
    dialog.new.setChecked(True)
    dialog.first_name.setText("Chiara")
    dialog.last_name.setText("Dvořák")
    with_dialog(dialog, lambda: shoot("seat-transfer", dialog))
    dialog = FreeSeatDialog(db, held, TODAY, window)
    with_dialog(dialog, lambda: shoot("seat-free", dialog))
    dialog = AddTeacherDialog(db, numbers["reduced"], TODAY, window)
    dialog.first_name.setText("Noé")
    dialog.last_name.setText("Lefèvre")
    with_dialog(dialog, lambda: shoot("teacher-add", dialog))
    hosted = next(
        r.number
        for r in browse.list_schools(db, limit=200)
        if browse_seats.school_seats(db, r.number).db_hosting
    )
    dialog = UsageDialog(db, hosted, TODAY, window)
    with_dialog(dialog, lambda: shoot("usage-count", dialog))
    seats_view.school.clear()
    seats_view.teacher.setText("müller")
    seats_view.state.setCurrentIndex(seats_view.state.findData("held"))
    seats_view.apply_filter()
    wait_seats(seats_view)
    shoot("seats-filter", window)

    window.show_view(2)
    window.invoices.today = TODAY
    window.invoices.refresh()
    shoot("invoices", window)
    window.invoices.search.setText("Żółć")
    window.invoices.apply_search()
    shoot("invoices-search", window)
    window.invoices.status.setCurrentIndex(window.invoices.status.findData("overdue"))
    shoot("invoices-overdue", window)
    issued = browse_invoices.invoice_row(db, int(numbers["issued"]), TODAY)
    dialog = PaymentDialog(db, issued, TODAY, window)
    with_dialog(dialog, lambda: shoot("invoice-payment", dialog))
    dialog = CreditNoteDialog(db, issued, TODAY, window)
    dialog.part.setChecked(True)
    dialog.amount.setText("100.00")
    dialog.reason.setPlainText("Kulanz: Installationsprobleme im März")
    with_dialog(dialog, lambda: shoot("invoice-credit-note", dialog))
    draft = next(r for r in browse_invoices.list_invoices(db, status="draft", today=TODAY))
    dialog = IssueDialog(db, draft, TODAY, window)
    with_dialog(dialog, lambda: shoot("invoice-issue", dialog))
    dialog = DunningProposalDialog(dunning.propose_dunning(db, TODAY), window)
    with_dialog(dialog, lambda: shoot("dunning-proposal", dialog))
    batch_shots(db, window, shoot, issued)
    window.invoices.status.setCurrentIndex(0)

    window.show_view(4)
    window.catalogue.today = TODAY
    window.catalogue.refresh()
    window.catalogue.select_plan("LO-LOCAL")
    shoot("catalogue", window)
    plan = window.catalogue.selected()
    dialog = AddPriceDialog(db, plan, TODAY, window)
    dialog.component.setCurrentIndex(dialog.component.findData("subscription"))
    dialog.amount.setText("46.80")
    with_dialog(dialog, lambda: shoot("catalogue-price", dialog))
    dialog = AddTierDialog(db, plan, TODAY, window)
    with_dialog(dialog, lambda: shoot("catalogue-tier", dialog))

    dialog = SettingsDialog(db, settings, window)
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        with_dialog(dialog, lambda t=tab: shoot(f"settings-{t}", dialog))
    empty_db, _installed = init_database(workdir / "empty.sqlite")
    wizard = FirstRunWizard(empty_db, window)
    wizard.vendor_page.form.edits["name"].setText("Lizenzbüro Muster")
    wizard.vendor_page.form.edits["iban"].setText("CH93 0076")
    wizard.show()
    shoot("first-run-1", wizard)
    wizard.vendor_page.form.edits["iban"].setText("CH93 0076 2011 6238 5295 7")
    wizard.next()
    shoot("first-run-2", wizard)
    wizard.next()
    wizard.sample_page.sample.setChecked(True)
    shoot("first-run-3", wizard)
    wizard.close()
    empty_db.dispose()

    window.show_view(3)
    view = window.renewals
    view.year.setValue(2027)
    shoot("renewals-empty", window)
    view._set_busy(True)
    view._progress(17, 48)
    shoot("renewals-busy", window)
    view._set_busy(False)
    wait_for(view.start_preview())
    shoot("renewals-preview", window)
    view.tabs.blockSignals(True)
    view.tabs.setCurrentIndex(1)
    view.tabs.blockSignals(False)
    wait_for(view.load_upcoming(today=date(2026, 9, 15)))
    shoot("renewals-deadlines", window)
    view.tabs.setCurrentIndex(3)
    shoot("renewals-price-changes", window)
    view.tabs.setCurrentIndex(0)
    renewals.run_renewals(db, 2027, dry_run=False)

    window.show_view(5)  # History: the whole audit trail, newest first (the renewals on top)
    window.audit_log.refresh()
    wait_seats(window.audit_log)
    shoot("history", window)

    window.show_view(0)
    dialog = OrderSeatsDialog(db, numbers["reduced"], on=date(2027, 9, 1), parent=window)
    with_dialog(dialog, lambda: shoot("order-l5-notice", dialog))

    box = window.about_box()
    with_dialog(box, lambda: shoot("about", box))
    window.close()
    db.dispose()
    app.processEvents()
    return shoot


def batch_shots(db, window, shoot, issued) -> None:
    """Issue 14: several drafts selected and their confirmation, the result per invoice, the
    reversal of a payment, the offer to open or print a saved PDF."""
    from PySide6.QtWidgets import QMessageBox

    from lehrer_licenses.i18n import _
    from lehrer_licenses.ui import asking

    view = window.invoices
    view.search.clear()
    view.apply_search()
    view.status.setCurrentIndex(view.status.findData("draft"))
    settle()
    view.select_rows([0, 1, 2, 3])
    settle()
    shoot("invoices-multi-select", window)

    def confirm(parent, title, text) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        with_dialog(box, lambda: shoot("invoices-batch-confirm", box))
        return True

    asked, boxed = asking.confirm, asking.show_box
    asking.confirm = confirm
    asking.show_box = lambda box: print(f"not issued: {box.text()}") or 0
    try:
        task = view.issue_batch([row.id for row in view.selected_rows()])
        if task is not None:
            wait_for(task)
        settle()
    finally:
        asking.confirm, asking.show_box = asked, boxed
    if view.batch_result is not None:
        with_dialog(view.batch_result, lambda: shoot("invoices-batch-result", view.batch_result))
    _record, lines = payments.invoice_payments(db, str(issued.id))
    dialog = ReversePaymentDialog(db, issued, lines[0], TODAY, window)
    dialog.reason.setText("Zahlung der Schule Aarau, falsch zugeordnet")
    with_dialog(dialog, lambda: shoot("invoice-reverse-payment", dialog))
    saved = _("Saved to {path}.").format(path="/home/sekretariat/2026-00012.pdf")
    box = asking.pdf_written_box(window, _("PDF saved"), saved)
    with_dialog(box, lambda: shoot("pdf-saved-offer", box))


def licence_shots(db, window, shoot) -> None:
    """The packages and pupils tab of a demo school on a package and of one on a per-pupil
    plan, and the dialogs with their prices (M8 both options, F4 refusal)."""
    from lehrer_licenses.services.browse import licences as browse_licences
    from lehrer_licenses.ui.dialogs.package_dialogs import UpgradeDialog
    from lehrer_licenses.ui.dialogs.package_notice_dialogs import CancelPackageDialog
    from lehrer_licenses.ui.dialogs.pupil_dialogs import TrialDialog

    rows = browse.list_schools(db, limit=200)
    views = [browse_licences.licences_of(db, r.number, TODAY) for r in rows]
    package = next(v for v in views if v.package and not v.package.full_package and v.addons)
    pupils = next((v for v in views if v.pupils), None)
    detail = window.schools.detail
    detail.licences.today = lambda: TODAY
    for name, view in (("school-packages", package), ("school-pupils", pupils)):
        if view is None:
            continue
        window.schools.select_number(view.school)
        detail.tabs.setCurrentWidget(detail.licences)
        shoot(name, window)
    info = package.package
    dialog = UpgradeDialog(db, package.school, info.capacity, info.plan, TODAY, window)
    with_dialog(dialog, lambda: shoot("package-upgrade", dialog))
    dialog = CancelPackageDialog(db, package.school, TODAY, window)
    with_dialog(dialog, lambda: shoot("package-cancel", dialog))
    newcomer = add_school(
        db, SchoolInput(name="OBS Zonder DPA", country="NL", language="nl", city="Utrecht")
    )
    dialog = TrialDialog(db, newcomer, TODAY, window)
    with_dialog(dialog, lambda: shoot("pupils-trial-refused", dialog))
    # A school on no licence model yet: one start area with both ways in.
    window.schools.refresh(select=newcomer)
    settle(300)
    window.schools.select_number(newcomer)
    detail.tabs.setCurrentWidget(detail.licences)
    shoot("school-licence-start", window)
    detail.tabs.setCurrentIndex(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--language", choices=LANGUAGES, default="en")
    parser.add_argument("--dark", action="store_true", help="a dark palette, as in dark mode")
    parser.add_argument("--size", type=window_size, default=WINDOW_SIZE, help="e.g. 1280x720")
    parser.add_argument("--scale", type=float, help="QT_SCALE_FACTOR, e.g. 1.5")
    parser.add_argument("--check", action="store_true", help="fail on text cut off")
    parser.add_argument(
        "--check-dates", action="store_true", help="fail on a date shown as 2026-12-31"
    )
    args = parser.parse_args(argv)
    # Read by Qt when the application is created, which is below.
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        offscreen_screen(args.size, args.scale or 1.0)
    args.folder.mkdir(parents=True, exist_ok=True)
    shoot = render(args.folder, args.language, args.dark, args.size, args.check, args.check_dates)
    print(f"{len(shoot.files)} screenshots in {args.folder}")
    QApplication.instance().quit()
    for problem in shoot.clipped:
        print(f"clipped: {problem}")
    for problem in shoot.iso_dates:
        print(f"iso date: {problem}")
    return 1 if shoot.clipped or shoot.iso_dates else 0


def offscreen_screen(size: tuple[int, int], scale: float) -> None:
    """A screen just the window's size: the offscreen default (800×600 pixels, 533×400 at
    150 %) would squeeze the dialogs, which Qt keeps inside the screen, below their size."""
    width, height = (round(side * scale) for side in size)
    screen = {"name": "Screen", "x": 0, "y": 0, "width": width, "height": height}
    config = Path(tempfile.mkdtemp(prefix="ll-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def window_size(text: str) -> tuple[int, int]:
    width, _x, height = text.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1280x720") from None


if __name__ == "__main__":
    sys.exit(main())
