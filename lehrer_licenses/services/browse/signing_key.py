"""What the settings dialog and the first-run assistant show of the signing key: whether it is
there, where, and its fingerprint (to compare with a backup or a verifier's copy)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from lehrer_licenses.store.keystore import KeyStore


@dataclass(frozen=True)
class KeyStatus:
    exists: bool
    folder: Path
    fingerprint: str  # SHA-256 of the raw public key, in groups of four hex digits; "" if none


def key_status(keys: KeyStore | None = None) -> KeyStatus:
    keys = keys or KeyStore()
    if not keys.exists():
        return KeyStatus(False, keys.folder, "")
    digest = hashlib.sha256(keys.public_key_raw()).hexdigest()[:32]
    return KeyStatus(True, keys.folder, " ".join(digest[i : i + 4] for i in range(0, 32, 4)))
