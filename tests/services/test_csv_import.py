"""CSV import of schools and teachers (issue 8): a corpus of bad files, each refused with its
message naming row, column and reason, and the database left exactly as it was; good files in
the encodings and delimiters spreadsheets write; an imported school is one the app would make."""

from __future__ import annotations

import codecs
import json

import pytest
from sqlalchemy import select
from support.cli_run import fingerprint

from lehrer_licenses.cli.json_exchange import import_report_json
from lehrer_licenses.services.exchange import school_import as csv_import
from lehrer_licenses.services.exchange.csv_reading import MAX_BYTES, header_key
from lehrer_licenses.services.exchange.import_columns import SCHOOL_COLUMNS, TEACHER_COLUMNS
from lehrer_licenses.services.exchange.school_import import ImportRefused, check_import, run_import
from lehrer_licenses.services.licences.seats.holders import add_teacher
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.database import open_database
from lehrer_licenses.store.models import AuditEntry, School, Teacher

HEADER = "name;street;house_number;postcode;city;country;language;email;vat_id"
GOOD = "Schulhaus Zürich Nord;Bahnhofstrasse;1;8050;Zürich;CH;de;info@zh.example;"


@pytest.fixture(scope="module")
def _template(tmp_path_factory, databases):
    """Made once: two schools, one with a teacher with e-mail and the admin login. Opened, not
    initialised: no test's keys folder exists yet to put a signing key in."""
    path = tmp_path_factory.mktemp("csv") / "template.sqlite"
    path = databases.copy_to(path, lasting=True)
    db = open_database(path)
    aesch = add_school(
        db, SchoolInput("Primarschule Aesch", "CH", "de", postcode="4147", city="Aesch")
    )
    add_school(db, SchoolInput("Grundschule Berlin", "DE", "de", postcode="10115"))
    add_teacher(db, aesch, "Anna", "Keller", "anna@aesch.example")
    add_teacher(db, aesch, "Sekretariat", "Aesch", "", admin=True)
    db.dispose()
    return path


@pytest.fixture
def desk(_template, tmp_path, databases):
    path = databases.clone(_template, tmp_path / "desk.sqlite")
    db = open_database(path)
    db.path = path
    yield db
    db.dispose()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# (id, kind, file bytes, [(row, column, part of the reason)]) -- every kind of bad input.
BAD = [
    ("empty file", "schools", b"", [(None, "", "the file is empty")]),
    (
        "only a BOM and blank lines",
        "schools",
        codecs.BOM_UTF8 + b"\r\n \r\n",
        [(None, "", "the file is empty")],
    ),
    ("only separators", "schools", b";;;\n;;;\n", [(None, "", "no values, only separators")]),
    ("header only", "schools", csv(HEADER), [(None, "", "a header but no rows")]),
    (
        "binary garbage",
        "schools",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
        [(None, "", "not a text file (it holds binary data)")],
    ),
    (
        "control characters",
        "schools",
        csv(HEADER, GOOD.replace("Nord", "N\x02ord")),
        [(2, "name", "the cell holds a control character (U+0002")],
    ),
    (
        "unknown encoding",
        "schools",
        csv(HEADER).replace(b"name", b"n\x81me") + b"x\n",
        [(None, "", "unknown encoding (byte 0x81 at position 1)")],
    ),
    (
        "unclosed quotation mark",
        "schools",
        csv(HEADER, '"Schulhaus;;;8050;Z;CH;de;;'),
        [(None, "", "row 2: not valid CSV, check the quotation marks")],
    ),
    (
        "file too large",
        "schools",
        b"name;country;language\n" + b"x" * MAX_BYTES,
        [(None, "", "larger than 20 MB")],
    ),
    (
        "missing required column",
        "schools",
        csv("name;city;country", "Schule A;Bern;CH"),
        [(1, "language", "a required column is missing (it may also be called Sprache")],
    ),
    (
        "duplicated column",
        "schools",
        csv("Name;Schulname;Land;Sprache", "A;B;CH;de"),
        [(1, "Schulname", "the column appears twice (also as 'Name')")],
    ),
    (
        "unknown column",
        "schools",
        csv("name;country;language;Telefon", "Schule A;CH;de;061 000 00 00"),
        [(1, "Telefon", "unknown column"), (1, "", "the known columns are: number, name")],
    ),
    (
        "value in a column without a name",
        "schools",
        csv("name;country;language;", "Schule A;CH;de;stray"),
        [(2, "", "a value in a column without a name: 'stray'")],
    ),
    (
        "empty required field",
        "schools",
        csv(HEADER, ";;;8050;Zürich;CH;de;;"),
        [(2, "name", "the name is required")],
    ),
    (
        "country unknown to the app",
        "schools",
        csv(HEADER, GOOD.replace(";CH;", ";FR;")),
        [(2, "country", "the country must be one of CH, DE, AT, NL, not 'FR'")],
    ),
    (
        "language not offered",
        "schools",
        csv(HEADER, GOOD.replace(";de;", ";rm;")),
        [(2, "language", "the language must be one of de, fr, it, en, nl, not 'rm'")],
    ),
    (
        "CH postcode with 3 digits",
        "schools",
        csv(HEADER, GOOD.replace("8050", "805")),
        [(2, "postcode", "not a postcode of CH: '805'")],
    ),
    (
        "DE postcode lost its leading zero",
        "schools",
        csv(HEADER, "Grundschule Dresden;;;1067;Dresden;DE;de;;"),
        [(2, "postcode", "not a postcode of DE: '1067'")],
    ),
    (
        "AT postcode with 5 digits",
        "schools",
        csv(HEADER, "VS Wien;;;10100;Wien;AT;de;;"),
        [(2, "postcode", "not a postcode of AT: '10100'")],
    ),
    (
        "NL postcode without letters",
        "schools",
        csv(HEADER, "Basisschool;;;3511;Utrecht;NL;nl;;"),
        [(2, "postcode", "not a postcode of NL: '3511'")],
    ),
    (
        "bad e-mail",
        "schools",
        csv(HEADER, GOOD.replace("info@zh.example", "info(at)zh")),
        [(2, "email", "not an e-mail address: 'info(at)zh'")],
    ),
    (
        "Swiss UID with a wrong check digit",
        "schools",
        csv(HEADER, GOOD.rstrip(";") + ";CHE-116.281.711"),
        [(2, "vat_id", "not a valid VAT/UID number for CH: 'CHE-116.281.711'")],
    ),
    (
        "German VAT id with a wrong check digit",
        "schools",
        csv(HEADER, "GS Bonn;;;53111;Bonn;DE;de;;DE136695975"),
        [(2, "vat_id", "not a valid VAT/UID number for DE: 'DE136695975'")],
    ),
    (
        "canton licence without DB hosting",
        "schools",
        csv("name;country;language;DB-Hosting;Kantonslizenz", "Schule A;CH;de;nein;ja"),
        [(2, "Kantonslizenz", "a canton licence only applies to DB-hosting schools")],
    ),
    (
        "not yes or no",
        "schools",
        csv("name;country;language;db_hosting", "Schule A;CH;de;vielleicht"),
        [(2, "db_hosting", "not yes or no: 'vielleicht'")],
    ),
    (
        "malformed school number",
        "schools",
        csv("number;name;country;language", "12A;Schule A;CH;de"),
        [(2, "number", "a school number has six digits, not '12A'")],
    ),
    (
        "duplicate number in the file",
        "schools",
        csv("number;name;country;language", "200001;Schule A;CH;de", "200001;Schule B;CH;de"),
        [(3, "number", "the number 200001 is also in row 2")],
    ),
    (
        "number already in the database",
        "schools",
        csv("number;name;country;language", "100001;Schule A;CH;de"),
        [(2, "number", "school 100001 exists already")],
    ),
    (
        "same school twice in the file",
        "schools",
        csv(HEADER, GOOD, GOOD.replace("info@", "a@")),
        [(3, "name", "the same school (name and postcode) is also in row 2")],
    ),
    (
        "school already in the database",
        "schools",
        csv(HEADER, "primarschule aesch;;;4147;Aesch;CH;de;;"),
        [(2, "name", "a school of this name and postcode exists already: 100001")],
    ),
    (
        "too many values in a row",
        "schools",
        csv(HEADER, GOOD + ";extra"),
        [(2, "", "10 values, but the header names 9 columns")],
    ),
    (
        "too few values in a row",
        "schools",
        csv(HEADER, "Schule A;CH;de"),
        [(2, "", "only 3 values, but the header names 9 columns")],
    ),
    (
        "over-long field",
        "schools",
        csv(HEADER, GOOD.replace("Zürich;CH", "Z" * 101 + ";CH")),
        [(2, "city", "too long: 101 characters, at most 100")],
    ),
    (
        "formula-looking value",
        "schools",
        csv(HEADER, GOOD.replace("Bahnhofstrasse", '=HYPERLINK("http://x.example")')),
        [(2, "street", "looks like a spreadsheet formula")],
    ),
    (
        "teacher of an unknown school",
        "teachers",
        csv("school;first_name;last_name", "999999;Eva;Meier"),
        [(2, "school", "no school with number 999999")],
    ),
    (
        "teacher without school number",
        "teachers",
        csv("school;first_name;last_name", ";Eva;Meier"),
        [(2, "school", "the school number is required")],
    ),
    (
        "teacher without a name",
        "teachers",
        csv("school;first_name;last_name;email", "100001;;;eva@aesch.example"),
        [(2, "last_name", "a teacher needs a name")],
    ),
    (
        "bad teacher e-mail",
        "teachers",
        csv("school;first_name;last_name;email", "100001;Eva;Meier;eva.aesch.example"),
        [(2, "email", "not an e-mail address: 'eva.aesch.example'")],
    ),
    (
        "duplicate teacher e-mail in the file",
        "teachers",
        csv(
            "Schulnummer;Vorname;Nachname;E-Mail",
            "100001;Eva;Meier;eva@aesch.example",
            "100001;Eva;Meier-Huber;EVA@aesch.example",
        ),
        [(3, "E-Mail", "a teacher with this e-mail at school 100001 is in row 2")],
    ),
    (
        "teacher e-mail already at the school",
        "teachers",
        csv("school;first_name;last_name;email", "100001;Anna;Keller;anna@aesch.example"),
        [(2, "email", "a teacher with this e-mail at school 100001 is already at the school")],
    ),
    (
        "a second admin login",
        "teachers",
        csv("school;first_name;last_name;admin", "100001;Max;Muster;ja"),
        [(2, "admin", "school 100001 has its one free admin login already at the school")],
    ),
]


@pytest.mark.parametrize(
    ("kind", "data", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_file_is_refused_with_its_reason_and_nothing_written(desk, kind, data, expected):
    before = fingerprint(desk.path)
    with pytest.raises(ImportRefused) as refused:
        run_import(desk, kind, data)
    problems = refused.value.report.problems
    assert len(problems) == len(expected), [str(p) for p in problems]
    for problem, (row, column, reason) in zip(problems, expected, strict=True):
        assert (problem.row, problem.column) == (row, column), str(problem)
        assert reason in problem.reason, str(problem)
    assert str(problems[0]) in str(refused.value)  # the message names every problem
    assert fingerprint(desk.path) == before
    # The preview (dry run) finds the same and writes nothing either.
    with pytest.raises(ImportRefused):
        run_import(desk, kind, data, dry_run=True)
    assert check_import(desk, kind, data).problems == problems
    assert fingerprint(desk.path) == before


def test_corpus_covers_at_least_twenty_kinds_of_bad_input():
    assert len({case[0] for case in BAD}) >= 20


def test_every_bad_row_is_reported_and_the_good_ones_are_not_written(desk):
    before = fingerprint(desk.path)
    data = csv(
        HEADER,
        GOOD,  # row 2: fine
        ";;;8050;Zürich;CH;de;;",  # row 3: no name
        "",  # row 4: blank, skipped but counted as the spreadsheet counts it
        "Schule B;;;12;Bern;CH;xx;bad;",  # row 5: postcode, language, e-mail
    )
    with pytest.raises(ImportRefused) as refused:
        run_import(desk, "schools", data)
    found = [(p.row, p.column) for p in refused.value.report.problems]
    assert found == [(3, "name"), (5, "language"), (5, "email"), (5, "postcode")]
    assert "row 5, column 'language'" in str(refused.value)
    assert fingerprint(desk.path) == before


def _good_schools() -> str:
    return "\n".join(
        [
            "Schulnummer;Name;Strasse;Hausnummer;PLZ;Ort;Land;Sprache;E-Mail;UID;DB-Hosting",
            "200001;Schulhaus Zürich Nord;Bahnhofstrasse;1;8050;Zürich;CH;de;;"
            "CHE-116.281.710 MWST;nein",
            ';"École de Genève; site ""Plainpalais""";Rue de l\'École;3;1205;Genève;ch;FR;;;oui',
            ";Volksschule Graz;;;8010;Graz;AT;de;office@vs-graz.example;;",
            ";Basisschool De Linde;Lindelaan;4;3511 ab;Utrecht;NL;nl;;;",
        ]
    )


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "windows-1252": lambda text: text.replace("\n", "\r\n").encode("cp1252"),
}
DELIMITERS = {"semicolon": ";", "comma": ",", "tab": "\t"}


def _with_delimiter(text: str, delimiter: str) -> str:
    import csv as csv_module
    import io

    out = io.StringIO()
    writer = csv_module.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in csv_module.reader(io.StringIO(text), delimiter=";"):
        writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("delimiter", list(DELIMITERS))
def test_good_file_in_every_encoding_and_delimiter(desk, encoding, delimiter):
    data = ENCODINGS[encoding](_with_delimiter(_good_schools(), DELIMITERS[delimiter]))
    report = run_import(desk, "schools", data)
    assert report.written and report.problems == []
    assert report.delimiter == DELIMITERS[delimiter]
    assert (
        report.encoding
        == {
            "utf-8": "UTF-8",
            "utf-8 with BOM": "UTF-8 (BOM)",
            "windows-1252": "Windows-1252",
        }[encoding]
    )
    with desk.reading() as session:
        schools = {s.number: s for s in session.scalars(select(School))}
    # the given number is kept; the others follow the highest number, in file order
    assert [schools[n].name for n in ("200001", "200002", "200003", "200004")] == [
        "Schulhaus Zürich Nord",
        'École de Genève; site "Plainpalais"',
        "Volksschule Graz",
        "Basisschool De Linde",
    ]
    geneve = schools["200002"]
    assert (geneve.country, geneve.language, geneve.db_hosting) == ("CH", "fr", True)
    assert geneve.street == "Rue de l'École"
    assert schools["200004"].postcode == "3511 AB"
    assert schools["200001"].vat_id == "CHE-116.281.710 MWST"


def test_excel_unicode_text_utf16_with_tabs(desk):
    data = codecs.BOM_UTF16_LE + _with_delimiter(_good_schools(), "\t").encode("utf-16-le")
    report = run_import(desk, "schools", data)
    assert report.encoding == "UTF-16" and len(report.rows) == 4


def test_dry_run_reports_what_would_be_created_and_writes_nothing(desk):
    before = fingerprint(desk.path)
    report = run_import(desk, "schools", csv(HEADER, GOOD), dry_run=True)
    assert not report.written and fingerprint(desk.path) == before
    assert report.rows[0].number == "100003" and report.rows[0].name == GOOD.split(";")[0]
    assert import_report_json(report)["count"] == 1
    assert run_import(desk, "schools", csv(HEADER, GOOD)).rows[0].number == "100003"


def test_imported_school_is_exactly_like_one_added_in_the_app(desk):
    run_import(desk, "schools", csv(HEADER, GOOD))
    typed = add_school(
        desk,
        SchoolInput(
            "Schulhaus Zürich Süd",
            "CH",
            "de",
            "Bahnhofstrasse",
            "1",
            "8050",
            "Zürich",
            "info@zh.example",
        ),
    )
    with desk.reading() as session:
        entries = {
            e.after and json.loads(e.after)["number"]: e
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "school.add"))
        }
        imported, added = json.loads(entries["100003"].after), json.loads(entries[typed].after)
    assert {k: v for k, v in imported.items() if k not in ("number", "name")} == {
        k: v for k, v in added.items() if k not in ("number", "name")
    }


def test_teachers_are_imported_into_existing_schools_with_audit_entries(desk):
    data = csv(
        "Schule,Vorname,Name,E-Mail,Admin",
        "100001,Eva,Meier,eva@aesch.example,",
        "100002,Jürgen,Schmidt,,",
        "100002,Admin,Berlin,admin@gs-berlin.example,ja",
    )
    report = run_import(desk, "teachers", data)
    assert [r.last_name for r in report.rows] == ["Meier", "Schmidt", "Berlin"]
    with desk.reading() as session:
        berlin = session.scalars(
            select(Teacher).join(School).where(School.number == "100002").order_by(Teacher.id)
        ).all()
        assert [(t.first_name, t.is_admin) for t in berlin] == [("Jürgen", False), ("Admin", True)]
        assert all(r.id for r in report.rows)
        added = session.scalars(select(AuditEntry).where(AuditEntry.action == "teacher.add"))
        assert len(added.all()) == 2 + 3


def test_header_aliases_never_name_two_fields():
    for columns in (SCHOOL_COLUMNS, TEACHER_COLUMNS):
        owner: dict[str, str] = {}
        for name, aliases in columns.items():
            for alias in (name, *aliases):
                assert owner.setdefault(header_key(alias), name) == name, alias


def test_headers_in_french_italian_and_dutch(desk):
    for header in (
        "nom;pays;langue;NPA;localité",
        "nome scuola;paese;lingua;CAP;località",
        "naam;land;taal;postcode;plaats",
    ):
        report = check_import(desk, "schools", csv(header, "Schule X;CH;it;6900;Lugano"))
        assert report.ok, [str(p) for p in report.problems]
        assert report.columns == ["name", "country", "language", "postcode", "city"]


def test_templates_ship_and_import_cleanly(tmp_path, desk):
    for kind in csv_import.KINDS:
        assert csv_import.template_path(kind).is_file()
    target = csv_import.write_template("schools", tmp_path / "schools.csv")
    schools = run_import(desk, "schools", target)
    assert schools.encoding == "UTF-8 (BOM)" and schools.delimiter == ";"
    assert len(schools.rows) == 3 and schools.rows[0].number == "100003"
    teachers = check_import(desk, "teachers", csv_import.template_path("teachers"))
    # the template's teachers go to 100001, which already has its admin login
    assert [(p.row, p.column) for p in teachers.problems] == [(4, "admin")]


def test_templates_are_in_the_bundle():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "bundle_layout", root / "installer" / "bundle_layout.py"
    )
    layout = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layout)
    bundled = {(Path(src).name, folder) for src, folder in layout.data_files()}
    assert {
        ("schools.csv", "resources/templates"),
        ("teachers.csv", "resources/templates"),
    } <= bundled


def test_missing_file_is_a_clear_message(desk, tmp_path):
    with pytest.raises(csv_import.InvalidInput, match="cannot read"):
        run_import(desk, "schools", tmp_path / "nope.csv")
