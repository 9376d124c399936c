"""How long the official e-invoice checks take (not a test).

    .venv/bin/python benchmarks/bench_einvoice_rules.py [--files 200]

``invoice einvoice`` checks every file with the CII schema (lxml), the CEN EN 16931 rules and,
for an XRechnung, the KoSIT rules (XSLT run by saxonche), see documents/einvoice_rules.py.
Printed, in milliseconds: compiling each stylesheet (once per process), and the median time per
file of the schema, of each rule set, and of a whole ``require_valid`` call, over ``--files``
e-invoices with different numbers and amounts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lehrer_licenses.documents import einvoice_rules as rules
from lehrer_licenses.documents.einvoice import EInvoiceParties, cii_xml
from lehrer_licenses.documents.samples import sample_document

PARTIES = EInvoiceParties(
    buyer_reference="04011000-1234512345-06",
    buyer_email="schule@example.org",
    seller_email="rechnung@vendor.example",
    seller_phone="+49 89 1234 567",
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()

    start = time.perf_counter()
    rules._schema()
    schema_load = time.perf_counter() - start
    compiled = {}
    for name in ("EN16931-CII-validation.xslt", "XRechnung-CII-validation.xsl"):
        start = time.perf_counter()
        rules._stylesheet(name)
        compiled[name] = time.perf_counter() - start

    files = []
    for i in range(args.files):
        doc = sample_document(currency="EUR", number=f"2026-{i + 1:05d}")
        doc = replace(doc, note=f"Bestellung {i}")
        files.append(cii_xml(doc, PARTIES, "xrechnung"))

    timings: dict[str, list[float]] = {"schema": [], "EN 16931": [], "XRechnung": [], "all": []}
    for xml in files:
        for label, run in (
            ("schema", lambda x=xml: rules._schema_findings(x)),
            ("EN 16931", lambda x=xml: rules._rule_findings("EN16931-CII-validation.xslt", x)),
            ("XRechnung", lambda x=xml: rules._rule_findings("XRechnung-CII-validation.xsl", x)),
            ("all", lambda x=xml: rules.require_valid(x, xrechnung=True)),
        ):
            start = time.perf_counter()
            run()
            timings[label].append(time.perf_counter() - start)

    print(f"load the CII schema{'':<20}{_ms(schema_load)}")
    for name, seconds in compiled.items():
        print(f"compile {name:<31}{_ms(seconds)}")
    for label, values in timings.items():
        print(f"per file, {label:<18} median {_ms(statistics.median(values))}")


if __name__ == "__main__":
    main()
