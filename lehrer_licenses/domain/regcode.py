"""Issuing registration codes (rule L6: every order and renewal gives a new code with the seats).

The format, the check characters and verification live in ``regcode_verifier`` (a single file a
vendor can copy into the licensed program); this module adds the signing side, which needs the
private key and therefore stays in the licence desk. Keys are kept by ``store.keystore``.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lehrer_licenses.domain.regcode_verifier import (
    FORMAT_VERSION,
    PUPIL_PLAN_VARIANTS,
    CodeRejected,
    Licence,
    LicenceKind,
    canonical_code,
    encode_payload,
    load_public_key,
    read_unverified,
    render_code,
    signed_message,
    verify,
)

__all__ = [
    "FORMAT_VERSION",
    "PUPIL_PLAN_VARIANTS",
    "CodeRejected",
    "Licence",
    "LicenceKind",
    "canonical_code",
    "issue_code",
    "load_public_key",
    "qr_payload",
    "read_unverified",
    "verify",
]


def issue_code(licence: Licence, private_key: Ed25519PrivateKey) -> str:
    """The registration code for ``licence``, signed with ``private_key``.

    Ed25519 signatures are deterministic: the same licence and key always give the same code.
    """
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(f"an Ed25519 private key is needed, not {type(private_key).__name__}")
    payload = encode_payload(licence)
    signature = private_key.sign(signed_message(payload))
    return render_code(payload + signature)


def qr_payload(code: str) -> str:
    """The text a QR code on a letter should carry: the code itself, in its printed form.

    The dashes are kept (all characters are in the QR alphanumeric set, and a scanned text reads
    like the printed one; the verifier ignores them anyway). A mistyped code raises CodeRejected,
    so a broken code never reaches a letter.
    """
    return canonical_code(code)
