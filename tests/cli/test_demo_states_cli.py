"""`demo` writes a desk to try billing on: after it the command line lists drafts, paid,
partly paid, credited and overdue invoices, credit notes, reminders already sent, a dunning
proposal with an invoice at every level, and renewal letters for every kind of renewal, with
the DB-hosting schools named as getting none, and why. The same seed writes the same books."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from support.cli_run import cli_runner, ok

from lehrer_licenses.services.database_init import init_database
from lehrer_licenses.store.models import PlanRow, School, Subscription

pytestmark = pytest.mark.slow  # the demo renders the PDF of every invoice it issues


def _states(cli) -> dict[str, list[dict]]:
    return {
        status: ok(cli, "invoice", "list", "--status", status)
        for status in ("draft", "paid", "credited", "overdue")
    }


def test_demo_books_show_every_state_and_dunning_level(cli, tmp_path):
    stats = ok(cli, "demo", "--schools", "80", "--seed", "7")
    assert stats["issued"] > 0 and stats["paid"] > 0 and stats["reminders"] > 0
    states = _states(cli)
    assert {status: len(rows) > 0 for status, rows in states.items()} == {
        "draft": True,
        "paid": True,
        "credited": True,
        "overdue": True,
    }
    overdue = ok(cli, "invoice", "list", "--overdue")
    assert any(row["paid"] != "0.00" and row["open"] != row["payable"] for row in overdue)
    # reminders already sent: overdue invoices standing at every level, the last one included
    assert {row["dunning_level"] for row in overdue} >= {0, 1, 2, 3}
    credit_notes = ok(cli, "invoice", "list", "--kind", "credit_note")
    assert credit_notes and all(row["number"].startswith("G") for row in credit_notes)

    proposal = ok(cli, "dunning", "propose")
    assert {n["level"] for n in proposal["notices"]} == {1, 2, 3}
    code, text, _err = cli("dunning", "propose")
    assert code == 0 and "level 3" in text and "level 2" in text and "level 1" in text

    # the proposal is sent as it stands: the letters go out, the levels move on
    chosen = ",".join(str(n["invoice_id"]) for n in proposal["notices"])
    batch = tmp_path / "reminders.pdf"
    sent = ok(cli, "dunning", "run", "--invoices", chosen, "-o", str(batch))
    assert len(sent["notices"]) == len(proposal["notices"]) and batch.stat().st_size > 0

    # an issued demo invoice is printed as it was sent
    paid = states["paid"][0]["number"]
    out = tmp_path / "paid.pdf"
    assert ok(cli, "invoice", "pdf", paid, "-o", str(out))["stored"] is True


def test_demo_renewal_letters_cover_every_kind_and_say_who_gets_none(cli, tmp_path):
    ok(cli, "demo", "--schools", "80", "--seed", "7")
    # last year's renewals: every kind has had its renewal by then, whatever day this runs on
    year, on = date.today().year - 1, date.today().isoformat()
    letters = ok(
        cli, "letters", "renewal", "--year", str(year), "--date", on,
        "-o", str(tmp_path / "renewals.pdf"),
    )  # fmt: skip
    lettered = {row["school"] for row in letters["schools"]}
    db, _ = init_database(cli.path)
    with db.reading() as session:
        plans = session.execute(
            select(School.number, PlanRow.kind, PlanRow.billing)
            .join(Subscription, Subscription.school_id == School.id)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
        ).all()
    db.dispose()
    assert {kind for number, kind, _billing in plans if number in lettered} == {
        "per_seat",
        "package",
        "per_unit",
    }
    without = letters["without_letter"]
    hosted = {number for number, _kind, billing in plans if billing == "arrears"}
    assert without and {row["school"] for row in without} <= hosted
    assert all("DB-hosting" in row["reason"] for row in without)
    assert not lettered & {row["school"] for row in without}
    code, text, _err = cli(
        "letters", "renewal", "--year", str(year), "--date", on,
        "-o", str(tmp_path / "again.pdf"),
    )  # fmt: skip
    assert code == 0 and f"{len(without)} schools get no letter:" in text


def test_the_same_seed_writes_the_same_books(databases, tmp_path, capsys):
    books = []
    for run in range(2):
        cli = cli_runner(databases.copy_to(tmp_path / f"d{run}.sqlite"), capsys)
        ok(cli, "init")
        ok(cli, "demo", "--schools", "40", "--seed", "3")
        books.append(
            [
                (row["number"], row["status"], row["payable"], row["open"], row["paid"])
                for row in ok(cli, "invoice", "list")
            ]
        )
    assert books[0] == books[1] and any(number for number, *_ in books[0])
