"""Property: any interleaving of issue, credit and failed issue (vendor incomplete, already
issued, unprintable data, date before the last number, credit of a draft) leaves the numbers of
each series and year without a gap and without a duplicate, matching the counter."""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.services.billing import credit_notes, issuing, vendor
from lehrer_licenses.services.billing.drafts import create_draft
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.schools import SchoolInput, add_school, school_by_number
from lehrer_licenses.store.models import Invoice, NumberCounter, School

OPERATIONS = (
    "issue",
    "issue",
    "issue_unprintable",
    "issue_again",
    "issue_without_vendor",
    "issue_backdated",
    "credit",
    "credit_draft",
    "advance",
)
NUMBER = re.compile(r"^(G?)(\d{4})-(\d{5})$")


def _draft(db, school: str, on: date, amount: str = "156.00") -> int:
    line = Line("base", "Grundlizenz", Decimal(1), Decimal(amount), Decimal(amount))
    with db.transaction() as session:
        return create_draft(session, school_by_number(session, school), None, "CHF", "order",
                            [line], on).id  # fmt: skip


def _check_gapless(db) -> None:
    with db.reading() as session:
        numbers = session.scalars(select(Invoice.number).where(Invoice.number.is_not(None))).all()
        counters = {(c.series, c.year): c.last for c in session.scalars(select(NumberCounter))}
    assert len(numbers) == len(set(numbers))
    seen: dict[tuple[str, int], list[int]] = defaultdict(list)
    for number in numbers:
        match = NUMBER.match(number)
        assert match, number
        series = "credit_note" if match.group(1) else "invoice"
        seen[series, int(match.group(2))].append(int(match.group(3)))
    for key, seqs in seen.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (key, sorted(seqs))
        assert counters[key] == len(seqs)
    assert {k: v for k, v in counters.items() if v} == {k: len(v) for k, v in seen.items()}


@pytest.mark.slow  # hypothesis over a database; test_invoice_lifecycle numbers fast
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(min_value=0, max_value=6)),
        min_size=1,
        max_size=14,
    )
)
def test_numbers_stay_gapless_and_unique_per_series_and_year(databases, steps):
    with tempfile.TemporaryDirectory() as folder:
        db = databases.fresh(Path(folder) / "p.sqlite")
        try:
            vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
            address = {"street": "Weg", "house_number": "1", "postcode": "3011", "city": "Bern"}
            good = add_school(db, SchoolInput(name="Schule Dvořák", country="CH", language="de",
                                              **address))  # fmt: skip
            bad = add_school(db, SchoolInput(name="Schule", country="CH", language="de", **address))
            # a name refused as typed now, as a file of an earlier version may still hold it
            with db.transaction() as session:
                session.execute(update(School).where(School.number == bad).values(name="Школа"))
            day = date(2026, 12, 20)
            issued: list[str] = []
            for operation, k in steps:
                if operation == "advance":
                    day += timedelta(days=7 * k + 1)
                elif operation == "issue":
                    doc = issuing.issue_invoice(db, str(_draft(db, good, day)), day)
                    issued.append(doc.number)
                elif operation == "issue_unprintable":
                    with pytest.raises(InvalidInput):
                        issuing.issue_invoice(db, str(_draft(db, bad, day)), day)
                elif operation == "issue_again" and issued:
                    with pytest.raises(InvalidInput):
                        issuing.issue_invoice(db, issued[k % len(issued)], day)
                elif operation == "issue_without_vendor":
                    vendor.set_vendor(db, {"iban": ""})
                    with pytest.raises(InvalidInput):
                        issuing.issue_invoice(db, str(_draft(db, good, day)), day)
                    vendor.set_vendor(db, {"iban": vendor.SAMPLE_VENDOR["iban"]})
                elif operation == "issue_backdated" and issued:
                    # refused when it lies before the last number of its year
                    with suppress(InvalidInput):
                        issuing.issue_invoice(db, str(_draft(db, good, day)), day - timedelta(400))
                elif operation == "credit" and issued:
                    amount = None if k == 0 else Decimal(k * 10)
                    with suppress(InvalidInput):  # already credited in full, or more than is left
                        credit_notes.credit_invoice(
                            db, issued[k % len(issued)], reason="Korrektur", amount=amount, on=day
                        )
                elif operation == "credit_draft":
                    with pytest.raises(InvalidInput):
                        credit_notes.credit_invoice(
                            db, str(_draft(db, good, day)), reason="x", on=day
                        )
                _check_gapless(db)
        finally:
            db.dispose()
