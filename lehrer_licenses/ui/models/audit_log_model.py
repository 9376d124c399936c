"""The global audit log (``browse_history.list_audit``): every audit entry, newest first,
filtered in SQL and read page by page off the UI thread. Read-only: the app never edits the
audit trail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.browse import history as browse_history
from lehrer_licenses.services.browse.history import AuditFilter, AuditRow
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.models.background_table import BackgroundTableModel
from lehrer_licenses.ui.models.lazy_table import Column
from lehrer_licenses.ui.views.history import describe

COLUMNS = (
    Column("at", N_("When"), chars=19),
    Column("school", N_("School"), chars=36),
    Column("actor", N_("Who"), chars=10),
    Column("action", N_("What"), chars=30),
    Column("details", N_("Details"), chars=40),
)


def _plain(value: object) -> str:
    return "\u2013" if value is None or value == "" else str(value)


def changes(row: AuditRow) -> str:
    """Every value an entry recorded, one per line, before -> after (the tooltip: the
    Details column shows the ones a clerk reads, this shows all of them)."""
    lines = []
    for key in sorted(set(row.before) | set(row.after)):
        after = row.after.get(key)
        if key in row.before and row.before[key] != after:
            lines.append(f"{key}: {_plain(row.before[key])} \u2192 {_plain(after)}")
        else:
            lines.append(f"{key}: {_plain(after if key in row.after else row.before[key])}")
    return "\n".join(lines)


class AuditLogModel(BackgroundTableModel[AuditRow]):
    COLUMNS = COLUMNS
    DEFAULT_SORT = ("at", True)  # newest first, always: the log pages by time

    def __init__(self, db: Database, page_size: int = 200, parent=None) -> None:
        self._filter = AuditFilter()
        super().__init__(db, page_size, parent)

    @property
    def filter(self) -> AuditFilter:
        return self._filter

    def set_filter(self, flt: AuditFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The log has one order, newest first."""

    # --- BackgroundTableModel ------------------------------------------------------------------

    def question(self) -> AuditFilter:
        return self._filter

    def read(self, db, question, last, offset, limit) -> list[AuditRow]:
        return browse_history.list_audit(db, question, last.key if last else None, limit)

    def read_count(self, db, question) -> int:
        return browse_history.count_audit(db, question)

    # --- showing -------------------------------------------------------------------------------

    def display(self, row: AuditRow, key: str) -> str:
        if key == "at":
            return fmt.moment(row.at)
        if key == "school":
            return f"{row.school} \u2013 {row.school_name}" if row.school else ""
        if key == "action":
            return labels.history_action(row.action)
        if key == "details":
            return describe(row)
        return super().display(row, key)

    def role_data(self, row: AuditRow, key: str, role: int) -> Any:
        if role != Qt.ItemDataRole.ToolTipRole:
            return None
        if key == "details":
            return changes(row) or None
        if key == "action":
            return f"{row.action} ({row.entity} {row.entity_id or ''})".replace(" )", ")")
        if key == "school" and row.school:
            return _("Double-click to open the school.")
        return None

    def row_of_id(self, entry_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == entry_id:
                return i
        return None
