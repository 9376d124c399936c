"""Sample documents: for layout previews (settings), the tests and the benchmark.

The bank data are the public examples of SIX (QR-IBAN, QR reference) and of the ECBS/ISO
standards (IBANs, creditor reference); they validate but belong to nobody.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from lehrer_licenses.documents.model import Address, DocumentLine, InvoiceDocument, Vendor
from lehrer_licenses.domain.money import round_half_up

SAMPLE_QR_IBAN = "CH44 3199 9123 0008 8901 2"
SAMPLE_QR_REFERENCE = "210000000003139471430009017"
SAMPLE_CH_IBAN = "CH93 0076 2011 6238 5295 7"
SAMPLE_CREDITOR_REFERENCE = "RF18539007547034"
SAMPLE_EUR_IBAN = "DE89 3704 0044 0532 0130 00"

SWISS_VENDOR = Vendor(
    name="Lehrer Lizenzen AG",
    address=Address(
        name="Lehrer Lizenzen AG",
        street="Bahnhofstrasse",
        house_number="12",
        postcode="8001",
        city="Zürich",
        country="CH",
    ),
    vat_id="CHE-123.456.788 MWST",
    iban=SAMPLE_CH_IBAN,
    qr_iban=SAMPLE_QR_IBAN,
    email="rechnungen@lehrer-lizenzen.example",
    phone="+41 44 123 45 67",
    website="www.lehrer-lizenzen.example",
    footer="Handelsregister des Kantons Zürich, CHE-123.456.788",
    payment_terms_days=30,
)

EURO_VENDOR = Vendor(
    name="Lernplattform Süd GmbH",
    address=Address(
        name="Lernplattform Süd GmbH",
        street="Leopoldstraße",
        house_number="8a",
        postcode="80802",
        city="München",
        country="DE",
    ),
    vat_id="DE136695976",
    iban=SAMPLE_EUR_IBAN,
    bic="COBADEFFXXX",
    email="buchhaltung@lernplattform.example",
    phone="+49 89 1234 567",
    website="lernplattform.example",
    footer="Amtsgericht München HRB 123456 · Geschäftsführerin: Dr. Anna Ørsted",
    payment_terms_days=14,
)

SWISS_SCHOOL = Address(
    name="Primarschule Łukasz Żółć",
    lines=("Schulverwaltung", "z. H. Françoise Dvořák"),
    street="Schulhausstrasse",
    house_number="5",
    postcode="3011",
    city="Bern",
    country="CH",
)

DUTCH_SCHOOL = Address(
    name="Basisschool De Ørsted",
    lines=("Administratie",),
    street="Keizersgracht",
    house_number="123",
    postcode="1015 CJ",
    city="Amsterdam",
    country="NL",
)

SAMPLE_LINES = (
    ("Base licence LehrerOffice, per teacher (one-time)", "3", "111.45"),
    ("Update subscription 2026, per teacher, 1 January to 31 December", "3", "44.55"),
    ("DB hosting 2025, billed from monthly counts: 132 user-months × CHF 3.5125", "132", "3.5125"),
)


def make_lines(count: int) -> tuple[DocumentLine, ...]:
    """``count`` plausible lines (cycling through three kinds, some with long descriptions)."""
    lines = []
    for i in range(count):
        description, quantity, price = SAMPLE_LINES[i % len(SAMPLE_LINES)]
        if i >= len(SAMPLE_LINES):  # short lines, as in a long per-school-house listing
            description = f"Update subscription 2026, school house {i + 1}"
            quantity, price = str(1 + i % 7), "44.55"
        q = Decimal(quantity)
        p = Decimal(price)
        lines.append(
            DocumentLine(
                description=description, quantity=q, unit_price=p, amount=round_half_up(q * p)
            )
        )
    return tuple(lines)


def sample_document(
    *,
    kind: str = "invoice",
    currency: str = "CHF",
    language: str = "de",
    lines: int | tuple[DocumentLine, ...] = 3,
    number: str | None = "2026-0001",
    reference: str | None = None,
    registration_code: str | None = None,
    note: str | None = None,
    recipient: Address | None = None,
    vendor: Vendor | None = None,
) -> InvoiceDocument:
    """A complete, consistent document; amounts computed like the services do (VAT per rate,
    CHF payable rounded to 0.05)."""
    document_lines = make_lines(lines) if isinstance(lines, int) else lines
    net = sum((line.amount for line in document_lines), Decimal("0.00"))
    vat_rate = Decimal("8.1") if currency == "CHF" else Decimal("19")
    vat = round_half_up(net * vat_rate / 100)
    total = net + vat
    payable = round_half_up(total, Decimal("0.05")) if currency == "CHF" else total
    if reference is None and kind == "invoice" and number is not None:
        reference = SAMPLE_QR_REFERENCE if currency == "CHF" else SAMPLE_CREDITOR_REFERENCE
    issue = date(2026, 3, 10)
    chosen_vendor = vendor or (SWISS_VENDOR if currency == "CHF" else EURO_VENDOR)
    due = issue + timedelta(days=chosen_vendor.payment_terms_days)
    return InvoiceDocument(
        kind=kind,  # type: ignore[arg-type]
        number=number,
        issue_date=issue,
        due_date=None if kind == "credit_note" else due,
        language=language,
        currency=currency,
        vendor=chosen_vendor,
        recipient=recipient or (SWISS_SCHOOL if currency == "CHF" else DUTCH_SCHOOL),
        school_number="S-10472",
        lines=document_lines,
        net=net,
        vat_rate=vat_rate,
        vat=vat,
        total=total,
        rounding=payable - total,
        payable=payable,
        reference=reference,
        references_invoice="2026-0001" if kind == "credit_note" else None,
        registration_code=registration_code,
        note=note,
    )
