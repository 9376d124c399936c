"""What a printed document says: plain, frozen data handed from the services to the renderers.

This module is the contract between ``services/`` (which knows schools, invoices and the
database) and the renderers in ``documents/`` (which know only paper). Everything here is plain
Python: ``str``, ``int``, ``Decimal``, ``date``. Nothing is computed while rendering: the services
pass the amounts exactly as they were booked (net, VAT, total, rounding, payable), and the
renderer prints them. Amounts are ``Decimal`` and never ``float``.

Text in these objects is what a user typed (school names, notes, descriptions). The renderers
print it literally; it is never interpreted as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.vat import REGIME_KINDS

DocumentKind = Literal["invoice", "credit_note", "quote"]
KINDS: tuple[str, ...] = ("invoice", "credit_note", "quote")
DOCUMENT_LANGUAGES: tuple[str, ...] = ("de", "fr", "it", "en", "nl")
DOCUMENT_CURRENCIES: tuple[str, ...] = ("CHF", "EUR")


class DocumentDataError(DomainError):
    """The data handed to a renderer cannot make a correct document; the message says why."""


class QRBillDataError(DocumentDataError):
    """The Swiss QR-bill cannot be made from the invoice and vendor data (IBAN, reference, ...)."""


def _require_decimal(owner: str, name: str, value: object) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{owner}.{name} must be a Decimal, not {type(value).__name__}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """A postal address, structured the way the Swiss QR-bill (type "S") wants it.

    ``name`` is the organisation or person (at most 70 characters on a QR-bill). ``lines`` are
    extra name lines printed under it in the letter window, e.g. ``("Schulverwaltung",
    "z. H. Frau Muster")``; they do not go into the QR code. ``country`` is the ISO 3166-1
    alpha-2 code ("CH", "DE", "AT", "NL", ...).
    """

    name: str
    lines: tuple[str, ...] = ()
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "CH"

    def __post_init__(self) -> None:
        if not isinstance(self.lines, tuple):
            object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "country", (self.country or "").strip().upper())

    @property
    def street_line(self) -> str:
        """ "Street 12", or just the street when there is no house number."""
        return " ".join(part for part in (self.street.strip(), self.house_number.strip()) if part)

    @property
    def city_line(self) -> str:
        """ "8000 Zürich": postcode and town."""
        return " ".join(part for part in (self.postcode.strip(), self.city.strip()) if part)


@dataclass(frozen=True, slots=True, kw_only=True)
class Vendor:
    """Who issues the document: the letterhead, the footer and the bank account.

    ``iban`` is the ordinary account (CH/LI for a QR-bill with a creditor reference "RF..." or no
    reference; any SEPA IBAN for the EPC QR code of EUR invoices). ``qr_iban`` is the QR-IBAN
    (institution id 30000-31999), used instead of ``iban`` when the invoice carries a 27-digit
    QR reference. ``bic`` is optional; the EPC QR code carries it when given (needed by some banks
    for a non-EEA account such as a Swiss one). ``logo_path`` is a PNG or JPEG printed at most
    60 x 20 mm in the top left corner. ``footer`` is a free text line printed in every page's
    footer (e.g. the commercial register entry). ``payment_terms_days`` is printed as the payment
    term; the due date itself comes with the document.
    """

    name: str
    address: Address
    iban: str
    vat_id: str = ""
    qr_iban: str | None = None
    bic: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    logo_path: Path | str | None = None
    footer: str = ""
    payment_terms_days: int = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentLine:
    """One line of the table: ``amount`` is the booked line amount (already rounded to 0.01)."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    # The licence period the line pays for (both days included); the e-invoice's delivery period.
    period_start: date | None = None
    period_end: date | None = None

    def __post_init__(self) -> None:
        for name in ("quantity", "unit_price", "amount"):
            _require_decimal("DocumentLine", name, getattr(self, name))


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceDocument:
    """An invoice, a credit note or a quote, ready to print.

    - ``kind``: "invoice", "credit_note" or "quote".
    - ``number``: the issued number, or ``None`` for a draft: a draft is printed with "DRAFT"
      (translated) instead of the number, a diagonal watermark on every page, and no payable QR
      code (its QR-bill data is still validated, so bad bank data shows up while drafting).
    - ``issue_date``; ``due_date``: payment due date (an invoice), validity end (a quote),
      usually ``None`` for a credit note.
    - ``language``: de, fr, it, en or nl; ``currency``: CHF or EUR.
    - ``vendor``, ``recipient`` (the billed party: the school, or another party that pays for
      it such as a parents' association), ``school_number``; ``licence_holder``: the school's
      name when the recipient is another party, printed so the payer sees whose licence it is.
    - ``lines`` and the booked amounts ``net``, ``vat_rate`` (percent, e.g. ``Decimal("8.1")``),
      ``vat``, ``total`` (net + VAT), ``rounding`` (CHF cash rounding to 0.05, printed when not
      zero) and ``payable`` (total + rounding).
    - ``reference``: a 27-digit QR reference (needs ``vendor.qr_iban``) or an ISO 11649 creditor
      reference "RF..."; printed on the QR-bill / in the EPC QR code.
    - ``references_invoice``: for a credit note, the number of the invoice it corrects.
    - ``registration_code``: printed as text and as a QR code when given.
    - ``note``: a free text printed under the title.
    - ``product``: the name of the plan the lines are for, in the document's language, printed
      under the title (empty: a document of no plan).
    - ``vat_regime``: how VAT is charged (``domain.vat``: domestic, registered, reverse-charge,
      not-taxable); ``tax_country`` whose VAT it is (the tax word is that country's in the
      document's language); ``vendor.vat_id`` is the number that belongs to the regime;
      ``buyer_vat_id`` the school's VAT id (printed on a reverse-charge document).
    - ``credit_refund``: on a credit note, the part paid back (the rest lowers the open amount of
      the corrected invoice); None: not known, both are offered.

    A CHF invoice with a positive ``payable`` gets the Swiss QR-bill payment part at the bottom of
    its last page; a EUR invoice gets an EPC ("GiroCode") QR code. Credit notes and quotes get no
    payment part.
    """

    kind: DocumentKind
    number: str | None
    issue_date: date
    due_date: date | None
    language: str
    currency: str
    vendor: Vendor
    recipient: Address
    school_number: str
    lines: tuple[DocumentLine, ...]
    net: Decimal
    vat_rate: Decimal
    vat: Decimal
    total: Decimal
    rounding: Decimal
    payable: Decimal
    reference: str | None = None
    references_invoice: str | None = None
    registration_code: str | None = None
    note: str | None = None
    vat_regime: str = "domestic"
    tax_country: str = ""
    buyer_vat_id: str = ""
    licence_holder: str | None = None
    credit_refund: Decimal | None = None
    product: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DocumentDataError(f"unknown document kind {self.kind!r}; expected one of {KINDS}")
        if self.language not in DOCUMENT_LANGUAGES:
            raise DocumentDataError(
                f"unknown document language {self.language!r}; expected one of {DOCUMENT_LANGUAGES}"
            )
        if self.currency not in DOCUMENT_CURRENCIES:
            raise DocumentDataError(
                f"unsupported currency {self.currency!r}; expected one of {DOCUMENT_CURRENCIES}"
            )
        if not isinstance(self.lines, tuple):
            object.__setattr__(self, "lines", tuple(self.lines))
        if self.vat_regime not in REGIME_KINDS:
            raise DocumentDataError(
                f"unknown VAT regime {self.vat_regime!r}; expected one of {REGIME_KINDS}"
            )
        if not self.tax_country:
            object.__setattr__(self, "tax_country", self.vendor.address.country)
        for name in ("net", "vat_rate", "vat", "total", "rounding", "payable"):
            _require_decimal("InvoiceDocument", name, getattr(self, name))

    @property
    def is_draft(self) -> bool:
        return self.number is None
