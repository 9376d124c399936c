"""The official checks of an e-invoice: the CII D16B schema, the CEN EN 16931 business rules and,
for an XRechnung, the KoSIT rules of the German CIUS.

The artefacts ship unchanged in ``resources/einvoice/`` under their own licences (see
SOURCES.txt and LICENSE.txt there): the Schematron rules compiled to XSLT, run with Saxon
(saxonche), and the XSD, run with lxml. A portal runs the same files, so a file that passes here
is not rejected there for a rule we could have known.

Compiling a stylesheet takes about half a second, so each is compiled once per process and kept;
Saxon's processor is not documented as thread-safe, hence the lock around every use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from xml.etree import ElementTree as ET

from lehrer_licenses.documents.model import DocumentDataError
from lehrer_licenses.paths import resource

SVRL = "http://purl.oclc.org/dsdl/svrl"
XSD_RULE = "XSD"

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed rule: its id (BR-06, BR-DE-1, ... or XSD) and the standard's own text."""

    rule: str
    text: str
    location: str = ""

    def __str__(self) -> str:
        text = self.text.strip()
        # The CEN texts start with their own id ("[BR-06]-The Seller name ..."); not twice.
        for prefix in (f"[{self.rule}]-", f"[{self.rule}] ", f"[{self.rule}]"):
            if text.startswith(prefix):
                text = text.removeprefix(prefix).strip()
                break
        return f"{self.rule}: {text}"


class EInvoiceRejected(DocumentDataError):
    """The e-invoice breaks one or more official rules; nothing may be written."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(str(f) for f in findings))


@cache
def _processor():
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@cache
def _stylesheet(name: str):
    return (
        _processor()
        .new_xslt30_processor()
        .compile_stylesheet(stylesheet_file=str(resource("einvoice", name)))
    )


@cache
def _schema():
    from lxml import etree

    path = resource("einvoice", "cii-d16b", "CrossIndustryInvoice_100pD16B.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def _schema_findings(xml: bytes) -> list[Finding]:
    from lxml import etree

    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return [Finding(XSD_RULE, f"not well-formed XML: {exc}")]
    schema = _schema()
    if schema.validate(document):
        return []
    return [Finding(XSD_RULE, e.message, f"line {e.line}") for e in schema.error_log]


def _rule_findings(stylesheet: str, xml: bytes) -> list[Finding]:
    with _lock:
        executable = _stylesheet(stylesheet)
        node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
        executable.set_global_context_item(xdm_item=node)
        report = executable.apply_templates_returning_string(xdm_value=node)
    findings = []
    for failed in ET.fromstring(report.encode("utf-8")).iter(f"{{{SVRL}}}failed-assert"):
        # fatal, or no flag at all, is an error; warning and information are advice.
        if failed.get("flag", "fatal") != "fatal":
            continue
        text = " ".join(failed.findtext(f"{{{SVRL}}}text", "").split())
        findings.append(Finding(failed.get("id", "?"), text, failed.get("location", "")))
    return findings


def findings(xml: bytes, *, xrechnung: bool) -> list[Finding]:
    """Every fatal finding of the schema and the EN 16931 rules (and the XRechnung rules)."""
    found = _schema_findings(xml)
    if found:
        return found  # the rules assume a document of the schema's shape
    found = _rule_findings("EN16931-CII-validation.xslt", xml)
    if xrechnung:
        found += _rule_findings("XRechnung-CII-validation.xsl", xml)
    return found


def require_valid(xml: bytes, *, xrechnung: bool) -> None:
    """Raise :class:`EInvoiceRejected` naming every failed rule."""
    found = findings(xml, xrechnung=xrechnung)
    if found:
        raise EInvoiceRejected(found)
