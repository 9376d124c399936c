"""Packages over capacity (M3): which, by how much, and what the next size costs (M8)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.licences.packages.activation import order_package
from lehrer_licenses.services.licences.packages.counts import record_user_count
from lehrer_licenses.services.licences.packages.over_capacity import over_capacity
from lehrer_licenses.services.licences.packages.upgrade import upgrade_package


def test_latest_count_above_the_size_is_listed_with_the_upgrade_price(db, make_school):
    over = make_school("Gymnasium Köln", country="DE")
    fits = make_school("Gymnasium Bonn", country="DE")
    order_package(db, over, 1000, date(2026, 2, 1))
    order_package(db, fits, 500, date(2026, 2, 1))
    record_user_count(db, over, date(2026, 5, 1), users=990)
    record_user_count(db, over, date(2026, 6, 10), users=1100)
    record_user_count(db, fits, date(2026, 6, 10), users=500)  # at the size is not over
    assert over_capacity(db, date(2026, 6, 9)) == []  # the count on the 10th is not yet known
    [found] = over_capacity(db, date(2026, 6, 10))
    assert (found.school, found.users, found.capacity, found.over) == (over, 1100, 1000, 100)
    # Example 9: 1,000 -> 1,400 costs the fee 150.00 plus the difference 400.00.
    assert (found.suggested, found.upgrade_amount) == (1400, Decimal("550.00"))
    assert found.suggested_price == Decimal("1400.00") and found.currency == "EUR"
    upgrade_package(db, over, 1400, date(2026, 6, 11))
    assert over_capacity(db, date(2026, 6, 11)) == []  # the upgrade fixed it


def test_demo_data_has_packages_over_capacity(db, db_path, capsys):
    create_demo(db, 60, seed=1, today=date(2026, 11, 30))
    found = over_capacity(db, date(2026, 11, 30))
    assert found and all(o.users > o.capacity and o.over == o.users - o.capacity for o in found)
    assert [o.over for o in found] == sorted((o.over for o in found), reverse=True)
    assert all(o.suggested is None or o.suggested > o.users for o in found)
    assert (
        main(["--db", str(db_path), "--json", "package", "over-capacity", "--date", "2026-11-30"])
        == 0
    )
    docs = json.loads(capsys.readouterr().out)
    assert [d["school"] for d in docs] == [o.school for o in found]
    assert main(["--db", str(db_path), "package", "over-capacity", "--date", "2026-11-30"]) == 0
    assert "more than the package of" in capsys.readouterr().out
