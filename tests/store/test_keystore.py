"""The signing key for registration codes: files with owner-only permissions, backup, restore."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import platformdirs
import pytest
from cryptography.hazmat.primitives import serialization

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.regcode import Licence, LicenceKind, issue_code, verify
from lehrer_licenses.store import keystore as ks
from lehrer_licenses.store.keystore import (
    BackupUnreadable,
    KeyAlreadyExists,
    KeyStore,
    MissingSigningKey,
    WrongPassphrase,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")

LICENCE = Licence(
    product="LO",
    school="100042",
    kind=LicenceKind.SEATS,
    quantity=5,
    issued_on=date(2026, 9, 15),
    valid_until=date(2026, 12, 31),
    serial=1,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "data" / "keys")


def test_default_folder_from_platformdirs_or_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ks.ENV_VAR, raising=False)
    expected = Path(platformdirs.user_data_dir("lehrer-licenses")) / "keys"
    assert ks.default_keys_folder() == expected
    assert KeyStore().folder == expected
    monkeypatch.setenv(ks.ENV_VAR, str(tmp_path / "elsewhere"))
    assert KeyStore().folder == tmp_path / "elsewhere"


def test_L6_created_key_signs_codes_that_its_public_key_verifies(store: KeyStore) -> None:
    assert not store.exists()
    public = store.create()
    assert store.exists()
    code = issue_code(LICENCE, store.load_private())
    assert verify(code, store.public_key_pem(), today=date(2026, 10, 1)) == LICENCE
    assert verify(code, store.public_key_raw(), today=date(2026, 10, 1)) == LICENCE
    assert store.public_key_raw() == public.public_bytes_raw()
    assert store.public_key_path.read_bytes() == store.public_key_pem()


@posix_only
def test_private_key_is_owner_only(store: KeyStore) -> None:
    store.create()
    assert mode(store.private_key_path) == 0o600
    assert mode(store.folder) == 0o700
    assert mode(store.public_key_path) == 0o644
    assert [p.name for p in store.folder.iterdir() if p.name.endswith(".tmp")] == []


def test_create_refuses_when_a_key_exists(store: KeyStore) -> None:
    store.create()
    before = store.private_key_path.read_bytes()
    with pytest.raises(KeyAlreadyExists, match="fail to verify"):
        store.create()
    assert store.private_key_path.read_bytes() == before


def test_missing_key_says_where_it_looked_and_never_creates_one(
    store: KeyStore,
) -> None:
    with pytest.raises(MissingSigningKey) as info:
        store.load_private()
    message = str(info.value)
    assert str(store.private_key_path) in message
    assert ks.ENV_VAR in message
    assert "no longer verify" in message
    assert isinstance(info.value, DomainError)
    assert not store.folder.exists()
    with pytest.raises(MissingSigningKey):
        store.public_key_pem()
    with pytest.raises(MissingSigningKey):
        store.backup(store.folder.parent / "backup.pem", "secret")


def test_damaged_key_file(store: KeyStore) -> None:
    store.create()
    store.private_key_path.write_bytes(b"not a key")
    with pytest.raises(ks.KeyStoreError, match="does not hold"):
        store.load_private()


def test_export_public(store: KeyStore, tmp_path: Path) -> None:
    store.create()
    target = store.export_public(tmp_path / "out" / "vendor.pem")
    key = serialization.load_pem_public_key(target.read_bytes())
    assert key.public_bytes_raw() == store.public_key_raw()  # type: ignore[union-attr]


@posix_only
def test_backup_restore_round_trip(store: KeyStore, tmp_path: Path) -> None:
    store.create()
    code = issue_code(LICENCE, store.load_private())
    backup = store.backup(tmp_path / "backup.pem", "correct horse")
    text = backup.read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in text and b"BEGIN PUBLIC KEY" in text
    assert b"BEGIN PRIVATE KEY" not in text
    assert mode(backup) == 0o600

    elsewhere = KeyStore(tmp_path / "new-computer" / "keys")
    public = elsewhere.restore(backup, "correct horse")
    assert public.public_bytes_raw() == store.public_key_raw()
    assert mode(elsewhere.private_key_path) == 0o600
    assert mode(elsewhere.folder) == 0o700
    # Codes issued before the backup still verify, and new ones are identical.
    assert verify(code, elsewhere.public_key_pem(), today=date(2026, 10, 1)) == LICENCE
    assert issue_code(LICENCE, elsewhere.load_private()) == code
    # Restoring the same key again is harmless.
    elsewhere.restore(backup, "correct horse")


def test_wrong_passphrase_changes_nothing(store: KeyStore, tmp_path: Path) -> None:
    store.create()
    backup = store.backup(tmp_path / "backup.pem", "correct horse")
    elsewhere = KeyStore(tmp_path / "other")
    with pytest.raises(WrongPassphrase, match="passphrase"):
        elsewhere.restore(backup, "battery staple")
    assert not elsewhere.exists()
    with pytest.raises(ks.KeyStoreError):
        store.backup(tmp_path / "b2.pem", "")


def test_restore_refuses_to_replace_a_different_key(store: KeyStore, tmp_path: Path) -> None:
    store.create()
    backup = store.backup(tmp_path / "backup.pem", "pw")
    other = KeyStore(tmp_path / "other")
    other.create()
    other_key = other.private_key_path.read_bytes()
    with pytest.raises(KeyAlreadyExists, match="different signing key"):
        other.restore(backup, "pw")
    assert other.private_key_path.read_bytes() == other_key
    other.restore(backup, "pw", overwrite=True)
    assert other.public_key_raw() == store.public_key_raw()
    kept = list(other.folder.glob("signing_key.replaced-*.pem"))
    assert [p.read_bytes() for p in kept] == [other_key]  # the replaced key is not lost


def test_restore_refuses_other_files(store: KeyStore, tmp_path: Path) -> None:
    store.create()
    with pytest.raises(BackupUnreadable, match="not a backup"):
        store.restore(store.public_key_path, "pw")
    with pytest.raises(BackupUnreadable, match="cannot be read"):
        store.restore(tmp_path / "missing.pem", "pw")
    backup = store.backup(tmp_path / "backup.pem", "pw")
    other = KeyStore(tmp_path / "other")
    other.create()
    damaged = tmp_path / "damaged.pem"
    text = backup.read_bytes()
    damaged.write_bytes(text[: text.index(b"-----BEGIN PUBLIC KEY")] + other.public_key_pem())
    with pytest.raises(BackupUnreadable, match="damaged"):
        KeyStore(tmp_path / "third").restore(damaged, "pw")
