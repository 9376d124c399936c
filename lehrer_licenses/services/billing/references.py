"""Payment references made from an invoice number, so incoming payments can be matched: a
27-digit QR reference when the vendor has a QR-IBAN (CHF), otherwise an ISO 11649 creditor
reference "RF..." (SCOR).
"""

from __future__ import annotations

from lehrer_licenses.services.billing.vendor import VendorSettings


def _mod10_recursive(digits: str) -> str:
    """The check digit of a Swiss QR reference (modulo 10, recursive)."""
    table = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)
    carry = 0
    for ch in digits:
        carry = table[(carry + int(ch)) % 10]
    return str((10 - carry) % 10)


def qr_reference(number: str) -> str:
    """A 27-digit QR reference from the digits of an invoice number ("2026-00017" ->
    "000000000000000002026000177")."""
    digits = "".join(ch for ch in number if ch.isdigit())[-26:]
    body = digits.rjust(26, "0")
    return body + _mod10_recursive(body)


def creditor_reference(number: str) -> str:
    """An ISO 11649 creditor reference "RF.." from the letters and digits of a number."""
    body = "".join(ch for ch in number.upper() if ch.isalnum())[-21:] or "0"
    numeric = "".join(str(int(ch, 36)) for ch in body + "RF00")
    check = 98 - int(numeric) % 97
    return f"RF{check:02d}{body}"


def payment_reference(number: str, currency: str, vendor: VendorSettings) -> str:
    if currency == "CHF" and vendor.qr_iban:
        return qr_reference(number)
    return creditor_reference(number)


def compact_reference(text: str) -> str:
    return "".join(text.split()).upper()
