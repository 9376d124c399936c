"""The rows of an import file: their values by field, and the checks of a single cell (count of
values, length, yes/no, spreadsheet formulas) before the rules of schools and teachers apply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lehrer_licenses.i18n import _
from lehrer_licenses.services.exchange import import_columns as cols
from lehrer_licenses.services.exchange.csv_reading import CsvTable, Problem

# What a spreadsheet would run as a formula when the value is exported and opened again.
FORMULA_START = ("=", "+", "-", "@")


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    values: dict[str, str]  # field -> stripped text
    headers: dict[str, str]  # field -> the file's name for its column
    bad: bool = False
    # More or fewer values than the header: they may sit in the wrong columns, so the row's
    # fields are not checked one by one (that would only list consequences).
    shifted: bool = False

    def problem(self, problems: list[Problem], name: str, reason: str) -> None:
        problems.append(Problem(self.number, self.headers.get(name, name), reason))
        self.bad = True


def split_rows(
    table: CsvTable,
    columns: dict[int, str],
    problems: list[Problem],
    required: Sequence[str] = (),
) -> list[Row]:
    """``required``: the fields a row must have. Excel leaves the separators of empty cells at a
    row's end off, so a short row stands for those empty cells - unless a required column is
    among them: then its values have more likely slipped into the wrong columns."""
    width = len(table.header)
    headers = {name: table.header[index] for index, name in columns.items()}
    # Per column, whether a value needs ``check_cell`` beyond what the loop sees at once (a
    # yes/no field always; any other only when it may be a formula or too long), so that the
    # plain cells of a 100,000-row file cost no call each.
    limits = {
        name: (None if name in cols.BOOLEAN_FIELDS else cols.MAX_LENGTH.get(name, 0))
        for name in columns.values()
    }
    rows = []
    for number, cells in table.rows:
        row = Row(number, {}, headers)
        rows.append(row)
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            problems.append(
                Problem(
                    number,
                    "",
                    _("{n} values, but the header names {width} columns").format(
                        n=width + len(extra), width=width
                    ),
                )
            )
            row.bad = row.shifted = True
        elif len(cells) < width and any(
            columns.get(index) in required for index in range(len(cells), width)
        ):
            problems.append(
                Problem(
                    number,
                    "",
                    _("only {n} values, but the header names {width} columns").format(
                        n=len(cells), width=width
                    ),
                )
            )
            row.bad = row.shifted = True
        if row.shifted:
            continue
        cells = [*cells[:width], *[""] * (width - len(cells))]
        for index, cell in enumerate(cells):
            name = columns.get(index)
            value = cell.strip()
            if name is None:
                if value and not table.header[index]:
                    problems.append(
                        Problem(
                            number,
                            "",
                            _("a value in a column without a name: {value!r}").format(
                                value=short(value)
                            ),
                        )
                    )
                    row.bad = True
                continue
            row.values[name] = value
            limit = limits[name]
            if limit is None or value[:1] in FORMULA_START or (limit and len(value) > limit):
                check_cell(row, name, value, problems)
    return rows


def short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


def check_cell(row: Row, name: str, value: str, problems: list[Problem]) -> None:
    column = row.headers[name]
    limit = cols.MAX_LENGTH.get(name)
    if name in cols.BOOLEAN_FIELDS:
        if value.casefold() not in cols.YES | cols.NO:
            problems.append(
                Problem(row.number, column, _("not yes or no: {value!r}").format(value=value))
            )
            row.bad = True
        return
    if value.startswith(FORMULA_START) and len(value) > 1:
        problems.append(
            Problem(
                row.number,
                column,
                _("looks like a spreadsheet formula: {value!r}").format(value=short(value)),
            )
        )
        row.bad = True
    elif limit is not None and len(value) > limit:
        problems.append(
            Problem(
                row.number,
                column,
                _("too long: {n} characters, at most {limit}").format(n=len(value), limit=limit),
            )
        )
        row.bad = True


def flag(value: str) -> bool:
    return value.casefold() in cols.YES
