"""The catalogue shipped with ``init``: LehrerOffice prices from the vendor page (seeds/).

No volume-discount table is shipped: the vendor's "Mengenrabatt" article is not in the seed, and
inventing one would put made-up discounts on real invoices. Add the vendor's table in the
Catalogue view or with ``catalogue tier add``; ``demo`` adds a sample one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from lehrer_licenses.domain.catalogue import (
    BASE,
    HOSTING,
    SUBSCRIPTION,
    SUBSCRIPTION_MONTH,
    Billing,
    Plan,
    PlanKind,
    PricePoint,
    TierBand,
)
from lehrer_licenses.domain.periods import ONE_CALENDAR_YEAR, TermAlignment

PRODUCT_LEHREROFFICE = ("LO", "LehrerOffice Desktop")
PRICES_FROM = date(2024, 1, 1)

LOCAL_PLAN = "LO-LOCAL"
HOSTED_PLAN = "LO-HOSTED"


def _prices(**amounts: str) -> tuple[PricePoint, ...]:
    return tuple(PricePoint(c, Decimal(a), PRICES_FROM) for c, a in amounts.items())


DEFAULT_PLANS: tuple[Plan, ...] = (
    Plan(
        code=LOCAL_PLAN,
        product_code="LO",
        name="LehrerOffice Desktop, per teacher (local files or school database)",
        kind=PlanKind.PER_SEAT,
        currency="CHF",
        term=TermAlignment.CALENDAR_YEAR,
        notice_months=2,
        billing=Billing.ADVANCE,
        proration_cap=True,
        prices=_prices(**{BASE: "111.45", SUBSCRIPTION: "44.55", SUBSCRIPTION_MONTH: "4.50"}),
    ),
    Plan(
        code=HOSTED_PLAN,
        product_code="LO",
        name="LehrerOffice with DB-hosting, per registered user (billed yearly in arrears)",
        kind=PlanKind.PER_SEAT,
        currency="CHF",
        term=TermAlignment.CALENDAR_YEAR,
        notice_months=2,
        billing=Billing.ARREARS,
        proration_cap=True,
        prices=_prices(
            **{BASE: "111.45", SUBSCRIPTION: "44.55", SUBSCRIPTION_MONTH: "4.50", HOSTING: "42.15"}
        ),
    ),
)

# Example 7 of DESIGN.md; the demo data uses it, marked as a sample in the catalogue.
SAMPLE_VOLUME_TIERS = (TierBand(50, Decimal("10"), PRICES_FROM),)

# --- user packages (Mathegym-style, M1-M11): SAMPLE prices --------------------------------------
# The vendor page gives the rules but no price list: these sizes and prices are samples, named as
# such in the plan, to be replaced with the vendor's own (``catalogue price add``). The 1,000 and
# 1,400 user packages cost 1,000.00 and 1,400.00, so worked example 9 holds on them.

PRODUCT_MATHEGYM = ("MG", "Mathegym-style user packages")
PACKAGE_PLAN = "MG-PACKAGE"

# capacity: (package, one subject add-on, full package) annual prices in EUR
SAMPLE_PACKAGE_PRICES: dict[int, tuple[str, str, str]] = {
    250: ("400.00", "120.00", "640.00"),
    500: ("650.00", "195.00", "1040.00"),
    750: ("850.00", "255.00", "1360.00"),
    1000: ("1000.00", "300.00", "1600.00"),
    1400: ("1400.00", "420.00", "2240.00"),
    2000: ("1900.00", "570.00", "3040.00"),
}

PACKAGE_PLANS: tuple[Plan, ...] = (
    Plan(
        code=PACKAGE_PLAN,
        product_code="MG",
        name="Mathegym-style user packages (sample prices)",
        kind=PlanKind.PACKAGE,
        currency="EUR",
        term=TermAlignment.ANNIVERSARY,
        term_days=365,
        notice_months=3,
        billing=Billing.ADVANCE,
        proration_cap=False,
        tier_components=(),
        prices=(
            PricePoint("upgrade_fee", Decimal("150.00"), PRICES_FROM),
            *(
                PricePoint(f"{prefix}:{capacity}", Decimal(amount), PRICES_FROM)
                for capacity, amounts in SAMPLE_PACKAGE_PRICES.items()
                for prefix, amount in zip(("package", "addon", "full"), amounts, strict=True)
            ),
        ),
        options=(("addon_notice_months", "3"), ("sample_prices", "true")),
    ),
)

# --- per-pupil subscriptions (Focus PO-style, F1-F11): the prices of the vendor page -------------

PRODUCT_FOCUS_PO = ("FPO", "Focus PO-style per-pupil subscriptions")
PUPIL_PARTS_PRICES = {"1-2": ("0.96", "11.50"), "3-8": ("0.30", "3.60"), "1-8": ("0.96", "11.50")}


def _pupil_plan(code: str, variant: int, name: str, parts: tuple[str, ...]) -> Plan:
    return Plan(
        code=code,
        product_code="FPO",
        name=name,
        kind=PlanKind.PER_UNIT,
        currency="EUR",
        term=TermAlignment.ANNIVERSARY,
        term_days=ONE_CALENDAR_YEAR,  # "een eenjarig abonnement", renewed on its anniversary
        notice_months=1,  # the page gives none; see domain/per_pupil.py
        billing=Billing.ADVANCE,
        proration_cap=False,
        tier_components=(),
        prices=tuple(
            PricePoint(f"{component}:{part}", Decimal(amount), PRICES_FROM)
            for part in parts
            for component, amount in zip(
                ("pupil_month", "pupil_year"), PUPIL_PARTS_PRICES[part], strict=True
            )
        ),
        options=(("variant", str(variant)),),
    )


PER_PUPIL_PLANS: tuple[Plan, ...] = (
    _pupil_plan("FPO-12", 1, "Focus PO 1-2, per pupil", ("1-2",)),
    _pupil_plan("FPO-38", 2, "Focus PO 3-8 (basis), per pupil", ("3-8",)),
    _pupil_plan("FPO-COMBI", 3, "Combi Focus PO 1-2 & 3-8 (basis), per pupil", ("1-2", "3-8")),
    _pupil_plan("FPO-18", 4, "Focus PO 1-8 (full), per pupil", ("1-8",)),
)
TRIAL_PLAN = "FPO-18"

PRODUCT_NAMES = dict((PRODUCT_LEHREROFFICE, PRODUCT_MATHEGYM, PRODUCT_FOCUS_PO))

# --- display names per language --------------------------------------------------------------
# Catalogue data, not gettext messages: the vendor renames a plan in the Catalogue view per
# language, and migration 0013 gives a desk made before them these same names.
# "Lehrperson" and "Schuldatenbank" are the words of the Swiss vendor page; NL is the Focus PO
# vendor's own language ("leerling", "groep 1-2").

SHIPPED_PRODUCT_NAMES: dict[str, dict[str, str]] = {
    "LO": {
        "de": "LehrerOffice Desktop",
        "fr": "LehrerOffice Desktop",
        "it": "LehrerOffice Desktop",
        "en": "LehrerOffice Desktop",
        "nl": "LehrerOffice Desktop",
    },
    "MG": {
        "de": "Nutzerpakete (Mathegym-Modell)",
        "fr": "Forfaits d’utilisateurs (modèle Mathegym)",
        "it": "Pacchetti di utenti (modello Mathegym)",
        "en": "Mathegym-style user packages",
        "nl": "Gebruikerspakketten (Mathegym-model)",
    },
    "FPO": {
        "de": "Abonnements pro Schüler (Focus-PO-Modell)",
        "fr": "Abonnements par élève (modèle Focus PO)",
        "it": "Abbonamenti per allievo (modello Focus PO)",
        "en": "Focus PO-style per-pupil subscriptions",
        "nl": "Abonnementen per leerling (Focus PO-model)",
    },
}

SHIPPED_PLAN_NAMES: dict[str, dict[str, str]] = {
    LOCAL_PLAN: {
        "de": "LehrerOffice Desktop, pro Lehrperson (lokale Dateien oder Schuldatenbank)",
        "fr": "LehrerOffice Desktop, par enseignant (fichiers locaux ou base de données de "
        "l’école)",
        "it": "LehrerOffice Desktop, per docente (file locali o banca dati della scuola)",
        "en": "LehrerOffice Desktop, per teacher (local files or school database)",
        "nl": "LehrerOffice Desktop, per leerkracht (lokale bestanden of schooldatabase)",
    },
    HOSTED_PLAN: {
        "de": "LehrerOffice mit DB-Hosting, pro registrierte Person (jährlich nachträglich "
        "verrechnet)",
        "fr": "LehrerOffice avec hébergement de la base de données, par utilisateur enregistré "
        "(facturé chaque année à terme échu)",
        "it": "LehrerOffice con hosting della banca dati, per utente registrato (fatturato "
        "annualmente a posteriori)",
        "en": "LehrerOffice with DB-hosting, per registered user (billed yearly in arrears)",
        "nl": "LehrerOffice met databasehosting, per geregistreerde gebruiker (jaarlijks "
        "achteraf gefactureerd)",
    },
    PACKAGE_PLAN: {
        "de": "Nutzerpakete nach Mathegym-Modell (Beispielpreise)",
        "fr": "Forfaits d’utilisateurs selon le modèle Mathegym (prix d’exemple)",
        "it": "Pacchetti di utenti secondo il modello Mathegym (prezzi di esempio)",
        "en": "Mathegym-style user packages (sample prices)",
        "nl": "Gebruikerspakketten volgens het Mathegym-model (voorbeeldprijzen)",
    },
    "FPO-12": {
        "de": "Focus PO 1-2, pro Schüler",
        "fr": "Focus PO 1-2, par élève",
        "it": "Focus PO 1-2, per allievo",
        "en": "Focus PO 1-2, per pupil",
        "nl": "Focus PO 1-2, per leerling",
    },
    "FPO-38": {
        "de": "Focus PO 3-8 (Basis), pro Schüler",
        "fr": "Focus PO 3-8 (de base), par élève",
        "it": "Focus PO 3-8 (base), per allievo",
        "en": "Focus PO 3-8 (basis), per pupil",
        "nl": "Focus PO 3-8 (basis), per leerling",
    },
    "FPO-COMBI": {
        "de": "Combi Focus PO 1-2 & 3-8 (Basis), pro Schüler",
        "fr": "Combi Focus PO 1-2 & 3-8 (de base), par élève",
        "it": "Combi Focus PO 1-2 & 3-8 (base), per allievo",
        "en": "Combi Focus PO 1-2 & 3-8 (basis), per pupil",
        "nl": "Combi Focus PO 1-2 & 3-8 (basis), per leerling",
    },
    "FPO-18": {
        "de": "Focus PO 1-8 (vollständig), pro Schüler",
        "fr": "Focus PO 1-8 (complet), par élève",
        "it": "Focus PO 1-8 (completo), per allievo",
        "en": "Focus PO 1-8 (full), per pupil",
        "nl": "Focus PO 1-8 (volledig), per leerling",
    },
}

ALL_DEFAULT_PLANS: tuple[Plan, ...] = tuple(
    replace(plan, names=tuple(SHIPPED_PLAN_NAMES[plan.code].items()))
    for plan in (*DEFAULT_PLANS, *PACKAGE_PLANS, *PER_PUPIL_PLANS)
)
