"""Issuing many drafts at once, each in its own transaction, and printing many documents as one
PDF; on real database files."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from lehrer_licenses.services.billing import batch_issue, printing, vendor
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.store.models import Invoice

ADDRESS = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011", "city": "Bern"}


@pytest.fixture
def drafts(db, make_school):
    """Three drafts: two of a Bernese school, one of a school without a postal address."""
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    bern = make_school("Primarschule Ørsted", country="CH", language="de", **ADDRESS)
    bare = make_school("Schule ohne Adresse", country="CH", language="de")
    return [
        order_seats(db, bern, 3, date(2026, 3, 10)).invoice.id,
        order_seats(db, bare, 2, date(2026, 3, 10)).invoice.id,
        order_seats(db, bern, 1, date(2026, 3, 10)).invoice.id,
    ]


def test_totals_per_currency_and_only_drafts(db, drafts):
    totals = batch_issue.draft_totals(db, drafts)
    assert totals.count == 3
    assert [currency for currency, _sum in totals.totals] == ["CHF"]
    assert totals.totals[0][1] > Decimal("0")
    with pytest.raises(InvalidInput, match="no drafts selected"):
        batch_issue.draft_totals(db, [])
    with pytest.raises(InvalidInput, match="no invoice with id 999"):
        batch_issue.draft_totals(db, [drafts[0], 999])


def test_one_refusal_leaves_the_others_issued_and_names_its_reason(db, drafts):
    seen = []
    results = batch_issue.issue_drafts(
        db, drafts, date(2026, 3, 11), lambda done, r: seen.append(done) or True
    )
    assert seen == [1, 2, 3]
    assert [r.number for r in results] == ["2026-00001", None, "2026-00002"]
    assert results[1].refused and "no postal address" in results[1].refused
    assert results[0].currency == "CHF" and results[0].payable == Decimal("505.90")
    assert batch_issue.draft_ids(db) == [drafts[1]]  # only the refused one is left a draft
    with pytest.raises(InvalidInput, match="not a draft: " + str(drafts[0])):
        batch_issue.draft_totals(db, drafts)


def test_a_cancel_stops_after_the_current_draft(db, drafts):
    results = batch_issue.issue_drafts(db, drafts, date(2026, 3, 11), lambda done, r: done < 1)
    assert [r.invoice_id for r in results] == [drafts[0]]
    assert batch_issue.draft_ids(db) == drafts[1:]


def test_drafts_of_a_renewal_run_are_found_by_its_year(db, drafts):
    with db.transaction() as session:
        session.execute(
            update(Invoice).where(Invoice.id == drafts[2]).values(billing_key="renewal:7:2027")
        )
    assert batch_issue.draft_ids(db, 2027) == [drafts[2]]
    assert batch_issue.draft_ids(db, 2026) == []
    assert batch_issue.draft_ids(db) == drafts


def test_a_renewal_run_s_drafts_include_the_usage_it_bills_in_arrears(db, drafts):
    # the run into 2027 bills the DB-hosting counts of 2026 (year_end: usage:<sub>:<year - 1>)
    with db.transaction() as session:
        session.execute(
            update(Invoice).where(Invoice.id == drafts[0]).values(billing_key="usage:3:2026")
        )
        session.execute(
            update(Invoice).where(Invoice.id == drafts[2]).values(billing_key="renewal:7:2027")
        )
    assert batch_issue.draft_ids(db, 2027) == [drafts[0], drafts[2]]
    assert batch_issue.draft_ids(db, 2026) == []


def test_all_selected_print_as_one_pdf_in_order(db, drafts):
    batch_issue.issue_drafts(db, [drafts[0], drafts[2]], date(2026, 3, 11))
    keys = ["2026-00002", "2026-00001"]
    data, pages = batch_issue.combined_pdf(db, keys)
    each = [len(PdfReader(BytesIO(printing.invoice_pdf(db, k).pdf)).pages) for k in keys]
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == pages == sum(each)
    text = [page.extract_text() for page in reader.pages]
    assert "2026-00002" in text[0] and "2026-00001" in text[each[0]]
    first_numbers = [m.start() for k in keys for m in [re.search(k, "\n".join(text))]]
    assert first_numbers == sorted(first_numbers)
    with pytest.raises(InvalidInput, match="no documents selected"):
        batch_issue.combined_pdf(db, [])
