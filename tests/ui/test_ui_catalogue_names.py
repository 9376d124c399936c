"""Product and plan names in the UI's language: a German UI shows the German names (catalogue,
school detail, seats, order dialog, renewals), and a plan renamed in the Catalogue view changes
only the name in the UI's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from support.ui_driving import when_shown

from lehrer_licenses.i18n import set_ui_language
from lehrer_licenses.services import catalogue
from lehrer_licenses.services.browse import catalogue as browse_catalogue
from lehrer_licenses.ui.dialogs.order_seats import OrderSeatsDialog
from lehrer_licenses.ui.views.catalogue import CatalogueView, RenamePlanDialog
from lehrer_licenses.ui.views.renewals import RenewalsView
from lehrer_licenses.ui.views.school_detail import SchoolDetailPanel
from lehrer_licenses.ui.views.seats import SeatsView

LOCAL_DE = "LehrerOffice Desktop, pro Lehrperson (lokale Dateien oder Schuldatenbank)"
LOCAL_FR = "LehrerOffice Desktop, par enseignant (fichiers locaux ou base de données de l’école)"


def _tree_texts(view: CatalogueView) -> list[str]:
    return [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]


def test_a_german_ui_shows_the_german_names(qtbot, db, sample, wait_loaded):
    set_ui_language("de")
    view = CatalogueView(db)
    qtbot.addWidget(view)
    assert _tree_texts(view) == [
        "LehrerOffice Desktop",
        "Nutzerpakete (Mathegym-Modell)",
        "Abonnements pro Schüler (Focus-PO-Modell)",
    ]
    view.select_plan("LO-LOCAL")
    assert view.title.text() == f"LO-LOCAL \u2013 {LOCAL_DE}"
    view.select_plan("FPO-18")
    assert view.title.text() == "FPO-18 \u2013 Focus PO 1-8 (vollständig), pro Schüler"

    panel = SchoolDetailPanel(db)
    qtbot.addWidget(panel)
    panel.show_school(sample["aarau"])
    assert panel.plan.text() == f"LO-LOCAL \u2013 {LOCAL_DE}"

    dialog = OrderSeatsDialog(db, sample["aarau"], date(2026, 3, 10))
    qtbot.addWidget(dialog)
    shown = [dialog.plan.itemText(i) for i in range(dialog.plan.count())]
    assert f"LO-LOCAL \u2013 {LOCAL_DE}" in shown
    assert any("mit DB-Hosting, pro registrierte Person" in text for text in shown)

    seats = SeatsView(db)
    qtbot.addWidget(seats)
    wait_loaded(seats.model)
    seats.select_row(0)
    assert f"LO-LOCAL \u2013 {LOCAL_DE}" in seats.subtitle.text()

    # a price from next year on: the Renewals view's coming price changes name the plan
    catalogue.add_price(
        db, "LO-LOCAL", "base", Decimal("119.00"), date(date.today().year + 1, 1, 1)
    )
    renewals = RenewalsView(db)
    qtbot.addWidget(renewals)
    renewals.tabs.setCurrentIndex(1)  # reads the deadlines, cancellations and price changes
    qtbot.waitUntil(lambda: renewals.prices.rowCount() > 0, timeout=10000)
    assert renewals.prices.item(0, 1).text() == LOCAL_DE


def test_renaming_a_plan_changes_only_the_ui_language(qtbot, db):
    set_ui_language("de")
    view = CatalogueView(db)
    qtbot.addWidget(view)
    view.show()
    view.select_plan("LO-LOCAL")
    seen: list = []

    def rename(dialog: RenamePlanDialog) -> None:
        assert dialog.name.text() == LOCAL_DE
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, "   ")
        assert not dialog.confirm_button.isEnabled()  # an empty name is no name
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, "LehrerOffice Desktop fuer Lehrpersonen")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    when_shown(RenamePlanDialog, rename, seen)
    qtbot.mouseClick(view.rename_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1, seen
    assert view.title.text() == "LO-LOCAL \u2013 LehrerOffice Desktop fuer Lehrpersonen"

    french = {p.code: p for p in browse_catalogue.catalogue_overview(db, language="fr")}
    assert french["LO-LOCAL"].name == LOCAL_FR
    german = {p.code: p for p in browse_catalogue.catalogue_overview(db, language="de")}
    assert german["LO-LOCAL"].name == "LehrerOffice Desktop fuer Lehrpersonen"
