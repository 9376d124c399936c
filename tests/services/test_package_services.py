"""User packages and subject add-ons through the use cases on a real SQLite file (M1-M11,
worked examples 8 and 9), and their anniversary renewal run."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lehrer_licenses.cli.json_billing import invoice_view_json
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.packages import Account
from lehrer_licenses.domain.regcode import LicenceKind
from lehrer_licenses.services.billing.drafts import get_invoice
from lehrer_licenses.services.catalogue import add_price
from lehrer_licenses.services.licences.codes import code_history, verify_code
from lehrer_licenses.services.licences.packages.activation import order_package, quote_package
from lehrer_licenses.services.licences.packages.addons import (
    BillingAddress,
    cancel_addon,
    order_addon,
)
from lehrer_licenses.services.licences.packages.counts import read_accounts, record_user_count
from lehrer_licenses.services.licences.packages.full_package import move_to_full_package
from lehrer_licenses.services.licences.packages.notice import cancel_package, change_at_renewal
from lehrer_licenses.services.licences.packages.status import package_status
from lehrer_licenses.services.licences.packages.upgrade import quote_upgrade, upgrade_package
from lehrer_licenses.services.season.renewals_due import DueSummary, run_due_renewals
from lehrer_licenses.store.models import AuditEntry, Invoice, Subscription


@pytest.fixture
def de_school(make_school):
    return make_school("Gymnasium Lindenberg", country="DE", language="de")


def net(view):
    return invoice_view_json(view)["net"]


def test_M1_example8_package_activated_1_february(db, de_school):
    result = order_package(db, de_school, 500, date(2026, 2, 1))
    invoice = invoice_view_json(result.invoice)
    assert (result.term_start, result.term_end) == (date(2026, 2, 1), date(2027, 1, 31))
    assert result.cancellation_deadline == date(2026, 10, 31)
    assert invoice["net"] == "650.00" and invoice["currency"] == "EUR"
    assert invoice["vat_rate"] == "19"
    assert any("samples" in n for n in result.notices)
    assert cancel_package(db, de_school, date(2026, 10, 31)).effective == date(2027, 1, 31)


def test_M1_late_cancellation_ends_a_year_later(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    result = cancel_package(db, de_school, date(2026, 11, 1))
    assert not result.in_time and result.effective == date(2028, 1, 31)
    with pytest.raises(DomainError, match="already cancelled"):
        cancel_package(db, de_school, date(2026, 11, 2))


def test_M1_the_quote_is_what_the_order_writes_and_writes_nothing(db, de_school):
    quote = quote_package(db, de_school, 1000, date(2026, 2, 1))
    with db.reading() as session:
        assert session.scalar(select(func.count(Invoice.id))) == 0
    order = order_package(db, de_school, 1000, date(2026, 2, 1))
    assert invoice_view_json(quote.invoice)["lines"] == invoice_view_json(order.invoice)["lines"]


def test_M1_a_second_package_is_refused(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    with pytest.raises(DomainError, match="running package of 500 users"):
        order_package(db, de_school, 750, date(2026, 3, 1))


def test_M3_code_carries_the_package_capacity(db, de_school):
    result = order_package(db, de_school, 750, date(2026, 2, 1))
    licence = verify_code(result.code, today=date(2026, 2, 1))
    assert licence["kind"] == "package" and licence["quantity"] == 750
    assert licence["valid_until"] == "2027-01-31" and licence["product"] == "MG"
    assert code_history(db, de_school)[-1].kind is LicenceKind.PACKAGE


def test_M3_M7_over_capacity_warns_and_prices_both_ways_out(db, de_school):
    order_package(db, de_school, 1000, date(2026, 2, 1))
    fits = record_user_count(db, de_school, date(2026, 5, 1), users=1000)
    assert fits.warning is None and fits.options == []
    over = record_user_count(db, de_school, date(2026, 6, 10), users=1100)
    assert over.check.over == 100 and over.check.suggested == 1400
    assert "remove accounts" in over.warning and "550.00" in over.warning
    assert [(o.option, o.amount) for o in over.options] == [
        ("upgrade", Decimal("550.00")),
        ("restart", Decimal("1400.00")),
    ]


def test_M4_M5_count_from_account_records(db, de_school, tmp_path):
    order_package(db, de_school, 250, date(2026, 2, 1))
    path = tmp_path / "accounts.csv"
    path.write_text(
        "person,last_used,registered_on,removed_on\n"
        "Anna Keller,2026-05-01,2025-09-01,\n"
        "anna keller,2026-05-20,2026-05-20,\n"  # registered twice: once (M5)
        "Ben Ørsted,2025-05-01,2024-09-01,\n"  # unused for over a year (M4)
        "Łukasz Żółć,2026-04-01,2025-09-01,2026-05-01\n"  # a leaver, removed (M4)
        "Clara Dvořák,,2026-05-30,\n",
        encoding="utf-8",
    )
    result = record_user_count(db, de_school, date(2026, 6, 1), accounts=read_accounts(path))
    assert result.users == 2 and result.source == "accounts"


def test_M4_a_bad_accounts_file_names_the_problem(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(DomainError, match="column 'person'"):
        read_accounts(path)
    path.write_text("person,last_used\nx,2026-13-01\n", encoding="utf-8")
    with pytest.raises(DomainError, match="Line 2"):
        read_accounts(path)


def test_M3_count_needs_either_users_or_accounts(db, de_school):
    order_package(db, de_school, 250, date(2026, 2, 1))
    with pytest.raises(DomainError, match="either"):
        record_user_count(db, de_school, date(2026, 6, 1))
    with pytest.raises(DomainError, match="negative"):
        record_user_count(db, de_school, date(2026, 6, 1), users=-1)
    with pytest.raises(DomainError, match="after the licence year"):
        record_user_count(db, de_school, date(2027, 2, 1), users=3)


def test_M8_example9_upgrade_from_1000_to_1400_costs_550_through_the_services(db, de_school):
    order_package(db, de_school, 1000, date(2026, 2, 1))
    quote = quote_upgrade(db, de_school, 1400, date(2026, 6, 10))
    assert [(o.option, o.amount) for o in quote.options] == [
        ("upgrade", Decimal("550.00")),
        ("restart", Decimal("1400.00")),
    ]
    result = upgrade_package(db, de_school, 1400, date(2026, 6, 10))
    invoice = invoice_view_json(result.invoice)
    assert invoice["net"] == "550.00"
    # unchanged
    assert (result.term_start, result.term_end) == (date(2026, 2, 1), date(2027, 1, 31))
    assert [line["amount"] for line in invoice["lines"]] == ["150.00", "400.00"]
    assert verify_code(result.code, today=date(2026, 6, 10))["quantity"] == 1400


def test_M8_restart_starts_a_new_licence_year_at_the_new_price(db, de_school):
    order_package(db, de_school, 1000, date(2026, 2, 1))
    result = upgrade_package(db, de_school, 1400, date(2026, 6, 10), option="restart")
    assert invoice_view_json(result.invoice)["net"] == "1400.00"
    assert (result.term_start, result.term_end) == (date(2026, 6, 10), date(2027, 6, 9))
    assert result.cancellation_deadline == date(2027, 3, 9)


def test_M8_upgrade_on_the_last_day_of_a_term(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    quote = quote_upgrade(db, de_school, 750, date(2027, 1, 31))
    assert [o.amount for o in quote.options] == [Decimal("350.00"), Decimal("850.00")]
    restart = upgrade_package(db, de_school, 750, date(2027, 1, 31), option="restart")
    assert (restart.term_start, restart.term_end) == (date(2027, 1, 31), date(2028, 1, 30))
    # the next renewal is the one of the restarted year, not 1 February 2027
    run = run_due_renewals(db, date(2027, 2, 1), dry_run=True)
    assert run.items == []


def test_M8_upgrade_refusals_write_nothing(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    with db.reading() as session:
        before = session.scalar(select(func.count(AuditEntry.id)))
    for capacity, on, option, message in [
        (250, date(2026, 3, 1), "upgrade", "renewal"),
        (750, date(2027, 2, 1), "upgrade", "after the licence year"),
        (600, date(2026, 3, 1), "upgrade", "sizes: 250, 500"),
        (750, date(2026, 3, 1), "sideways", "either upgrade or restart"),
    ]:
        with pytest.raises(DomainError, match=message):
            upgrade_package(db, de_school, capacity, on, option=option)
    with db.reading() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == before


def test_M2_package_size_changes_at_the_renewal(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    change_at_renewal(db, de_school, 250, date(2026, 10, 1))
    run = run_due_renewals(db, date(2027, 2, 1), dry_run=False)
    (item,) = run.items
    assert item.action == "renew" and item.quantity == 250
    assert invoice_view_json(item.invoice)["net"] == "400.00"
    assert (item.term_start, item.term_end) == (date(2027, 2, 1), date(2028, 1, 31))
    assert verify_code(item.code, today=date(2027, 2, 1))["quantity"] == 250


def test_M2_a_smaller_package_after_the_deadline_is_refused_a_larger_one_allowed(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    with pytest.raises(DomainError, match="had to arrive by 2026-10-31"):
        change_at_renewal(db, de_school, 250, date(2026, 11, 1))
    assert change_at_renewal(db, de_school, 1000, date(2027, 1, 15)).capacity_from_renewal


def test_M1_renewals_due_run_is_idempotent_and_the_dry_run_writes_nothing(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    dry = run_due_renewals(db, date(2027, 2, 1), dry_run=True)
    with db.reading() as session:
        assert session.scalar(select(func.count(Invoice.id))) == 1
    real = run_due_renewals(db, date(2027, 2, 1), dry_run=False)
    assert (
        dry.summary()
        == real.summary()
        == DueSummary(renewals=1, lapses=0, invoices=1, net={"EUR": Decimal("650.00")})
    )
    again = run_due_renewals(db, date(2027, 2, 1), dry_run=False)
    assert again.items == []
    with db.reading() as session:
        assert session.scalar(select(func.count(Invoice.id))) == 2


def test_M1_several_years_due_renew_one_after_the_other_across_29_february(db, de_school):
    order_package(db, de_school, 500, date(2027, 6, 1))
    run = run_due_renewals(db, date(2029, 6, 1), dry_run=False)
    assert [(i.term_start, i.term_end) for i in run.items] == [
        (date(2028, 5, 31), date(2029, 5, 30)),  # the year with 29 February ends a day early
        (date(2029, 5, 31), date(2030, 5, 30)),
    ]


def test_M1_a_package_cancelled_in_time_lapses_at_its_end(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    cancel_package(db, de_school, date(2026, 10, 31))
    (item,) = run_due_renewals(db, date(2027, 12, 31), dry_run=False).items
    assert item.action == "lapse" and item.invoice is None
    with db.reading() as session:
        assert session.scalar(select(Subscription.status)) == "lapsed"


def test_M11_an_increase_announced_too_late_is_not_applied_at_the_renewal(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    add_price(
        db, "MG-PACKAGE", "package:500", Decimal("700.00"), date(2027, 1, 1),
        announced_on=date(2026, 9, 1),
    )  # fmt: skip
    status = package_status(db, de_school, date(2026, 8, 1))
    assert status.renewal.quote.amount == Decimal("650.00")
    assert status.renewal.quote.postponed_increases[0].amount == Decimal("700.00")
    assert package_status(db, de_school, date(2026, 7, 31)).renewal.quote.amount is None
    (item,) = run_due_renewals(db, date(2027, 2, 1), dry_run=False).items
    assert invoice_view_json(item.invoice)["net"] == "650.00"
    assert any("less than 6 months" in n for n in item.notices)
    (item,) = run_due_renewals(db, date(2028, 2, 1), dry_run=False).items
    assert invoice_view_json(item.invoice)["net"] == "700.00"


def test_M11_an_increase_announced_6_months_ahead_applies(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    add_price(
        db, "MG-PACKAGE", "package:500", Decimal("700.00"), date(2027, 1, 1),
        announced_on=date(2026, 8, 1),
    )  # fmt: skip
    (item,) = run_due_renewals(db, date(2027, 2, 1), dry_run=False).items
    assert invoice_view_json(item.invoice)["net"] == "700.00" and item.notices == []


# --- add-ons (M10) --------------------------------------------------------------------------


def test_M10_addon_has_its_own_year_invoice_and_billing_address(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    address = BillingAddress("Förderverein Lindenberg", "Hauptstr. 1", "88161", "Lindenberg", "DE")
    result = order_addon(db, de_school, "Deutsch", date(2026, 4, 15), address)
    addon = result.addon
    assert (addon.term_start, addon.term_end) == (date(2026, 4, 15), date(2027, 4, 14))
    assert addon.billing_address.name == "Förderverein Lindenberg"
    assert invoice_view_json(result.invoice)["net"] == "195.00"
    with db.reading() as session:
        invoice = session.get(Invoice, result.invoice.id)
        assert invoice.addon_id == addon.id and invoice.reason == "addon"
    with pytest.raises(DomainError, match="already"):
        order_addon(db, de_school, "Deutsch", date(2026, 5, 1))


def test_M10_addon_refused_without_a_package_or_with_an_incomplete_address(db, de_school):
    with pytest.raises(DomainError, match="no running user package"):
        order_addon(db, de_school, "Deutsch", date(2026, 4, 15))
    order_package(db, de_school, 500, date(2026, 2, 1))
    with pytest.raises(DomainError, match="incomplete"):
        order_addon(db, de_school, "Deutsch", date(2026, 4, 15), BillingAddress(name="X"))


def test_M10_addon_renews_on_its_own_date_at_the_package_size_of_then(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    order_addon(db, de_school, "Englisch", date(2026, 4, 15))
    change_at_renewal(db, de_school, 1000, date(2026, 12, 1))
    run = run_due_renewals(db, date(2027, 4, 15), dry_run=False)
    assert [(i.contract, i.renewal, i.quantity) for i in run.items] == [
        ("package", date(2027, 2, 1), 1000),
        ("addon", date(2027, 4, 15), 1000),
    ]
    assert invoice_view_json(run.items[1].invoice)["net"] == "300.00"  # add-on price at 1,000 users


def test_M10_addon_cancelled_with_3_months_notice_lapses(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    addon = order_addon(db, de_school, "Englisch", date(2026, 4, 15)).addon.id
    result = cancel_addon(db, de_school, addon, date(2027, 1, 14))
    assert result.in_time and result.effective == date(2027, 4, 14)
    run = run_due_renewals(db, date(2027, 4, 15), dry_run=False)
    assert [(i.contract, i.action) for i in run.items] == [
        ("package", "renew"),
        ("addon", "lapse"),
    ]


def test_M10_addon_lapses_when_the_package_has_ended(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    order_addon(db, de_school, "Englisch", date(2026, 4, 15))
    cancel_package(db, de_school, date(2026, 10, 1))
    run = run_due_renewals(db, date(2027, 4, 15), dry_run=False)
    assert [(i.contract, i.action) for i in run.items] == [
        ("package", "lapse"),
        ("addon", "lapse"),
    ]


def _move(db, school, start, move):
    order_package(db, school, 500, date(2026, 2, 1))
    order_addon(db, school, "Deutsch", start)
    return move_to_full_package(db, school, move)


def test_M10_addon_refund_on_the_day_it_started_is_the_whole_price(db, de_school):
    result = _move(db, de_school, date(2026, 4, 15), date(2026, 4, 15))
    assert net(result.invoice) == "390.00"  # full package 1,040 - 650
    (refund,) = result.refunds  # the add-on's draft, never issued: the refund is deducted
    assert refund.reason == "addon" and refund.lines[-1].amount == Decimal("-195.00")
    assert net(refund) == "0.00"


def test_M10_addon_refund_on_its_last_day_is_one_day(db, de_school):
    # the add-on's last day 2027-04-14 is outside the package year: renew the package first
    order_package(db, de_school, 500, date(2026, 2, 1))
    order_addon(db, de_school, "Deutsch", date(2026, 4, 15))
    run_due_renewals(db, date(2027, 2, 1), dry_run=False)
    result = move_to_full_package(db, de_school, date(2027, 4, 14))
    (refund,) = result.refunds
    assert refund.lines[-1].amount == Decimal("-0.53")  # 195 / 365
    assert net(refund) == "194.47"
    assert "1 von 365 Tagen" in refund.lines[-1].description  # in the school's language


def test_M10_full_package_quote_writes_nothing_and_renews_at_the_full_price(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    order_addon(db, de_school, "Deutsch", date(2026, 4, 15))
    quote = move_to_full_package(db, de_school, date(2026, 8, 1), quote=True)
    assert quote.refunds[0].id is None
    real = move_to_full_package(db, de_school, date(2026, 8, 1))
    assert [r.lines[-1].amount for r in real.refunds] == [r.lines[0].amount for r in quote.refunds]
    assert quote.notices == real.notices and "draft" in quote.notices[0]
    assert get_invoice(db, str(real.refunds[0].id)).lines[-1].amount < 0
    with pytest.raises(DomainError, match="full package"):
        order_addon(db, de_school, "Englisch", date(2026, 9, 1))
    run = run_due_renewals(db, date(2027, 4, 15), dry_run=False)
    assert [(i.contract, i.action) for i in run.items] == [("package", "renew")]
    assert invoice_view_json(run.items[0].invoice)["net"] == "1040.00"


def test_M10_every_use_case_is_audited(db, de_school):
    order_package(db, de_school, 500, date(2026, 2, 1))
    order_addon(db, de_school, "Deutsch", date(2026, 4, 15))
    record_user_count(db, de_school, date(2026, 5, 1), users=10)
    with db.reading() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        after = json.loads(
            session.scalar(select(AuditEntry.after).where(AuditEntry.action == "package.count"))
        )
    assert {"package.activate", "addon.order", "package.count", "code.issue"} <= set(actions)
    assert after["users"] == 10


def test_M3_accounts_count_in_domain_matches_service(db, de_school):
    order_package(db, de_school, 250, date(2026, 2, 1))
    accounts = [Account("a", last_used=date(2026, 5, 1)), Account("A ", last_used=date(2026, 5, 2))]
    assert record_user_count(db, de_school, date(2026, 6, 1), accounts=accounts).users == 1


def test_M1_a_school_with_a_package_and_per_teacher_seats_keeps_them_apart(db, de_school):
    from lehrer_licenses.services.licences.codes import issue_code_now
    from lehrer_licenses.services.licences.seats.cancellations import cancel
    from lehrer_licenses.services.licences.seats.orders import order_seats

    order_package(db, de_school, 500, date(2026, 2, 1))
    order_seats(db, de_school, 3, date(2026, 3, 10))
    result = cancel(db, de_school, seats=1, received=date(2026, 5, 1))
    assert result.seats_after == 2  # the seats were cancelled, not the package
    assert issue_code_now(db, de_school, date(2026, 5, 2)).kind is LicenceKind.SEATS
    assert package_status(db, de_school, date(2026, 5, 2)).capacity == 500


def test_M3_code_issue_for_a_package_only_school_carries_the_capacity(db, de_school):
    from lehrer_licenses.services.licences.codes import issue_code_now

    order_package(db, de_school, 750, date(2026, 2, 1))
    view = issue_code_now(db, de_school, date(2026, 3, 1))
    assert (view.kind, view.seats) == (LicenceKind.PACKAGE, 750)
