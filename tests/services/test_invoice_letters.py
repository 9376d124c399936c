"""Letter runs: payment reminders (levels, waits, fees), notice-period reminders, renewal letters
and price-change notices, from the data on real SQLite files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from lehrer_licenses.cli import json_billing as shape
from lehrer_licenses.services.billing import dunning, issuing, payments, vendor
from lehrer_licenses.services.catalogue import add_price
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.season import letters
from lehrer_licenses.services.season.year_end import run_renewals

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}


@pytest.fixture
def desk(db):
    vendor.set_vendor(db, {**vendor.SAMPLE_VENDOR, "dunning_fees": "0,10,20"})
    return db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)


def test_reminders_follow_the_waits_and_stop_after_level_three(desk, make_school):
    school = make_school("Schule Dvořák", **ADDRESS)
    draft = order_seats(desk, school, 3, date(2026, 3, 10)).invoice.id
    number = issuing.issue_invoice(desk, str(draft), date(2026, 3, 11)).number  # due 10.04.
    assert dunning.run_dunning(desk, date(2026, 4, 19)).notices == []  # wait 10 days
    first = dunning.run_dunning(desk, date(2026, 4, 20))
    first_notices = shape.dunning_json(first)["notices"]
    assert [(n["level"], n["fee"], n["amount_due"]) for n in first_notices] == [
        (1, "0.00", "505.90")
    ]
    assert "Zahlungserinnerung" in text_of(first.batch_pdf)
    assert dunning.run_dunning(desk, date(2026, 5, 3)).notices == []  # 14 days after level 1
    second = dunning.run_dunning(desk, date(2026, 5, 4))
    second_notices = shape.dunning_json(second)["notices"]
    assert [(n["level"], n["amount_due"]) for n in second_notices] == [(2, "515.90")]
    payments.record_payment(desk, number, Decimal("100.00"), date(2026, 5, 10))
    third = dunning.run_dunning(desk, date(2026, 5, 18))
    third_notices = shape.dunning_json(third)["notices"]
    assert [(n["level"], n["open"], n["amount_due"]) for n in third_notices] == [
        (3, "405.90", "435.90")
    ]
    assert "Letzte Mahnung" in text_of(third.batch_pdf)
    assert "Fälliger Betrag CHF 435.90" in text_of(third.batch_pdf)
    fourth = dunning.run_dunning(desk, date(2026, 7, 1))
    assert fourth.notices == [] and fourth.exhausted == [number]
    balance = shape.balance_json(payments.school_balance(desk, school, date(2026, 7, 1)))
    assert balance["balances"][0]["dunning_fees"] == "30.00"
    overdue = [shape.overdue_json(x) for x in payments.overdue_invoices(desk, date(2026, 7, 1))]
    assert overdue[0]["dunning_level"] == 3


def test_a_dry_run_records_nothing_and_paid_invoices_get_no_reminder(desk, make_school):
    school = make_school(**ADDRESS)
    draft = order_seats(desk, school, 3, date(2026, 3, 10)).invoice.id
    number = issuing.issue_invoice(desk, str(draft), date(2026, 3, 11)).number
    dry = dunning.run_dunning(desk, date(2026, 4, 20), dry_run=True)
    assert len(dry.notices) == 1 and dry.letters == []
    assert len(dunning.run_dunning(desk, date(2026, 4, 20), dry_run=True).notices) == 1
    payments.record_payment(desk, number, Decimal("505.90"), date(2026, 4, 21))
    assert dunning.run_dunning(desk, date(2026, 5, 20)).notices == []


def test_notice_reminders_go_to_schools_whose_deadline_is_near(desk, make_school):
    school = make_school("École Françoise", language="fr", **ADDRESS)
    order_seats(desk, school, 4, date(2026, 3, 10))
    assert letters.notice_reminders(desk, date(2026, 7, 1), within_days=60).letters == []
    run = letters.notice_reminders(desk, date(2026, 9, 15), within_days=60)
    assert run.schools == [
        letters.NoticeReminderSchool(
            school=school,
            name="École Françoise",
            renewal=date(2027, 1, 1),
            deadline=date(2026, 10, 31),
            seats=4,
        )
    ]
    text = text_of(run.batch_pdf())
    assert "Votre abonnement se renouvelle le 1er janvier 2027" in text
    assert "31 octobre 2026" in text


def test_renewal_letters_list_the_new_term_and_the_code(desk, make_school):
    school = make_school(**ADDRESS)
    order_seats(desk, school, 5, date(2026, 3, 10))
    run_renewals(desk, 2027, dry_run=False)
    run = letters.renewal_letters(desk, 2027, date(2026, 12, 1))
    assert [row.school for row in run.schools] == [school]
    text = text_of(run.batch_pdf())
    assert "Verlängerung Ihres Abonnements 01.01.2027 – 31.12.2027" in text
    assert "222.75" in text and "Registrierungscode" in text


def test_price_change_notices(desk, make_school):
    school = make_school("Scuola Ørsted", language="it", **ADDRESS)
    order_seats(desk, school, 2, date(2026, 3, 10))
    with pytest.raises(InvalidInput, match="no new subscription price"):
        letters.price_change_notices(desk, "LO-LOCAL", date(2027, 1, 1), date(2026, 6, 1))
    add_price(desk, "LO-LOCAL", "subscription", Decimal("46.00"), date(2027, 1, 1))
    run = letters.price_change_notices(desk, "LO-LOCAL", date(2027, 1, 1), date(2026, 6, 1))
    assert run.schools == [
        letters.PriceChangeSchool(school=school, name="Scuola Ørsted", renewal=date(2027, 1, 1))
    ]
    assert "da CHF 44.55 a CHF 46.00" in text_of(run.batch_pdf())
