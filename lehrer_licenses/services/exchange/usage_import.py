"""Monthly DB-hosting user counts (L7) imported from a CSV file: school number, month, count.

All rows or none: every row is checked first and every problem is reported with its row, its
column and the reason; only a file without a problem is written, in one transaction, each row
through ``usage.record_usage_in`` exactly as if it had been entered by hand. A month already
recorded is replaced only when asked to (``replace``).

The file may come from Excel or a script: UTF-8 (with or without BOM), UTF-16 with BOM, or
Windows-1252; separated by semicolons, commas or tabs; with or without a header row. A header
may name the columns in any order (school/number/Schulnummer, month/Monat, count/Anzahl, ...).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lehrer_licenses.domain.periods import month_start
from lehrer_licenses.i18n import N_, _
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.exchange import csv_reading
from lehrer_licenses.services.exchange.csv_reading import UnreadableFile, sniff_delimiter
from lehrer_licenses.services.licences.seats.hosting_usage import record_usage_in, require_hosting
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import School, UsageCount

SCHOOL, MONTH, COUNT = "school", "month", "count"
COLUMN_NAMES = {SCHOOL: N_("school"), MONTH: N_("month"), COUNT: N_("count")}
# Header words (case, spaces, dots, dashes and underscores ignored) -> column.
HEADER_WORDS = {
    SCHOOL: {
        "school", "schoolnumber", "schoolno", "number", "nr", "no", "schule", "schulnummer",
        "schulnr", "ecole", "école", "numero", "numéro", "scuola", "schoolnummer",
    },
    MONTH: {"month", "monat", "mois", "mese", "maand", "period", "periode", "période"},
    COUNT: {
        "count", "users", "usercount", "anzahl", "benutzer", "nombre", "utilisateurs",
        "conteggio", "utenti", "aantal", "gebruikers",
    },
}  # fmt: skip
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")
INTEGER_PATTERN = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # the line of the file, 1 = the first line (the header, when there is one)
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return _("row {row}: {reason}").format(row=self.row, reason=self.reason)
        return _("row {row}, column {column}: {reason}").format(
            row=self.row, column=f"'{self.column}'", reason=self.reason
        )

    def to_json(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class UsageImportRejected(InvalidInput):
    """The file has problems; nothing was written. ``problems`` lists every one of them."""

    def __init__(self, path: Path | str, problems: list[RowProblem]) -> None:
        self.problems = problems
        lines = [
            _("{path} was not imported, nothing was written: {n} problem(s)").format(
                path=path, n=len(problems)
            ),
            *(f"  {p}" for p in problems),
        ]
        super().__init__("\n".join(lines))


@dataclass
class UsageImport:
    rows: int = 0
    schools: int = 0
    replaced: int = 0
    counts: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "rows": self.rows,
            "schools": self.schools,
            "replaced": self.replaced,
            "counts": self.counts,
        }


# --- reading the file --------------------------------------------------------------------


def _word(text: str) -> str:
    return re.sub(r"[\s._\-]+", "", text.strip().casefold())


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column positions named by a header row, or None when the row is not a header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for column, words in HEADER_WORDS.items():
            if _word(cell) in words and column not in found:
                found[column] = index
    if len(found) == 3:
        return found
    if (
        len(cells) >= 3
        and not cells[0].strip().isdigit()
        and not MONTH_PATTERN.match(cells[1].strip())
        and not INTEGER_PATTERN.match(cells[2].strip())
    ):
        return {SCHOOL: 0, MONTH: 1, COUNT: 2}  # a header in words we do not know
    return None


def read_rows(data: bytes) -> tuple[list[tuple[int, list[str]]], dict[str, int], list[str] | None]:
    """(line number, cells) of the data rows, the column positions, and the header if any."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe"):
        return [], {SCHOOL: 0, MONTH: 1, COUNT: 2}, None
    text, _encoding = csv_reading.decode(data)  # the schools import's detection
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    rows = [(number, cells) for number, cells in enumerate(reader, start=1)]
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        return [], {SCHOOL: 0, MONTH: 1, COUNT: 2}, None
    header = _header_columns(rows[0][1])
    if header is not None:
        return rows[1:], header, rows[0][1]
    return rows, {SCHOOL: 0, MONTH: 1, COUNT: 2}, None


# --- checking and writing ----------------------------------------------------------------


def _month_column(header: list[str] | None, columns: dict[str, int]) -> str:
    if header is not None and columns[MONTH] < len(header) and header[columns[MONTH]]:
        return header[columns[MONTH]].strip()
    return _(COLUMN_NAMES[MONTH])


def _month(text: str) -> date | None:
    match = MONTH_PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


@dataclass(frozen=True, slots=True)
class UsageRow:
    """One checked row: what it records and what it replaces (None: a new month)."""

    row: int
    school: str
    school_name: str
    month: date
    count: int
    previous: int | None


@dataclass
class UsageCheck:
    """The rows of a file as the import would record them, or every problem (replace=True: a
    month already recorded is listed with its previous count, not as a problem)."""

    rows: list[UsageRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def replacing(self) -> int:
        return sum(1 for r in self.rows if r.previous is not None)


def check_usage(db: Database, path: Path | str, *, today: date | None = None) -> UsageCheck:
    """Read and check ``path`` like ``import_usage(replace=True)`` would, writing nothing."""
    path = Path(path)
    rows, columns, header = _read(path)
    with db.reading() as session:
        problems, parsed, existing, schools = _check(
            session, rows, columns, header, month_start(today or date.today())
        )
    return UsageCheck(
        [
            UsageRow(line, number, schools[number].name, month, count,
                     existing.get((schools[number].id, month)))
            for line, number, month, count in parsed
        ],
        problems,
    )  # fmt: skip


def _read(path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    try:
        rows, columns, header = read_rows(data)
    except UnreadableFile as exc:
        raise InvalidInput(f"{path}: {exc}") from exc
    if not rows:
        raise InvalidInput(_("{path} holds no counts").format(path=path))
    return rows, columns, header


def _check(session, rows, columns, header, this_month: date):
    """(problems, parsed rows, existing counts, schools by number); an existing month is not a
    problem here (the caller decides whether it may be replaced)."""

    def name(column: str) -> str:
        if header is not None and columns[column] < len(header) and header[columns[column]]:
            return header[columns[column]].strip()
        return _(COLUMN_NAMES[column])

    problems: list[RowProblem] = []
    parsed: list[tuple[int, str, date, int]] = []
    first_row: dict[tuple[str, date], int] = {}
    numbers = {cells[columns[SCHOOL]].strip() for _n, cells in rows if len(cells) > 2}
    schools = {
        s.number: s for s in session.scalars(select(School).where(School.number.in_(numbers)))
    }
    started: dict[str, date | str] = {}  # school -> contract start, or why it has no counts
    for number, school in schools.items():
        try:
            started[number] = month_start(require_hosting(session, school).started_on)
        except InvalidInput:
            started[number] = _("the school has no running contract billed by usage (L7)")
    existing = {
        (school_id, month): count
        for school_id, month, count in session.execute(
            select(UsageCount.school_id, UsageCount.month, UsageCount.count).where(
                UsageCount.school_id.in_([s.id for s in schools.values()])
            )
        )
    }
    for line, cells in rows:
        if len(cells) < 3 or max(columns.values()) >= len(cells):
            problems.append(
                RowProblem(
                    line,
                    "",
                    _("expected 3 columns (school, month, count), found {n}").format(n=len(cells)),
                )
            )
            continue
        number = cells[columns[SCHOOL]].strip()
        month_text = cells[columns[MONTH]].strip()
        count_text = cells[columns[COUNT]].strip()
        ok = True
        school = schools.get(number)
        if school is None:
            problems.append(
                RowProblem(
                    line,
                    name(SCHOOL),
                    _("unknown school {number!r}").format(number=number)
                    if number
                    else _("no school number"),
                )
            )
            ok = False
        elif isinstance(started[number], str):
            problems.append(RowProblem(line, name(SCHOOL), str(started[number])))
            ok = False
        month = _month(month_text)
        if month is None:
            problems.append(
                RowProblem(
                    line,
                    name(MONTH),
                    _("not a month (expected YYYY-MM): {text!r}").format(text=month_text),
                )
            )
            ok = False
        elif month > this_month:
            problems.append(
                RowProblem(
                    line,
                    name(MONTH),
                    _("{month} lies in the future").format(month=month.strftime("%Y-%m")),
                )
            )
            ok = False
        elif ok and month < started[number]:  # type: ignore[operator]
            problems.append(
                RowProblem(
                    line,
                    name(MONTH),
                    _("{month} is before the contract started in {start}").format(
                        month=month.strftime("%Y-%m"),
                        start=started[number].strftime("%Y-%m"),  # type: ignore[union-attr]
                    ),
                )
            )
            ok = False
        count = int(count_text) if INTEGER_PATTERN.match(count_text) else None
        if count is None:
            problems.append(
                RowProblem(
                    line,
                    name(COUNT),
                    _("not a whole number: {text!r}").format(text=count_text),
                )
            )
            ok = False
        elif count < 0:
            problems.append(
                RowProblem(
                    line, name(COUNT), _("a user count cannot be negative: {n}").format(n=count)
                )
            )
            ok = False
        if month is not None and number:
            key = (number, month)
            if key in first_row:
                problems.append(
                    RowProblem(
                        line,
                        name(MONTH),
                        _("school {school} and {month} are already in row {row}").format(
                            school=number, month=month.strftime("%Y-%m"), row=first_row[key]
                        ),
                    )
                )
                ok = False
            else:
                first_row[key] = line
        if ok and school is not None and month is not None and count is not None:
            parsed.append((line, number, month, count))
    return problems, parsed, existing, schools


def import_usage(
    db: Database, path: Path | str, *, replace: bool = False, today: date | None = None
) -> UsageImport:
    """Import the monthly counts of ``path``; all rows or none (``UsageImportRejected``)."""
    path = Path(path)
    rows, columns, header = _read(path)
    with db.transaction() as session:
        problems, checked, existing, schools = _check(
            session, rows, columns, header, month_start(today or date.today())
        )
        parsed = []
        for line, number, month, count in checked:
            before = existing.get((schools[number].id, month))
            if before is not None and not replace:
                problems.append(
                    RowProblem(
                        line,
                        _month_column(header, columns),
                        _(
                            "{month} of school {school} is already recorded ({n} users); "
                            "import with --replace to replace it"
                        ).format(month=month.strftime("%Y-%m"), school=number, n=before),
                    )
                )
            else:
                parsed.append((line, number, month, count))
        if problems:
            problems.sort(key=lambda p: p.row)  # stable: a row's problems keep their order
            raise UsageImportRejected(path, problems)
        result = UsageImport(rows=len(parsed), schools=len({p[1] for p in parsed}))
        for _line, number, month, count in parsed:
            if (schools[number].id, month) in existing:
                result.replaced += 1
            record_usage_in(session, number, month, count, source="import")
            result.counts.append(
                {"school": number, "month": month.strftime("%Y-%m"), "count": count}
            )
        return result
