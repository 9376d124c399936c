"""Issuing many drafts from the app: the Invoices view's selection or list, a renewal run's drafts
from the Renewals view. Both ask the same question (the count and the total per currency), issue
the drafts off the UI thread with progress and Cancel, and show the same result per invoice,
from which the issued documents are printed or saved as one PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.services.billing import batch_issue
from lehrer_licenses.services.browse import invoices as browse_invoices
from lehrer_licenses.ui import asking
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui.dialogs.batch_issue import BatchResultDialog
from lehrer_licenses.ui.errors import show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.pdf import PrintError, offer_saved, print_pdf, safe_name
from lehrer_licenses.ui.progress import run_with_progress
from lehrer_licenses.ui.workers import Cancelled, Progress, Task

# A PDF ready to print or save: the file name it is offered under, and its bytes.
Found = tuple[str, bytes]


def many_name(count: int) -> str:
    return safe_name(_("invoices-{n}").format(n=count))


def documents_pdf(parent: QWidget, db: Database, keys: Sequence[str]) -> Found | None:
    """The documents ``keys`` (numbers or ids) one after the other in one PDF; a refusal is
    shown to the user (None then)."""
    try:
        data, _pages = batch_issue.combined_pdf(db, list(keys))
    except DomainError as exc:
        show_error(parent, exc, _("No PDF"))
        return None
    return many_name(len(keys)), data


def print_found(parent: QWidget, found: Found | None, printer: QPrinter | None = None) -> bool:
    """Print on a printer chosen in the print dialog (``printer`` given: without asking)."""
    if found is None:
        return False
    name, data = found
    if printer is None:
        printer = asking.printer(parent, _("Print {name}").format(name=name))
        if printer is None:
            return False
    try:
        print_pdf(data, printer, name)
    except (PrintError, OSError) as exc:
        show_error(parent, DomainError(str(exc)), _("Not printed"))
        return False
    return True


def save_found(parent: QWidget, found: Found | None, path: str | None = None) -> Path | None:
    """Write the PDF to ``path``, else to a file the user chooses, and then offer to open or
    print it (a path given by a test or script is not offered)."""
    if found is None:
        return None
    asked = path is None
    if path is None:
        path = asking.save_file(parent, _("Save PDF"), f"{found[0]}.pdf", "PDF (*.pdf)")
        if path is None:
            return None
    target = Path(path)
    target.write_bytes(found[1])
    if asked:
        offer_saved(parent, target)
    return target


def question(totals: batch_issue.BatchTotals) -> str:
    return "\n".join(
        [
            ngettext("Issue {n} draft?", "Issue {n} drafts?", totals.count).format(n=totals.count),
            *(
                _("Total {amount}").format(amount=fmt.money(amount, currency))
                for currency, amount in totals.totals
            ),
            "",
            _(
                "Each invoice is issued on its own: one that is refused (a missing address, "
                "say) stays a draft and does not undo the others. Issued invoices are final."
            ),
        ]
    )


def issue_in_background(
    parent: QWidget,
    db: Database,
    ids: list[int],
    on: date,
    shown: Callable[[BatchResultDialog], None],
    finished: Callable[[], None],
) -> Task | None:
    """Confirm with the count and the totals per currency, then issue the drafts one by one off
    the UI thread (Cancel stops after the current one); ``shown`` gets the result list once it
    is open, ``finished`` is called when the work ends however it ends. None: not confirmed."""
    try:
        totals = batch_issue.draft_totals(db, ids)
    except DomainError as exc:
        show_error(parent, exc, _("Not issued"))
        return None
    if not asking.confirm(parent, _("Issue drafts"), question(totals)):
        return None
    total = len(ids)

    def work(progress: Progress):
        def step(done: int, _result) -> bool:
            try:
                progress(done, total)
            except Cancelled:
                return False
            return True

        progress(0, total)
        return batch_issue.issue_drafts(db, ids, on, step)

    def done(results) -> None:
        names = {}
        for result in results:
            found = browse_invoices.invoice_row(db, result.invoice_id, on)
            names[result.invoice_id] = f"{found.school} {found.school_name}" if found else ""
        dialog = BatchResultDialog(
            results,
            total,
            names,
            lambda numbers: print_found(parent, documents_pdf(parent, db, numbers)),
            lambda numbers: save_found(parent, documents_pdf(parent, db, numbers)),
            parent,
        )
        dialog.show()
        shown(dialog)

    task = run_with_progress(
        parent,
        _("Issue drafts"),
        ngettext("Issuing {n} draft…", "Issuing {n} drafts…", total).format(n=total),
        work,
        on_done=done,
    )
    task.signals.finished.connect(finished)
    return task
