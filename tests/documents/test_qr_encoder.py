"""The documents' own QR encoder (documents.qrcodes) against segno, module for module.

segno is the reference: the encoder makes the same choices (one segment in numeric,
alphanumeric or byte mode, UTF-8 without an ECI header, the smallest version, the mask with the
lowest penalty as segno computes it), so the matrices must be identical, over all 40 versions.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
import segno
import segno.helpers

from lehrer_licenses.documents import qrcodes
from lehrer_licenses.documents.qrcodes import encode, epc_payload, qr_matrix
from lehrer_licenses.documents.samples import sample_document
from lehrer_licenses.documents.swiss_qr_bill import build_qr_bill

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
TEXT = "abcdefghij klmnop\r\nQRSTUVWXYZ 0123 äöüÄÖÜß éèàç ŁłŻżŚśĆćŃńĄąĘę ŘřŠšŽž €"


def segno_matrix(data: str | bytes, error: str = "m") -> tuple[bytes, ...]:
    code = segno.make_qr(data, error=error, boost_error=False, encoding="utf-8")
    return tuple(bytes(row) for row in code.matrix)


def capacity(version: int, error: str, mode: str) -> int:
    """How many characters of ``mode`` fill ``version`` at level ``error``."""
    level = "lmqh".index(error)
    bits = qrcodes._data_codewords(version, level) * 8 - 4
    if mode == "byte":
        return (bits - qrcodes._count_bits(qrcodes._BYTE, version)) // 8
    if mode == "alphanumeric":
        bits -= qrcodes._count_bits(qrcodes._ALPHANUMERIC, version)
        return bits // 11 * 2 + (1 if bits % 11 >= 6 else 0)
    bits -= qrcodes._count_bits(qrcodes._NUMERIC, version)
    return bits // 10 * 3 + (2 if bits % 10 >= 7 else 1 if bits % 10 >= 4 else 0)


def full_text(rng: random.Random, size: int) -> str:
    """Random text of exactly ``size`` UTF-8 bytes, with multi-byte characters."""
    text = ""
    while len(text.encode()) < size - 3:
        text += rng.choice(TEXT)
    return text + "x" * (size - len(text.encode()))


@pytest.mark.parametrize(
    ("error", "versions"),
    [
        # the level of the QR-bill and the EPC code: every version (40 symbols, seconds)
        pytest.param("m", range(1, 41), marks=pytest.mark.slow),
        # the other levels: one in the fast loop, all in CI (dev.py test)
        pytest.param("l", (1, 2, 6, 7, 9, 10, 13, 26, 27, 40), marks=pytest.mark.slow),
        pytest.param("q", (1, 3, 7, 11, 20, 27, 33), marks=pytest.mark.slow),
        ("h", (1, 5, 8, 15, 26, 40)),
    ],
)
def test_the_same_symbols_as_segno(error, versions):
    """Each version filled to the last byte in byte mode with UTF-8 text, and some in
    alphanumeric and numeric mode: the same matrices as segno's."""
    rng = random.Random(ord(error))
    for version in versions:
        texts = [full_text(rng, capacity(version, error, "byte"))]
        if version % 4 == 1:
            size = capacity(version, error, "alphanumeric")
            texts.append("".join(rng.choice(ALPHANUMERIC) for _ in range(size)))
            size = capacity(version, error, "numeric")
            texts.append("".join(rng.choice("0123456789") for _ in range(size)))
        for text in texts:
            expected = segno_matrix(text, error)
            assert len(expected) == 17 + 4 * version, (error, version, len(text))
            assert encode(text, error=error) == expected, (error, version, text[:40])


def test_the_qr_bill_payload_of_an_invoice():
    doc = sample_document()
    payload = build_qr_bill(
        vendor=doc.vendor,
        debtor=doc.recipient,
        amount=doc.payable,
        currency="CHF",
        reference=doc.reference,
        additional_information="Rechnung 2026-0001",
    ).payload
    assert "Łukasz Żółć" in payload
    assert encode(payload) == segno_matrix(payload)
    assert qr_matrix(payload) is qr_matrix(payload)  # cached


def test_bytes_are_encoded_as_they_are():
    data = "Zürich Łódź".encode("iso-8859-2")
    reference = segno.make_qr(data, error="m", boost_error=False)
    assert encode(data) == tuple(bytes(row) for row in reference.matrix)


def test_data_too_long_for_any_version():
    with pytest.raises(ValueError, match="do not fit"):
        encode("x" * 3000, error="h")


EPC_CASES = [
    dict(
        name="Lernplattform Süd GmbH",
        iban="DE89370400440532013000",
        amount=Decimal("1108.66"),
        reference="RF18539007547034",
        bic="COBADEFFXXX",
    ),  # ISO 8859-1
    dict(name="Łódź Sp. z o.o.", iban="PL61109010140000071219812874", amount=Decimal("10"),
         text="Faktura 2026-0001"),  # ISO 8859-2
    dict(name="Σχολείο Straße", iban="DE89370400440532013000", amount=Decimal("0.50"),
         text="Rechnung 1"),  # ISO 8859-7 has no ß: UTF-8
]  # fmt: skip


@pytest.mark.parametrize("case", EPC_CASES, ids=["latin-1", "latin-2", "utf-8"])
def test_epc_codes_as_segno_makes_them(case):
    payload = epc_payload(**case)
    assert payload.startswith(b"BCD\n002\n")
    reference = segno.helpers.make_epc_qr(**case)
    assert encode(payload) == tuple(bytes(row) for row in reference.matrix)


@pytest.mark.parametrize(
    "changes",
    [
        dict(text=None, reference=None),
        dict(text="x", reference="RF18539007547034"),
        dict(name=""),
        dict(amount=Decimal("0")),
        dict(bic="ABC"),
        dict(text="x" * 141),
    ],
)
def test_epc_payloads_refuse_what_the_standard_does_not_allow(changes):
    values = dict(name="Schule", iban="DE89370400440532013000", amount=Decimal("1"), text="x")
    values.update(changes)
    with pytest.raises(ValueError):
        epc_payload(**values)
