"""product and plan display names per language (de, fr, it, en, nl) as catalogue data

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:10:00

Product and plan names were one English text, shown as such in a German UI and on a French
invoice. ``names`` holds a JSON object {"de": ..., "fr": ...}; ``name`` stays the base name for a
language the object lacks (a plan the vendor added in one language). The shipped products and
plans get the shipped names (a copy of those the app installed at this revision), so a desk made
before this revision reads the same as a new one. Only the rows of the shipped codes are filled: a
vendor's own plans keep their one name until renamed in the Catalogue view.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The shipped names as they stood at this revision, copied rather than imported: a later change
# of the app's names must not change what this migration writes into an old desk.
_PRODUCT_NAMES: dict[str, dict[str, str]] = {
    "FPO": {
        "de": "Abonnements pro Schüler (Focus-PO-Modell)",
        "en": "Focus PO-style per-pupil subscriptions",
        "fr": "Abonnements par élève (modèle Focus PO)",
        "it": "Abbonamenti per allievo (modello Focus PO)",
        "nl": "Abonnementen per leerling (Focus PO-model)",
    },
    "LO": {
        "de": "LehrerOffice Desktop",
        "en": "LehrerOffice Desktop",
        "fr": "LehrerOffice Desktop",
        "it": "LehrerOffice Desktop",
        "nl": "LehrerOffice Desktop",
    },
    "MG": {
        "de": "Nutzerpakete (Mathegym-Modell)",
        "en": "Mathegym-style user packages",
        "fr": "Forfaits d’utilisateurs (modèle Mathegym)",
        "it": "Pacchetti di utenti (modello Mathegym)",
        "nl": "Gebruikerspakketten (Mathegym-model)",
    },
}

_PLAN_NAMES: dict[str, dict[str, str]] = {
    "FPO-12": {
        "de": "Focus PO 1-2, pro Schüler",
        "en": "Focus PO 1-2, per pupil",
        "fr": "Focus PO 1-2, par élève",
        "it": "Focus PO 1-2, per allievo",
        "nl": "Focus PO 1-2, per leerling",
    },
    "FPO-18": {
        "de": "Focus PO 1-8 (vollständig), pro Schüler",
        "en": "Focus PO 1-8 (full), per pupil",
        "fr": "Focus PO 1-8 (complet), par élève",
        "it": "Focus PO 1-8 (completo), per allievo",
        "nl": "Focus PO 1-8 (volledig), per leerling",
    },
    "FPO-38": {
        "de": "Focus PO 3-8 (Basis), pro Schüler",
        "en": "Focus PO 3-8 (basis), per pupil",
        "fr": "Focus PO 3-8 (de base), par élève",
        "it": "Focus PO 3-8 (base), per allievo",
        "nl": "Focus PO 3-8 (basis), per leerling",
    },
    "FPO-COMBI": {
        "de": "Combi Focus PO 1-2 & 3-8 (Basis), pro Schüler",
        "en": "Combi Focus PO 1-2 & 3-8 (basis), per pupil",
        "fr": "Combi Focus PO 1-2 & 3-8 (de base), par élève",
        "it": "Combi Focus PO 1-2 & 3-8 (base), per allievo",
        "nl": "Combi Focus PO 1-2 & 3-8 (basis), per leerling",
    },
    "LO-HOSTED": {
        "de": "LehrerOffice mit DB-Hosting, pro registrierte Person (jährlich "
        "nachträglich verrechnet)",
        "en": "LehrerOffice with DB-hosting, per registered user (billed yearly in arrears)",
        "fr": "LehrerOffice avec hébergement de la base de données, par utilisateur "
        "enregistré (facturé chaque année à terme échu)",
        "it": "LehrerOffice con hosting della banca dati, per utente registrato "
        "(fatturato annualmente a posteriori)",
        "nl": "LehrerOffice met databasehosting, per geregistreerde gebruiker "
        "(jaarlijks achteraf gefactureerd)",
    },
    "LO-LOCAL": {
        "de": "LehrerOffice Desktop, pro Lehrperson (lokale Dateien oder Schuldatenbank)",
        "en": "LehrerOffice Desktop, per teacher (local files or school database)",
        "fr": "LehrerOffice Desktop, par enseignant (fichiers locaux ou base de données "
        "de l’école)",
        "it": "LehrerOffice Desktop, per docente (file locali o banca dati della scuola)",
        "nl": "LehrerOffice Desktop, per leerkracht (lokale bestanden of schooldatabase)",
    },
    "MG-PACKAGE": {
        "de": "Nutzerpakete nach Mathegym-Modell (Beispielpreise)",
        "en": "Mathegym-style user packages (sample prices)",
        "fr": "Forfaits d’utilisateurs selon le modèle Mathegym (prix d’exemple)",
        "it": "Pacchetti di utenti secondo il modello Mathegym (prezzi di esempio)",
        "nl": "Gebruikerspakketten volgens het Mathegym-model (voorbeeldprijzen)",
    },
}


def upgrade() -> None:
    # Plain ADD COLUMN, no batch (table copy): see 0002 for why.
    for table, shipped in (("product", _PRODUCT_NAMES), ("plan", _PLAN_NAMES)):
        op.add_column(table, sa.Column("names", sa.Text(), server_default="{}", nullable=False))
        rows = sa.table(table, sa.column("code", sa.String()), sa.column("names", sa.Text()))
        for code, names in shipped.items():
            op.execute(
                rows.update()
                .where(rows.c.code == code)
                .values(names=json.dumps(names, ensure_ascii=False, sort_keys=True))
            )


def downgrade() -> None:
    op.drop_column("plan", "names")
    op.drop_column("product", "names")
