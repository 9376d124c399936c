"""What the contracts that the year-end run writes in one transaction share
(``services.season.year_end``): the PDFs stored at the group's end and, when the group is
written without savepoints, its new rows, its plain UPDATEs and its count of code serials."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.services.billing.pdf_batch import PdfBatch
from lehrer_licenses.store.bulk import GroupInserts


@dataclass
class ContractGroup:
    """What the contracts written in one transaction share: the PDFs stored at its end (None:
    each rendered and stored by its issue), and, when ``deferred`` (no savepoint has to take
    them back), the contracts' new rows and plain UPDATEs, written at its end as one
    executemany each."""

    session: Session
    pdfs: PdfBatch | None = None
    deferred: bool = False
    # When deferred: the highest code serial of each of the group's schools, counted on here,
    # and the new rows, written at the group's end.
    serials: dict[int, int] | None = None
    inserts: GroupInserts | None = None
    _updates: dict[tuple, list[dict]] = field(default_factory=dict)
    # The usage counts of the group's schools billed in arrears, read once for the group:
    # school id -> month -> count (None: each contract reads its own).
    usage: dict[int, dict[date, int]] | None = None

    def next_serial(self, school_id: int) -> int | None:
        """The school's next code serial, or None: the code's insert asks the database."""
        if self.serials is None:
            return None
        self.serials[school_id] = serial = self.serials.get(school_id, 0) + 1
        return serial

    def execute(self, statement: object, rows: list[dict]) -> None:
        if not self.deferred:
            self.session.execute(statement, rows)  # type: ignore[call-overload]
            return
        # one statement per set of columns: an executemany's rows all bind the same names
        self._updates.setdefault((statement, tuple(rows[0])), []).extend(rows)

    def write_deferred(self) -> None:
        if self.inserts is not None:
            self.inserts.write()
        for (statement, _names), rows in self._updates.items():
            self.session.execute(statement, rows)  # type: ignore[call-overload]
        self._updates.clear()
