"""Migration 0012: the teacher_import table, and the search text of the teachers the 0.11 import
wrote without one (folded as the app folds it)."""

import sqlite3

import pytest
from support.old_fixtures import migrated_copy

pytestmark = pytest.mark.sqlite_only(reason="starts from the SQLite fixture of revision 0011")


def test_0012_folds_the_names_the_old_import_left_unfolded(tmp_path):
    path = migrated_copy(tmp_path, "0011", "UPDATE teacher SET search_text = '' WHERE id IN (2, 3)")
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT id, search_text FROM teacher ORDER BY id").fetchall() == [
            (1, "anna keller"),
            (2, "lukasz zolc"),
            (3, "beat admin"),
            (4, "chantal muller"),
        ]
        assert con.execute("SELECT count(*) FROM teacher_import").fetchone() == (0,)
    finally:
        con.close()
