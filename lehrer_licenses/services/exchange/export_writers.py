"""Writing export rows as CSV or XLSX, with every text cell made inert for spreadsheets.

CSV: UTF-8 with a byte order mark, ``;`` between fields, CRLF line ends. Excel in Switzerland
and Germany splits on ``;`` (the list separator of those locales) and reads UTF-8 only with the
BOM; bookkeeping imports (Banana, Abacus, bexio, DATEV's ASCII import) take ``;`` too. Numbers
are plain decimal-point strings with two decimals and no thousands separators ("1234.50",
"-505.90"), dates are ISO ("2026-03-11"): the same bytes whatever the UI language.

XLSX: numbers are numeric cells (format ``0.00``), dates date cells (``yyyy-mm-dd``); written
in openpyxl's streaming mode so 400,000 seats do not have to fit in memory at once.

Formula injection (a cell a spreadsheet would run, e.g. ``=HYPERLINK(...)``): a text value
whose first character, after any leading whitespace, is ``=``, ``+``, ``-`` or ``@`` (or their
full-width forms), or that starts with a tab or carriage return, gets a leading ``'``. In XLSX
the cell is also typed as a string, so it can never be stored as a formula. Numbers and dates
are typed cells, never text, so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

TEXT, MONEY, RATE, DATE, INTEGER = "text", "money", "rate", "date", "integer"
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)

# What a spreadsheet may take as the start of a formula (OWASP's list, and the full-width forms
# some Excel versions accept as the ASCII ones).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = ("\t", "\r")
CENT = Decimal("0.01")
ROW_BATCH = 500  # rows between two progress reports


@dataclass(frozen=True)
class Column:
    key: str  # the header: a stable name, the same in every UI language (import mappings)
    kind: str = TEXT
    width: int = 14  # XLSX column width in characters


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it but never runs it."""
    if not text:
        return text
    if text.startswith(CONTROL_STARTS) or text.lstrip()[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def money_text(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP):.2f}"


def rate_text(value: Decimal) -> str:
    """A VAT rate in percent: two decimals ("8.10"), more only if the rate has them."""
    rounded = value.quantize(CENT, ROUND_HALF_UP)
    return f"{rounded:.2f}" if rounded == value else format(value.normalize(), "f")


def _csv_cell(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == TEXT:
        return neutralise(str(value))
    if column.kind == MONEY:
        return money_text(value)
    if column.kind == RATE:
        return rate_text(value)
    if column.kind == DATE:
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    return str(int(value))


Progress = Callable[[int], None]  # rows written so far


def write_csv(
    path: Path, columns: Sequence[Column], rows: Iterable[Sequence], progress: Progress
) -> int:
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([neutralise(c.key) for c in columns])
        for row in rows:
            writer.writerow([_csv_cell(c, v) for c, v in zip(columns, row, strict=True)])
            count += 1
            if count % ROW_BATCH == 0:
                progress(count)
    return count


def write_xlsx(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    progress: Progress,
    title: str = "export",
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def text_cell(value: str) -> str | WriteOnlyCell:
        # Control characters XML cannot hold would make openpyxl refuse the whole file.
        clean = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        inert = neutralise(clean)
        if inert is clean and not clean.startswith("="):
            # openpyxl types a plain str as a string unless it starts with "=" (and passing a
            # bare value costs a third of what a cell object does).
            return clean
        cell = WriteOnlyCell(sheet, value=inert)
        cell.data_type = "s"  # never a formula, whatever the text
        return cell

    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(column.key))
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def cell_of(column: Column, value):
        if value is None:
            return None
        if column.kind == TEXT:
            return text_cell(str(value))
        if column.kind in (MONEY, RATE):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "0.00"
            return cell
        if column.kind == DATE:
            cell = WriteOnlyCell(
                sheet, value=value.date() if isinstance(value, datetime) else value
            )
            cell.number_format = "yyyy-mm-dd"
            return cell
        return int(value)

    count = 0
    stopped: BaseException | None = None
    try:
        for row in rows:
            sheet.append([cell_of(c, v) for c, v in zip(columns, row, strict=True)])
            count += 1
            if count % ROW_BATCH == 0:
                progress(count)
    except BaseException as exc:  # cancelled or failed: the caller throws the file away
        stopped = exc
    # Saving also ends openpyxl's row stream; a stream left open fails again when collected.
    try:
        book.save(path)
    except Exception:
        if stopped is None:
            raise
    if stopped is not None:
        raise stopped
    return count


PART = ".part"
_PART_NAME = re.compile(r"^\..+\.(\d+)-[^.]*\.part$")


def _process_gone(pid: int) -> bool:
    if sys.platform == "win32":
        return False  # os.kill(pid, 0) would end the process there; see remove_stale_parts
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remove_stale_parts(folder: Path, now: float | None = None) -> list[Path]:
    """The temporary files of exports killed half-way (their process is gone; on Windows, where
    that cannot be asked, a day old): the next export into the folder removes them."""
    now = time.time() if now is None else now
    removed = []
    for part in folder.glob(f".*{PART}"):
        match = _PART_NAME.match(part.name)
        if match is None:
            continue  # not one of ours
        try:
            old = now - part.stat().st_mtime > 86400
        except FileNotFoundError:
            continue
        if (sys.platform == "win32" and old) or _process_gone(int(match.group(1))):
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """``write`` into a temporary file beside ``path``, then put it in place in one rename: a
    failed or cancelled export leaves the old file (or none), never half a file."""
    remove_stale_parts(path.parent)
    # the writer's process id in the name tells a later export whether the file is abandoned
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=PART, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        count = write(tmp)
        # mkstemp makes the file owner-only; an export is meant to be passed on, so it gets the
        # mode of the file it replaces, or that of a usual new file.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count
