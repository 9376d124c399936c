"""Showing and printing the PDFs the services make (the stored bytes of an issued invoice).

QtPdf is not part of PySide6-Essentials (the pinned package), so a PDF is shown in the system's
viewer from a temporary file; with QtPdf installed (PySide6-Addons) the same functions render
pages themselves. Printing: "print to file" (PDF) writes the document's own bytes, so the copy
is the stored document exactly; a real printer gets the file through the system's spooler
(CUPS ``lp`` on Linux and macOS, the shell's print verb on Windows), which prints PDFs natively.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from lehrer_licenses.i18n import _

try:  # PySide6-Addons only
    from PySide6.QtPdf import QPdfDocument  # type: ignore[import-not-found]
except ImportError:  # the pinned PySide6-Essentials
    QPdfDocument = None

HAS_QTPDF = QPdfDocument is not None
_temp_folder: Path | None = None


class PrintError(Exception):
    """The document could not be handed to the printer (message for the user)."""


def safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "document"


def temp_pdf(pdf: bytes, name: str) -> Path:
    """The PDF in a folder of this session that the viewer can read (removed at exit by the OS
    temp cleaning; files are small)."""
    global _temp_folder
    if _temp_folder is None:
        _temp_folder = Path(tempfile.mkdtemp(prefix="lehrer-licenses-"))
    path = _temp_folder / f"{safe_name(name)}.pdf"
    path.write_bytes(pdf)
    return path


def open_pdf(pdf: bytes, name: str) -> Path:
    """Show the PDF in the system's viewer; returns the file it wrote."""
    path = temp_pdf(pdf, name)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise PrintError(
            _("No program to show PDF files was found; the file is {path}").format(path=path)
        )
    return path


def open_saved(path: Path) -> None:
    """Show a PDF file already on disk in the system's viewer."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise PrintError(
            _("No program to show PDF files was found; the file is {path}").format(path=path)
        )


def offer_saved(parent: QWidget | None, path: Path, text: str | None = None) -> str | None:
    """After a PDF was written (an invoice, letters, reminders, a batch): offer to open it as
    "Show PDF" does or to print it as "Print…" does, so the clerk need not look for the file.
    Returns what was chosen (``asking.OPEN``, ``asking.PRINT`` or None)."""
    from lehrer_licenses.domain.errors import DomainError
    from lehrer_licenses.ui import asking
    from lehrer_licenses.ui.errors import show_error

    choice = asking.pdf_written(
        parent, _("PDF saved"), text or _("Saved to {path}.").format(path=path)
    )
    try:
        if choice == asking.OPEN:
            open_saved(path)
        elif choice == asking.PRINT:
            printer = asking.printer(parent, _("Print {name}").format(name=path.name))
            if printer is not None:
                print_pdf(path.read_bytes(), printer, path.stem)
    except (PrintError, OSError) as exc:
        title = _("Not shown") if choice == asking.OPEN else _("Not printed")
        show_error(parent, DomainError(str(exc)), title)
    return choice


def print_pdf(pdf: bytes, printer: QPrinter, name: str = "document") -> None:
    """Print ``pdf`` on the printer the user chose in a QPrintDialog."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        target = printer.outputFileName()
        if not target:
            raise PrintError(_("No file name to print to."))
        Path(target).write_bytes(pdf)
        return
    if HAS_QTPDF:  # pragma: no cover - only with PySide6-Addons
        _paint(pdf, printer)
        return
    path = temp_pdf(pdf, name)
    if sys.platform.startswith("win"):  # pragma: no cover - Windows only
        os.startfile(str(path), "print")  # type: ignore[attr-defined]
        return
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError(_("No print spooler (lp) was found; the file is {path}").format(path=path))
    command = [lp, "-n", str(max(1, printer.copyCount()))]
    if printer.printerName():
        command += ["-d", printer.printerName()]
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PrintError(
            _("The printer refused the document: {error}").format(
                error=(result.stderr or result.stdout).strip()
            )
        )


def _paint(pdf: bytes, printer: QPrinter) -> None:  # pragma: no cover - PySide6-Addons only
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPainter

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            image = document.render(page, area.size())
            painter.drawImage(area, image)
    finally:
        painter.end()
