"""Amounts on the command line in the forms people type (12,50, 1'234.50, 1.234,50), read as the
app reads them; an ambiguous one is refused with exit 2, nothing written."""

from __future__ import annotations

from test_invoice_cli import ok, order, refused, school, set_vendor


def test_pay_takes_the_amount_as_people_type_it(cli):
    set_vendor(cli)
    ok(cli, "invoice", "issue", str(order(cli, school(cli))), "--date", "2026-03-11")
    paid = ok(cli, "invoice", "pay", "2026-00001", "--amount", "12,50", "--date", "2026-03-20")
    assert paid["paid"] == "12.50"
    paid = ok(cli, "invoice", "pay", "2026-00001", "--amount", "1'000.05", "--date", "2026-03-21")
    assert paid["paid"] == "1012.55"
    refused(
        cli, "invoice", "pay", "2026-00001", "--amount", "1,234", "--date", "2026-03-22",
        match="ambiguous",
    )  # fmt: skip
