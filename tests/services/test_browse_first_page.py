"""The schools list's first page as the app's start reads it without SQLAlchemy
(services/browse/first_page.py): the same rows as the list's own query, or None wherever that
query has to answer."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.browse.first_page import (
    HEAD_REVISION,
    SORT_COLUMNS,
    FirstPage,
    desk_file,
    read_first_page,
)
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.licences.seats import cancellations
from lehrer_licenses.store.database import alembic_config

FIXTURES = Path(__file__).resolve().parents[1] / "store" / "fixtures" / "migrations"
FIRST_PAGE = 60  # the schools model's first page (ui/models/schools_model.SchoolsModel)

pytestmark = pytest.mark.sqlite_only(reason="the light reader reads a desk file with sqlite3")


def test_the_schema_it_knows_is_alembics_head():
    """A migration moves the head: this reader then reads nothing until it is checked (and its
    constant moved) against the new schema."""
    config = alembic_config("sqlite://")
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_the_light_first_page_is_the_lists_first_page(db, make_school):
    create_demo(db, 80, seed=7, today=date(2026, 11, 22))
    per_seat = [r.number for r in browse.list_schools(db, "", 0, 80) if r.seats > 1]
    cancellations.cancel(
        db, per_seat[0], seats=None, received=date(2026, 9, 1), whole_contract=True
    )
    cancellations.cancel(db, per_seat[1], seats=1, received=date(2026, 9, 1))
    make_school("Primarschule Aesch")  # no contract
    path = desk_file(db.url)

    page = read_first_page(db.url, FIRST_PAGE)

    expected = browse.list_schools(db, "", 0, FIRST_PAGE)
    assert page == FirstPage(tuple(expected), browse.count_schools(db))
    assert page.total == 81 and len(page.rows) == FIRST_PAGE
    assert [type(row) for row in page.rows] == [browse.SchoolRow] * FIRST_PAGE
    # The whole list, for the figures to compare: every kind of status, open invoices, seats
    # held and cancelled, terms.
    everything = read_first_page(db.url, 100)
    assert everything == FirstPage(tuple(browse.list_schools(db, "", 0, 100)), 81)
    statuses = {browse.STATUS_ACTIVE, browse.STATUS_ENDING, browse.STATUS_NONE}
    assert {row.status for row in everything.rows} >= statuses
    assert any(row.open_total > 0 for row in everything.rows)
    assert any(row.seats_assigned > 0 for row in everything.rows)
    assert any(row.seats_cancel_pending > 0 for row in everything.rows)
    assert any(row.term_end is not None for row in everything.rows)
    # The file path, as the app gets it from --db or the recent files, reads the same.
    assert read_first_page(str(path), FIRST_PAGE) == page


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_each_order_of_a_school_column_reads_as_the_list_does(db, make_school, descending):
    create_demo(db, 30, seed=3, today=date(2026, 11, 22))
    # Names that lower() and the tie-break by number have to sort alike on both ways.
    make_school("aarberg Schule", city="zug", postcode="6300")
    make_school("Aarberg Schule", city="Zug", postcode="6300")
    for key in SORT_COLUMNS:
        page = read_first_page(db.url, 12, key, descending)
        expected = browse.list_schools(db, "", 0, 12, key, descending)
        assert page == FirstPage(tuple(expected), 32, key, descending), key


def test_an_order_by_the_figures_is_left_to_the_normal_way(db):
    assert set(SORT_COLUMNS) == set(browse.SCHOOL_COLUMN_KEYS)
    for key in set(browse.SCHOOL_SORT_KEYS) - set(SORT_COLUMNS):
        assert read_first_page(db.url, FIRST_PAGE, key) is None, key


def test_a_short_list_and_an_empty_one(db, make_school):
    assert read_first_page(db.url, FIRST_PAGE) == FirstPage((), 0)
    make_school("Primarschule Aesch")
    page = read_first_page(db.url, FIRST_PAGE)
    assert page == FirstPage(tuple(browse.list_schools(db, "", 0, FIRST_PAGE)), 1)
    assert page.rows[0].name == "Primarschule Aesch"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite")), ids=lambda p: p.stem)
def test_only_a_database_at_this_schema_is_read(fixture, tmp_path):
    """The migration fixtures: every older schema leaves the start to the normal way (which
    migrates it first); the one at head is read."""
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)

    page = read_first_page(str(path), FIRST_PAGE)

    if fixture.stem == HEAD_REVISION:
        assert page is not None and page.total >= 1
    else:
        assert page is None


def test_a_server_a_missing_file_and_a_foreign_file_are_not_read(tmp_path):
    assert read_first_page("postgresql://clerk:secret@127.0.0.1:1/desk", FIRST_PAGE) is None
    assert read_first_page(str(tmp_path / "missing.sqlite"), FIRST_PAGE) is None
    assert read_first_page(f"sqlite:///{tmp_path / 'missing.sqlite'}", FIRST_PAGE) is None
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database", encoding="utf-8")
    assert read_first_page(str(text), FIRST_PAGE) is None
    assert not (tmp_path / "missing.sqlite").exists()  # read-only: nothing made


def test_no_argument_reads_the_database_the_store_would_open(db, monkeypatch):
    monkeypatch.setenv("LEHRER_LICENSES_DB", str(desk_file(db.url)))
    assert desk_file(None) == desk_file(db.url)
    assert read_first_page(None, FIRST_PAGE) == FirstPage((), 0)
