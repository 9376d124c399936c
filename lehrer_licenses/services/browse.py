"""The read queries of the schools list and a school's detail, under their old name.

They live in ``browse_schools`` (the list), ``browse_school_detail`` (one school) and
``browse_history`` (the audit trail); this module re-exports them for the callers written
before the split (dialogs, tests). New code imports the module that holds what it needs.
The invoices view reads ``browse_invoices``.
"""

from __future__ import annotations

from lehrer_licenses.services.browse_history import HISTORY_LIMIT, HistoryRow
from lehrer_licenses.services.browse_school_detail import (
    CancellationRow,
    ContractInfo,
    InvoiceRow,
    SchoolDetail,
    SeatRow,
    TeacherRow,
    school_detail,
)
from lehrer_licenses.services.browse_schools import (
    OPEN_INVOICE_STATUSES,
    SCHOOL_COLUMN_KEYS,
    SCHOOL_SORT_KEYS,
    STATUS_ACTIVE,
    STATUS_ENDING,
    STATUS_LAPSED,
    STATUS_NONE,
    SchoolRow,
    count_schools,
    list_schools,
    school_ids,
    school_row,
)

__all__ = [
    "HISTORY_LIMIT",
    "OPEN_INVOICE_STATUSES",
    "SCHOOL_COLUMN_KEYS",
    "SCHOOL_SORT_KEYS",
    "STATUS_ACTIVE",
    "STATUS_ENDING",
    "STATUS_LAPSED",
    "STATUS_NONE",
    "CancellationRow",
    "ContractInfo",
    "HistoryRow",
    "InvoiceRow",
    "SchoolDetail",
    "SchoolRow",
    "SeatRow",
    "TeacherRow",
    "count_schools",
    "list_schools",
    "school_detail",
    "school_ids",
    "school_row",
]
