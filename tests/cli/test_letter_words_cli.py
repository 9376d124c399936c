"""Notice reminders and renewal letters name what the school has, for all three licence models,
with plural forms in the school's language: licences, users of a package, pupils per grade
range; and a per-pupil plan gets its renewal letter."""

from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader

from lehrer_licenses.services.billing.vendor import SAMPLE_VENDOR

PLACEHOLDERS = re.compile(r"\((?:en|s|e|n)\)|/e\b|\(s\)")


def ok(cli, *args):
    code, out, err = cli("--json", *args)
    assert code == 0, err
    return json.loads(out)


def pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def school(cli, name, country, language) -> str:
    return ok(
        cli, "school", "add", "--name", name, "--country", country, "--language", language,
        "--postcode", {"CH": "3011", "DE": "80802", "NL": "3511 AB"}[country],
        "--city", "Stadt",
    )["number"]  # fmt: skip


def three_models(cli) -> tuple[str, str, str]:
    args = []
    for key, value in SAMPLE_VENDOR.items():
        if value:
            args += [f"--{key.replace('_', '-')}", value]
    ok(cli, "vendor", "set", *args)
    seats = school(cli, "Schule Eins", "CH", "de")
    ok(cli, "order", seats, "--seats", "1", "--date", "2026-03-10")
    package = school(cli, "Gymnasium Zwei", "DE", "de")
    ok(cli, "package", "order", package, "--capacity", "500", "--date", "2026-02-01")
    pupils = school(cli, "Basisschool Drie", "NL", "nl")
    ok(
        cli, "pupils", "terms", pupils, "--accepted", "2026-01-10",
        "--dpa-ref", "VWO-17", "--dpa-date", "2026-01-12",
    )  # fmt: skip
    ok(cli, "pupils", "trial", pupils, "--date", "2026-02-01")
    ok(
        cli, "pupils", "start", pupils, "--plan", "FPO-38", "--date", "2026-08-01",
        "--count", "3-8=200",
    )  # fmt: skip
    return seats, package, pupils


def test_notice_reminders_name_licences_users_and_pupils(cli, tmp_path):
    three_models(cli)
    out = tmp_path / "notice.pdf"
    run = ok(cli, "letters", "notice", "--date", "2026-09-15", "--within", "366", "-o", str(out))
    assert run["letters"] == 3
    text = pages(out)
    seat_letter, package_letter, pupil_letter = (
        next(p for p in text if name in p)
        for name in ("Schule Eins", "Gymnasium Zwei", "Basisschool Drie")
    )
    assert "mit 1 Lizenz verlängert sich" in seat_letter
    assert "mit 500 Benutzern verlängert sich" in package_letter
    assert "met 200 leerlingen in groep 3-8 wordt automatisch verlengd" in pupil_letter
    for page in text:
        assert not PLACEHOLDERS.search(page), page
        assert " 0 " not in page


@pytest.mark.slow  # 2.5 s; the others stay fast
def test_a_per_pupil_plan_gets_a_renewal_letter(cli, tmp_path):
    _seats, _package, pupils = three_models(cli)
    for year, month in [(2026, m) for m in range(8, 13)] + [(2027, m) for m in range(1, 8)]:
        ok(cli, "pupils", "count", pupils, "--month", f"{year}-{month:02d}", "3-8=195")
    ok(cli, "pupils", "count", pupils, "--month", "2027-08", "3-8=210")
    ok(cli, "renewals", "due", "--until", "2027-08-01")
    out = tmp_path / "renewal.pdf"
    run = ok(cli, "letters", "renewal", "--year", "2027", "--date", "2027-07-01", "-o", str(out))
    (letter,) = [p for p in pages(out) if "Basisschool Drie" in p]
    assert run["letters"] >= 1
    assert "met 210 leerlingen in groep 3-8 wordt verlengd op 1 augustus 2027" in letter
    assert not PLACEHOLDERS.search(letter)


def test_the_renewal_letter_and_its_invoice_go_together(cli, tmp_path):
    from email import message_from_bytes, policy

    seats, package, _pupils = three_models(cli)
    ok(cli, "school", "edit", seats, "--email", "sekretariat@schule-eins.ch")
    ok(cli, "renewals", "run", "--year", "2027", "--date", "2026-12-01")
    batch, folder, mails = tmp_path / "renewal.pdf", tmp_path / "per-school", tmp_path / "eml"
    folder.mkdir()
    mails.mkdir()
    ok(
        cli, "letters", "renewal", "--year", "2027", "--date", "2026-12-01", "-o", str(batch),
        "--per-school", str(folder), "--eml-dir", str(mails), "--order", "number",
    )  # fmt: skip
    text = pages(batch)
    # the seat school: its letter, then its invoice (one page each), before the next school
    letter_page = next(i for i, p in enumerate(text) if "Schule Eins" in p)
    assert "Verlängerung Ihres Abonnements" in text[letter_page]
    assert "Die Rechnung 2026-00001 für die neue Laufzeit liegt bei." in text[letter_page]
    assert "Rechnung 2026-00001" in text[letter_page + 1]
    assert "Zahlteil" in text[letter_page + 1]  # the invoice page with its QR-bill
    assert all("Registrierungscode" in text[letter_page + i] for i in (0, 1))
    (own,) = [f for f in folder.iterdir() if seats in f.name]
    own_pages = pages(own)
    assert len(own_pages) == 2 and "Verlängerung" in own_pages[0] and "Zahlteil" in own_pages[1]
    (eml,) = list(mails.iterdir())
    message = message_from_bytes(eml.read_bytes(), policy=policy.SMTP)
    attached = [part.get_filename() for part in message.iter_attachments()]
    assert len(attached) == 2 and attached[1] == "2026-00001.pdf"
    assert package  # the package's renewal is in the batch too
