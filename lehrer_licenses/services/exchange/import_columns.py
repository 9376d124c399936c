"""The columns of the school and teacher imports: their names in the five languages of the app
(and the ones schools' own spreadsheets tend to use), which are required, and how long a value
may be (the database's column widths)."""

from __future__ import annotations

from lehrer_licenses.i18n import N_

# field -> other names a header may give it (compared without case, accents, spaces, punctuation)
SCHOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": (
        "Nummer",
        "Schulnummer",
        "Schul-Nr",
        "school number",
        "school no",
        "numéro",
        "numéro d'école",
        "numero",
        "numero scuola",
        "nummer",
        "schoolnummer",
    ),
    "name": (
        "Name",
        "Schulname",
        "Schule",
        "school",
        "school name",
        "nom",
        "nom de l'école",
        "école",
        "nome",
        "nome scuola",
        "scuola",
        "naam",
        "schoolnaam",
    ),
    "street": ("Strasse", "Straße", "street", "address", "Adresse", "rue", "via", "straat"),
    "house_number": (
        "Hausnummer",
        "Haus-Nr",
        "house number",
        "house no",
        "numéro de rue",
        "numero civico",
        "civico",
        "huisnummer",
    ),
    "postcode": (
        "PLZ",
        "Postleitzahl",
        "postal code",
        "zip",
        "zip code",
        "NPA",
        "code postal",
        "CAP",
        "codice postale",
        "postcode",
    ),
    "city": (
        "Ort",
        "Ortschaft",
        "Stadt",
        "town",
        "localité",
        "ville",
        "località",
        "città",
        "comune",
        "plaats",
        "woonplaats",
        "stad",
    ),
    "country": ("Land", "country", "pays", "paese", "nazione"),
    "language": ("Sprache", "language", "langue", "lingua", "taal"),
    "email": (
        "E-Mail",
        "Mail",
        "e-mail address",
        "courriel",
        "adresse e-mail",
        "indirizzo e-mail",
        "e-mailadres",
    ),
    "vat_id": (
        "UID",
        "UID-Nummer",
        "MWST-Nr",
        "MwSt-Nummer",
        "USt-IdNr",
        "VAT",
        "VAT id",
        "VAT number",
        "IDE",
        "TVA",
        "numéro TVA",
        "IVA",
        "partita IVA",
        "BTW",
        "BTW-nummer",
        "BTW-id",
    ),
    "db_hosting": ("DB-Hosting", "hosting", "hébergement", "hébergement DB"),
    "canton_licence": (
        "Kantonslizenz",
        "canton licence",
        "canton license",
        "licence cantonale",
        "licenza cantonale",
        "kantonlicentie",
    ),
    "note": ("Notiz", "Bemerkung", "Bemerkungen", "notes", "remarque", "nota", "opmerking"),
}
SCHOOL_REQUIRED = ("name", "country", "language")

TEACHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "school": (
        "Schule",
        "Schulnummer",
        "Schul-Nr",
        "school number",
        "école",
        "numéro d'école",
        "scuola",
        "numero scuola",
        "schoolnummer",
    ),
    "first_name": ("Vorname", "first name", "given name", "prénom", "nome", "voornaam"),
    "last_name": (
        "Nachname",
        "Name",
        "Familienname",
        "last name",
        "surname",
        "family name",
        "nom",
        "nom de famille",
        "cognome",
        "achternaam",
    ),
    "email": SCHOOL_COLUMNS["email"],
    "admin": ("Admin", "Administrator", "administrateur", "amministratore", "beheerder"),
}
TEACHER_REQUIRED = ("school", "first_name", "last_name")

# The widths of the database columns behind the fields (store/models.py); a note is free text.
MAX_LENGTH = {
    "number": 20,
    "name": 200,
    "street": 200,
    "house_number": 20,
    "postcode": 20,
    "city": 100,
    "country": 2,
    "language": 2,
    "email": 200,
    "vat_id": 40,
    "note": 2000,
    "school": 20,
    "first_name": 100,
    "last_name": 100,
}

# Yes and no as a spreadsheet may write them, in the app's languages.
YES = {"1", "x", "yes", "y", "true", "ja", "j", "oui", "si", "sì", "wahr", "vrai", "vero", "waar"}
NO = {"", "0", "no", "n", "false", "nein", "non", "nee", "falsch", "faux", "falso", "onwaar", "-"}

BOOLEAN_FIELDS = ("db_hosting", "canton_licence", "admin")

# Column titles of the preview (translated when shown).
PREVIEW_TITLES = {
    "number": N_("Number"),
    "name": N_("Name"),
    "postcode": N_("Postcode"),
    "city": N_("City"),
    "country": N_("Country"),
    "language": N_("Language"),
    "email": N_("E-mail"),
    "school": N_("School"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "admin": N_("Admin"),
}
SCHOOL_PREVIEW = ("number", "name", "postcode", "city", "country", "language", "email")
TEACHER_PREVIEW = ("school", "first_name", "last_name", "email", "admin")
