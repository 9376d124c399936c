"""Names and places for the sample data: schools, towns and teachers of CH, DE, AT and NL."""

FIRST_NAMES = {
    "de": ["Anna", "Lukas", "Sabine", "Thomas", "Ursula", "Matthias", "Claudia", "Stefan",
           "Barbara", "Reto", "Corinne", "Jürg", "Käthi", "Andreas", "Monika", "Beat", "Nadine",
           "Florian", "Simone", "Markus", "Brigitte", "Daniel", "Regula", "Martin", "Jörg",
           "Franziska", "Michael", "Sandra", "Heinz", "Petra", "Tobias", "Julia", "Łukasz",
           "Dragana", "Mehmet", "Ayşe", "Tomáš", "Elif"],
    "fr": ["Françoise", "Jean-Luc", "Émilie", "Pierre", "Céline", "Laurent", "Nathalie",
           "Olivier", "Sophie", "Stéphane", "Aurélie", "Gaëlle", "Jérôme", "Isabelle", "Frédéric",
           "Hélène", "Mathieu", "Chloé", "Benoît", "Anaïs"],
    "it": ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo", "Alessandra", "Davide",
           "Federica", "Paolo", "Silvia", "Niccolò", "Elena", "Simone", "Martina", "Lorenzo"],
    "nl": ["Sanne", "Daan", "Femke", "Bram", "Lotte", "Joost", "Anouk", "Thijs", "Marieke",
           "Sjoerd", "Eline", "Gijs", "Ilse", "Ruud", "Noortje", "Wouter", "Fleur", "Pieter"],
}

LAST_NAMES = {
    "de": ["Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Brunner",
           "Baumann", "Gerber", "Frei", "Zimmermann", "Moser", "Steiner", "Wyss", "Bachmann",
           "Graf", "Lehmann", "Fischer", "Hofer", "Gruber", "Bauer", "Wagner", "Pichler",
           "Schwarz", "Koch", "Richter", "Wolf", "Schäfer", "Krüger", "Żółć", "Dvořák",
           "Yılmaz", "Nowak", "Kovačević", "Ørsted"],
    "fr": ["Favre", "Rochat", "Bonvin", "Dubois", "Morel", "Perret", "Girard", "Mercier",
           "Chevalier", "Fontaine", "Blanc", "Rey", "Pittet", "Berset", "Gauthier", "Lefèvre"],
    "it": ["Bernasconi", "Rossi", "Bianchi", "Ferrari", "Colombo", "Lombardi", "Galli",
           "Fontana", "Pedrazzini", "Cattaneo", "Moretti", "Bassi", "Gianella", "Rezzonico"],
    "nl": ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
           "de Boer", "Mulder", "de Jong", "Bos", "Vos", "Peters", "Hendriks", "van Dijk",
           "Dekker", "Verhoeven", "van Leeuwen"],
}

# (postcode, town, language) per country; enough towns that a search finds a handful.
TOWNS = {
    "CH": [("8001", "Zürich", "de"), ("3011", "Bern", "de"), ("4051", "Basel", "de"),
           ("6003", "Luzern", "de"), ("9000", "St. Gallen", "de"), ("8400", "Winterthur", "de"),
           ("5000", "Aarau", "de"), ("7000", "Chur", "de"), ("8500", "Frauenfeld", "de"),
           ("6300", "Zug", "de"), ("4500", "Solothurn", "de"), ("8200", "Schaffhausen", "de"),
           ("3600", "Thun", "de"), ("2502", "Biel/Bienne", "de"), ("8910", "Affoltern am Albis", "de"),
           ("9450", "Altstätten", "de"), ("6460", "Altdorf", "de"), ("3930", "Visp", "de"),
           ("1003", "Lausanne", "fr"), ("1201", "Genève", "fr"), ("2000", "Neuchâtel", "fr"),
           ("1700", "Fribourg", "fr"), ("1950", "Sion", "fr"), ("1400", "Yverdon-les-Bains", "fr"),
           ("2800", "Delémont", "fr"), ("1820", "Montreux", "fr"), ("6900", "Lugano", "it"),
           ("6500", "Bellinzona", "it"), ("6600", "Locarno", "it"), ("6850", "Mendrisio", "it")],
    "DE": [("10115", "Berlin", "de"), ("80331", "München", "de"), ("50667", "Köln", "de"),
           ("60311", "Frankfurt am Main", "de"), ("70173", "Stuttgart", "de"),
           ("79098", "Freiburg im Breisgau", "de"), ("69117", "Heidelberg", "de"),
           ("01067", "Dresden", "de"), ("04109", "Leipzig", "de"), ("20095", "Hamburg", "de"),
           ("28195", "Bremen", "de"), ("90402", "Nürnberg", "de"), ("86150", "Augsburg", "de"),
           ("78462", "Konstanz", "de"), ("88212", "Ravensburg", "de"), ("48143", "Münster", "de")],
    "AT": [("1010", "Wien", "de"), ("8010", "Graz", "de"), ("4020", "Linz", "de"),
           ("5020", "Salzburg", "de"), ("6020", "Innsbruck", "de"), ("9020", "Klagenfurt", "de"),
           ("6900", "Bregenz", "de"), ("3100", "St. Pölten", "de"), ("6850", "Dornbirn", "de"),
           ("4600", "Wels", "de")],
    "NL": [("1011 AB", "Amsterdam", "nl"), ("3011 AD", "Rotterdam", "nl"),
           ("2511 BT", "Den Haag", "nl"), ("3511 AL", "Utrecht", "nl"),
           ("5611 AZ", "Eindhoven", "nl"), ("9711 LM", "Groningen", "nl"),
           ("6811 AA", "Arnhem", "nl"), ("2311 EK", "Leiden", "nl"), ("8011 AA", "Zwolle", "nl"),
           ("4811 AA", "Breda", "nl"), ("6211 AA", "Maastricht", "nl"), ("5211 AA", "'s-Hertogenbosch", "nl")],
}

STREETS = {
    "de": ["Schulstrasse", "Bahnhofstrasse", "Dorfstrasse", "Kirchweg", "Hauptstrasse",
           "Lindenweg", "Seestrasse", "Gartenstrasse", "Bergstrasse", "Rosenweg"],
    "fr": ["Rue de l'École", "Avenue de la Gare", "Chemin des Écoliers", "Rue du Collège",
           "Route de Lausanne", "Rue du Lac"],
    "it": ["Via Scuole", "Via alla Stazione", "Via Cantonale", "Piazza Collegiata",
           "Via San Gottardo"],
    "nl": ["Schoolstraat", "Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Julianalaan"],
}

SCHOOL_PATTERNS = {
    ("CH", "de"): ["Primarschule {town}", "Schule {street}", "Sekundarschule {town}",
                   "Oberstufenschule {town}", "Schulhaus {lastname}"],
    ("CH", "fr"): ["École primaire de {town}", "Collège de {town}", "Établissement scolaire {town}"],
    ("CH", "it"): ["Scuola elementare {town}", "Scuola media {town}", "Istituto scolastico {town}"],
    ("DE", "de"): ["Grundschule {town}", "Gymnasium {town}", "{lastname}-Realschule {town}",
                   "Gesamtschule {town}"],
    ("AT", "de"): ["Volksschule {town}", "Mittelschule {town}", "BG/BRG {town}"],
    ("NL", "nl"): ["Basisschool De {tree} {town}", "OBS {tree} {town}", "CBS De Regenboog {town}",
                   "Openbare Basisschool {town}"],
}

TREES = ["Linde", "Eik", "Wilg", "Berk", "Es", "Beuk", "Kastanje"]
