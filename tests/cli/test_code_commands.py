"""Registration codes through the CLI and the use cases (L6)."""

import json
from datetime import date

import pytest

from lehrer_licenses.cli.main import main
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.services.licences.codes import code_history, verify_code
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.season.year_end import run_renewals


def test_L6_every_order_and_renewal_issues_a_code_with_the_seat_count(db, make_school):
    school = make_school()
    first = order_seats(db, school, 3, date(2026, 3, 10))
    order_seats(db, school, 2, date(2026, 9, 15))
    run_renewals(db, 2027, dry_run=False)
    history = code_history(db, school)
    assert [(c.serial, c.seats, c.reason, c.valid_until) for c in history] == [
        (1, 3, "order", date(2026, 12, 31)),
        (2, 5, "order", date(2026, 12, 31)),
        (3, 5, "renewal", date(2027, 12, 31)),
    ]
    assert history[0].code == first.code
    granted = verify_code(history[2].code, today=date(2027, 1, 1))
    assert granted["quantity"] == 5 and granted["school"] == school


def test_L6_an_order_without_the_signing_key_is_refused_and_writes_nothing(
    db, make_school, keys_folder
):
    school = make_school()
    for path in keys_folder.iterdir():
        path.unlink()
    with pytest.raises(DomainError, match="No signing key"):
        order_seats(db, school, 3, date(2026, 3, 10))
    assert code_history(db, school) == []
    from lehrer_licenses.services.billing.drafts import get_invoice

    with pytest.raises(DomainError):
        get_invoice(db, "1")


def test_code_verify_with_only_the_exported_public_key(tmp_path, capsys):
    db = str(tmp_path / "c.sqlite")
    main(["--db", db, "init"])
    main(
        [
            "--db",
            db,
            "--json",
            "school",
            "add",
            "--name",
            "Ørsted Skole",
            "--country",
            "NL",
            "--language",
            "nl",
        ]
    )
    capsys.readouterr()
    main(["--db", db, "--json", "order", "100001", "--seats", "4", "--date", "2026-03-10"])
    code = json.loads(capsys.readouterr().out)["order"]["code"]
    assert main(["--db", db, "code", "export-public-key", "-o", str(tmp_path / "pub.pem")]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "--json",
                "code",
                "verify",
                code.lower().replace("-", " "),
                "--public-key",
                str(tmp_path / "pub.pem"),
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] and doc["quantity"] == 4 and doc["school"] == "100001"

    blocks = code.split("-")
    blocks[2] = blocks[2][:2] + ("X" if blocks[2][2] != "X" else "Y") + blocks[2][3:]
    assert (
        main(
            [
                "--json",
                "code",
                "verify",
                "-".join(blocks),
                "--public-key",
                str(tmp_path / "pub.pem"),
            ]
        )
        == 2
    )
    captured = capsys.readouterr()
    assert json.loads(captured.out) | {"message": ""} == {
        "valid": False,
        "reason": "typo",
        "block": 3,
        "message": "",
    }
    assert "code rejected" in captured.err and "3" in captured.err


def test_code_issue_for_a_school_without_seats_is_refused(tmp_path, capsys):
    db = str(tmp_path / "c.sqlite")
    main(["--db", db, "init"])
    main(["--db", db, "school", "add", "--name", "Leer", "--country", "CH", "--language", "it"])
    assert main(["--db", db, "code", "issue", "100001"]) == 2
    assert "no seats to put in a code" in capsys.readouterr().err


def test_key_backup_and_restore_with_a_passphrase(tmp_path, capsys, keys_folder, monkeypatch):
    secret = tmp_path / "pass.txt"
    secret.write_text("Schulhaus Aesch 1956\n")
    backup = tmp_path / "key.backup"
    assert main(["code", "key-backup", "-o", str(backup), "--passphrase-file", str(secret)]) == 0
    public = (keys_folder / "public_key.pem").read_text()
    for path in keys_folder.iterdir():
        path.unlink()
    capsys.readouterr()
    monkeypatch.setenv("LEHRER_LICENSES_KEY_PASSPHRASE", "wrong passphrase!")
    assert main(["code", "key-restore", str(backup)]) == 2
    assert "passphrase" in capsys.readouterr().err.lower()
    assert (
        main(["--json", "code", "key-restore", str(backup), "--passphrase-file", str(secret)]) == 0
    )
    assert json.loads(capsys.readouterr().out)["public_key"] == public


def test_a_short_passphrase_is_refused(tmp_path, capsys):
    secret = tmp_path / "pass.txt"
    secret.write_text("kurz")
    assert (
        main(["code", "key-backup", "-o", str(tmp_path / "k"), "--passphrase-file", str(secret)])
        == 2
    )
    assert "at least 10 characters" in capsys.readouterr().err
    assert not (tmp_path / "k").exists()
