"""school edit / teacher edit: validated like a new school and the teacher import, audited with
old -> new, only what is not yet issued follows; bad input exits 2 and writes nothing."""

from __future__ import annotations

import json
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select
from test_invoice_cli import ok, order, refused, school, set_vendor

from lehrer_licenses.services.billing import printing
from lehrer_licenses.store.database import open_database
from lehrer_licenses.store.models import AuditEntry


def audit_entries(path, action: str) -> list[tuple[dict, dict]]:
    db = open_database(path)
    try:
        with db.reading() as session:
            rows = session.execute(
                select(AuditEntry.before, AuditEntry.after)
                .where(AuditEntry.action == action)
                .order_by(AuditEntry.id)
            ).all()
    finally:
        db.dispose()
    return [(json.loads(b), json.loads(a)) for b, a in rows]


def test_school_edit_changes_audits_and_reaches_only_drafts(cli):
    set_vendor(cli)
    number = school(cli)
    issued_id = order(cli, number)
    ok(cli, "invoice", "issue", str(issued_id), "--date", "2026-03-11")
    draft_id = order(cli, number, seats="1", on="2026-04-01")
    db = open_database(cli.path)
    issued_pdf = printing.invoice_pdf(db, "2026-00001").pdf
    db.dispose()

    doc = ok(
        cli, "school", "edit", number, "--name", "Primarschule Kirchenfeld", "--street",
        "Kirchenfeldstrasse", "--email", "sekretariat@kirchenfeld.ch",
    )  # fmt: skip
    assert doc["changed"] == {
        "name": ["Primarschule Łukasz Żółć", "Primarschule Kirchenfeld"],
        "street": ["Schulhausstrasse", "Kirchenfeldstrasse"],
        "email": ["", "sekretariat@kirchenfeld.ch"],
    }
    assert doc["drafts_affected"] == 1
    assert ok(cli, "school", "show", number)["name"] == "Primarschule Kirchenfeld"
    assert audit_entries(cli.path, "school.edit") == [
        (
            {"name": "Primarschule Łukasz Żółć", "street": "Schulhausstrasse", "email": ""},
            {
                "name": "Primarschule Kirchenfeld",
                "street": "Kirchenfeldstrasse",
                "email": "sekretariat@kirchenfeld.ch",
            },
        )
    ]
    db = open_database(cli.path)
    assert printing.invoice_pdf(db, "2026-00001").pdf == issued_pdf  # issued: as it was
    draft = printing.invoice_pdf(db, str(draft_id)).pdf
    db.dispose()
    assert "Kirchenfeld" in PdfReader(BytesIO(draft)).pages[0].extract_text()

    code, out, _err = cli("school", "edit", number, "--city", "Bern")
    assert code == 0 and "Nothing changed" in out


def test_school_edit_refuses_bad_input_and_writes_nothing(cli):
    number = school(cli)
    refused(cli, "school", "edit", number, "--postcode", "30111", match="not a postcode of CH")
    refused(cli, "school", "edit", number, "--name", " ", match="the name is required")
    refused(cli, "school", "edit", number, "--email", "kein-mail", match="not an e-mail address")
    refused(cli, "school", "edit", number, "--vat-id", "CHE-1", match="not a valid VAT/UID")
    refused(cli, "school", "edit", number, "--leitweg-id", "12", match="not a valid Leitweg-ID")
    refused(cli, "school", "edit", number, match="nothing to change")
    refused(cli, "school", "edit", "999999", "--city", "Thun", match="no school with number")


def test_teacher_edit_corrects_name_and_email(cli):
    number = school(cli)
    teacher = ok(cli, "teacher", "add", number, "--first-name", "Lukas", "--last-name", "Zolc")
    doc = ok(cli, "teacher", "edit", str(teacher["id"]), "--first-name", "Łukasz",
             "--last-name", "Żółć", "--email", "lz@schule.ch")  # fmt: skip
    assert doc["name"] == "Łukasz Żółć"
    assert audit_entries(cli.path, "teacher.edit") == [
        (
            {"first_name": "Lukas", "last_name": "Zolc", "email": ""},
            {"first_name": "Łukasz", "last_name": "Żółć", "email": "lz@schule.ch"},
        )
    ]
    tid = str(teacher["id"])
    refused(cli, "teacher", "edit", tid, "--email", "lz@", match="not an e-mail address")
    refused(cli, "teacher", "edit", tid, "--first-name", "", "--last-name", " ",
            match="a teacher needs a name")  # fmt: skip
    refused(cli, "teacher", "edit", "9999", "--email", "a@b.ch", match="no teacher with id")
    refused(cli, "teacher", "edit", tid, match="nothing to change")
