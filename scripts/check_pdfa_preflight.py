#!/usr/bin/env python3
"""Run Apache PDFBox Preflight on sample Factur-X invoices (a manual check, not a test).

Preflight checks PDF/A-1b only. A Factur-X file is PDF/A-3B, which allows what PDF/A-1 forbids:
an embedded file (1.2.9, 1.4.7), an ICC version 4 OutputIntent profile (2.1.6) and
pdfaid:part 3 (7.11.2). Those findings are expected; any other finding (fonts, widths, metadata,
colour) is a real PDF/A error and this script exits 1.

Debian: the jars of libpdfbox2-java, libfontbox2-java, libcommons-logging-java,
libactivation-java and libjaxb-api-java (apt-get install them, or `apt-get download` and
`dpkg -x` them into a folder), and a Java 17 runtime.

    .venv/bin/python scripts/check_pdfa_preflight.py [--jars /usr/share/java]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lehrer_licenses.documents import render_invoice
from lehrer_licenses.documents.einvoice import EInvoiceParties, cii_xml, facturx_pdf
from lehrer_licenses.documents.samples import sample_document

PDFA3_ONLY = {"1.2.9", "1.4.7", "2.1.6", "7.11.2"}
CODE = "LO1-ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jars", type=Path, default=Path("/usr/share/java"))
    args = parser.parse_args()
    jars = sorted(args.jars.rglob("*.jar"))
    if not any(j.name.startswith("preflight") for j in jars):
        print(f"no preflight jar under {args.jars}", file=sys.stderr)
        return 2
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for currency, language in (("CHF", "de"), ("EUR", "nl")):
            doc = sample_document(currency=currency, language=language, registration_code=CODE)
            pdf = facturx_pdf(render_invoice(doc), cii_xml(doc, EInvoiceParties()), language)
            path = Path(folder) / f"factur-x-{currency}.pdf"
            path.write_bytes(pdf)
            result = subprocess.run(
                ["java", "-cp", ":".join(map(str, jars)),
                 "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            findings = re.findall(r"^(\d+(?:\.\d+)+) : (.*)$", result.stdout, re.M)
            unexpected = [f for f in findings if f[0] not in PDFA3_ONLY]
            print(f"{path.name}: {len(findings)} PDF/A-1 findings, {len(unexpected)} unexpected")
            for code, text in unexpected:
                print(f"  {code}: {text}")
            failed |= bool(unexpected) or (not findings and result.returncode != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
