"""School lists as real programs write them (issue 19): each file is made here the way Excel for
Windows, Excel for Mac ("CSV (Macintosh)"), Excel's "Unicode text", LibreOffice and a hand-pasted
mix write it. A file either reads exactly as typed or is refused naming the rows at fault - never
stored garbled ("ZŸrich-Hšngg", "ZÃ¼rcherstrasse", "¤" for "€")."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import select

from lehrer_licenses.services.exchange.csv_reading import read_table
from lehrer_licenses.services.exchange.school_import import ImportRefused, check_import, run_import
from lehrer_licenses.store.database import open_database
from lehrer_licenses.store.models import School

HEADER = "name;street;house_number;postcode;city;country;language;email;vat_id"
ROWS = [
    "Schulhaus Zürich-Höngg;Zürcherstrasse;12;8049;Zürich;CH;de;info@hoengg.example;",
    "École de Genève;Rue de l'Église;3;1204;Genève;CH;fr;;",
    "Scuola Lugano;Via Cantù;5;6900;Lugano;CH;it;;",
    "Grundschule Müßiggang;Straße;7;10115;Berlin;DE;de;;",
]
NAMES = ["Schulhaus Zürich-Höngg", "École de Genève", "Scuola Lugano", "Grundschule Müßiggang"]


def text(*rows: str, end: str = "\r\n") -> str:
    return end.join([HEADER, *rows]) + end


UTF16 = codecs.BOM_UTF16_LE + (HEADER + "\r\n" + "\r\n".join(ROWS) + "\r\n").replace(
    ";", "\t"
).encode("utf-16-le")


@pytest.fixture
def desk(databases, tmp_path):
    path = tmp_path / "desk.sqlite"
    db = open_database(databases.copy_to(path))
    yield db
    db.dispose()


def names(desk) -> list[str]:
    with desk.reading() as session:
        return sorted(s.name for s in session.scalars(select(School)))


def refused(desk, data: bytes) -> str:
    with pytest.raises(ImportRefused) as caught:
        run_import(desk, "schools", data)
    assert names(desk) == []  # nothing written
    return " | ".join(str(p) for p in caught.value.report.problems)


@pytest.mark.parametrize(
    ("program", "data", "encoding"),
    [
        ("Excel Windows CSV (cp1252)", text(*ROWS).encode("cp1252"), "Windows-1252"),
        ("Excel Mac CSV (Macintosh)", text(*ROWS, end="\r").encode("mac_roman"), "Mac Roman"),
        ("Excel Unicode text (UTF-16 BOM)", UTF16, "UTF-16"),
        ("Excel CSV UTF-8 (BOM)", codecs.BOM_UTF8 + text(*ROWS).encode(), "UTF-8 (BOM)"),
        ("LibreOffice UTF-8", text(*ROWS, end="\n").encode(), "UTF-8"),
    ],
)
def test_every_program_s_file_reads_as_typed(desk, program, data, encoding):
    report = run_import(desk, "schools", data)
    assert report.written and report.problems == [], program
    assert report.encoding == encoding
    assert names(desk) == sorted(NAMES)
    with desk.reading() as session:
        streets = {s.street for s in session.scalars(select(School))}
    assert {"Zürcherstrasse", "Rue de l'Église", "Via Cantù", "Straße"} == streets


def test_a_mac_file_with_few_accents_is_not_taken_for_windows_1252(desk):
    data = text("Schule ZŸrich;;;8000;ZŸrich;CH;de;;".replace("Ÿ", "ü")).encode("mac_roman")
    assert read_table(data).encoding == "Mac Roman"
    run_import(desk, "schools", data)
    assert names(desk) == ["Schule Zürich"]


def test_iso_8859_15_euro_sign(desk):
    data = text("Schule 5 € Strasse;;;8000;Zürich;CH;de;;").encode("iso8859_15")
    report = run_import(desk, "schools", data)
    assert report.encoding == "ISO-8859-15"
    assert names(desk) == ["Schule 5 € Strasse"]


def test_a_file_pasted_from_utf8_and_windows_1252_is_refused_naming_the_rows(desk):
    data = (
        text(ROWS[0], ROWS[1]).encode()
        + (ROWS[2] + "\r\n" + ROWS[3] + "\r\n").encode("cp1252")
        + b"Plain;;;1000;Bern;CH;de;;\r\n"
    )
    message = refused(desk, data)
    assert "mixes two encodings: rows 2, 3 are UTF-8, rows 4, 5 are not" in message


def test_text_garbled_before_it_came_is_refused_naming_the_rows(desk):
    # a UTF-8 export once opened as Windows-1252 and saved again as UTF-8
    garbled = ROWS[0].replace("ü", "Ã¼")
    message = refused(desk, text(ROWS[1], garbled).encode())
    assert message.startswith("rows 3 hold garbled text")
    # Mac Roman read as Windows-1252 and saved so
    garbled = "Schulhaus ZŸrich-Hšngg;;;8049;ZŸrich;CH;de;;"
    message = refused(desk, text(ROWS[1], ROWS[2], garbled).encode("cp1252"))
    assert message.startswith("rows 4 hold garbled text")


def test_excel_short_rows_take_the_missing_trailing_cells_as_empty(desk):
    short = "Schule Kurz;Weg;1;3000;Bern;CH;de"  # e-mail and VAT number left off
    report = run_import(desk, "schools", text(short, ROWS[1]).encode("cp1252"))
    assert report.written and report.problems == []
    assert names(desk) == ["Schule Kurz", "École de Genève"]


def test_a_short_row_that_lacks_a_required_column_is_still_refused(desk):
    message = refused(desk, text("Schule Kurz;Weg;1;3000;Bern;CH").encode())
    assert "row 2: only 6 values, but the header names 9 columns" in message


def test_excel_sep_line_names_the_separator(desk):
    data = ("sep=;\r\n" + text(*ROWS)).encode("cp1252")
    report = run_import(desk, "schools", data)
    assert report.delimiter == ";" and report.problems == []
    assert names(desk) == sorted(NAMES)
    comma = ('"sep=,"\n' + text(*ROWS, end="\n").replace(";", ",")).encode()
    assert read_table(comma).delimiter == "," and read_table(comma).header_row == 2


def test_a_word_line_break_is_named_by_row_and_column(desk):
    pasted = ROWS[1].replace("Rue de l'Église", "Rue de\x0bl'Église")
    message = refused(desk, text(ROWS[0], pasted).encode())
    assert message == (
        "row 3, column 'street': the cell holds a control character (U+000B; a vertical tab is "
        "a line break pasted from Word): remove it"
    )


def test_check_only_reports_the_same(desk):
    report = check_import(desk, "schools", text(*ROWS, end="\r").encode("mac_roman"))
    assert report.ok and report.encoding == "Mac Roman"
    assert names(desk) == []


def test_czech_and_slovak_names_in_windows_1252_are_not_taken_for_garbling(desk):
    # š is also Mac Roman's ö read as 1252; with the file's ü it reads best, and is kept
    data = text("Základná škola Košice;;;8000;Zürich;CH;de;;").encode("cp1252")
    report = run_import(desk, "schools", data)
    assert report.encoding == "Windows-1252" and report.problems == []
    assert names(desk) == ["Základná škola Košice"]
