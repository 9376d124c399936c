"""The vendor's Ed25519 signing key for registration codes, kept in files, never in the database.

The folder (default ``<user data dir>/keys``, or ``$LEHRER_LICENSES_KEYS``) holds:

* ``signing_key.pem``: the private key, unencrypted PKCS8 PEM, owner-only (0o600, folder 0o700);
* ``public_key.pem``: its public key (SubjectPublicKeyInfo PEM), for convenience.

A key is never created behind the user's back: every code issued so far verifies only with the
key that signed it, so a lost key is restored from a backup, not replaced. A backup is one text
file with the private key encrypted by a passphrase (PKCS8, BestAvailableEncryption) followed by
the public key in clear, so the backup itself shows which key it holds.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

import platformdirs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _

__all__ = [
    "ENV_VAR",
    "BackupUnreadable",
    "KeyAlreadyExists",
    "KeyStore",
    "KeyStoreError",
    "MissingSigningKey",
    "WrongPassphrase",
    "default_keys_folder",
]

ENV_VAR = "LEHRER_LICENSES_KEYS"
PRIVATE_FILE = "signing_key.pem"
PUBLIC_FILE = "public_key.pem"
_POSIX = os.name == "posix"
_BACKUP_HEADER = b"# lehrer-licenses signing key backup (private key encrypted with a passphrase)\n"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----\r?\n.*?-----END \1-----\r?\n?", re.DOTALL)


class KeyStoreError(DomainError):
    """A key file cannot be used as asked; the message says why and what to do."""


class MissingSigningKey(KeyStoreError):
    pass


class KeyAlreadyExists(KeyStoreError):
    pass


class WrongPassphrase(KeyStoreError):
    pass


class BackupUnreadable(KeyStoreError):
    pass


def default_keys_folder() -> Path:
    """``$LEHRER_LICENSES_KEYS`` if set, else ``keys`` in the platform's user data folder."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("lehrer-licenses", appauthor=False)) / "keys"


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    data = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    if not data:
        raise KeyStoreError(_("A backup of the signing key needs a passphrase."))
    return data


def _fsync_folder(folder: Path) -> None:
    if not _POSIX:
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomic(path: Path, data: bytes, mode: int, *, exclusive: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place.

    ``exclusive``: fail with FileExistsError if ``path`` appears meanwhile (a hard link is used
    where the file system has them, so two processes cannot both win).
    """
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            try:
                os.link(temp, path)
            except FileExistsError:
                raise
            except OSError:  # no hard links here (FAT, some network shares)
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(temp, path)
            else:
                temp.unlink()
        else:
            os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    _fsync_folder(path.parent)


class KeyStore:
    """The signing key files in one folder."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_keys_folder()

    @property
    def private_key_path(self) -> Path:
        return self.folder / PRIVATE_FILE

    @property
    def public_key_path(self) -> Path:
        return self.folder / PUBLIC_FILE

    def __repr__(self) -> str:
        return f"KeyStore({str(self.folder)!r})"

    def exists(self) -> bool:
        return self.private_key_path.is_file()

    # --- creating and reading ---------------------------------------------------------------

    def create(self) -> Ed25519PublicKey:
        """Make a new signing key; refuses when one exists. Returns its public key."""
        if self.exists():
            raise KeyAlreadyExists(
                _(
                    "A signing key already exists in {folder}. A new key would make every "
                    "registration code issued so far fail to verify, so none was created."
                ).format(folder=self.folder)
            )
        key = Ed25519PrivateKey.generate()
        try:
            self._write(key, exclusive=True)
        except FileExistsError:
            raise KeyAlreadyExists(
                _("A signing key was created in {folder} at the same time; it was kept.").format(
                    folder=self.folder
                )
            ) from None
        return key.public_key()

    def load_private(self) -> Ed25519PrivateKey:
        """The signing key; raises MissingSigningKey if there is none (never makes one)."""
        try:
            data = self.private_key_path.read_bytes()
        except FileNotFoundError:
            raise MissingSigningKey(
                _(
                    "No signing key for registration codes was found: looked for {path} (the "
                    "folder can be changed with the environment variable {env}). Restore the "
                    "key from its backup, or point {env} at the folder that holds it. Do not "
                    "create a new key unless the old one is lost for good: codes issued with "
                    "the old key would no longer verify."
                ).format(path=self.private_key_path, env=ENV_VAR)
            ) from None
        except OSError as exc:
            raise KeyStoreError(
                _("The signing key {path} cannot be read: {error}").format(
                    path=self.private_key_path, error=exc.strerror or exc
                )
            ) from None
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            key = None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyStoreError(
                _("{path} does not hold an unencrypted Ed25519 signing key.").format(
                    path=self.private_key_path
                )
            )
        return key

    def public_key(self) -> Ed25519PublicKey:
        return self.load_private().public_key()

    def public_key_pem(self) -> bytes:
        """The public key as PEM text (what a licensed program needs to check codes)."""
        return _public_pem(self.public_key())

    def public_key_raw(self) -> bytes:
        """The 32 raw bytes of the public key (``.hex()`` embeds well in a program's source)."""
        return _raw(self.public_key())

    def export_public(self, path: Path | str) -> Path:
        """Write the public key as PEM to ``path`` (replacing that file)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, self.public_key_pem(), 0o644)
        return target

    # --- backup and restore -----------------------------------------------------------------

    def backup(self, path: Path | str, passphrase: str | bytes) -> Path:
        """Write the key, encrypted with ``passphrase``, and its public key to ``path``."""
        secret = _passphrase_bytes(passphrase)
        key = self.load_private()
        encrypted = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret),
        )
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, _BACKUP_HEADER + encrypted + _public_pem(key.public_key()), 0o600)
        return target

    def restore(
        self, path: Path | str, passphrase: str | bytes, overwrite: bool = False
    ) -> Ed25519PublicKey:
        """Put the key from a backup in place. Returns its public key.

        Restoring the key that is already here does nothing. A different key is only put in
        place with ``overwrite=True``; the replaced key is then kept beside it as
        ``signing_key.replaced-<timestamp>.pem``.
        """
        source = Path(path)
        secret = _passphrase_bytes(passphrase)
        try:
            text = source.read_bytes()
        except OSError as exc:
            raise BackupUnreadable(
                _("The key backup {path} cannot be read: {error}").format(
                    path=source, error=exc.strerror or exc
                )
            ) from None
        blocks = {m.group(1): m.group(0) for m in _PEM_BLOCK.finditer(text)}
        encrypted = blocks.get(b"ENCRYPTED PRIVATE KEY")
        if encrypted is None:
            raise BackupUnreadable(
                _("{path} is not a backup of a signing key (no encrypted key in it).").format(
                    path=source
                )
            )
        try:
            key = serialization.load_pem_private_key(encrypted, password=secret)
        except ValueError:
            raise WrongPassphrase(
                _(
                    "The passphrase does not open the key backup {path}. Nothing was changed."
                ).format(path=source)
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise BackupUnreadable(
                _("{path} holds a key, but not an Ed25519 signing key.").format(path=source)
            )
        public = blocks.get(b"PUBLIC KEY")
        if public is not None and public.replace(b"\r\n", b"\n").strip() != (
            _public_pem(key.public_key()).strip()
        ):
            raise BackupUnreadable(
                _(
                    "The key backup {path} is damaged: its public key does not belong to its "
                    "private key."
                ).format(path=source)
            )
        if self.exists():
            current = self.load_private()
            if _raw(current.public_key()) == _raw(key.public_key()):
                self._write(key, exclusive=False)  # same key: refresh the files and permissions
                return key.public_key()
            if not overwrite:
                raise KeyAlreadyExists(
                    _(
                        "A different signing key already exists in {folder}. Restoring would "
                        "replace it, and codes issued with it would no longer verify. Nothing "
                        "was changed; restore with overwrite to replace it anyway."
                    ).format(folder=self.folder)
                )
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            keep = self.folder / f"signing_key.replaced-{stamp}.pem"
            os.replace(self.private_key_path, keep)
        self._write(key, exclusive=False)
        return key.public_key()

    # --- files ------------------------------------------------------------------------------

    def _prepare_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _POSIX:
            os.chmod(self.folder, 0o700)

    def _write(self, key: Ed25519PrivateKey, *, exclusive: bool) -> None:
        self._prepare_folder()
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_atomic(self.private_key_path, private_pem, 0o600, exclusive=exclusive)
        _write_atomic(self.public_key_path, _public_pem(key.public_key()), 0o644)
