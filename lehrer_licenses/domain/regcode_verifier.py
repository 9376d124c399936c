"""Registration codes: the format and their offline check with the vendor's public key.

This one file is all a licensed program needs. It imports only the Python standard library and
``cryptography`` (for Ed25519), never anything from lehrer_licenses, so a vendor can copy it into
the program it licenses. In a licensed program::

    from regcode_verifier import CodeRejected, verify
    try:
        licence = verify(typed_code, PUBLIC_KEY_PEM, product="LO")  # or the raw 32 key bytes
    except CodeRejected as err:
        show_error(str(err), err.reason, err.block)  # err.block: 1-based block to retype
    else:
        allow(licence.school, licence.quantity, licence.valid_until)

A code is a versioned binary payload followed by its 64-byte Ed25519 signature, written in
Crockford base 32 in dash-separated blocks of five characters, each with its own check character.

Binary payload, format version 1
--------------------------------
All integers after byte 0 are unsigned LEB128 varints (7 bits a byte, least significant group
first, high bit set on every byte but the last; an overlong encoding with a trailing zero byte is
refused), so small values take one byte::

    byte 0        version      0x01
    varint        product      the product code, 1 to 4 characters of 0-9 A-Z, read as a
                               bijective base-36 number: each character counts its index in
                               "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" plus one, so "LO" is
                               22 * 36 + 25 = 817 (two bytes: 0xB1 0x06)
    varint        school       the school number, a string of digits, as int("1" + digits) so
                               leading zeros survive: "100042" -> 1100042 (three bytes)
    varint        kind/variant variant * 8 + kind; kind 1 = per-teacher seats, 2 = user package,
                               3 = per-pupil plan; variant is a plan variant number (0 = none; see
                               PUPIL_PLAN_VARIANTS)
    varint        quantity     seats (kind 1), package capacity (kind 2), pupils (kind 3)
    varint        issued_on    days since 2020-01-01
    varint        valid_until  days since 2020-01-01 (the last day on which the code is valid)
    varint        serial       the issuer's number for this code (a newer code has a higher one)
    64 bytes      signature    Ed25519 over SIGNING_CONTEXT + all payload bytes above

A typical per-seat code (product "LO", school "100042", 5 seats, serial below 128) has a 13-byte
payload: 77 bytes in all.

Text form
---------
The bytes are read as one big-endian bit string, cut into 5-bit symbols and padded with zero bits
to a multiple of four symbols. Each group of four data symbols gets a fifth, check symbol; each
group of five is a block, and blocks are joined by "-". Symbols are written in Crockford's
alphabet "0123456789ABCDEFGHJKMNPQRSTVWXYZ". 77 bytes give 31 blocks: 155 characters plus 30
dashes. The encoding is canonical: padding bits must be zero and there must be no spare block.

Typed input is forgiving: upper or lower case, spaces, line breaks and any kind of dash are
ignored, and Crockford's aliases are read as what they stand for (O -> 0, I and L -> 1). U, and any
other character, is refused as a typing error in the block where it stands.

Check symbol
------------
Symbols are elements of the field GF(32) = GF(2)[x] / (x^5 + x^2 + 1), where addition is XOR. For
block i (0-based) with data symbols d0 d1 d2 d3 the check symbol is::

    c = (i mod 32)  +  x^4*d0 + x^3*d1 + x^2*d2 + x*d3

that is, a block s0..s4 is right when x^4*s0 + x^3*s1 + x^2*s2 + x*s3 + 1*s4 = i mod 32. Since a
field has no zero divisors and the five weights x^4, x^3, x^2, x, 1 are distinct and non-zero:

* changing one symbol at position p by e != 0 changes the left side by weight_p * e != 0;
* swapping the symbols a != b at positions p and q changes it by (weight_p + weight_q) * (a + b),
  a product of two non-zero elements, so ANY transposition inside a block is caught;
* swapping the two neighbours on either side of a dash changes the check symbol of block k and the
  first data symbol of block k + 1: both blocks fail, and block k is the one reported first;
* a block moved to another place (a block dropped or doubled) fails through the index term.

So every single-character typo and every swap of neighbours is reported as ``typo`` with the block
to retype, before the signature is looked at. The tests prove it by brute force as well.

Checks in order: characters and block checks (``typo``), the layout and length (``malformed``),
the version byte (``unsupported_version``), the signature (``bad_signature``), then the product
(``wrong_product``) and the date (``expired``). For the last two the signature was good, and the
licence read from the code is on the exception as ``err.licence``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = [
    "ALPHABET",
    "EPOCH",
    "FORMAT_VERSION",
    "PUPIL_PLAN_VARIANTS",
    "REASONS",
    "SIGNATURE_SIZE",
    "SIGNING_CONTEXT",
    "CodeRejected",
    "Licence",
    "LicenceKind",
    "canonical_code",
    "check_value",
    "encode_payload",
    "load_public_key",
    "public_key_from_pem",
    "public_key_from_raw",
    "public_key_raw",
    "read_unverified",
    "render_code",
    "signed_message",
    "split_signed",
    "verify",
]

FORMAT_VERSION = 1
EPOCH = date(2020, 1, 1)
SIGNATURE_SIZE = 64
SIGNING_CONTEXT = b"lehrer-licenses registration code\x00"

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BLOCK_DATA = 4  # data symbols in a block
BLOCK_SIZE = BLOCK_DATA + 1  # plus the check symbol
PRODUCT_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_PRODUCT_LENGTH = 4
MAX_SCHOOL_DIGITS = 20
_MAX_VARINT_BYTES = 10  # 70 bits: far more than any field needs, little enough to refuse junk
MAX_NUMBER = 2**63 - 1  # largest quantity or serial
MAX_VARIANT = 2**60 - 1  # largest variant (variant * 8 + kind stays below 2**63)
MAX_BLOCKS = 60  # more than the longest version-1 code (46 blocks)
_MAX_DAYS = (date.max - EPOCH).days

REASONS = (
    "malformed",
    "typo",
    "bad_signature",
    "expired",
    "wrong_product",
    "unsupported_version",
)


class LicenceKind(enum.IntEnum):
    """What ``Licence.quantity`` counts."""

    SEATS = 1  # per-teacher seats (LehrerOffice-style): quantity = seats
    PACKAGE = 2  # user package (Mathegym-style): quantity = users allowed at the same time
    PUPILS = 3  # per-pupil plan (Focus PO-style): quantity = pupils, variant = plan variant


#: Plan variant numbers for ``LicenceKind.PUPILS`` (0 = no variant). New ones go at the end.
PUPIL_PLAN_VARIANTS: dict[int, str] = {1: "1-2", 2: "3-8 basis", 3: "Combi", 4: "1-8 full"}


class CodeRejected(ValueError):
    """A registration code is not accepted.

    ``reason`` is one of REASONS (machine-readable); ``block`` is the 1-based block to look at
    (for ``typo``, and for an incomplete last block), ``blocks`` every block that failed its
    check, and ``licence`` the licence read from a correctly signed code that is expired or for
    another product (else None). ``str(err)`` is an English sentence for the user.
    """

    def __init__(
        self,
        reason: str,
        block: int | None = None,
        *,
        message: str | None = None,
        blocks: Sequence[int] = (),
        licence: Licence | None = None,
    ) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        self.reason = reason
        self.block = block
        self.blocks: tuple[int, ...] = tuple(blocks) or ((block,) if block is not None else ())
        self.licence = licence
        super().__init__(message or _DEFAULT_MESSAGES[reason])


_DEFAULT_MESSAGES = {
    "malformed": "This is not a registration code.",
    "typo": "The registration code contains a typing error.",
    "bad_signature": "The registration code was not issued by this vendor's key.",
    "expired": "The registration code has expired.",
    "wrong_product": "The registration code is for another product.",
    "unsupported_version": "The registration code has a format this program does not know.",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Licence:
    """What a registration code says. Construct with keywords; invalid values raise ValueError."""

    product: str  # 1-4 characters of 0-9 A-Z, e.g. "LO" (lower case is made upper case)
    school: str  # the school number, digits only, e.g. "100042"
    kind: LicenceKind
    quantity: int  # seats, package capacity or pupils, depending on kind
    valid_until: date  # the last day the code is valid
    issued_on: date
    serial: int
    variant: int = 0  # plan variant (PUPIL_PLAN_VARIANTS for per-pupil plans), 0 = none
    version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        product = self.product.upper() if isinstance(self.product, str) else self.product
        if (
            not isinstance(product, str)
            or not 1 <= len(product) <= MAX_PRODUCT_LENGTH
            or any(ch not in PRODUCT_CHARS for ch in product)
        ):
            raise ValueError(f"product must be 1-4 characters of 0-9 A-Z, not {self.product!r}")
        object.__setattr__(self, "product", product)
        if (
            not isinstance(self.school, str)
            or not 1 <= len(self.school) <= MAX_SCHOOL_DIGITS
            or not all("0" <= ch <= "9" for ch in self.school)
        ):
            raise ValueError(f"school must be 1-20 digits, not {self.school!r}")
        if isinstance(self.kind, bool):
            raise ValueError("kind must be a LicenceKind")
        object.__setattr__(self, "kind", LicenceKind(self.kind))
        for name, top in (
            ("quantity", MAX_NUMBER),
            ("serial", MAX_NUMBER),
            ("variant", MAX_VARIANT),
            ("version", 255),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
                raise ValueError(f"{name} must be a whole number from 0 to {top}, not {value!r}")
        for name in ("valid_until", "issued_on"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise ValueError(f"{name} must be a date, not {value!r}")
            if value < EPOCH:
                raise ValueError(f"{name} must not be before {EPOCH.isoformat()}")
        if self.valid_until < self.issued_on:
            raise ValueError("valid_until must not be before issued_on")

    def is_valid_on(self, day: date) -> bool:
        return day <= self.valid_until

    @property
    def variant_name(self) -> str | None:
        if self.kind is LicenceKind.PUPILS:
            return PUPIL_PLAN_VARIANTS.get(self.variant)
        return None


# --- keys -----------------------------------------------------------------------------------


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise ValueError(f"a raw Ed25519 public key has 32 bytes, not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(bytes(raw))


def public_key_from_pem(pem: bytes | str) -> Ed25519PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the PEM text holds a public key, but not an Ed25519 one")
    return key


def load_public_key(key: bytes | str | Ed25519PublicKey) -> Ed25519PublicKey:
    """A public key from PEM text (str or bytes), raw 32 bytes, or 64 hex digits."""
    if isinstance(key, Ed25519PublicKey):
        return key
    if isinstance(key, str):
        text = key.strip()
        if re.fullmatch(r"[0-9a-fA-F]{64}", text):
            return public_key_from_raw(bytes.fromhex(text))
        return public_key_from_pem(text)
    if isinstance(key, bytes | bytearray | memoryview):
        data = bytes(key)
        if len(data) == 32:
            return public_key_from_raw(data)
        if data.lstrip().startswith(b"-----BEGIN"):
            return public_key_from_pem(data)
        raise ValueError("a public key must be PEM text or 32 raw bytes")
    raise TypeError(f"cannot read a public key from {type(key).__name__}")


def public_key_raw(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key (``.hex()`` of them embeds well in source code)."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- binary payload -------------------------------------------------------------------------


def _put_varint(out: bytearray, value: int) -> None:
    if value < 0:
        raise ValueError("varints are unsigned")
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return


class _Short(Exception):
    """The bytes ended inside the payload."""


class _Bad(Exception):
    """The payload breaks the layout."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise _Short
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        result = 0
        for i in range(_MAX_VARINT_BYTES):
            byte = self.byte()
            result |= (byte & 0x7F) << (7 * i)
            if not byte & 0x80:
                if byte == 0 and i > 0:
                    raise _Bad("overlong number")
                return result
        raise _Bad("number too long")


def _product_number(product: str) -> int:
    number = 0
    for ch in product:
        number = number * 36 + PRODUCT_CHARS.index(ch) + 1
    return number


def _product_text(number: int) -> str:
    chars: list[str] = []
    while number:
        number, rest = divmod(number - 1, 36)
        chars.append(PRODUCT_CHARS[rest])
    return "".join(reversed(chars))


def _days(day: date) -> int:
    return (day - EPOCH).days


def encode_payload(licence: Licence) -> bytes:
    """The payload bytes of format version 1 (what the signature covers, without the context)."""
    if licence.version != FORMAT_VERSION:
        raise ValueError(f"only format version {FORMAT_VERSION} can be written")
    out = bytearray([FORMAT_VERSION])
    _put_varint(out, _product_number(licence.product))
    _put_varint(out, int("1" + licence.school))
    _put_varint(out, licence.variant * 8 + int(licence.kind))
    _put_varint(out, licence.quantity)
    _put_varint(out, _days(licence.issued_on))
    _put_varint(out, _days(licence.valid_until))
    _put_varint(out, licence.serial)
    return bytes(out)


def _decode_payload(data: bytes) -> tuple[Licence, int]:
    """The licence and the payload length, from bytes that start with a version-1 payload."""
    reader = _Reader(data)
    version = reader.byte()
    if version != FORMAT_VERSION:
        raise CodeRejected(
            "unsupported_version",
            message=(
                f"The registration code has format version {version}; this program reads "
                f"version {FORMAT_VERSION}. An update of the program may be needed."
            ),
        )
    product = _product_text(reader.varint())
    if not 1 <= len(product) <= MAX_PRODUCT_LENGTH:
        raise _Bad("product code")
    school = str(reader.varint())
    if len(school) < 2 or school[0] != "1" or len(school) > MAX_SCHOOL_DIGITS + 1:
        raise _Bad("school number")
    kind_variant = reader.varint()
    try:
        kind = LicenceKind(kind_variant & 7)
    except ValueError:
        raise _Bad("licence kind") from None
    quantity = reader.varint()
    issued_days = reader.varint()
    valid_days = reader.varint()
    serial = reader.varint()
    if issued_days > _MAX_DAYS or valid_days > _MAX_DAYS:
        raise _Bad("date")
    try:
        licence = Licence(
            product=product,
            school=school[1:],
            kind=kind,
            variant=kind_variant >> 3,
            quantity=quantity,
            issued_on=EPOCH + timedelta(days=issued_days),
            valid_until=EPOCH + timedelta(days=valid_days),
            serial=serial,
        )
    except ValueError as exc:
        raise _Bad(str(exc)) from None
    return licence, reader.pos


def signed_message(payload: bytes) -> bytes:
    """What the Ed25519 signature is computed over."""
    return SIGNING_CONTEXT + payload


# --- text form ------------------------------------------------------------------------------

# GF(32) with x^5 + x^2 + 1; _MUL[p][v] = weight_p * v for the data positions p = 0..3, whose
# weights are x^4, x^3, x^2 and x (the check symbol's weight is 1).
_POLY = 0b100101


def _gf_mul(a: int, b: int) -> int:
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _POLY
    return result


_WEIGHTS = (0b10000, 0b01000, 0b00100, 0b00010)
_MUL = tuple(tuple(_gf_mul(w, v) for v in range(32)) for w in _WEIGHTS)


def check_value(index: int, data: Sequence[int]) -> int:
    """The check symbol (0-31) of the block at 0-based ``index`` with four data symbols (0-31)."""
    m0, m1, m2, m3 = _MUL
    d0, d1, d2, d3 = data
    return (index & 31) ^ m0[d0] ^ m1[d1] ^ m2[d2] ^ m3[d3]


def _symbols_of(data: bytes) -> list[int]:
    bits = 8 * len(data)
    count = -(-bits // 5)
    count = -(-count // BLOCK_DATA) * BLOCK_DATA
    number = int.from_bytes(data, "big") << (5 * count - bits)
    return [(number >> (5 * (count - 1 - i))) & 31 for i in range(count)]


def _blocks_of(symbols: Sequence[int]) -> list[str]:
    """The blocks of data symbols (0-31, four to a block), each with its check symbol."""
    blocks = []
    for index in range(len(symbols) // BLOCK_DATA):
        data = symbols[BLOCK_DATA * index : BLOCK_DATA * (index + 1)]
        blocks.append("".join(ALPHABET[v] for v in data) + ALPHABET[check_value(index, data)])
    return blocks


# A block's four data symbols are 20 bits: two halves of 10 bits, each two characters and its
# share of the check symbol (the year-end renders 15,000 codes; this is four times faster than
# symbol by symbol).
_HALF_TEXT = tuple(ALPHABET[v >> 5] + ALPHABET[v & 31] for v in range(1024))
_HALF_CHECK = (
    tuple(_MUL[0][v >> 5] ^ _MUL[1][v & 31] for v in range(1024)),
    tuple(_MUL[2][v >> 5] ^ _MUL[3][v & 31] for v in range(1024)),
)


def render_code(data: bytes) -> str:
    """The text form of payload + signature bytes: blocks of five, joined by dashes (as
    ``_blocks_of(_symbols_of(data))``, a block at a time)."""
    bits = 8 * len(data)
    blocks = -(-bits // (5 * BLOCK_DATA))
    number = int.from_bytes(data, "big") << (5 * BLOCK_DATA * blocks - bits)
    text, first, second = _HALF_TEXT, _HALF_CHECK[0], _HALF_CHECK[1]
    out = []
    for index in range(blocks):
        chunk = number >> (20 * (blocks - 1 - index))
        high, low = (chunk >> 10) & 1023, chunk & 1023
        check = (index & 31) ^ first[high] ^ second[low]
        out.append(text[high] + text[low] + ALPHABET[check])
    return "-".join(out)


_VALUES: dict[str, int] = {}
for _i, _ch in enumerate(ALPHABET):
    _VALUES[_ch] = _VALUES[_ch.lower()] = _i
for _alias, _ch in (("O", "0"), ("I", "1"), ("L", "1")):
    _VALUES[_alias] = _VALUES[_alias.lower()] = _VALUES[_ch]
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad")


def _plural_blocks(blocks: Sequence[int]) -> str:
    if len(blocks) == 1:
        return f"Block {blocks[0]}"
    return "Blocks " + ", ".join(str(b) for b in blocks[:-1]) + f" and {blocks[-1]}"


def _checked_symbols(code: str) -> list[int]:
    """The data symbols of a typed code, with every block checked; raises CodeRejected."""
    if not isinstance(code, str):
        raise CodeRejected("malformed", message="A registration code must be text.")
    chars = [ch for ch in code if not ch.isspace() and ch not in _DASHES]
    if not chars:
        raise CodeRejected("malformed", message="No registration code was given.")
    if len(chars) > MAX_BLOCKS * BLOCK_SIZE:
        raise CodeRejected("malformed", message="The text is too long to be a registration code.")
    full, rest = divmod(len(chars), BLOCK_SIZE)
    bad: list[int] = []
    strange: dict[int, str] = {}  # block -> first character that is not in the alphabet
    data: list[int] = []
    for index in range(full + (1 if rest else 0)):
        block = chars[BLOCK_SIZE * index : BLOCK_SIZE * (index + 1)]
        unknown = [ch for ch in block if ch not in _VALUES]
        if unknown:
            bad.append(index + 1)
            strange[index + 1] = unknown[0]
            continue
        values = [_VALUES[ch] for ch in block]
        if len(values) == BLOCK_SIZE:
            if check_value(index, values[:BLOCK_DATA]) != values[BLOCK_DATA]:
                bad.append(index + 1)
            data.extend(values[:BLOCK_DATA])
    if bad:
        first = bad[0]
        if first in strange:
            ch = strange[first]
            shown = ch if ch.isprintable() else repr(ch)
            text = (
                f"Block {first} contains '{shown}', which never appears in a registration code: "
                "please compare it"
            )
        elif len(bad) == 1:
            text = f"Block {first} does not match its check character: please compare it"
        else:
            text = f"{_plural_blocks(bad)} do not match their check characters: please compare them"
        raise CodeRejected("typo", first, blocks=bad, message=f"{text} with the printed code.")
    if rest:
        block = full + 1
        raise CodeRejected(
            "malformed",
            block,
            message=(
                f"The registration code is incomplete: block {block} has {rest} of "
                f"{BLOCK_SIZE} characters."
            ),
        )
    return data


def split_signed(code: str) -> tuple[bytes, bytes]:
    """(payload, signature) of a typed code whose blocks and layout are right; else CodeRejected.

    Nothing is verified against a key here.
    """
    payload, signature, _licence = _read(code)
    return payload, signature


def _read(code: str) -> tuple[bytes, bytes, Licence]:
    symbols = _checked_symbols(code)
    bits = 5 * len(symbols)
    number = 0
    for value in symbols:
        number = (number << 5) | value
    data = (number >> (bits % 8)).to_bytes(bits // 8, "big")
    try:
        licence, length = _decode_payload(data)
    except _Short:
        raise CodeRejected(
            "malformed", message="The registration code is incomplete: it ends too early."
        ) from None
    except _Bad as exc:
        raise CodeRejected(
            "malformed", message=f"This is not a registration code ({exc} not readable)."
        ) from None
    end = length + SIGNATURE_SIZE
    if end > len(data):
        missing = len(_symbols_of(bytes(end))) // BLOCK_DATA - len(symbols) // BLOCK_DATA
        raise CodeRejected(
            "malformed",
            message=(
                "The registration code is incomplete: it ends too early "
                f"({missing} block{'s' if missing != 1 else ''} missing)."
            ),
        )
    if _symbols_of(data[:end]) != symbols:
        raise CodeRejected(
            "malformed",
            message="The registration code is too long: there is more after its end.",
        )
    return data[:length], data[length:end], licence


def canonical_code(code: str) -> str:
    """A typed code in its printed form (upper case, dashes); CodeRejected if it is mistyped."""
    payload, signature, _licence = _read(code)
    return render_code(payload + signature)


def read_unverified(code: str) -> Licence:
    """The licence a code claims, WITHOUT checking the signature: for display only, never trust.

    Raises CodeRejected for typing errors and bad layout, like verify().
    """
    return _read(code)[2]


def verify(
    code: str,
    public_key: bytes | str | Ed25519PublicKey,
    *,
    product: str | None = None,
    today: date | None = None,
) -> Licence:
    """The licence in ``code`` if the code is intact, signed by ``public_key`` and current.

    ``public_key``: an Ed25519PublicKey, PEM text (str or bytes), raw 32 bytes or 64 hex digits.
    ``product``: when given, the code must be for this product. ``today``: the day to check
    ``valid_until`` against (default: the computer's date); the code is valid up to and
    including ``valid_until``. Raises CodeRejected (see REASONS) and nothing else for any code;
    a public key that cannot be read raises ValueError or TypeError.
    """
    key = load_public_key(public_key)
    payload, signature, licence = _read(code)
    try:
        key.verify(signature, signed_message(payload))
    except InvalidSignature:
        raise CodeRejected("bad_signature") from None
    if product is not None and licence.product != product.upper():
        raise CodeRejected(
            "wrong_product",
            message=(f"The registration code is for product {licence.product}, not for {product}."),
            licence=licence,
        )
    day = date.today() if today is None else today
    if not licence.is_valid_on(day):
        raise CodeRejected(
            "expired",
            message=(
                f"The registration code was valid until {licence.valid_until.isoformat()}; "
                "a newer code is needed."
            ),
            licence=licence,
        )
    return licence
