"""Exports for accounting and records: invoices and credit notes (or their sums per VAT rate),
payments, schools and seats, as CSV or XLSX.

One use case reads everything in one read transaction (one consistent snapshot, however long
the file takes to write) and writes a temporary file that replaces the target only when it is
complete. The column layouts are in ``export_rows``; how cells are written (CSV dialect, XLSX
number and date cells, formula neutralisation) in ``export_writers``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.exchange import export_rows
from lehrer_licenses.services.exchange.export_rows import DATED, KINDS
from lehrer_licenses.services.exchange.export_writers import (
    CSV,
    FORMATS,
    XLSX,
    write_atomically,
    write_csv,
    write_xlsx,
)
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.roles import ACCOUNTANT, require

__all__ = ["CSV", "DATED", "FORMATS", "KINDS", "XLSX", "ExportResult", "export_data"]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    format: str
    rows: int
    date_from: date | None
    date_to: date | None


def format_for(path: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name says (.xlsx), else CSV."""
    if fmt is None:
        return XLSX if Path(path).suffix.lower() == ".xlsx" else CSV
    if fmt not in FORMATS:
        raise InvalidInput(
            _("cannot write the format {format!r}; choose one of {formats}").format(
                format=fmt, formats=", ".join(FORMATS)
            )
        )
    return fmt


def check_target(path: Path | str) -> Path:
    """Refuse a file that cannot be written, before anything is read."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InvalidInput(_("{path} is a folder, not a file").format(path=path))
    if not folder.is_dir():
        raise InvalidInput(_("no such folder: {folder}").format(folder=folder))
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InvalidInput(_("cannot write {path}").format(path=path))
    return target


def check_request(kind: str, date_from: date | None, date_to: date | None) -> None:
    if kind not in KINDS:
        raise InvalidInput(
            _("cannot export {what!r}; choose one of {kinds}").format(
                what=kind, kinds=", ".join(KINDS)
            )
        )
    if (date_from or date_to) and kind not in DATED:
        raise InvalidInput(
            _("a date range applies to invoices and payments only, not to {what}").format(what=kind)
        )
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(
            _("the date range starts after it ends: {start} to {end}").format(
                start=format_date(date_from), end=format_date(date_to)
            )
        )


def export_data(
    db: Database,
    kind: str,
    path: Path | str,
    fmt: str | None = None,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the export ``kind`` (``KINDS``) to ``path``. ``date_from``/``date_to`` (both
    included) filter invoices by their date and payments by the day paid; ``today`` is the day
    overdue is judged on. ``progress(done, total)`` may raise to stop: nothing is written then.
    """
    check_request(kind, date_from, date_to)
    target = check_target(path)
    fmt = format_for(target, fmt)
    today = today or date.today()
    report = progress or (lambda _done, _total: None)
    with db.reading() as session:
        require(session, ACCOUNTANT, _("Exporting"))
        table = export_rows.READERS[kind](session, date_from, date_to, today)
        report(0, table.count)

        def write(tmp: Path) -> int:
            def step(done: int) -> None:
                report(done, table.count)

            if fmt == XLSX:
                return write_xlsx(tmp, table.columns, table.rows, step, title=table.title)
            return write_csv(tmp, table.columns, table.rows, step)

        try:
            rows = write_atomically(target, write)
        except OSError as exc:
            raise InvalidInput(
                _("cannot write {path}: {error}").format(path=path, error=exc)
            ) from exc
    report(rows, rows)
    return ExportResult(target.resolve(), kind, fmt, rows, date_from, date_to)
