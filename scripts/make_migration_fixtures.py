"""Build the migration fixtures: one small SQLite database per Alembic revision, upgraded only to
that revision and filled with representative rows in every one of its tables.

    .venv/bin/python scripts/make_migration_fixtures.py            # only the missing ones
    .venv/bin/python scripts/make_migration_fixtures.py --all      # rebuild every fixture

tests/store/test_migration_fixtures.py upgrades each fixture to head and checks that every row
survived. The rows are written with raw SQL, because the ORM models describe the head schema,
not the old one: each row below lists the head columns, and a revision gets the columns it has.

Adding a migration: run this script (the new head gets its fixture). If the new revision has a
table or a column that no sample row below fills, the script stops and names it: add a value
(a new column of an existing table needs one too, so the fixture shows it is kept).
Fixtures of earlier revisions are left as they are: they are what real old files look like.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lehrer_licenses.store.database import alembic_config  # noqa: E402

FIXTURES = ROOT / "tests" / "store" / "fixtures" / "migrations"

T0 = "2026-03-10 09:15:00.000000"
T1 = "2026-03-11 14:02:30.500000"

# Table order is insertion order (parents first). Money columns hold scaled integers as the
# store writes them: MONEY x100, PRICE x10^6, RATE (also quantities) x10^4.
# One sample row per block (easier to read than one value per line, as ruff would have it).
# fmt: off
SAMPLE_ROWS: dict[str, list[dict]] = {
    "setting": [
        {"key": "vendor.name", "value": "Lizenzbüro Muster AG"},
        {"key": "vendor.iban", "value": "CH93 0076 2011 6238 5295 7"},
    ],
    "product": [
        {"id": 1, "code": "LO", "name": "LehrerOffice Desktop",
         "names": '{"de": "LehrerOffice Desktop", "fr": "LehrerOffice Desktop"}'},
        {"id": 2, "code": "MG", "name": "Mathegym-style user packages", "names": "{}"},
        {"id": 3, "code": "FPO", "name": "Focus PO-style per-pupil subscriptions",
         "names": '{"nl": "Abonnementen per leerling"}'},
    ],
    "plan": [
        {"id": 1, "code": "LO-LOCAL", "product_id": 1, "name": "LehrerOffice Desktop, per teacher",
         "kind": "per_seat", "currency": "CHF", "term": "calendar_year", "term_days": 365,
         "notice_months": 2, "billing": "advance", "proration_cap": 1, "tier_mode": "graduated",
         "tier_components": "base,subscription,subscription_month", "options": "{}", "active": 1,
         "names": '{"de": "LehrerOffice Desktop, pro Lehrperson"}'},
        {"id": 2, "code": "MG-PACKAGE", "product_id": 2, "name": "User package", "kind": "package",
         "currency": "EUR", "term": "anniversary", "term_days": 365, "notice_months": 3,
         "billing": "advance", "proration_cap": 0, "tier_mode": "graduated", "tier_components": "",
         "options": "{\"addon_notice_months\": \"3\"}", "active": 1, "names": "{}"},
        {"id": 3, "code": "FPO-38", "product_id": 3, "name": "Per pupil, grades 3-8 basis",
         "kind": "per_unit", "currency": "EUR", "term": "anniversary", "term_days": 365,
         "notice_months": 1, "billing": "advance", "proration_cap": 0, "tier_mode": "graduated",
         "tier_components": "", "options": "{\"variant\": \"2\"}", "active": 1,
         "names": '{"fr": "Par élève, degrés 3-8 de base"}'},
    ],
    "price": [
        {"id": 1, "plan_id": 1, "component": "base", "amount": 111450000,
         "valid_from": "2024-01-01", "note": "", "announced_on": None},
        {"id": 2, "plan_id": 1, "component": "subscription", "amount": 44550000,
         "valid_from": "2024-01-01", "note": "", "announced_on": None},
        {"id": 3, "plan_id": 1, "component": "subscription_month", "amount": 4500000,
         "valid_from": "2024-01-01", "note": "", "announced_on": None},
        {"id": 4, "plan_id": 1, "component": "base", "amount": 119000000,
         "valid_from": "2027-01-01", "note": "Preisanpassung 2027", "announced_on": "2026-06-30"},
        {"id": 5, "plan_id": 2, "component": "package:1000", "amount": 1000000000,
         "valid_from": "2024-01-01", "note": "", "announced_on": None},
        {"id": 6, "plan_id": 3, "component": "pupil_year:3-8", "amount": 3600000,
         "valid_from": "2024-01-01", "note": "", "announced_on": None},
    ],
    "tier_band": [
        {"id": 1, "plan_id": 1, "from_quantity": 50, "percent_off": 100000,
         "valid_from": "2024-01-01", "note": "ab 50 Lizenzen"},
    ],
    "vat_rate": [
        {"id": 1, "country": "CH", "rate": 81000, "valid_from": "2024-01-01"},
        {"id": 2, "country": "DE", "rate": 190000, "valid_from": "2007-01-01"},
        {"id": 3, "country": "NL", "rate": 210000, "valid_from": "2019-01-01"},
    ],
    "school": [
        {"id": 1, "number": "100001", "name": "Primarschule Aesch", "country": "CH",
         "language": "de", "street": "Schulstrasse", "house_number": "12a", "postcode": "4147",
         "city": "Aesch BL", "email": "sekretariat@ps-aesch.ch", "vat_id": "", "db_hosting": 0,
         "canton_licence": 0, "note": "Rechnung an die Gemeinde\nz. H. Frau Dvořák",
         "created_at": T0, "leitweg_id": None, "terms_accepted_on": None, "dpa_reference": None,
         "dpa_signed_on": None,
         "search_text": "100001\x1fprimarschule aesch\x1f4147\x1faesch bl"},
        {"id": 2, "number": "100002", "name": "Grundschule Łódź-Straße Ørsted", "country": "DE",
         "language": "de", "street": "Hauptstraße", "house_number": "1", "postcode": "80331",
         "city": "München", "email": "", "vat_id": "DE136695976", "db_hosting": 1,
         "canton_licence": 0, "note": "", "created_at": T0, "leitweg_id": "991-12345-67",
         "terms_accepted_on": None, "dpa_reference": None, "dpa_signed_on": None,
         "search_text": "100002\x1fgrundschule lodz-strasse orsted\x1f80331\x1fmunchen"},
        {"id": 3, "number": "100003", "name": "Basisschool De Regenboog", "country": "NL",
         "language": "nl", "street": "Dorpsstraat", "house_number": "5", "postcode": "1234 AB",
         "city": "Utrecht", "email": "info@regenboog.nl", "vat_id": "", "db_hosting": 0,
         "canton_licence": 0, "note": "", "created_at": T1, "leitweg_id": None,
         "terms_accepted_on": "2026-01-10", "dpa_reference": "VO-17",
         "dpa_signed_on": "2026-01-12",
         "search_text": "100003\x1fbasisschool de regenboog\x1f1234 ab\x1futrecht"},
    ],
    "teacher": [
        {"id": 1, "school_id": 1, "first_name": "Anna", "last_name": "Keller",
         "email": "anna.keller@ps-aesch.ch", "is_admin": 0, "frozen": 0, "left_on": None,
         "search_text": "anna keller"},
        {"id": 2, "school_id": 1, "first_name": "Łukasz", "last_name": "Żółć", "email": "",
         "is_admin": 0, "frozen": 1, "left_on": None,
         "search_text": "lukasz zolc"},
        {"id": 3, "school_id": 1, "first_name": "Beat", "last_name": "Admin", "email": "",
         "is_admin": 1, "frozen": 0, "left_on": None,
         "search_text": "beat admin"},
        {"id": 4, "school_id": 1, "first_name": "Chantal", "last_name": "Müller", "email": "",
         "is_admin": 0, "frozen": 0, "left_on": "2026-07-31",
         "search_text": "chantal muller"},
    ],
    # an import of 1,200 teachers stopped after its first batch (0012)
    "teacher_import": [
        {"id": 1, "digest": "9f2c" + "0" * 60, "file": "lehrpersonen.csv", "total": 1200,
         "written": 500, "started_at": "2026-12-06 13:20:00.000000", "actor": "sekretariat"},
    ],
    "subscription": [
        {"id": 1, "school_id": 1, "plan_id": 1, "status": "active", "started_on": "2026-03-10",
         "term_start": "2026-01-01", "term_end": "2026-12-31", "ends_on": None, "lapsed_on": None,
         "capacity": None, "full_package": 0, "renew_capacity": None, "renew_plan_code": None},
        {"id": 2, "school_id": 2, "plan_id": 2, "status": "active", "started_on": "2026-02-01",
         "term_start": "2026-02-01", "term_end": "2027-01-31", "ends_on": None, "lapsed_on": None,
         "capacity": 1000, "full_package": 0, "renew_capacity": 1400, "renew_plan_code": None},
        {"id": 3, "school_id": 3, "plan_id": 3, "status": "active", "started_on": "2026-08-01",
         "term_start": "2026-08-01", "term_end": "2027-07-31", "ends_on": None, "lapsed_on": None,
         "capacity": None, "full_package": 0, "renew_capacity": None, "renew_plan_code": "FPO-38"},
    ],
    "seat": [
        {"id": 1, "school_id": 1, "subscription_id": 1, "position": 1, "status": "active",
         "acquired_on": "2026-03-10", "release_on": None, "released_on": None},
        {"id": 2, "school_id": 1, "subscription_id": 1, "position": 2, "status": "active",
         "acquired_on": "2026-03-10", "release_on": None, "released_on": None},
        {"id": 3, "school_id": 1, "subscription_id": 1, "position": 3, "status": "active",
         "acquired_on": "2026-03-10", "release_on": "2026-12-31", "released_on": None},
    ],
    "seat_assignment": [
        {"id": 1, "seat_id": 1, "teacher_id": 4, "start_on": "2026-03-10", "end_on": "2026-07-31"},
        {"id": 2, "seat_id": 1, "teacher_id": 1, "start_on": "2026-08-01", "end_on": None},
        {"id": 3, "seat_id": 2, "teacher_id": 2, "start_on": "2026-03-10", "end_on": None},
    ],
    "cancellation": [
        {"id": 1, "school_id": 1, "subscription_id": 1, "received_on": "2026-10-31", "seats": 1,
         "deadline": "2026-10-31", "in_time": 1, "effective_on": "2026-12-31",
         "status": "pending"},
    ],
    "usage_count": [
        {"id": 1, "school_id": 2, "month": "2026-01-01", "count": 10, "source": "manual"},
        {"id": 2, "school_id": 2, "month": "2026-02-01", "count": 12, "source": "manual"},
    ],
    "addon": [
        {"id": 1, "school_id": 2, "subscription_id": 2, "subject": "Deutsch", "status": "active",
         "started_on": "2026-04-15", "term_start": "2026-04-15", "term_end": "2027-04-14",
         "capacity": 1000, "price": 30000, "ends_on": None, "refunded_on": None,
         "billing_name": "Förderverein der Grundschule", "billing_street": "Hauptstraße 1",
         "billing_postcode": "80331", "billing_city": "München", "billing_country": "DE",
         "created_at": T1},
    ],
    "invoice": [
        {"id": 1, "number": "2026-00001", "kind": "invoice", "status": "issued", "school_id": 1,
         "subscription_id": 1, "reason": "order", "billing_key": None, "currency": "CHF",
         "language": "de", "invoice_date": "2026-03-10", "net": 46800, "vat_rate": 81000,
         "vat": 3791, "total": 50591, "rounding": -1, "payable": 50590, "created_at": T0,
         "due_date": "2026-04-09", "issued_at": T1, "reference": "210000000003139471430009017",
         "credits_invoice_id": None, "note": None, "details": None, "addon_id": None,
         "buyer_name": "", "buyer_street": "", "buyer_postcode": "", "buyer_city": "",
         "buyer_country": "",
         "vat_regime": "domestic"},
        {"id": 2, "number": None, "kind": "invoice", "status": "draft", "school_id": 2,
         "subscription_id": 2, "reason": "addon", "billing_key": "addon:1:2026-04-15",
         "currency": "EUR", "language": "de", "invoice_date": "2026-04-15", "net": 30000,
         "vat_rate": 190000, "vat": 5700, "total": 35700, "rounding": 0, "payable": 35700,
         "created_at": T1, "due_date": None, "issued_at": None, "reference": None,
         "credits_invoice_id": None, "note": "Bitte an den Förderverein", "details": "{}",
         "addon_id": 1, "buyer_name": "Förderverein der Grundschule",
         "buyer_street": "Hauptstraße 1", "buyer_postcode": "80331", "buyer_city": "München",
         "buyer_country": "DE",
         "vat_regime": "registered DE136695976"},
        {"id": 3, "number": "G2026-00001", "kind": "credit_note", "status": "issued",
         "school_id": 1, "subscription_id": 1, "reason": "order", "billing_key": None,
         "currency": "CHF", "language": "de", "invoice_date": "2026-03-12", "net": -11145,
         "vat_rate": 81000, "vat": -903, "total": -12048, "rounding": 2, "payable": -12050,
         "created_at": T1, "due_date": None, "issued_at": T1, "reference": None,
         "credits_invoice_id": 1, "note": "Eine Lizenz zu viel bestellt", "details": None,
         "addon_id": None, "buyer_name": "", "buyer_street": "", "buyer_postcode": "",
         "buyer_city": "", "buyer_country": "",
         "vat_regime": "domestic"},
    ],
    "invoice_line": [
        {"id": 1, "invoice_id": 1, "position": 1, "code": "base",
         "description": "Grundlizenz (einmalig)", "quantity": 30000, "unit_price": 111450000,
         "amount": 33435, "period_start": None, "period_end": None},
        {"id": 2, "invoice_id": 1, "position": 2, "code": "subscription",
         "description": "Updateabonnement 01.01.2026 – 31.12.2026", "quantity": 30000,
         "unit_price": 44550000, "amount": 13365, "period_start": "2026-01-01",
         "period_end": "2026-12-31"},
        {"id": 3, "invoice_id": 2, "position": 1, "code": "addon",
         "description": "Zusatzfach Deutsch", "quantity": 10000, "unit_price": 300000000,
         "amount": 30000, "period_start": "2026-04-15", "period_end": "2027-04-14"},
        {"id": 4, "invoice_id": 3, "position": 1, "code": "base",
         "description": "Gutschrift Grundlizenz", "quantity": -10000, "unit_price": 111450000,
         "amount": -11145, "period_start": None, "period_end": None},
    ],
    "issued_code": [
        {"id": 1, "school_id": 1, "subscription_id": 1, "serial": 1, "product": "LO", "kind": 1,
         "variant": 0, "quantity": 3, "issued_on": "2026-03-10", "valid_until": "2026-12-31",
         "reason": "order", "code": "06RGZ-DRCH3-8C0GW-7N0H2-ZG9GJ-21D1V-D4JRT-WYGE9",
         "created_at": T0},
    ],
    "audit_entry": [
        {"id": 1, "at": T0, "actor": "clerk", "action": "school.add", "entity": "school",
         "entity_id": 1, "school_id": 1, "before": "{}",
         "after": "{\"name\": \"Primarschule Aesch\", \"number\": \"100001\"}"},
        {"id": 2, "at": T1, "actor": "clerk", "action": "invoice.issue", "entity": "invoice",
         "entity_id": 1, "school_id": 1, "before": "{\"status\": \"draft\"}",
         "after": "{\"number\": \"2026-00001\", \"status\": \"issued\"}"},
        {"id": 3, "at": T1, "actor": "unknown", "action": "catalogue.install_defaults",
         "entity": "plan", "entity_id": None, "school_id": None, "before": "{}",
         "after": "{\"plans\": [\"LO-LOCAL\"]}"},
    ],
    "number_counter": [
        {"series": "invoice", "year": 2026, "last": 1},
        {"series": "credit_note", "year": 2026, "last": 1},
    ],
    "invoice_pdf": [
        {"id": 1, "invoice_id": 1, "pdf": b'%PDF-1.4\n% sample, not a full document\n%%EOF\n',
         "sha256": "0" * 64, "created_at": T1},
    ],
    "payment": [
        {"id": 1, "invoice_id": 1, "school_id": 1, "paid_on": "2026-04-02", "amount": 30000,
         "currency": "CHF", "reference": "Teilzahlung", "created_at": T1, "reverses_id": None,
         "reason": ""},
        {"id": 2, "invoice_id": 1, "school_id": 1, "paid_on": "2026-04-05", "amount": -30000,
         "currency": "CHF", "reference": "", "created_at": T1, "reverses_id": 1,
         "reason": "Zahlung einer anderen Schule"},
    ],
    "dunning_notice": [
        {"id": 1, "invoice_id": 1, "school_id": 1, "level": 1, "sent_on": "2026-04-20",
         "open_amount": 20590, "fee": 0, "pay_by": "2026-04-30", "created_at": T1},
    ],
    "package_count": [
        {"id": 1, "school_id": 2, "subscription_id": 2, "counted_on": "2026-06-10", "users": 1100,
         "capacity": 1000, "source": "manual", "created_at": T1},
    ],
    "pupil_trial": [
        {"id": 1, "school_id": 3, "plan_id": 3, "start_on": "2026-02-01", "end_on": "2026-07-31",
         "ended_on": "2026-07-31", "created_at": T0},
    ],
    "pupil_count": [
        {"id": 1, "school_id": 3, "month": "2026-09-01", "part": "3-8", "count": 195,
         "created_at": T1},
    ],
    "pre_investment": [
        {"id": 1, "school_id": 3, "subscription_id": 3, "plan_id": 3, "term_start": "2026-08-01",
         "term_end": "2027-07-31", "part": "3-8", "pupils": 200, "unit_price": 3600000,
         "amount": 72000, "invoice_id": None, "settled": 0, "created_at": T1},
    ],
}
# fmt: on
# fmt: on


class MissingSample(Exception):
    pass


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _fill(con: sqlite3.Connection, revision: str) -> None:
    # Ordinary tables only: a virtual table (the search index, 0012) and its shadow tables are
    # filled by triggers from the rows below.
    tables = [
        name
        for (name, kind) in con.execute("SELECT name, type FROM pragma_table_list")
        if kind == "table" and not name.startswith("sqlite_") and name != "alembic_version"
    ]
    missing = sorted(set(tables) - set(SAMPLE_ROWS))
    if missing:
        raise MissingSample(
            f"revision {revision}: no sample rows for table(s) {', '.join(missing)}; "
            "add them to SAMPLE_ROWS in scripts/make_migration_fixtures.py"
        )
    for table, rows in SAMPLE_ROWS.items():
        if table not in tables:
            continue  # a newer table
        columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        unknown = [c for c in columns if any(c not in row for row in rows)]
        if unknown:
            raise MissingSample(
                f"revision {revision}: table {table} has column(s) {', '.join(unknown)} "
                "without a sample value; add one to every row of SAMPLE_ROWS"
            )
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        con.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",
            [tuple(row[c] for c in columns) for row in rows],
        )


def build(revision: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fixture.sqlite"
        url = f"sqlite:///{path}"
        engine = create_engine(url)  # plain engine: no WAL, so the file stands alone
        config = alembic_config(url)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        engine.dispose()
        con = sqlite3.connect(path)
        try:
            _fill(con, revision)
            con.commit()
            problems = con.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MissingSample(f"revision {revision}: rows point nowhere: {problems}")
            con.execute("PRAGMA page_size = 512")  # the smallest: these files are committed
            con.execute("VACUUM")
        finally:
            con.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="rebuild existing fixtures too")
    args = parser.parse_args(argv)
    for revision in revisions():
        target = FIXTURES / f"{revision}.sqlite"
        if target.exists() and not args.all:
            continue
        try:
            build(revision, target)
        except MissingSample as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
