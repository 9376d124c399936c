"""The schools table over ``browse_schools.list_schools``: paged, sorted and searched in SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse.first_page import (
    STATUS_ENDING,
    STATUS_LAPSED,
    STATUS_NONE,
    SchoolRow,
)
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.labels import school_status, warning_colour
from lehrer_licenses.ui.models.lazy_table import Column, LazyTableModel

COLUMNS = (
    Column("number", N_("Number"), chars=8),
    Column("name", N_("Name"), chars=24),
    Column("postcode", N_("Postcode"), hidden=True, chars=7),
    Column("city", N_("City"), chars=15),
    Column("country", N_("Country"), chars=7),
    Column("status", N_("Contract"), chars=13),
    Column("plan", N_("Plan"), hidden=True, chars=10),
    Column("term_end", N_("Term ends"), chars=10),
    Column("seats", N_("Seats"), numeric=True, chars=6),
    Column("free", N_("Free"), numeric=True, chars=5),
    Column("open_total", N_("Open invoices"), numeric=True, chars=14),
)


def display(row: SchoolRow, key: str) -> str:
    if key == "status":
        return school_status(row.status)
    if key == "term_end":
        return fmt.day(row.term_end)
    if key == "seats":
        return str(row.seats) if row.seats else ""
    if key == "free":
        return str(row.seats_free) if row.seats else ""
    if key == "open_total":
        if row.open_mixed_currencies:
            return _("several currencies")
        return fmt.money(row.open_total, row.open_currency) if row.open_total else ""
    value = getattr(row, key)
    return "" if value is None else str(value)


def tooltip(row: SchoolRow, key: str) -> str | None:
    if key in ("seats", "free") and row.seats:
        text = _("{seats} seats: {assigned} held by teachers, {free} free").format(
            seats=row.seats, assigned=row.seats_assigned, free=row.seats_free
        )
        if row.seats_cancel_pending:
            text += "\n" + _("{n} cancelled, running until the cancellation takes effect").format(
                n=row.seats_cancel_pending
            )
        return text
    return None


def status_colour(status: str) -> QColor | None:
    """Only the contract cell is coloured: greying whole rows made them look disabled."""
    if status == STATUS_ENDING:
        return warning_colour()
    if status in (STATUS_LAPSED, STATUS_NONE):
        return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return None


class SchoolsModel(LazyTableModel[SchoolRow]):
    COLUMNS = COLUMNS
    DEFAULT_SORT = ("number", False)
    # A screen shows 15-40 schools; the figures of 200 took 25 ms of every keystroke.
    FIRST_PAGE = 60

    # browse.schools is imported when the database is there: with it come SQLAlchemy and the
    # models, which the start's first page does without (services/browse/first_page.py).
    def count(self, db: Database, search: str) -> int:
        from lehrer_licenses.services.browse import schools as browse_schools

        # The search index counts the matches and finds each page's schools in one query of
        # their own (store/search_index.py), so a search that matches most schools does not
        # read all their ids first.
        return browse_schools.count_schools(db, search)

    def page(self, db, search, offset, limit, sort_key, descending) -> list[SchoolRow]:
        from lehrer_licenses.services.browse import schools as browse_schools

        return browse_schools.list_schools(
            db, search, offset, limit, sort_key, descending, matches=self.total
        )

    def display(self, row: SchoolRow, key: str) -> str:
        return display(row, key)

    def role_data(self, row: SchoolRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return status_colour(row.status)
        return None

    def row_of(self, number: str) -> int | None:
        """Where school ``number`` is among the loaded rows."""
        for i, row in enumerate(self._rows):
            if row.number == number:
                return i
        return None
