"""Migration 0006: per-pupil licence years become one calendar year from their start; a running
year of 365 days that spans 29 February moves to the day before its anniversary, with the dates
reckoned from its end. Packages keep their 365 days (M1)."""

import sqlite3

from support.old_fixtures import migrated_copy

T0 = "2026-03-10 09:15:00.000000"


def test_0006_moves_a_running_per_pupil_year_to_its_anniversary(tmp_path):
    path = migrated_copy(
        tmp_path,
        "0004",
        # the fixture's school 3 on FPO-38 from 2027-09-01: 365 days end on 2028-08-30 (29 Feb)
        "UPDATE subscription SET term_start = '2027-09-01', term_end = '2028-08-30', "
        "ends_on = '2028-08-30' WHERE id = 3",
        # a package year over 29 February keeps its 365 days (M1)
        "UPDATE subscription SET term_start = '2027-09-01', term_end = '2028-08-30' WHERE id = 2",
        "INSERT INTO cancellation (id, school_id, subscription_id, received_on, seats, deadline, "
        "in_time, effective_on, status) VALUES (9, 3, 3, '2028-05-02', NULL, '2028-07-30', 1, "
        "'2028-08-30', 'pending')",
        "DELETE FROM pre_investment",
        "INSERT INTO pre_investment (id, school_id, subscription_id, plan_id, term_start, "
        "term_end, part, pupils, unit_price, amount, invoice_id, settled, created_at) VALUES "
        f"(1, 3, 3, 3, '2027-09-01', '2028-08-30', '3-8', 200, 3600000, 72000, NULL, 0, '{T0}')",
    )

    con = sqlite3.connect(path)
    try:
        plans = dict(con.execute("SELECT code, term_days FROM plan").fetchall())
        assert plans["FPO-38"] == 0 and plans["MG-PACKAGE"] == 365
        subs = {
            row[0]: row[1:]
            for row in con.execute("SELECT id, term_start, term_end, ends_on FROM subscription")
        }
        assert subs[3] == ("2027-09-01", "2028-08-31", "2028-08-31")
        assert subs[2] == ("2027-09-01", "2028-08-30", None)
        assert con.execute("SELECT effective_on FROM cancellation WHERE id = 9").fetchone() == (
            "2028-08-31",
        )
        assert con.execute("SELECT term_end FROM pre_investment").fetchall() == [("2028-08-31",)]
    finally:
        con.close()
