"""Registration codes (rule L6): format, check characters, signature, tampering."""

from __future__ import annotations

import dataclasses
import itertools
import random
import string
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from lehrer_licenses.domain import regcode_verifier as rv
from lehrer_licenses.domain.regcode import (
    CodeRejected,
    Licence,
    LicenceKind,
    canonical_code,
    issue_code,
    qr_payload,
    read_unverified,
    verify,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PUBLIC = KEY.public_key()
DAY = date(2026, 5, 1)

# Worked example 1: 3 seats ordered 2026-03-10, term ends 2026-12-31.
FIRST_ORDER = Licence(
    product="LO",
    school="100042",
    kind=LicenceKind.SEATS,
    quantity=3,
    issued_on=date(2026, 3, 10),
    valid_until=date(2026, 12, 31),
    serial=1,
)
# Worked example 2: 2 more seats on 2026-09-15, the new code carries all 5; serial >= 128.
REORDER = Licence(
    product="LO",
    school="100042",
    kind=LicenceKind.SEATS,
    quantity=5,
    issued_on=date(2026, 9, 15),
    valid_until=date(2026, 12, 31),
    serial=1234,
)
CODE = issue_code(FIRST_ORDER, KEY)
LONG_CODE = issue_code(REORDER, KEY)


def rejected(code: str, **kwargs: object) -> CodeRejected:
    kwargs.setdefault("today", DAY)
    with pytest.raises(CodeRejected) as info:
        verify(code, PUBLIC, **kwargs)  # type: ignore[arg-type]
    return info.value


# --- L6: a code carries the current seat count --------------------------------------------------


def test_L6_first_order_code_carries_seats_and_term() -> None:
    licence = verify(CODE, PUBLIC, product="LO", today=DAY)
    assert licence == FIRST_ORDER
    assert licence.quantity == 3
    assert licence.valid_until == date(2026, 12, 31)


def test_L6_reorder_gives_a_new_code_with_the_current_seat_count() -> None:
    assert LONG_CODE != CODE
    assert verify(LONG_CODE, PUBLIC, product="LO", today=date(2026, 9, 15)).quantity == 5


def test_L6_renewal_code_for_the_next_term() -> None:
    renewal = Licence(
        product="LO",
        school="100042",
        kind=LicenceKind.SEATS,
        quantity=5,
        issued_on=date(2026, 12, 1),
        valid_until=date(2027, 12, 31),
        serial=2,
    )
    code = issue_code(renewal, KEY)
    assert verify(code, PUBLIC, today=date(2027, 6, 30)) == renewal
    assert rejected(code, today=date(2028, 1, 1)).reason == "expired"


def test_package_and_per_pupil_licences_fit() -> None:
    package = Licence(
        product="MG",
        school="007",
        kind=LicenceKind.PACKAGE,
        quantity=1000,
        issued_on=date(2026, 2, 1),
        valid_until=date(2027, 1, 31),
        serial=3,
    )
    pupils = Licence(
        product="FPO",
        school="20001234",
        kind=LicenceKind.PUPILS,
        variant=3,
        quantity=210,
        issued_on=date(2026, 8, 1),
        valid_until=date(2027, 7, 31),
        serial=4,
    )
    for licence in (package, pupils):
        assert verify(issue_code(licence, KEY), PUBLIC, today=date(2026, 9, 1)) == licence
    assert pupils.variant_name == "Combi"
    assert package.school == "007"  # leading zeros survive


def test_signing_is_deterministic() -> None:
    assert issue_code(FIRST_ORDER, KEY) == CODE


# --- format -------------------------------------------------------------------------------------


def test_payload_layout_matches_the_docstring() -> None:
    payload = rv.encode_payload(REORDER)
    assert payload[0] == 1  # version
    assert payload[1:3] == bytes([0xB1, 0x06])  # "LO" = 817
    assert payload[3:6] == bytes([0x8A, 0x92, 0x43])  # int("1100042") = 1100042
    assert payload[6] == 1  # variant 0 * 8 + kind 1
    assert payload[7] == 5  # seats
    assert payload[8:10] == bytes([0x91, 0x13])  # 2026-09-15 = day 2449
    assert payload[10:12] == bytes([0xFC, 0x13])  # 2026-12-31 = day 2556
    assert payload[12:14] == bytes([0xD2, 0x09])  # serial 1234
    assert len(payload) == 14


def test_code_shape() -> None:
    for code, blocks in ((CODE, 31), (LONG_CODE, 32)):
        parts = code.split("-")
        assert len(parts) == blocks
        assert all(len(p) == 5 and set(p) <= set(rv.ALPHABET) for p in parts)
    assert len(CODE) == 185  # 13-byte payload + 64-byte signature
    assert len(LONG_CODE) == 191


def test_typed_input_is_forgiving() -> None:
    plain = CODE.replace("-", "")
    variants = [
        CODE.lower(),
        plain,
        " ".join(CODE.split("-")),
        "\n".join("-".join(CODE.split("-")[i : i + 6]) for i in range(0, 31, 6)),
        CODE.replace("-", "\u2013"),  # en dash from a word processor
        f"  {CODE}\t\n",
        CODE.replace("0", "O").replace("1", "I"),
        CODE.replace("1", "l"),
        "-".join(plain[i : i + 4] for i in range(0, len(plain), 4)),  # dashes in odd places
    ]
    for typed in variants:
        assert verify(typed, PUBLIC, today=DAY) == FIRST_ORDER, typed
        assert canonical_code(typed) == CODE


def test_U_is_refused_as_a_typo_in_its_block() -> None:
    position = 7  # in block 2
    error = rejected(CODE[:position] + "U" + CODE[position + 1 :])
    assert (error.reason, error.block) == ("typo", 2)
    assert "Block 2" in str(error) and "'U'" in str(error)
    # The first wrong block is named, whatever made it wrong; all of them are in .blocks.
    i = 1  # in block 1
    swapped = CODE[:i] + CODE[i + 1] + CODE[i] + CODE[i + 2 :]
    assert CODE[i] != CODE[i + 1]
    error = rejected(swapped[:position] + "#" + swapped[position + 1 :])
    assert (error.reason, error.block, error.blocks) == ("typo", 1, (1, 2))


def test_qr_payload_is_the_printed_code() -> None:
    assert qr_payload(CODE.lower().replace("-", " ")) == CODE
    with pytest.raises(CodeRejected):
        qr_payload(CODE[:-1] + ("0" if CODE[-1] != "0" else "1"))


# --- round trip ---------------------------------------------------------------------------------

DATES = st.dates(min_value=rv.EPOCH, max_value=date(2300, 12, 31))


@st.composite
def licences(draw: st.DrawFn) -> Licence:
    issued = draw(DATES)
    valid = issued + timedelta(days=draw(st.integers(0, 4000)))
    return Licence(
        product=draw(st.text(rv.PRODUCT_CHARS, min_size=1, max_size=4)),
        school=draw(st.text("0123456789", min_size=1, max_size=20)),
        kind=draw(st.sampled_from(LicenceKind)),
        variant=draw(st.integers(0, rv.MAX_VARIANT)),
        quantity=draw(st.integers(0, rv.MAX_NUMBER)),
        issued_on=issued,
        valid_until=valid,
        serial=draw(st.integers(0, rv.MAX_NUMBER)),
    )


@settings(max_examples=150, deadline=None)
@given(licences())
def test_L6_any_licence_round_trips(licence: Licence) -> None:
    code = issue_code(licence, KEY)
    assert verify(code, PUBLIC, product=licence.product, today=licence.issued_on) == licence
    assert verify(code.lower(), PUBLIC.public_bytes_raw(), today=licence.valid_until) == licence
    assert read_unverified(code) == licence


def test_public_key_forms() -> None:
    pem = PUBLIC.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    raw = rv.public_key_raw(PUBLIC)
    for form in (PUBLIC, pem, pem.decode(), raw, raw.hex()):
        assert verify(CODE, form, today=DAY) == FIRST_ORDER
    with pytest.raises(ValueError):
        rv.load_public_key(b"\x00" * 31)


def test_largest_licence_fits() -> None:
    largest = Licence(
        product="ZZZZ",
        school="9" * 20,
        kind=LicenceKind.PUPILS,
        variant=rv.MAX_VARIANT,
        quantity=rv.MAX_NUMBER,
        issued_on=date(9999, 12, 31),
        valid_until=date(9999, 12, 31),
        serial=rv.MAX_NUMBER,
    )
    code = issue_code(largest, KEY)
    assert len(code.split("-")) == 46 <= rv.MAX_BLOCKS
    assert verify(code, PUBLIC, today=DAY) == largest


def test_invalid_licences_are_refused() -> None:
    good = dict(
        product="LO",
        school="1",
        kind=LicenceKind.SEATS,
        quantity=1,
        issued_on=DAY,
        valid_until=DAY,
        serial=0,
    )
    for change in (
        {"product": ""},
        {"product": "LOOOO"},
        {"product": "L-O"},
        {"school": ""},
        {"school": "12a"},
        {"school": "1" * 21},
        {"kind": 0},
        {"quantity": -1},
        {"quantity": 2**63},
        {"variant": 2**60},
        {"kind": True},
        {"serial": 1.5},
        {"issued_on": date(2019, 12, 31), "valid_until": date(2019, 12, 31)},
        {"valid_until": DAY - timedelta(days=1)},
        {"issued_on": rv.datetime(2026, 5, 1)},
    ):
        with pytest.raises(ValueError):
            Licence(**{**good, **change})  # type: ignore[arg-type]
    assert Licence(**{**good, "product": "lo"}).product == "LO"  # type: ignore[arg-type]


# --- rejections ---------------------------------------------------------------------------------


def test_code_signed_by_another_key_is_a_bad_signature() -> None:
    forged = issue_code(FIRST_ORDER, OTHER_KEY)
    error = rejected(forged)
    assert error.reason == "bad_signature" and error.block is None


def test_expired_on_the_day_after_valid_until() -> None:
    assert verify(CODE, PUBLIC, today=FIRST_ORDER.valid_until) == FIRST_ORDER
    error = rejected(CODE, today=date(2027, 1, 1))
    assert error.reason == "expired"
    assert error.licence == FIRST_ORDER
    assert "2026-12-31" in str(error)


def test_expiry_defaults_to_the_computers_date() -> None:
    yesterday = date.today() - timedelta(days=1)
    old = dataclasses.replace(FIRST_ORDER, issued_on=rv.EPOCH, valid_until=yesterday)
    with pytest.raises(CodeRejected) as info:
        verify(issue_code(old, KEY), PUBLIC)
    assert info.value.reason == "expired"
    current = dataclasses.replace(old, valid_until=date.today())
    assert verify(issue_code(current, KEY), PUBLIC) == current


def test_wrong_product() -> None:
    error = rejected(CODE, product="MG")
    assert error.reason == "wrong_product"
    assert error.licence == FIRST_ORDER
    assert verify(CODE, PUBLIC, product="lo", today=DAY) == FIRST_ORDER


def test_bad_signature_comes_before_product_and_expiry() -> None:
    forged = issue_code(FIRST_ORDER, OTHER_KEY)
    assert rejected(forged, product="MG", today=date(2030, 1, 1)).reason == "bad_signature"


def test_unsupported_version() -> None:
    payload, signature = rv.split_signed(CODE)
    future = rv.render_code(bytes([2]) + payload[1:] + signature)
    error = rejected(future)
    assert error.reason == "unsupported_version"
    assert "version 2" in str(error)


def test_malformed_layouts() -> None:
    payload, signature = rv.split_signed(CODE)
    cases = {
        "": "No registration code",
        " - -- ": "No registration code",
        CODE + "-" + CODE.split("-")[0]: None,  # a spare block repeats block 1: typo (index)
        # A whole valid extra block after the end:
        rv.render_code(payload + signature + bytes(3)): "too long",
        # Payload cut inside a number:
        rv.render_code(b"\x01\xb1"): "ends too early",
        # Overlong varint for the product:
        rv.render_code(b"\x01\x80\x00" + bytes(80)): "not readable",
        # Licence kind 0:
        rv.render_code(b"\x01\x01\x0b\x00" + bytes(80)): "not readable",
    }
    for code, text in cases.items():
        error = rejected(code)
        if text is None:
            assert error.reason == "typo" and error.block == 32
        else:
            assert error.reason == "malformed", code
            assert text in str(error), str(error)
    assert "too long" in str(rejected(CODE * 2000))
    with pytest.raises(CodeRejected) as info:
        verify(None, PUBLIC)  # type: ignore[arg-type]
    assert info.value.reason == "malformed"


def test_nonzero_padding_is_refused() -> None:
    # CODE has 77 bytes = 616 bits in 124 symbols (620 bits): 4 padding bits in the last symbol.
    symbols = [rv.ALPHABET.index(c) for c in CODE.replace("-", "")]
    data_symbols = [s for i, s in enumerate(symbols) if i % 5 != 4]
    data_symbols[-1] |= 1
    blocks = rv._blocks_of(data_symbols)
    error = rejected("-".join(blocks))
    assert error.reason == "malformed"


# --- tampering ----------------------------------------------------------------------------------


def code_positions(code: str) -> list[int]:
    """Indexes of the code characters (not dashes) in a printed code."""
    return [i for i, ch in enumerate(code) if ch != "-"]


@pytest.mark.parametrize("code", [CODE, LONG_CODE], ids=["31-blocks", "32-blocks"])
def test_every_single_character_change_names_its_block(code: str) -> None:
    for n, i in enumerate(code_positions(code)):
        block = n // 5 + 1
        for ch in rv.ALPHABET + "U":
            if ch == code[i]:
                continue
            error = rejected(code[:i] + ch + code[i + 1 :])
            assert (error.reason, error.block, error.blocks) == ("typo", block, (block,)), (i, ch)
            assert f"Block {block} " in str(error)


@pytest.mark.parametrize("code", [CODE, LONG_CODE], ids=["31-blocks", "32-blocks"])
def test_every_swap_of_neighbours_names_its_block(code: str) -> None:
    positions = code_positions(code)
    for n, (i, j) in enumerate(itertools.pairwise(positions)):
        if code[i] == code[j]:
            continue
        swapped = list(code)
        swapped[i], swapped[j] = code[j], code[i]
        error = rejected("".join(swapped))
        block = n // 5 + 1
        expected = (block, block + 1) if n % 5 == 4 else (block,)  # across a dash: both fail
        assert (error.reason, error.block, error.blocks) == ("typo", block, expected), n


def test_swapping_a_character_with_a_dash_changes_nothing() -> None:
    for i, ch in enumerate(CODE):
        if ch == "-":
            moved = CODE[: i - 1] + "-" + CODE[i - 1] + CODE[i + 1 :]
            assert verify(moved, PUBLIC, today=DAY) == FIRST_ORDER


@pytest.mark.parametrize("code", [CODE, LONG_CODE], ids=["31-blocks", "32-blocks"])
def test_every_truncation_is_refused(code: str) -> None:
    for end in range(len(code)):
        error = rejected(code[:end])
        assert error.reason == "malformed", end
        assert "incomplete" in str(error) or "No registration code" in str(error)
    for start in range(1, len(code)):
        assert rejected(code[start:]).reason in {"typo", "malformed"}, start


def test_a_dropped_or_repeated_block_is_caught_by_the_block_index() -> None:
    blocks = CODE.split("-")
    for k in range(len(blocks)):
        dropped = "-".join(blocks[:k] + blocks[k + 1 :])
        if k < len(blocks) - 1:
            assert (rejected(dropped).reason, rejected(dropped).block) == ("typo", k + 1)
        else:  # the last block gone: every block left is right, but the code is too short
            assert "incomplete" in str(rejected(dropped))
        if k:
            doubled = "-".join(blocks[: k + 1] + blocks[k:])
            assert (rejected(doubled).reason, rejected(doubled).block) == ("typo", k + 2)


@pytest.mark.slow  # a random sweep; the fixed malformed codes above stay fast
def test_ten_thousand_random_strings_only_raise_code_rejected() -> None:
    rng = random.Random(20261122)
    printable = string.printable + "äöüÜÉ€\u2013\u00a0"
    seen: set[str] = set()
    for n in range(10_000):
        kind = n % 4
        if kind == 0:  # any text
            text = "".join(rng.choice(printable) for _ in range(rng.randrange(0, 220)))
        elif kind == 1:  # code-like characters
            text = "".join(rng.choice(rv.ALPHABET + "-") for _ in range(rng.randrange(0, 220)))
        elif kind == 2:  # blocks with right check characters around random bytes
            text = rv.render_code(rng.randbytes(rng.randrange(0, 100)))
        else:  # a right-looking version-1 payload with random numbers and signature
            text = rv.render_code(b"\x01" + rng.randbytes(rng.randrange(8, 90)))
        try:
            verify(text, PUBLIC, today=DAY)
        except CodeRejected as error:
            assert error.reason in rv.REASONS
            seen.add(error.reason)
        else:  # pragma: no cover - would need a forged Ed25519 signature
            pytest.fail(f"accepted {text!r}")
    assert seen >= {"malformed", "typo", "bad_signature", "unsupported_version"}


@pytest.mark.slow  # random sweep; every change of the real codes is fast
def test_random_codes_every_neighbour_swap_and_change_is_a_typo() -> None:
    """Random block sequences of every length: no single change or swap slips through."""
    rng = random.Random(5)
    for _ in range(20):
        code = rv.render_code(rng.randbytes(rng.randrange(1, 100)))
        plain = code.replace("-", "")
        for n in range(len(plain)):
            block = n // 5 + 1
            for ch in rng.sample(rv.ALPHABET, 6):
                if ch != plain[n]:
                    with pytest.raises(CodeRejected) as info:
                        rv.read_unverified(plain[:n] + ch + plain[n + 1 :])
                    assert (info.value.reason, info.value.block) == ("typo", block)
            if n + 1 < len(plain) and plain[n] != plain[n + 1]:
                swapped = plain[:n] + plain[n + 1] + plain[n] + plain[n + 2 :]
                with pytest.raises(CodeRejected) as info:
                    rv.read_unverified(swapped)
                assert (info.value.reason, info.value.block) == ("typo", block)


# --- the check character, proved by brute force -------------------------------------------------


def test_gf32_arithmetic_is_a_field() -> None:
    mul = rv._gf_mul
    elements = range(32)
    table = [[mul(a, b) for b in elements] for a in elements]
    for a in elements:
        assert table[a][1] == a and table[a][0] == 0
        if a:
            assert sorted(table[a]) == list(elements)  # no zero divisors, inverses exist
        for b in elements:
            assert table[a][b] == table[b][a]
            for c in elements:
                assert table[table[a][b]][c] == table[a][table[b][c]]
                assert table[a][b ^ c] == table[a][b] ^ table[a][c]


def check_table(index: int) -> bytes:
    """check_value(index, d) for every data block d, indexed by d0<<15 | d1<<10 | d2<<5 | d3."""
    v = rv.check_value
    return bytes(
        v(index, (a, b, c, d))
        for a in range(32)
        for b in range(32)
        for c in range(32)
        for d in range(32)
    )


STRIDES = (32**3, 32**2, 32, 1)  # of data positions 0..3 in check_table


def bases(*positions: int) -> list[int]:
    """Table offsets with the digits at ``positions`` zero, the others running through 0..31."""
    free = [STRIDES[p] for p in range(4) if p not in positions]
    offsets = [0]
    for stride in free:
        offsets = [o + stride * v for o in offsets for v in range(32)]
    return offsets


IDENTITY = int.from_bytes(bytes(range(32)), "big")
ZERO = bytes([1] + [0] * 255)  # bytes.translate table: 1 for a zero byte, else 0


@pytest.mark.slow  # exhaustive, 32^4 blocks each; every change of the real codes stays fast
@pytest.mark.parametrize("index", [0, 31])
def test_block_check_catches_every_substitution_and_transposition(index: int) -> None:
    """Exhaustive over all 32^4 data blocks for one block index.

    Symbol positions 0-3 are data, position 4 the check symbol. A block is valid iff its check
    symbol is table[data]; an error slips through iff it turns a valid block into another one.
    """
    table = check_table(index)
    # A change of the check symbol alone is always caught: table is a function of the data.
    # A change of data symbol p: for fixed other symbols the 32 check values must all differ.
    for p in range(4):
        s = STRIDES[p]
        for base in bases(p):
            assert len(set(table[base : base + 32 * s : s])) == 32, (p, base)
    # Swapping data symbols p < q with values a != b: table[.. a .. b ..] != table[.. b .. a ..].
    # With M[a][b] the check for values a, b at p, q: M and its transpose agree only on the
    # diagonal (32 of 1024 places).
    for p in range(4):
        for q in range(p + 1, 4):
            sp, sq = STRIDES[p], STRIDES[q]
            for base in bases(p, q):
                rows = b"".join(
                    table[base + a * sp : base + a * sp + 32 * sq : sq] for a in range(32)
                )
                cols = b"".join(
                    table[base + b * sq : base + b * sq + 32 * sp : sp] for b in range(32)
                )
                diff = int.from_bytes(rows, "big") ^ int.from_bytes(cols, "big")
                assert diff.to_bytes(1024, "big").count(0) == 32, (p, q, base)
    # Swapping data symbol p with the check symbol: the block (.., x, .., f(x)) becomes
    # (.., f(x), .., x), valid iff f(f(x)) == x; that must happen only when f(x) == x.
    pad = bytes(224)
    for p in range(4):
        s = STRIDES[p]
        for base in bases(p):
            f = table[base : base + 32 * s : s]
            ff = f.translate(f + pad)
            # byte x of fixed(g) is 1 where g(x) == x
            fixed_f = (int.from_bytes(f, "big") ^ IDENTITY).to_bytes(32, "big").translate(ZERO)
            fixed_ff = (int.from_bytes(ff, "big") ^ IDENTITY).to_bytes(32, "big").translate(ZERO)
            assert fixed_ff == fixed_f, (p, base)


def test_block_index_enters_every_check() -> None:
    """The check of block i is the check of block 0 plus i (mod 32): blocks cannot move."""
    rng = random.Random(1)
    for _ in range(3000):
        data = [rng.randrange(32) for _ in range(4)]
        index = rng.randrange(200)
        assert rv.check_value(index, data) == rv.check_value(0, data) ^ (index % 32)
    for index in range(1, 32):  # so the exhaustive proof for block 0 holds for every block
        for data in ([0, 0, 0, 0], [31, 7, 1, 19]):
            assert rv.check_value(index, data) != rv.check_value(index - 1, data)


@given(st.binary(max_size=200))
def test_render_code_by_halves_writes_each_block_as_the_format_defines_it(data):
    assert rv.render_code(data) == "-".join(rv._blocks_of(rv._symbols_of(data)))
