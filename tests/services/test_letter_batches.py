"""Letter batches: printing order (postcode for posting, number, name) and .eml drafts per school,
read back as a user's mail client and PDF reader would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.season import letter_batches, letter_emails, letters
from lehrer_licenses.store.models import School

# (name, country, language, postcode, email); ordered so that no two orders agree.
SCHOOLS = [
    ("Zentrum Aesch", "CH", "de", "4147", "sekretariat@zentrum-aesch.ch"),
    ("École Ørsted", "CH", "fr", "1200", "ecole@orsted.example"),
    ("Basisschool Delft", "NL", "nl", "2611 AB", ""),
    ("Grundschule Köln", "DE", "de", "50667", "info@schule-köln.de"),
    ("Scuola Lugano", "CH", "it", "6900", "info@scuola.example"),
    ("Aarau Nord", "CH", "de", "5000", "nord@aarau.example"),
]


@pytest.fixture
def run(db, make_school):
    vendor.set_vendor(db, dict(vendor.SAMPLE_VENDOR))
    numbers = {}
    for name, country, language, postcode, email in SCHOOLS:
        number = make_school(
            name,
            country=country,
            language=language,
            street="Hauptstrasse",
            house_number="1",
            postcode=postcode,
            city="Ort",
            email=email,
        )
        order_seats(db, number, 2, date(2026, 3, 10))
        numbers[name] = number
    with db.transaction() as session:  # older data may hold a list where one address belongs
        session.execute(
            update(School)
            .where(School.number == numbers["Scuola Lugano"])
            .values(email="info@scuola.example; segreteria@scuola.example")
        )
    result = letters.notice_reminders(db, date(2026, 9, 15), within_days=60)
    assert len(result.letters) == len(SCHOOLS)
    return result, numbers


def page_schools(pdf: bytes) -> list[str]:
    names = [s[0] for s in SCHOOLS]
    found = []
    for page in PdfReader(BytesIO(pdf)).pages:
        text = page.extract_text()
        found.append(next(n for n in names if n in text))
    return found


def test_batch_pdf_pages_follow_the_chosen_order(run):
    result, numbers = run
    by_postcode = page_schools(letter_batches.batch_pdf(result.letters, "postcode"))
    # The vendor's country (CH) first, by postcode; then DE, then NL.
    assert by_postcode == [
        "École Ørsted",
        "Zentrum Aesch",
        "Aarau Nord",
        "Scuola Lugano",
        "Grundschule Köln",
        "Basisschool Delft",
    ]
    by_name = page_schools(letter_batches.batch_pdf(result.letters, "name"))
    assert by_name == [
        "Aarau Nord",
        "Basisschool Delft",
        "École Ørsted",  # É sorts as E
        "Grundschule Köln",
        "Scuola Lugano",
        "Zentrum Aesch",
    ]
    by_number = page_schools(letter_batches.batch_pdf(result.letters, "number"))
    assert by_number == sorted(by_number, key=lambda name: int(numbers[name]))
    assert by_number == [s[0] for s in SCHOOLS]  # created in this order
    with pytest.raises(InvalidInput, match="unknown order"):
        letter_batches.batch_pdf(result.letters, "city")


def test_natural_postcodes_and_letters_of_a_school_stay_together(run):
    result, _numbers = run
    key = letter_batches._natural
    assert key("800") < key("8050") < key("10115")
    first = result.letters[0]
    twice = [first, *result.letters[1:], first]
    numbers = [letter.school_number for letter in letter_batches.ordered(twice, "number")]
    assert numbers[:2] == [first.school_number] * 2


def test_email_drafts_per_school_in_its_language_with_its_pdf(db, run, tmp_path):
    result, numbers = run
    now = datetime(2026, 9, 15, 8, 30, tzinfo=UTC)
    drafts = letter_emails.email_drafts(db, result.letters, now=now)
    assert {d.school: d.reason for d in drafts.without_email} == {
        numbers["Basisschool Delft"]: "no e-mail address",
        numbers["Scuola Lugano"]: "not a usable e-mail address: "
        "info@scuola.example; segreteria@scuola.example",
    }
    folder = tmp_path / "drafts"
    folder.mkdir()
    paths = drafts.write(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    assert len(paths) == 4 and f"{numbers['École Ørsted']} École Ørsted.eml" in {
        p.name for p in paths
    }
    parsed = {}
    for path in paths:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        parsed[message["To"].addresses[0].display_name] = message
    geneve = parsed["École Ørsted"]
    assert geneve["From"].addresses[0].addr_spec == vendor.SAMPLE_VENDOR["email"]
    assert geneve["To"].addresses[0].addr_spec == "ecole@orsted.example"
    assert geneve["X-Unsent"] == "1"
    assert geneve["Date"].datetime == now
    assert geneve["Subject"] == "Votre abonnement se renouvelle le 1er janvier 2027"
    body = geneve.get_body(("plain",)).get_content()
    assert body.startswith("Madame, Monsieur,")
    assert numbers["École Ørsted"] in body
    [attachment] = list(geneve.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().endswith(".pdf")
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF") and page_schools(pdf) == ["École Ørsted"]
    cologne = parsed["Grundschule Köln"]
    assert cologne["To"].addresses[0].domain == "xn--schule-kln-lcb.de"  # IDNA, not mojibake
    assert cologne["Subject"].startswith("Ihr Abonnement verlängert sich")
    assert "Sehr geehrte Damen und Herren" in cologne.get_body(("plain",)).get_content()


def test_safe_file_names_on_windows():
    safe = letter_emails.safe_filename
    assert safe('100001 Schule "A/B": C?*', ".eml") == "100001 Schule _A_B__ C__.eml"
    assert safe("CON", ".eml") == "_CON.eml"
    assert safe("Ørsted  ", ".eml") == "Ørsted.eml"
    assert safe("x" * 200, ".eml") == "x" * 80 + ".eml"


def test_cli_order_and_eml_drafts(db, db_path, run, tmp_path, capsys):
    assert run[0].letters
    out = tmp_path / "batch.pdf"
    mails = tmp_path / "mails"
    mails.mkdir()
    args = ["--db", str(db_path), "letters", "notice", "--date", "2026-09-15"]
    assert main([*args, "-o", str(out), "--order", "name", "--eml-dir", str(mails)]) == 0
    text = capsys.readouterr().out
    assert page_schools(out.read_bytes())[0] == "Aarau Nord"
    assert len(list(mails.glob("*.eml"))) == 4
    assert "2 school(s) without an e-mail draft" in text and "Basisschool Delft" in text
    vendor.set_vendor(db, {"email": ""})
    assert main([*args, "--eml-dir", str(mails)]) == 2
    assert "no usable e-mail address" in capsys.readouterr().err
