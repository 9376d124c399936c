"""E-invoices: UN/CEFACT CII XML (EN 16931) for Factur-X / ZUGFeRD and XRechnung.

- :func:`cii_xml` writes the Cross Industry Invoice of an issued invoice or credit note, from
  the same plain data the PDF is printed from (``InvoiceDocument``) plus the few e-invoice
  fields a paper invoice does not need (:class:`EInvoiceParties`). Profile "en16931" is the
  Factur-X/ZUGFeRD EN 16931 profile; "xrechnung" adds what the German XRechnung CIUS asks for
  (the buyer's Leitweg-ID as buyer reference, electronic addresses, the seller contact).
- :func:`facturx_pdf` embeds the XML in the invoice PDF (Factur-X / ZUGFeRD), with the
  ``factur-x`` library, which checks the XML against the official XSD first, and makes the file
  the PDF/A-3B it claims to be: an sRGB OutputIntent (``resources/color/sRGB.icc``) and the
  document information dictionary saying what the XMP metadata says. The fonts are embedded by
  the renderer (``documents.text``).

Lines with a negative unit price (a volume discount) are written with a negative quantity and
a positive price, as EN 16931 wants net prices that are not negative (BR-27).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal
from xml.etree import ElementTree as ET

from lehrer_licenses.documents.model import DocumentDataError, InvoiceDocument
from lehrer_licenses.domain.vat import NOT_TAXABLE, REVERSE_CHARGE, regime_note

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

Profile = Literal["en16931", "xrechnung"]

for prefix, uri in (("rsm", RSM), ("ram", RAM), ("qdt", QDT), ("udt", UDT)):
    ET.register_namespace(prefix, uri)


@dataclass(frozen=True, slots=True, kw_only=True)
class EInvoiceParties:
    """What an e-invoice says about the parties beyond the printed addresses."""

    buyer_reference: str = ""  # the Leitweg-ID of a German public school (BT-10)
    buyer_email: str = ""  # BT-49
    buyer_vat_id: str = ""  # BT-48
    seller_email: str = ""  # BT-34 and the contact (BT-43)
    seller_phone: str = ""  # BT-42
    seller_contact: str = ""  # BT-41


def _r(tag: str) -> str:
    return f"{{{RAM}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _r(tag), attrs)
    if text is not None:
        element.text = text
    return element


def _date(parent: ET.Element, tag: str, day) -> None:
    holder = _sub(parent, tag)
    value = ET.SubElement(holder, f"{{{UDT}}}DateTimeString", {"format": "102"})
    value.text = day.strftime("%Y%m%d")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text if text not in ("-0",) else "0"


def _party(
    parent: ET.Element,
    tag: str,
    name: str,
    address,
    *,
    email: str = "",
    vat_id: str = "",
    legal_id: str = "",
    contact: tuple[str, str, str] | None = None,
) -> None:
    party = _sub(parent, tag)
    _sub(party, "Name", name)
    if legal_id:  # BT-30, after the name in CII's order
        _sub(_sub(party, "SpecifiedLegalOrganization"), "ID", legal_id)
    if contact is not None:
        person, phone, mail = contact
        trade_contact = _sub(party, "DefinedTradeContact")
        _sub(trade_contact, "PersonName", person)
        if phone:
            _sub(_sub(trade_contact, "TelephoneUniversalCommunication"), "CompleteNumber", phone)
        if mail:
            _sub(_sub(trade_contact, "EmailURIUniversalCommunication"), "URIID", mail)
    postal = _sub(party, "PostalTradeAddress")
    if address.postcode:
        _sub(postal, "PostcodeCode", address.postcode)
    if address.street_line:
        _sub(postal, "LineOne", address.street_line)
    if address.city:
        _sub(postal, "CityName", address.city)
    _sub(postal, "CountryID", address.country)
    if email:
        _sub(_sub(party, "URIUniversalCommunication"), "URIID", email, schemeID="EM")
    if vat_id:
        _sub(_sub(party, "SpecifiedTaxRegistration"), "ID", compact_vat_id(vat_id), schemeID="VA")


def _legal_id(vat_id: str) -> str:
    """A VAT number as a register id: the Swiss UID without its MWST/TVA/IVA suffix."""
    compact = compact_vat_id(vat_id) if vat_id.strip() else ""
    return compact.removesuffix("MWST").removesuffix("TVA").removesuffix("IVA")


def compact_vat_id(vat_id: str) -> str:
    """BT-31/BT-48 as EN 16931 wants them (BR-CO-9): the country prefix, then the number without
    separators. A Swiss VAT number keeps its MWST/TVA/IVA suffix: without it, it is the UID of
    the company register, not the VAT registration (CHE-123.456.788 MWST -> CHE123456788MWST)."""
    from stdnum.ch import vat as ch_vat
    from stdnum.eu import vat as eu_vat

    text = vat_id.strip().upper()
    if text.startswith("CHE"):
        return ch_vat.compact(text)
    return eu_vat.compact(text)


def _period(parent: ET.Element, start: date, end: date) -> None:
    period = _sub(parent, "BillingSpecifiedPeriod")
    _date(period, "StartDateTime", start)
    _date(period, "EndDateTime", end)


def _licence_period(lines) -> tuple[date, date] | None:
    """BG-14: from the first day to the last day the lines' licence periods cover."""
    starts = [li.period_start for li in lines if li.period_start and li.period_end]
    ends = [li.period_end for li in lines if li.period_start and li.period_end]
    return (min(starts), max(ends)) if starts else None


# The VAT categories of EN 16931 (UNTDID 5305) this desk uses: standard rate, exempt (a
# VAT-registered vendor at 0 %), reverse charge (AE: the buyer owes the tax), not subject to VAT
# (a vendor without a VAT registration, or the regime "not taxable"). The reason codes are the
# CEF VATEX list's.
_EXEMPTION_REASONS = {
    "E": ("Exempt from VAT", None),
    "AE": ("Reverse charge", "VATEX-EU-AE"),
    "O": ("Not subject to VAT", "VATEX-EU-O"),
}


def _category(doc: InvoiceDocument) -> str:
    if doc.vat_regime == REVERSE_CHARGE:
        return "AE"
    if doc.vat_regime == NOT_TAXABLE:
        return "O"
    if doc.vat_rate > 0:
        return "S"
    return "E" if doc.vendor.vat_id.strip() else "O"


def cii_xml(doc: InvoiceDocument, parties: EInvoiceParties, profile: Profile = "en16931") -> bytes:
    """The CII XML (UTF-8) of an issued invoice or credit note."""
    if doc.kind not in ("invoice", "credit_note") or doc.number is None:
        raise DocumentDataError("only issued invoices and credit notes have an e-invoice")
    if profile == "xrechnung":
        missing = [
            name
            for name, value in (
                ("buyer reference (Leitweg-ID)", parties.buyer_reference),
                ("buyer e-mail", parties.buyer_email),
                ("seller e-mail", parties.seller_email),
                ("seller telephone", parties.seller_phone),
            )
            if not value.strip()
        ]
        if missing:
            raise DocumentDataError(f"an XRechnung needs the {', '.join(missing)}")
    category = _category(doc)
    root = ET.Element(f"{{{RSM}}}CrossIndustryInvoice")
    context = ET.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
    if profile == "xrechnung":
        _sub(
            _sub(context, "BusinessProcessSpecifiedDocumentContextParameter"), "ID", PEPPOL_PROCESS
        )
    guideline = XRECHNUNG if profile == "xrechnung" else EN16931
    _sub(_sub(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", guideline)

    header = ET.SubElement(root, f"{{{RSM}}}ExchangedDocument")
    _sub(header, "ID", doc.number)
    _sub(header, "TypeCode", "381" if doc.kind == "credit_note" else "380")
    _date(header, "IssueDateTime", doc.issue_date)
    if doc.note:
        _sub(_sub(header, "IncludedNote"), "Content", doc.note)
    legal_note = regime_note(doc.vat_regime, doc.language)
    if legal_note:  # BT-22: the reverse-charge wording the invoice must carry (§14a UStG)
        _sub(_sub(header, "IncludedNote"), "Content", legal_note)

    transaction = ET.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
    for index, line in enumerate(doc.lines, start=1):
        quantity, price = line.quantity, line.unit_price
        if price < 0:
            quantity, price = -quantity, -price
        item = _sub(transaction, "IncludedSupplyChainTradeLineItem")
        _sub(_sub(item, "AssociatedDocumentLineDocument"), "LineID", str(index))
        _sub(_sub(item, "SpecifiedTradeProduct"), "Name", line.description)
        agreement = _sub(item, "SpecifiedLineTradeAgreement")
        _sub(_sub(agreement, "NetPriceProductTradePrice"), "ChargeAmount", _number(price))
        delivery = _sub(item, "SpecifiedLineTradeDelivery")
        _sub(delivery, "BilledQuantity", _number(quantity), unitCode="C62")
        settlement = _sub(item, "SpecifiedLineTradeSettlement")
        tax = _sub(settlement, "ApplicableTradeTax")
        _sub(tax, "TypeCode", "VAT")
        _sub(tax, "CategoryCode", category)
        if category != "O":  # "not subject to VAT" has no rate (BR-O-05)
            _sub(tax, "RateApplicablePercent", _number(doc.vat_rate))
        if line.period_start and line.period_end:
            _period(settlement, line.period_start, line.period_end)
        summation = _sub(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
        _sub(summation, "LineTotalAmount", _amount(line.amount))

    agreement = _sub(transaction, "ApplicableHeaderTradeAgreement")
    if parties.buyer_reference:
        _sub(agreement, "BuyerReference", parties.buyer_reference)
    vendor = doc.vendor
    contact = None
    if profile == "xrechnung":
        contact = (
            parties.seller_contact or vendor.name,
            parties.seller_phone,
            parties.seller_email,
        )
    _party(
        agreement,
        "SellerTradeParty",
        vendor.name,
        vendor.address,
        email=parties.seller_email,
        vat_id=vendor.vat_id if category != "O" else "",
        # BR-O-02 allows no VAT id with "not subject", BR-CO-26 wants the seller identified:
        # the number goes in as its legal registration (a Swiss UID is the register's number).
        legal_id=_legal_id(vendor.vat_id) if category == "O" else "",
        contact=contact,
    )
    _party(
        agreement,
        "BuyerTradeParty",
        doc.recipient.name,
        doc.recipient,
        email=parties.buyer_email,
        vat_id=parties.buyer_vat_id if category != "O" else "",
    )
    delivery = _sub(transaction, "ApplicableHeaderTradeDelivery")
    period = _licence_period(doc.lines)
    if period is None:  # nothing but one-off lines (a fee, a correction): delivered when issued
        event = _sub(delivery, "ActualDeliverySupplyChainEvent")
        _date(event, "OccurrenceDateTime", doc.issue_date)

    settlement = _sub(transaction, "ApplicableHeaderTradeSettlement")
    if doc.reference:
        _sub(settlement, "PaymentReference", doc.reference)
    _sub(settlement, "InvoiceCurrencyCode", doc.currency)
    means = _sub(settlement, "SpecifiedTradeSettlementPaymentMeans")
    if doc.kind == "invoice":
        _sub(means, "TypeCode", "58")  # SEPA / bank transfer
        account = "".join((vendor.iban or "").split()).upper()
        if doc.currency == "CHF" and doc.reference and not doc.reference.startswith("RF"):
            account = "".join((vendor.qr_iban or account).split()).upper()
        _sub(_sub(means, "PayeePartyCreditorFinancialAccount"), "IBANID", account)
    else:
        # XRechnung wants payment instructions on a credit note too (BR-DE-1); the vendor pays
        # back to an account it does not know yet, or sets the amount off, so no means is named.
        _sub(means, "TypeCode", "1")
        _sub(means, "Information", "Refund or set-off by the seller")
    tax = _sub(settlement, "ApplicableTradeTax")
    _sub(tax, "CalculatedAmount", _amount(doc.vat))
    _sub(tax, "TypeCode", "VAT")
    reason, reason_code = _EXEMPTION_REASONS.get(category, (None, None))
    if reason:
        _sub(tax, "ExemptionReason", reason)
    _sub(tax, "BasisAmount", _amount(doc.net))
    _sub(tax, "CategoryCode", category)
    if reason_code:
        _sub(tax, "ExemptionReasonCode", reason_code)
    if category != "O":
        _sub(tax, "RateApplicablePercent", _number(doc.vat_rate))
    if period is not None:
        _period(settlement, *period)
    if doc.kind == "invoice" and doc.due_date is not None:
        _date(_sub(settlement, "SpecifiedTradePaymentTerms"), "DueDateDateTime", doc.due_date)
    sums = _sub(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(sums, "LineTotalAmount", _amount(sum((li.amount for li in doc.lines), Decimal(0))))
    _sub(sums, "TaxBasisTotalAmount", _amount(doc.net))
    _sub(sums, "TaxTotalAmount", _amount(doc.vat), currencyID=doc.currency)
    if doc.rounding:
        _sub(sums, "RoundingAmount", _amount(doc.rounding))
    _sub(sums, "GrandTotalAmount", _amount(doc.total))
    _sub(sums, "DuePayableAmount", _amount(doc.payable))
    if doc.kind == "credit_note" and doc.references_invoice:
        referenced = _sub(settlement, "InvoiceReferencedDocument")
        _sub(referenced, "IssuerAssignedID", doc.references_invoice)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def check_xml(xml: bytes) -> None:
    """Validate against the Factur-X EN 16931 XSD of the ``factur-x`` library."""
    import facturx

    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as exc:  # the library raises plain Exceptions naming the XSD error
        raise DocumentDataError(f"the e-invoice XML is not valid: {exc}") from exc


def facturx_pdf(pdf: bytes, xml: bytes, language: str) -> bytes:
    """The invoice PDF with the CII XML embedded as factur-x.xml (Factur-X / ZUGFeRD)."""
    import facturx

    check_xml(xml)
    try:
        combined = facturx.generate_from_binary(
            pdf,
            xml,
            flavor="factur-x",
            level="en16931",
            check_xsd=False,
            lang=language,
            xmp_compression=False,
        )
    except Exception as exc:
        raise DocumentDataError(f"the Factur-X PDF cannot be made: {exc}") from exc
    return _pdfa3(combined)


PRODUCER = "lehrer-licenses (ReportLab, factur-x, pypdf)"
SRGB = "sRGB IEC61966-2.1"


def _pdfa3(pdf: bytes) -> bytes:
    """What PDF/A-3B asks beyond embedded fonts and the XMP identification that factur-x writes:
    an OutputIntent, so that the device colours the renderer uses have a meaning (ISO 19005-3
    6.2.3), and the document information entries each equal to their XMP property (6.6.2.3.1)."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    from lehrer_licenses.paths import resource

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    profile = DecodedStreamObject()
    profile.set_data(resource("color", "sRGB.icc").read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB),
            NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
            NameObject("/Info"): TextStringObject(SRGB),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    root = writer._root_object
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])

    info = writer._info.get_object() if writer._info is not None else DictionaryObject()
    keywords = str(info.get("/Keywords", ""))
    for key in ("/Trapped", "/Keywords"):  # no XMP counterpart is written for them by factur-x
        info.pop(NameObject(key), None)
    info[NameObject("/Producer")] = TextStringObject(PRODUCER)
    metadata = root["/Metadata"].get_object()
    xmp = metadata.get_data().decode("utf-8")
    producer = f"<pdf:Producer>{_xml_text(PRODUCER)}</pdf:Producer>"
    if keywords:
        info[NameObject("/Keywords")] = TextStringObject(keywords)
        producer += f"<pdf:Keywords>{_xml_text(keywords)}</pdf:Keywords>"
    start, end = xmp.index("<pdf:Producer>"), xmp.index("</pdf:Producer>") + len("</pdf:Producer>")
    metadata.set_data(_xmp_descriptions(xmp[:start] + producer + xmp[end:]).encode("utf-8"))
    writer.pdf_header = "%PDF-1.7"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _xmp_descriptions(xmp: str) -> str:
    """Each rdf:Description says what it describes (rdf:about="", the document) and declares
    the namespaces it uses itself: XMP readers such as PDFBox's look for a schema's namespace
    on its description, not on the x:xmpmeta element where factur-x declares them all."""
    import re

    head = re.search(r"<x:xmpmeta\b[^>]*>", xmp)
    if head is None:
        return xmp
    declarations = " ".join(
        f'xmlns:{prefix}="{uri}"'
        for prefix, uri in re.findall(r'xmlns:([\w-]+)="([^"]*)"', head.group(0))
        if prefix not in ("x", "rdf")
    )
    xmp = xmp.replace("<rdf:Description>", f'<rdf:Description rdf:about="" {declarations}>')
    return xmp


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
