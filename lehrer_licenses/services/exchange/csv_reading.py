"""Reading a spreadsheet's CSV: its encoding, delimiter and header, whatever program wrote it.

Excel on Windows writes Windows-1252 with ``;`` in German-speaking countries and ``,`` elsewhere,
"CSV UTF-8" with a byte-order mark, and "Unicode text" as UTF-16 with tabs; LibreOffice and
scripts write plain UTF-8; Excel for Mac's "CSV (Macintosh)" writes Mac Roman. Everything here is
about turning those bytes into rows of text; what the rows mean is ``csv_import``'s business.

A wrong guess of the encoding does not fail, it garbles ("ZŸrich" from Mac Roman read as
Windows-1252, "ZÃ¼rich" from UTF-8 read so): the guess (charset-normalizer's among the encodings
spreadsheets write) is checked for the traces such garbling leaves, and a file that still shows
them, or mixes encodings, is refused with its rows named rather than stored garbled.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from lehrer_licenses.i18n import N_, _

DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab")}
MAX_BYTES = 20 * 1024 * 1024  # a school list is a few hundred kB; more is a wrong file
# Characters no spreadsheet cell holds (a vertical tab is Word's line break pasted into a cell).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Excel's first line naming the separator ("sep=;"), which it writes and reads itself.
_SEP_LINE = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)
# The 8-bit encodings spreadsheets write, in the order a tie is decided.
SINGLE_BYTE = (
    ("cp1252", "Windows-1252"),
    ("iso8859_15", "ISO-8859-15"),
    ("mac_roman", "Mac Roman"),
)
# UTF-8 read as Windows-1252: the lead byte of an accented letter (Ã, Â, â€) before what was its
# continuation byte ("ZÃ¼rich", "Â°", "â€“").
_UTF8_AS_1252 = re.compile(
    "[ÂÃ][\u00a0-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160"
    "\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161"
    "\u203a\u0153\u017e\u0178]|â€"
)
# Mac Roman read as Windows-1252: its umlauts and accents are 1252's rare letters and signs, so
# they stand inside words ("ZŸrich", "Hšngg", "MŸller").
_IN_WORD = "Ÿƒ†‡ˆ‰‹›˜™•"
_MAC_AS_1252 = re.compile(f"(?<=[^\\W\\d_])[{_IN_WORD}]|[{_IN_WORD}](?=[^\\W\\d_])")
# š, Š, ž, Ž are Mac Roman's ö, ä, û, é too, but also letters of Czech and Slovene names
# ("Košice"): they weigh in choosing the table, yet alone do not refuse a file.
_CZECH_IN_WORD = re.compile("(?<=[^\\W\\d_])[šŠžŽ]|[šŠžŽ](?=[^\\W\\d_])")
# Read with the wrong 8-bit table, letters turn into signs no name or address holds.
_IMPLAUSIBLE = re.compile(
    "[\u0080-\u009f\u00a4\u00a6\u00a8\u00b8\u00ac\u00b1\u00b6\u00b9\u00af\u00bf\u00a1"
    "\u00d7\u00f7\u2202\u2206\u220f\u2211\u221a\u221e\u222b\u2248\u2260\u2264\u2265\u25ca"
    "\u03a9\u03c0\u02c7-\u02dd\u0131\uf8ff\ufb01\ufb02]"
    # Mac Roman's reading of 1252's é, è, ç: capitals inside a word ("CafÈ")
    "|(?<=[a-zß-ÿ])[À-Þ]"
)


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
    # cells no import may take as they are (control characters), by row and column
    problems: list[Problem] = field(default_factory=list)


class UnreadableFile(Exception):
    """The bytes are not a CSV text at all; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes; UnreadableFile when they are no text, mix
    encodings, or still read garbled in the best encoding (the message names the rows)."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise UnreadableFile(_("the file is empty"))
    if data.startswith(codecs.BOM_UTF8):
        text, name = _decode(data[3:], "utf-8", "UTF-8 (BOM)")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, name = _decode(data, "utf-16", "UTF-16")
    elif b"\x00" in data:
        raise UnreadableFile(_("this is not a text file (it holds binary data)"))
    else:
        try:
            text, name = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            _refuse_mixed(data)
            text, name = _single_byte(data)
    _refuse_garbled(text, name)
    return text, name


def _record_rows(text: str) -> list[tuple[int, str]]:
    """(row number as the spreadsheet shows it, the row's text) for every record: a quoted cell
    may span lines."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    try:
        return [(number, "\x1f".join(cells)) for number, cells in enumerate(reader, 1)]
    except csv.Error:  # an unclosed quotation mark: reported later, by row, by read_table
        return list(enumerate(lines, 1))


def _row_list(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (", …" if len(numbers) > 10 else "")


def _refuse_mixed(data: bytes) -> None:
    """A file pasted together from a UTF-8 and an 8-bit export: no one encoding reads it."""
    utf8, other = [], []
    # Latin-1 maps every byte to one character, so the rows of the bytes can be found before
    # their encoding is known (separators, quotes and line ends are ASCII in all of them).
    for number, row in _record_rows(data.decode("latin-1")):
        raw = row.encode("latin-1")
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    if utf8 and other:
        raise UnreadableFile(
            _(
                "the file mixes two encodings: rows {utf8} are UTF-8, rows {other} are not; "
                "save the whole list again as CSV UTF-8"
            ).format(utf8=_row_list(utf8), other=_row_list(other))
        )


def _implausible(text: str) -> int:
    strong = len(_IMPLAUSIBLE.findall(text)) + len(_MAC_AS_1252.findall(text))
    return 2 * strong + len(_CZECH_IN_WORD.findall(text))


def _single_byte(data: bytes) -> tuple[str, str]:
    """The 8-bit encoding that reads the file most plausibly: charset-normalizer's guess among
    those spreadsheets write, weighed against the traces of garbling each would leave."""
    names = dict(SINGLE_BYTE)
    order = [codec for codec, _name in SINGLE_BYTE]
    guess = from_bytes(data, cp_isolation=order).best()
    if guess is not None and codecs.lookup(guess.encoding).name in map(_codec_name, order):
        preferred = next(c for c in order if _codec_name(c) == codecs.lookup(guess.encoding).name)
        order.remove(preferred)
        order.insert(0, preferred)  # the library's guess decides a tie
    readings = []
    for codec in order:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        readings.append((_implausible(text), text, names[codec]))
    if not readings:
        return _decode(data, "cp1252", "Windows-1252")  # names the byte no table reads
    _score, text, name = min(readings, key=lambda reading: reading[0])
    strong = _IMPLAUSIBLE.search(text) or _MAC_AS_1252.search(text)
    if strong and not any(reading[2] == "Windows-1252" for reading in readings):
        # no table reads it cleanly, and Windows-1252 not at all: say which byte it stops at
        return _decode(data, "cp1252", "Windows-1252")
    return text, name


def _codec_name(codec: str) -> str:
    return codecs.lookup(codec).name


def _refuse_garbled(text: str, encoding: str) -> None:
    """Rows that still show garbling in the chosen encoding: refused rather than stored so."""
    check = _UTF8_AS_1252 if encoding.startswith("UTF") else None
    # A row's cells stand in the text as they are (joined by separators and quotes, which no
    # pattern takes for a letter), so a text without a trace has no row with one.
    if (check is not None and not check.search(text)) or (
        check is None and not (_IMPLAUSIBLE.search(text) or _MAC_AS_1252.search(text))
    ):
        return
    rows = [
        number
        for number, row in _record_rows(text)
        if (check is not None and check.search(row))
        or (check is None and (_IMPLAUSIBLE.search(row) or _MAC_AS_1252.search(row)))
    ]
    if rows:
        raise UnreadableFile(
            _(
                'rows {rows} hold garbled text (such as "ZÃ¼rich" or "ZŸrich" for "Zürich"): '
                "the file was read as {encoding}, but another program's encoding mixed in; "
                "correct those rows or save the list again as CSV UTF-8"
            ).format(rows=_row_list(rows), encoding=encoding)
        )


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
    lines = text.splitlines()
    first_index = next((i for i, line in enumerate(lines) if line.strip()), 0)
    first = lines[first_index] if lines else ""
    skip = 0
    sep_line = _SEP_LINE.match(first)
    if sep_line:
        # Excel's "sep=;" line is no header: it names the separator, and the rows follow it
        delimiter = sep_line.group(1)
        skip = first_index + 1
    else:
        delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: CsvTable | None = None
    row_number = 0
    control: list[Problem] = []
    # Looked for cell by cell only in a text that holds one at all.
    any_control = _CONTROL.search(text) is not None
    try:
        # Numbered as the spreadsheet shows them: one row per record (a quoted cell may span
        # lines), blank rows counted.
        for row_number, cells in enumerate(reader, 1):
            if row_number <= skip or not any(cell.strip() for cell in cells):
                continue  # blank lines, and Excel's ";;;;" for an empty row
            if table is None:
                table = CsvTable(encoding, delimiter, [c.strip() for c in cells], row_number)
            else:
                table.rows.append((row_number, cells))
            if any_control:
                control += _control_characters(row_number, cells, table.header)
    except csv.Error as exc:
        raise UnreadableFile(
            _("row {row}: not valid CSV, check the quotation marks ({error})").format(
                row=row_number + 1, error=exc
            )
        ) from exc
    if table is not None:
        table.problems = control
    if table is None:
        raise UnreadableFile(_("the file holds no values, only separators"))
    return table


def _control_characters(row: int, cells: list[str], header: list[str]) -> list[Problem]:
    problems = []
    for index, cell in enumerate(cells):
        found = _CONTROL.search(cell)
        if found:
            column = header[index] if index < len(header) and header[index] else str(index + 1)
            problems.append(
                Problem(
                    row,
                    column,
                    _(
                        "the cell holds a control character (U+{code:04X}; a vertical tab is a "
                        "line break pasted from Word): remove it"
                    ).format(code=ord(found.group())),
                )
            )
    return problems


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
