"""Printed documents: plain data in (``documents.model``), PDF bytes out.

This layer depends only on ``domain`` and the standard libraries of the trade (reportlab,
qrbill, python-stdnum; QR codes are encoded by ``qrcodes``, checked against segno in the tests);
it never imports Qt, SQLAlchemy, ``store``, ``services``, ``ui`` or ``cli``. Fonts: ``text``.
"""

from lehrer_licenses.documents.model import (
    Address,
    DocumentDataError,
    DocumentLine,
    InvoiceDocument,
    QRBillDataError,
    Vendor,
)

__all__ = [
    "Address",
    "DocumentDataError",
    "DocumentLine",
    "InvoiceDocument",
    "QRBillDataError",
    "Vendor",
    "render_invoice",
]


def __getattr__(name: str):
    # The renderer pulls in reportlab, qrbill and the fonts (0.2-0.4 s); the app's start needs
    # only the plain data classes above, so it is imported on first use.
    if name == "render_invoice":
        from lehrer_licenses.documents.invoice_pdf import render_invoice

        return render_invoice
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
