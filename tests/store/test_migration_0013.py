"""Migration 0013: product and plan names per language. An existing desk's shipped products and
plans get the shipped names in de/fr/it/en/nl, a vendor's own plan keeps its one name (shown in
every language); the downgrade takes the column away and leaves the base names as they were."""

import json
import sqlite3

import pytest
from alembic import command
from support.old_fixtures import migrated_copy

from lehrer_licenses.domain.default_catalogue import SHIPPED_PLAN_NAMES
from lehrer_licenses.store.database import alembic_config

pytestmark = pytest.mark.sqlite_only(reason="starts from the SQLite fixture of revision 0012")

OWN_PLAN = (
    "INSERT INTO plan (id, code, product_id, name, kind, currency, term, term_days, "
    "notice_months, billing, proration_cap, tier_mode, tier_components, options, active) "
    "VALUES (9, 'OWN-1', 1, 'Our own plan', 'per_seat', 'CHF', 'calendar_year', 365, 2, "
    "'advance', 1, 'graduated', '', '{}', 1)"
)


def _names(con: sqlite3.Connection, table: str) -> dict[str, dict[str, str]]:
    return {
        code: json.loads(names)
        for code, names in con.execute(f"SELECT code, names FROM {table} ORDER BY code")
    }


def test_0013_fills_the_shipped_names_and_downgrades(tmp_path):
    path = migrated_copy(tmp_path, "0012", OWN_PLAN)
    con = sqlite3.connect(path)
    try:
        plans = _names(con, "plan")
        assert plans["LO-LOCAL"] == SHIPPED_PLAN_NAMES["LO-LOCAL"]
        assert plans["LO-LOCAL"]["fr"] == (
            "LehrerOffice Desktop, par enseignant (fichiers locaux ou base de données de l’école)"
        )
        assert plans["MG-PACKAGE"]["de"] == "Nutzerpakete nach Mathegym-Modell (Beispielpreise)"
        assert plans["FPO-38"]["nl"] == "Focus PO 3-8 (basis), per leerling"
        assert plans["OWN-1"] == {}
        products = _names(con, "product")
        assert products["MG"]["fr"] == "Forfaits d’utilisateurs (modèle Mathegym)"
        assert products["FPO"]["it"] == "Abbonamenti per allievo (modello Focus PO)"
        assert sorted(products["LO"]) == ["de", "en", "fr", "it", "nl"]
        before = con.execute("SELECT code, name FROM plan ORDER BY code").fetchall()
    finally:
        con.close()

    command.downgrade(alembic_config(f"sqlite:///{path}"), "0012")
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0012",)]
        for table in ("plan", "product"):
            columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
            assert "names" not in columns
        assert con.execute("SELECT code, name FROM plan ORDER BY code").fetchall() == before
    finally:
        con.close()
