"""Monthly DB-hosting counts from CSV: all rows or none, every bad row named; Excel's encodings and
separators; existing months only replaced when asked."""

from __future__ import annotations

from datetime import date

import pytest

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.exchange.usage_import import (
    UsageImportRejected,
    import_usage,
    read_rows,
)
from lehrer_licenses.services.licences.seats.hosting_usage import record_usage, usage_for_year
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.store.models import School, UsageCount

TODAY = date(2026, 11, 30)


@pytest.fixture
def schools(db, make_school):
    hosted = make_school("Schule Dvořák", db_hosting=True)
    other = make_school("Schule Ørsted", db_hosting=True)
    seats_only = make_school("Primarschule Aesch")
    order_seats(db, hosted, 5, date(2026, 1, 5))
    order_seats(db, other, 3, date(2026, 3, 10))
    order_seats(db, seats_only, 2, date(2026, 1, 5))
    return hosted, other, seats_only


def counts(db, number: str) -> dict[str, int]:
    with db.reading() as session:
        school = session.query(School).filter_by(number=number).one()
        return {m.strftime("%Y-%m"): n for m, n in usage_for_year(session, school.id, 2026).items()}


def usage_rows(db) -> int:
    with db.reading() as session:
        return session.query(UsageCount).count()


def test_a_good_file_is_recorded_like_counts_entered_by_hand(db, schools, tmp_path):
    hosted, other, _seats_only = schools
    path = tmp_path / "usage.csv"
    # Excel on Windows: cp1252, semicolons, a German header, CRLF.
    path.write_bytes(
        f"Schulnummer;Monat;Anzahl\r\n{hosted};2026-01;10\r\n{hosted};2026-02;11\r\n"
        f"{other};2026-03;7\r\n".encode("cp1252")
    )
    result = import_usage(db, path, today=TODAY)
    assert (result.rows, result.schools, result.replaced) == (3, 2, 0)
    assert counts(db, hosted) == {"2026-01": 10, "2026-02": 11}
    assert counts(db, other) == {"2026-03": 7}


def test_every_bad_row_is_named_and_nothing_is_written(db, schools, tmp_path):
    hosted, other, seats_only = schools
    record_usage(db, other, date(2026, 4, 1), 6)
    path = tmp_path / "usage.csv"
    path.write_text(
        "\n".join(
            [
                "school,month,count",
                f"{hosted},2026-01,10",  # fine, but the file as a whole is refused
                "999999,2026-01,3",
                f"{seats_only},2026-01,3",
                f"{hosted},2026-13,3",
                f"{hosted},2026-12,3",
                f"{hosted},2026-02,-1",
                f"{hosted},2026-03,4.5",
                f"{hosted},2026-01,12",
                f"{other},2026-04,8",
                f"{other},2026-01,8",
                f"{hosted}",
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(UsageImportRejected) as caught:
        import_usage(db, path, today=TODAY)
    problems = [(p.row, p.column, p.reason) for p in caught.value.problems]
    assert problems == [
        (3, "school", "unknown school '999999'"),
        (4, "school", "the school has no running contract billed by usage (L7)"),
        (5, "month", "not a month (expected YYYY-MM): '2026-13'"),
        (6, "month", "2026-12 lies in the future"),
        (7, "count", "a user count cannot be negative: -1"),
        (8, "count", "not a whole number: '4.5'"),
        (9, "month", f"school {hosted} and 2026-01 are already in row 2"),
        (
            10,
            "month",
            f"2026-04 of school {other} is already recorded (6 users); "
            "import with --replace to replace it",
        ),
        (11, "month", "2026-01 is before the contract started in 2026-03"),
        (12, "", "expected 3 columns (school, month, count), found 1"),
    ]
    assert "row 3, column 'school': unknown school '999999'" in str(caught.value)
    assert usage_rows(db) == 1  # only the count entered by hand


def test_replace_existing_months_only_when_asked(db, schools, tmp_path):
    _hosted, other, _seats_only = schools
    record_usage(db, other, date(2026, 4, 1), 6)
    path = tmp_path / "usage.tsv"
    path.write_bytes(("\ufeff" + f"{other}\t2026-04\t8\n{other}\t2026-05\t9\n").encode("utf-8"))
    with pytest.raises(UsageImportRejected):
        import_usage(db, path, today=TODAY)
    result = import_usage(db, path, replace=True, today=TODAY)
    assert (result.rows, result.replaced) == (2, 1)
    assert counts(db, other) == {"2026-04": 8, "2026-05": 9}


def test_encodings_and_separators():
    # The reading the schools import uses (services/csv_reading): encodings and separators.
    def cells(data: bytes) -> list[list[str]]:
        rows, _columns, _header = read_rows(data)
        return [row for _number, row in rows]

    assert cells("100001;Zürich;3".encode("cp1252")) == [["100001", "Zürich", "3"]]
    assert cells("\ufeff100001;Zürich;3".encode()) == [["100001", "Zürich", "3"]]
    assert cells("100001;Zürich;3".encode("utf-16")) == [["100001", "Zürich", "3"]]  # BOM
    assert cells(b"100001;2026-01;1,5\n") == [["100001", "2026-01", "1,5"]]
    assert cells(b"\n\n100001\t2026-01\t3") == [["100001", "2026-01", "3"]]
    assert cells(b"100001,2026-01,3") == [["100001", "2026-01", "3"]]


def test_cli_usage_import(db, db_path, schools, tmp_path, capsys):
    hosted, _other, _seats_only = schools
    good = tmp_path / "good.csv"
    good.write_text(f"{hosted};2026-01;10\n", encoding="utf-8")
    base = ["--db", str(db_path), "usage", "import"]
    assert main([*base, str(good), "--today", "2026-11-30"]) == 0
    assert "1 monthly count(s) of 1 school(s) imported, 0 replaced." in capsys.readouterr().out
    assert main([*base, str(good), "--today", "2026-11-30"]) == 2
    err = capsys.readouterr().err
    assert "nothing was written: 1 problem" in err and "row 1, column 'month'" in err
    assert main(["--db", str(db_path), "usage", "record", hosted, "--month", "2026-02"]) == 0
