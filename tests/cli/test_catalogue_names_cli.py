"""Plan names on documents speak the document's language: a French school's invoice, credit note
and reminder carry the French plan name; `catalogue rename` changes one language only."""

from __future__ import annotations

from pypdf import PdfReader
from support.cli_run import fingerprint, ok, refused
from support.cli_run import set_sample_vendor as set_vendor
from test_invoice_cli import order, school

LOCAL_FR = "LehrerOffice Desktop, par enseignant (fichiers locaux ou base de données de l’école)"
LOCAL_DE = "LehrerOffice Desktop, pro Lehrperson (lokale Dateien oder Schuldatenbank)"


def _text(path) -> str:
    # the name may wrap at a line end: compare with single spaces
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_french_documents_carry_the_french_plan_name(cli, tmp_path):
    set_vendor(cli)
    french = school(cli, "École des Tilleuls", language="fr")
    german = school(cli, "Schule Dvořák", language="de")
    ok(cli, "invoice", "issue", str(order(cli, french)), "--date", "2026-03-11")
    ok(cli, "invoice", "issue", str(order(cli, german)), "--date", "2026-03-11")

    invoice = tmp_path / "facture.pdf"
    ok(cli, "invoice", "pdf", "2026-00001", "-o", str(invoice))
    text = _text(invoice)
    assert "Facture 2026-00001" in text and LOCAL_FR in text
    assert "per teacher" not in text
    rechnung = tmp_path / "rechnung.pdf"
    ok(cli, "invoice", "pdf", "2026-00002", "-o", str(rechnung))
    assert LOCAL_DE in _text(rechnung)

    ok(
        cli, "invoice", "credit", "2026-00001", "--reason", "Rabais", "--amount", "5.90",
        "--date", "2026-03-21",
    )  # fmt: skip
    credit = tmp_path / "avoir.pdf"
    ok(cli, "invoice", "pdf", "G2026-00001", "-o", str(credit))
    assert LOCAL_FR in _text(credit)

    reminders = tmp_path / "rappels.pdf"
    proposed = ok(cli, "dunning", "propose", "--date", "2026-05-30")["notices"]
    chosen = ",".join(str(n["invoice_id"]) for n in proposed)
    run = ok(
        cli, "dunning", "run", "--invoices", chosen, "--date", "2026-05-30", "-o", str(reminders)
    )
    assert len(run["notices"]) == 2
    letters = _text(reminders)
    assert LOCAL_FR in letters and LOCAL_DE in letters


def test_rename_changes_one_language_and_refuses_bad_input(cli, tmp_path):
    plans = {p["code"]: p for p in ok(cli, "catalogue", "list")}
    assert plans["LO-LOCAL"]["names"]["fr"] == LOCAL_FR
    renamed = ok(
        cli, "catalogue", "rename", "LO-LOCAL", "--language", "fr",
        "--name", "LehrerOffice Desktop, licence par enseignant",
    )  # fmt: skip
    names = {p["code"]: p["names"] for p in renamed}["LO-LOCAL"]
    assert names["fr"] == "LehrerOffice Desktop, licence par enseignant"
    assert names["de"] == LOCAL_DE

    set_vendor(cli)
    ok(cli, "invoice", "issue", str(order(cli, school(cli, "École du Lac", "fr"))), "--date",
       "2026-03-11")  # fmt: skip
    out = tmp_path / "facture.pdf"
    ok(cli, "invoice", "pdf", "2026-00001", "-o", str(out))
    assert "LehrerOffice Desktop, licence par enseignant" in _text(out)

    before = fingerprint(cli.path)
    refused(cli, "catalogue", "rename", "LO-LOCAL", "--language", "fr", "--name", "  ",
            match="a name cannot be empty")  # fmt: skip
    refused(cli, "catalogue", "rename", "NOPE", "--language", "fr", "--name", "X",
            match="unknown plan: NOPE")  # fmt: skip
    code, _out, err = cli("catalogue", "rename", "LO-LOCAL", "--language", "es", "--name", "X")
    assert code == 2 and "--language" in err
    assert fingerprint(cli.path) == before
