"""The schools search of the desktop list: the same matches as ``schools.search_condition``,
found once in list order (count and pages from one scan)."""

from __future__ import annotations

from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.schools import find_schools


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
