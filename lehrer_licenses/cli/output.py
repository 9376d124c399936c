"""Printing results: one JSON document with --json, readable text otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any

from lehrer_licenses.i18n import _


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def invoice_text(doc: dict) -> str:
    title = doc["number"] or _("draft")
    out = [
        f"{_('Invoice')} {title} · {doc['school']} {doc.get('school_name', '')} · "
        f"{doc['date']} · {doc['status']}"
    ]
    width = max([len(line["description"]) for line in doc["lines"]] + [20])
    for line in doc["lines"]:
        out.append(
            f"  {line['description']:<{width}}  {line['quantity']:>6} x "
            f"{line['unit_price']:>10}  {line['amount']:>11}"
        )
    cur = doc["currency"]
    pad = width + 19  # the description, quantity and unit columns, less the currency
    out.append(f"  {_('Net'):<{pad}}{cur} {doc['net']:>11}")
    out.append(f"  {_('VAT') + ' ' + doc['vat_rate'] + '%':<{pad}}{cur} {doc['vat']:>11}")
    out.append(f"  {_('Total'):<{pad}}{cur} {doc['total']:>11}")
    if doc["rounding"] not in ("0.00", "-0.00"):
        out.append(f"  {_('Rounding'):<{pad}}{cur} {doc['rounding']:>11}")
    out.append(f"  {_('Payable'):<{pad}}{cur} {doc['payable']:>11}")
    return "\n".join(out)


def key_values(doc: dict) -> str:
    width = max(len(k) for k in doc) if doc else 0
    return "\n".join(f"{k:<{width}}  {v}" for k, v in doc.items())
