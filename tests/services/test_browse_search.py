"""The schools search of the desktop list: the same matches as ``schools.search_condition``,
found once in list order (count and pages from one scan)."""

from __future__ import annotations

from support.databases import SqliteTemplate

from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.schools import SchoolInput, add_school, find_schools


def test_school_ids_match_the_search_and_page_in_order(db, make_school):
    make_school("Schulhaus Zürich Nord", city="Zürich", postcode="8050")
    make_school("École de Genève", city="Genève", postcode="1200")
    make_school(
        "Openbare Basisschool", country="NL", language="nl", city="Leiden", postcode="2311 AB"
    )
    make_school("Primarschule Aesch", city="Aesch", postcode="4147")
    for text in ("zurich", "GENEVE", "2311 ab", "100004", "sch", "nothing"):
        ids = browse.school_ids(db, text, "name")
        assert len(ids) == browse.count_schools(db, text)
        expected = {s.number for s in find_schools(db, text)}
        rows = browse.list_schools(db, text, 0, 10, "name", ids=ids[:10])
        assert {r.number for r in rows} == expected, text
        assert [r.name.lower() for r in rows] == sorted(r.name.lower() for r in rows)


def test_letters_without_an_accent_mark_fold_too(db, make_school):
    from lehrer_licenses.services.browse import schools as browse_schools

    make_school("Schule Ørsted-Dvořák")
    make_school("Schulhaus Yılmaz")
    make_school("Primarschule Łódź")
    for typed, found in (
        ("orsted", "Schule Ørsted-Dvořák"),
        ("yilmaz", "Schulhaus Yılmaz"),
        ("lodz", "Primarschule Łódź"),
    ):
        rows = browse_schools.list_schools(db, search=typed)
        assert [r.name for r in rows] == [found], typed


SAME_ON_EVERY_BACKEND = [
    ("Skole Ørsted", "Bern", "3000"),
    ("Szkoła Łódź", "Basel", "4051"),
    ("Yılmaz Okulu", "Biel", "2502"),
    ("Schulhaus Zürich Nord", "Zürich", "8050"),
    ("École de Genève", "Genève", "1200"),
    ("Collège de Delémont", "Delémont", "2800"),
    ("Schulhaus 3B", "Thun", "3600"),
]
# typed -> the names found (the numbers are 100001.. in the order above)
TYPED = {
    "orsted": ["Skole Ørsted"],
    "ØRSTED": ["Skole Ørsted"],
    "lodz": ["Szkoła Łódź"],
    "ŁÓDŹ": ["Szkoła Łódź"],
    "szkola": ["Szkoła Łódź"],
    "yilmaz": ["Yılmaz Okulu"],
    "YILMAZ": ["Yılmaz Okulu"],
    "Zürich": ["Schulhaus Zürich Nord"],
    "zurich": ["Schulhaus Zürich Nord"],
    "école": ["École de Genève"],
    "geneve": ["École de Genève"],
    "Delémont": ["Collège de Delémont"],
    "delemont": ["Collège de Delémont"],
    "3b": ["Schulhaus 3B"],
    "8050": ["Schulhaus Zürich Nord"],
    "100003": ["Yılmaz Okulu"],
    "schulhaus": ["Schulhaus 3B", "Schulhaus Zürich Nord"],
    "de": ["Collège de Delémont", "École de Genève"],
    "nothing": [],
}


def test_the_search_finds_the_same_on_this_backend_as_on_a_sqlite_file(db, tmp_path):
    """Issue 20: the stored folded fields and the folded needle, so PostgreSQL (the server pass's
    ``db``) finds exactly what SQLite finds, for accents, letters NFKD leaves alone (ø, ł, ı) and
    numbers; a SQLite file made beside it gives the reference."""
    twin = SqliteTemplate(tmp_path / "twin").fresh(tmp_path / "twin.sqlite")
    try:
        for database in (db, twin):
            for name, city, postcode in SAME_ON_EVERY_BACKEND:
                add_school(database, SchoolInput(name, "CH", "de", city=city, postcode=postcode))
        for typed, names in TYPED.items():
            found = [
                sorted(r.name for r in browse.list_schools(database, search=typed, limit=50))
                for database in (db, twin)
            ]
            assert found == [names, names], typed
            assert browse.count_schools(db, typed) == len(names), typed
            assert sorted(s.name for s in find_schools(db, typed)) == names, typed
    finally:
        twin.dispose()


# With a name that differs from another in case only (the number breaks the tie) and the LIKE
# wildcards, literal.
PAGED = [
    *SAME_ON_EVERY_BACKEND,
    ("schulhaus zürich nord", "Zürich", "8045"),
    ("Schule 100% Bio", "Bern", "3000"),
    ("Schule_Nord", "Biel", "2502"),
]


def test_a_page_is_the_same_whether_the_matches_are_sorted_or_the_order_is_walked(db, monkeypatch):
    """``FEW`` chooses how a page is found (services/browse/schools.py): all matches sorted,
    or the order's index walked until the page is full. Both give the same schools in the same
    order, page after page, as the matches of ``find_schools`` in that order."""
    for name, city, postcode in PAGED:
        add_school(db, SchoolInput(name, "CH", "de", city=city, postcode=postcode))

    def pages(text, key, descending, size=2):
        found, offset = [], 0
        while page := browse.list_schools(db, text, offset, size, key, descending):
            found += [r.number for r in page]
            offset += size
        return found

    for text in ("schul", "zürich", "sc", "e", "100%", "_n", "x"):
        expected = {s.number for s in find_schools(db, text)}
        for key in ("number", "name", "city", "postcode"):
            for descending in (False, True):
                answers = []
                for few in (1, 10**6):  # every search walks / none does
                    monkeypatch.setattr(browse, "FEW", dict.fromkeys(("sqlite", "postgresql"), few))
                    answers.append(pages(text, key, descending))
                walked, sorted_ = answers
                assert walked == sorted_, (text, key, descending)
                assert set(walked) == expected and len(walked) == len(expected), text
                whole = browse.list_schools(db, text, 0, 50, key, descending)
                assert [r.number for r in whole] == walked, (text, key, descending)
