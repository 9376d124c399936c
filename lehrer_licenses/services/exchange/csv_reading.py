"""Reading a spreadsheet's CSV: its encoding, delimiter and header, whatever program wrote it.

Excel on Windows writes Windows-1252 with ``;`` in German-speaking countries and ``,`` elsewhere,
"CSV UTF-8" with a byte-order mark, and "Unicode text" as UTF-16 with tabs; LibreOffice and
scripts write plain UTF-8. Everything here is about turning those bytes into rows of text; what
the rows mean is ``csv_import``'s business.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lehrer_licenses.i18n import N_, _

DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab")}
MAX_BYTES = 20 * 1024 * 1024  # a school list is a few hundred kB; more is a wrong file
# Characters no spreadsheet cell holds: a file with them is not a text export.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: ``row`` as the spreadsheet shows it (the header is row 1;
    None for the file as a whole), the column's name as the file writes it, and the reason."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column!r}").format(column=self.column))
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass
class CsvTable:
    encoding: str
    delimiter: str
    header: list[str]
    header_row: int = 1
    # (row number as the spreadsheet shows it, cells) for every row that is not blank
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


class UnreadableFile(Exception):
    """The bytes are not a CSV text at all; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise UnreadableFile(_("the file is empty"))
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", "UTF-8 (BOM)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", "UTF-16")
    if b"\x00" in data:
        raise UnreadableFile(_("this is not a text file (it holds binary data)"))
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Excel's "CSV (semicolon/comma separated)" on Windows, Windows-1252. The five
    # bytes that code page leaves undefined mean it is neither.
    return _decode(data, "cp1252", "Windows-1252")


def _decode(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _(
                "the file's characters are in an unknown encoding (byte {byte} at position "
                "{position}); save it as CSV UTF-8"
            ).format(byte=f"0x{data[exc.start]:02X}", position=exc.start)
        ) from exc
    return text, name


def sniff_delimiter(header_line: str) -> str:
    """The candidate that splits the header into the most cells (header names hold none of
    them); a semicolon on a tie, as German-speaking Excel writes it."""
    best, best_count = ";", 1
    for candidate in DELIMITERS:
        cells = next(csv.reader([header_line], delimiter=candidate), [])
        if len(cells) > best_count:
            best, best_count = candidate, len(cells)
    return best


def read_table(data: bytes) -> CsvTable:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            _("the file is larger than {mb} MB; is it the right file?").format(
                mb=MAX_BYTES // (1024 * 1024)
            )
        )
    text, encoding = decode(data)
    if _CONTROL.search(text):
        raise UnreadableFile(_("this is not a text file (it holds control characters)"))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: CsvTable | None = None
    row_number = 0
    try:
        # Numbered as the spreadsheet shows them: one row per record (a quoted cell may span
        # lines), blank rows counted.
        for row_number, cells in enumerate(reader, 1):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, and Excel's ";;;;" for an empty row
            if table is None:
                table = CsvTable(encoding, delimiter, [c.strip() for c in cells], row_number)
            else:
                table.rows.append((row_number, cells))
    except csv.Error as exc:
        raise UnreadableFile(
            _("row {row}: not valid CSV, check the quotation marks ({error})").format(
                row=row_number + 1, error=exc
            )
        ) from exc
    if table is None:
        raise UnreadableFile(_("the file holds no values, only separators"))
    return table


def header_key(name: str) -> str:
    """A header cell compared without case, accents, spaces or punctuation: "E-Mail",
    "e_mail" and "EMAIL " are one."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def map_header(
    header: Sequence[str], aliases: Mapping[str, Sequence[str]], row: int = 1
) -> tuple[dict[int, str], list[Problem]]:
    """(column index -> field, problems) for a header row; ``aliases`` gives every name a field
    may have. Unknown and doubled columns are problems: their data would otherwise be dropped
    or overwritten without a word."""
    lookup = {header_key(alias): name for name, names in aliases.items() for alias in names}
    lookup.update({header_key(name): name for name in aliases})
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(header):
        if not cell:
            continue  # checked against the data: an unnamed column must stay empty
        name = lookup.get(header_key(cell))
        if name is None:
            problems.append(Problem(row, cell, _("unknown column")))
        elif name in seen:
            problems.append(
                Problem(
                    row,
                    cell,
                    _("the column appears twice (also as {other!r})").format(other=seen[name]),
                )
            )
        else:
            seen[name] = cell
            columns[index] = name
    return columns, problems
