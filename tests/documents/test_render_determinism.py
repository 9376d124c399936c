"""A PDF is a pure function of its document: the same bytes in any process, whatever was
rendered before it (the renderers keep per-process caches of font subsets and of the operators
of strings drawn before; a year-end renders thousands of invoices per worker process)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader

from lehrer_licenses.documents import Address, render_invoice
from lehrer_licenses.documents.letters import render_letters
from lehrer_licenses.documents.samples import EURO_VENDOR, sample_document
from lehrer_licenses.services.season.letters import dunning_letter

WINANSI = Address(name="Primarschule Aesch", street="Schulweg", house_number="1",
                  postcode="4147", city="Aesch", country="CH")  # fmt: skip
GREEK = Address(name="Σχολείο Αθηνών", street="Οδός", postcode="10558", city="Αθήνα",
                country="CH")  # fmt: skip
CODE = "K7QX2-M4N8P-ZR3TB-9WVHC-A5GJD-6E0SY-1FX2Q-MB7KN-4RZ8T-P3VWC"


def _reminder():
    return dunning_letter(
        vendor=sample_document().vendor, recipient=WINANSI, school_number="100001",
        language="it", currency="CHF", on=date(2026, 5, 20), level=1,
        invoice_number="2026-00017", invoice_date=date(2026, 3, 11), due_date=date(2026, 4, 10),
        payable=Decimal("505.90"), settled=Decimal("0.00"), fee=Decimal("0.00"),
        earlier_fees=Decimal("0.00"), pay_by=date(2026, 5, 30), previous_reminder=None,
        reference="000000000000000002026000172",
    )  # fmt: skip


# name -> a render; every kind and font path: WinAnsi text, a name beyond WinAnsi (a second
# font subset), DejaVu Sans, a registration code, EUR, a draft, a credit note, a letter.
DOCUMENTS = {
    "chf winansi": lambda: render_invoice(sample_document(recipient=WINANSI)),
    "chf unicode name": lambda: render_invoice(sample_document(language="fr")),
    "chf code": lambda: render_invoice(
        sample_document(recipient=WINANSI, lines=2, registration_code=CODE)
    ),
    "eur": lambda: render_invoice(sample_document(currency="EUR", language="nl")),
    "eur other vendor": lambda: render_invoice(
        sample_document(currency="EUR", language="de", vendor=replace(EURO_VENDOR, bic=""))
    ),
    "greek": lambda: render_invoice(sample_document(currency="EUR", recipient=GREEK)),
    "draft": lambda: render_invoice(sample_document(language="it", number=None, lines=30)),
    "credit note": lambda: render_invoice(sample_document(kind="credit_note", language="en")),
    "letter": lambda: render_letters([_reminder()]),
}

CHILD = """
import hashlib, json, sys
sys.path[:0] = [{root!r}, {here!r}]
from test_render_determinism import DOCUMENTS
digests = {{}}
for name in json.loads(sys.argv[1]):
    digests[name] = hashlib.sha256(DOCUMENTS[name]()).hexdigest()
print(json.dumps(digests))
"""


def _digests(order):
    return {name: hashlib.sha256(DOCUMENTS[name]()).hexdigest() for name in order}


def test_each_pdf_is_the_same_in_any_order_and_in_a_new_process(request):
    names = list(DOCUMENTS)
    here = _digests(names)
    assert here == _digests(names[::-1]) == _digests(names[1::2] + names[::2])
    # A new process (every cache cold) renders them in another order, each after a document
    # of another kind, language and currency.
    root = request.config.rootpath
    child = CHILD.format(root=str(root), here=str(root / "tests" / "documents"))
    result = subprocess.run(
        [sys.executable, "-c", child, json.dumps(names[::-1])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == here


def test_the_cached_strings_are_those_of_each_document():
    """A document drawn after others with the same labels at the same places reads back as
    itself (the operators noted for one document never carry another's text)."""
    first = sample_document(recipient=WINANSI, number="2026-00001")
    second = replace(
        first,
        number="2026-00002",
        recipient=replace(WINANSI, name="Schule Binn", postcode="3996", city="Binn"),
    )
    render_invoice(first)
    text = PdfReader(BytesIO(render_invoice(second))).pages[0].extract_text()
    assert "2026-00002" in text and "Schule Binn" in text
    assert "2026-00001" not in text and "Aesch" not in text
