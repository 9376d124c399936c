"""All running seats of all schools (``browse_seats``), filtered in SQL and read off the UI thread
(``BackgroundTableModel``: the first page, then the count, then more pages as the view scrolls;
the demo database has 420,000 seats)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse import seats as browse_seats
from lehrer_licenses.services.browse.seats import SeatFilter, SeatListRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.background_table import BackgroundTableModel
from lehrer_licenses.ui.models.lazy_table import Column

COLUMNS = (
    Column("school", N_("School"), chars=28),
    Column("position", N_("Seat"), numeric=True, chars=5),
    Column("state", N_("State"), chars=18),
    Column("holder", N_("Held by"), chars=22),
    Column("since", N_("Since"), chars=10),
    Column("acquired", N_("Acquired"), chars=10),
    Column("release_on", N_("Runs until"), chars=10),
)

_STATE_NAMES = {
    browse_seats.STATE_FREE: N_("free"),
    browse_seats.STATE_HELD: N_("held"),
    browse_seats.STATE_FROZEN: N_("held, frozen"),
    browse_seats.STATE_PENDING: N_("cancelled"),
}


def state_name(state: str) -> str:
    return _(_STATE_NAMES[state]) if state in _STATE_NAMES else state


class SeatsModel(BackgroundTableModel[SeatListRow]):
    COLUMNS = COLUMNS
    DEFAULT_SORT = ("school", False)

    def __init__(self, db: Database, page_size: int = 200, parent=None) -> None:
        self._filter = SeatFilter()
        super().__init__(db, page_size, parent)

    # --- BackgroundTableModel ------------------------------------------------------------------

    def question(self) -> tuple[SeatFilter, str, bool]:
        return self._filter, self._sort_key, self._descending

    def read(self, db, question, last, offset, limit) -> list[SeatListRow]:
        flt, key, descending = question
        return browse_seats.list_seats(db, flt, offset, limit, key, descending)

    def read_count(self, db, question) -> int:
        return browse_seats.count_seats(db, question[0])

    @property
    def filter(self) -> SeatFilter:
        return self._filter

    def set_filter(self, flt: SeatFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.reload()

    # --- showing ---------------------------------------------------------------------------------

    def display(self, row: SeatListRow, key: str) -> str:
        if key == "school":
            return f"{row.school} \u2013 {row.school_name}"
        if key == "position":
            return str(row.position)
        if key == "state":
            return state_name(row.state)
        if key == "holder":
            return row.holder or ""
        if key == "since":
            return fmt.day(row.holder_since)
        if key == "acquired":
            return fmt.day(row.acquired_on)
        if key == "release_on":
            return fmt.day(row.release_on)
        return super().display(row, key)

    def role_data(self, row: SeatListRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and key == "state":
            if row.state == browse_seats.STATE_FROZEN:
                return _("Frozen users are kept but cost nothing until unfrozen (L9).")
            if row.state == browse_seats.STATE_PENDING:
                return _("Cancelled: the seat runs until {day}.").format(
                    day=fmt.day(row.release_on)
                )
            if row.state == browse_seats.STATE_FREE:
                return _("Free: assign it to a teacher at no cost (L10).")
        return None

    def row_of_seat(self, seat_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.seat_id == seat_id:
                return i
        return None
