"""Exports for accounting: every text column inert in a spreadsheet (CSV read back with the csv
module, XLSX with openpyxl), amounts exact to the cent, date ranges, and nothing half-written."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from support.databases import filled_once

from lehrer_licenses.services.billing import credit_notes, issuing, payments, vendor
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.exchange import export_writers
from lehrer_licenses.services.exchange.export_rows import LAYOUTS
from lehrer_licenses.services.exchange.export_writers import (
    MONEY,
    TEXT,
    Column,
    neutralise,
    write_csv,
    write_xlsx,
)
from lehrer_licenses.services.exchange.exports import KINDS, export_data
from lehrer_licenses.services.licences.seats.holders import add_teacher, assign_seat
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.models import (
    Invoice,
    Payment,
    PlanRow,
    School,
    Teacher,
)

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}
PAYLOADS = (
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1dSUM(A1)",
)
CODE_COLUMNS = {"kind", "status", "state"}  # written by the app, never typed by a user


def dangerous(text: str) -> bool:
    return text.startswith(("\t", "\r")) or text.lstrip()[:1] in set("=+-@\uff1d\uff0b\uff0d\uff20")


@pytest.fixture(scope="module")
def template(tmp_path_factory, databases) -> str:
    """Two CH schools, four issued invoices (one paid, one partly, one partly credited, one
    past due), a draft and a quote that are not bookkeeping documents, a teacher on a seat."""
    folder = tmp_path_factory.mktemp("exports")
    with filled_once(databases, folder, folder / "keys") as (target, db):
        vendor.set_vendor(db, vendor.SAMPLE_VENDOR)

        def school(name):
            return add_school(db, SchoolInput(name=name, country="CH", language="de", **ADDRESS))

        aesch, bern = school("Primarschule Aesch"), school("Schule Łukasz Żółć")

        def issue(number, seats, ordered, issued):
            draft = order_seats(db, number, seats, ordered).invoice.id
            return issuing.issue_invoice(db, str(draft), issued).number

        first = issue(aesch, 3, date(2026, 3, 10), date(2026, 3, 11))
        second = issue(bern, 2, date(2026, 4, 1), date(2026, 4, 2))
        third = issue(aesch, 2, date(2026, 9, 15), date(2026, 9, 16))
        issue(bern, 1, date(2026, 11, 2), date(2026, 11, 2))
        payments.record_payment(db, first, Decimal("505.90"), date(2026, 3, 20), "Zahlung 1")
        payments.record_payment(db, second, Decimal("100.00"), date(2026, 5, 1), "Teil")
        credit_notes.credit_invoice(
            db, third, reason="Kulanz", amount=Decimal("50.00"), on=date(2026, 10, 1)
        )
        order_seats(db, bern, 1, date(2026, 11, 20))  # a draft: not exported
        teacher = add_teacher(db, aesch, "Anna", "Keller", "anna@aesch.example")
        assign_seat(db, aesch, teacher, date(2026, 3, 12))
    return target


@pytest.fixture
def desk(template, tmp_path, databases):
    database = open_database(databases.clone(template, tmp_path / "desk.sqlite"))
    yield database
    database.dispose()


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the umlauts right
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def read_xlsx(path: Path) -> tuple[list[str], list[list]]:
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows())
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
    header = [c.value for c in rows[0]]
    return header, [[c.value for c in row] for row in rows[1:]]


def xlsx_dicts(path: Path) -> list[dict]:
    header, rows = read_xlsx(path)
    return [dict(zip(header, row, strict=True)) for row in rows]


def cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


# --- formula injection ------------------------------------------------------------------------


def fit(model, field: str, value: str, suffix: str = "") -> str:
    """``value`` cut to the column's length (PostgreSQL refuses a longer one, SQLite keeps it);
    its first characters, those that make it a formula, stay."""
    length = model.__table__.c[field].type.length
    return value[: length - len(suffix)] + suffix if length else value + suffix


def poison(db) -> None:
    """Every text a user (or an import) could have put into a stored field, as a formula."""
    payload = iter(PAYLOADS * 20)
    with db.transaction() as session:
        for school in session.scalars(select(School).order_by(School.id)):
            for field in (
                "number",
                "name",
                "street",
                "house_number",
                "postcode",
                "city",
                "country",
                "language",
                "email",
                "vat_id",
                "leitweg_id",
                "note",
            ):
                setattr(school, field, fit(School, field, next(payload)))
        for teacher in session.scalars(select(Teacher)):
            teacher.first_name = fit(Teacher, "first_name", next(payload))
            teacher.last_name = fit(Teacher, "last_name", next(payload))
            teacher.email = fit(Teacher, "email", next(payload))
        for invoice in session.scalars(select(Invoice).where(Invoice.number.is_not(None))):
            invoice.number = fit(Invoice, "number", next(payload), suffix=f"#{invoice.id}")
            invoice.reference = fit(Invoice, "reference", next(payload))
            invoice.currency = "=1+"
        session.execute(update(Payment).values(reference="-1+2", currency="@A1"))
        for plan in session.scalars(select(PlanRow)):
            plan.code = f"+{plan.code}"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_formula_injection_in_every_text_column_is_inert(desk, tmp_path, kind, fmt):
    poison(desk)
    target = tmp_path / f"{kind}.{fmt}"
    result = export_data(desk, kind, target, fmt, today=date(2026, 12, 1))
    assert result.rows > 0
    rows = read_csv(target) if fmt == "csv" else xlsx_dicts(target)
    columns = {c.key: c for c in LAYOUTS[kind]}
    text_columns = [key for key, c in columns.items() if c.kind == TEXT]
    for row in rows:
        for key in text_columns:
            value = row[key]
            if value in (None, ""):
                continue
            assert isinstance(value, str)
            assert not dangerous(value) or value.startswith("'"), (key, value)
    # Every text column a user can fill was filled with a formula above and came out inert.
    for key in set(text_columns) - CODE_COLUMNS:
        assert any(str(row[key] or "").startswith("'") for row in rows), key
    if fmt == "xlsx":  # numbers stay numbers: a credit note's negative total is no text
        for key, column in columns.items():
            if column.kind == MONEY:
                assert all(isinstance(row[key], (int, float)) for row in rows), key


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("=1+1", "'=1+1"),
        ("+41 44 123 45 67", "'+41 44 123 45 67"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("   =1", "'   =1"),
        ("\n =1", "'\n =1"),
        ("Primarschule Aesch", "Primarschule Aesch"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(text, inert):
    assert neutralise(text) == inert


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_code_columns_and_headers_are_neutralised_too_and_negative_numbers_stay_numbers(
    tmp_path, fmt
):
    columns = (Column("=kind"), Column("status"), Column("amount", MONEY))
    rows = [("-credit", "@x", Decimal("-505.90")), ("plain", "ok", Decimal("1234.5"))]
    target = tmp_path / f"t.{fmt}"
    writer = write_csv if fmt == "csv" else write_xlsx
    assert writer(target, columns, rows, lambda _n: None) == 2
    if fmt == "csv":
        text = target.read_bytes().decode("utf-8-sig")
        assert text == "'=kind;status;amount\r\n'-credit;'@x;-505.90\r\nplain;ok;1234.50\r\n"
    else:
        header, values = read_xlsx(target)
        assert header == ["'=kind", "status", "amount"]
        assert values == [["'-credit", "'@x", -505.9], ["plain", "ok", 1234.5]]
        cell = load_workbook(target).active["C2"]
        assert cell.data_type == "n" and cell.number_format == "0.00"


def test_control_characters_xml_cannot_hold_do_not_break_the_xlsx(tmp_path):
    target = tmp_path / "t.xlsx"
    write_xlsx(target, (Column("name"),), [("Schule\x01\x1b",)], lambda _n: None)
    assert read_xlsx(target)[1] == [["Schule\ufffd\ufffd"]]


# --- amounts, layout, dates -------------------------------------------------------------------


def db_sums(db, column) -> Decimal:
    """Issued invoices minus credit notes, as the accounts see them."""
    with db.reading() as session:

        def total(kind):
            value = session.scalar(
                select(func.sum(column)).where(Invoice.kind == kind, Invoice.number.is_not(None))
            )
            return value or Decimal("0.00")

        return total("invoice") - total("credit_note")


def test_invoice_csv_layout_and_amounts_exact_to_the_cent(desk, tmp_path):
    target = tmp_path / "invoices.csv"
    result = export_data(desk, "invoices", target, today=date(2026, 12, 1))
    rows = read_csv(target)
    assert result.rows == len(rows) == 5  # 4 invoices, 1 credit note; no draft
    first = rows[0]
    assert first["number"] == "2026-00001" and first["kind"] == "invoice"
    assert (first["date"], first["due_date"]) == ("2026-03-11", "2026-04-10")
    assert (first["net"], first["vat_rate"], first["vat"]) == ("468.00", "8.10", "37.91")
    assert (first["total"], first["rounding"], first["payable"]) == ("505.91", "-0.01", "505.90")
    assert (first["paid"], first["open"], first["status"]) == ("505.90", "0.00", "paid")
    assert first["school_name"] == "Primarschule Aesch" and len(first["reference"]) == 27
    second = next(r for r in rows if r["number"] == "2026-00002")
    assert (second["paid"], second["status"]) == ("100.00", "overdue")
    assert Decimal(second["open"]) == Decimal(second["payable"]) - Decimal("100.00")
    note = next(r for r in rows if r["kind"] == "credit_note")
    assert note["payable"] == "-50.00" and note["credits_invoice"] == "2026-00003"
    assert (note["rounding"], note["paid"], note["open"]) == ("0.00", "0.00", "0.00")
    assert Decimal(note["net"]) + Decimal(note["vat"]) == Decimal("-50.00")
    third = next(r for r in rows if r["number"] == "2026-00003")
    assert third["credited"] == "50.00"
    for key, column in (("net", Invoice.net), ("vat", Invoice.vat), ("total", Invoice.total)):
        assert sum(Decimal(r[key]) for r in rows) == db_sums(desk, column), key
    assert sum(Decimal(r["payable"]) for r in rows) == db_sums(desk, Invoice.payable)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("number;kind;date;due_date;school;school_name;currency;net;")


def test_invoice_xlsx_has_number_and_date_cells_and_the_same_sums(desk, tmp_path):
    target = tmp_path / "invoices.xlsx"
    export_data(desk, "invoices", target)  # the format from the name
    sheet = load_workbook(target).active
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].value.date() == date(2026, 3, 11)
    assert sheet["H2"].data_type == "n" and sheet["H2"].number_format == "0.00"
    rows = xlsx_dicts(target)
    for key, column in (("net", Invoice.net), ("vat", Invoice.vat), ("total", Invoice.total)):
        assert sum(cents(r[key]) for r in rows) == db_sums(desk, column), key


def test_vat_rates_sum_the_documents_per_rate_and_kind(desk, tmp_path):
    export_data(desk, "invoices", tmp_path / "i.csv")
    export_data(desk, "vat_rates", tmp_path / "v.csv")
    documents, sums = read_csv(tmp_path / "i.csv"), read_csv(tmp_path / "v.csv")
    assert [(r["currency"], r["vat_rate"], r["kind"], r["documents"]) for r in sums] == [
        ("CHF", "8.10", "invoice", "4"),
        ("CHF", "8.10", "credit_note", "1"),
    ]
    for key in ("net", "vat", "total"):
        assert sum(Decimal(r[key]) for r in sums) == sum(Decimal(r[key]) for r in documents)


def test_date_range_filters_invoices_and_payments_both_days_included(desk, tmp_path):
    export_data(
        desk, "invoices", tmp_path / "i.csv", date_from=date(2026, 4, 2), date_to=date(2026, 10, 1)
    )
    assert [r["date"] for r in read_csv(tmp_path / "i.csv")] == [
        "2026-04-02",
        "2026-09-16",
        "2026-10-01",
    ]
    export_data(desk, "payments", tmp_path / "p.csv", date_to=date(2026, 4, 30))
    paid = read_csv(tmp_path / "p.csv")
    assert [(p["date"], p["invoice"], p["amount"], p["currency"]) for p in paid] == [
        ("2026-03-20", "2026-00001", "505.90", "CHF")
    ]
    assert paid[0]["school_name"] == "Primarschule Aesch" and paid[0]["reference"] == "Zahlung 1"


def test_bad_requests_are_refused_before_anything_is_written(desk, tmp_path):
    target = tmp_path / "x.csv"
    with pytest.raises(InvalidInput, match="starts after it ends: 2026-05-01 to 2026-04-01"):
        export_data(desk, "payments", target, date_from=date(2026, 5, 1), date_to=date(2026, 4, 1))
    with pytest.raises(InvalidInput, match="invoices and payments only, not to schools"):
        export_data(desk, "schools", target, date_from=date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="cannot export 'teachers'"):
        export_data(desk, "teachers", target)
    with pytest.raises(InvalidInput, match="format 'ods'"):
        export_data(desk, "schools", target, "ods")
    with pytest.raises(InvalidInput, match="no such folder"):
        export_data(desk, "schools", tmp_path / "missing" / "x.csv")
    with pytest.raises(InvalidInput, match="is a folder"):
        export_data(desk, "schools", tmp_path)
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_stopped_export_leaves_the_old_file_and_no_part_file(desk, tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(export_writers, "ROW_BATCH", 2)  # a progress report within the rows
    target = tmp_path / "out" / f"seats.{fmt}"
    target.parent.mkdir()
    target.write_text("the export of last month")

    def stop(done, _total):
        if done >= 1:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        export_data(desk, "seats", target, fmt, progress=stop)
    assert target.read_text() == "the export of last month"
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_schools_and_seats(desk, tmp_path):
    export_data(desk, "schools", tmp_path / "s.csv")
    schools = read_csv(tmp_path / "s.csv")
    assert [s["name"] for s in schools] == ["Primarschule Aesch", "Schule Łukasz Żółć"]
    assert schools[0]["postcode"] == "3011" and schools[0]["db_hosting"] == "0"
    assert schools[0]["created_on"] == datetime.now().date().isoformat()
    export_data(desk, "seats", tmp_path / "seats.csv")
    seats = read_csv(tmp_path / "seats.csv")
    held = [s for s in seats if s["state"] == "held"]
    assert [(s["teacher"], s["teacher_email"], s["since"]) for s in held] == [
        ("Anna Keller", "anna@aesch.example", "2026-03-12")
    ]
    assert {s["state"] for s in seats} == {"held", "free"}
    assert len(seats) == 3 + 2 + 2 + 1 + 1  # every running seat, the draft's too
