"""Billing commands: ``vendor``, ``invoice ...``, ``quote`` and ``letters``.

Every command takes --db and --json. Bad input: a message on stderr, exit status 2, nothing
written; an output file is checked before the database is touched and written only at the end.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lehrer_licenses.cli.main import UsageError, _date, open_db, print_result
from lehrer_licenses.cli.output import invoice_text, key_values
from lehrer_licenses.domain.amounts import AmountNotRead, parse_typed_or_plain
from lehrer_licenses.domain.vat import COUNTRIES, REGIME_KINDS
from lehrer_licenses.i18n import _, ngettext

STATUSES = ("draft", "issued", "partly_paid", "paid", "overdue", "credited", "quote", "accepted")
KINDS = ("invoice", "credit_note", "quote")

# Option -> vendor setting (services.billing.vendor.VendorSettings).
VENDOR_OPTIONS = {
    "name": _("company name (at most 70 characters)"),
    "street": _("street"),
    "house-number": _("house number"),
    "postcode": _("postcode"),
    "city": _("town"),
    "country": _("country code (CH, LI, DE, AT, NL, ...)"),
    "email": _("e-mail address on the letterhead"),
    "phone": _("telephone number on the letterhead"),
    "website": _("website on the letterhead"),
    "logo-path": _("PNG or JPEG logo printed top left"),
    "vat-id": _("VAT/UID number (CHE-123.456.788 MWST, DE136695976, ...)"),
    "iban": _("IBAN of the account schools pay to"),
    "qr-iban": _("QR-IBAN for Swiss QR references (optional)"),
    "bic": _("BIC (optional)"),
    "payment-terms-days": _("days to pay an invoice"),
    "footer": _("footer text on every page"),
    "invoice-format": _("invoice numbers, e.g. {year}-{seq:05d}"),
    "credit-format": _("credit note numbers, e.g. G{year}-{seq:05d}"),
    "quote-format": _("quote numbers, e.g. Q{year}-{seq:05d}"),
    "quote-valid-days": _("days a quote is valid"),
    "dunning-wait-days": _("days before reminders 1, 2, 3, e.g. 10,14,14"),
    "dunning-fees": _("fees of reminders 1, 2, 3, e.g. 0,0,20"),
    "dunning-pay-days": _("days to pay after a reminder"),
}


def _amount(text: str) -> Decimal:
    try:
        return parse_typed_or_plain(text)
    except AmountNotRead as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _output(path: Path) -> Path:
    """Refuse an output file that cannot be written, before anything is done."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UsageError(_("{path} is a folder, not a file").format(path=path))
    if not folder.is_dir():
        raise UsageError(_("no such folder: {folder}").format(folder=folder))
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise UsageError(_("cannot write {path}").format(path=path))
    return target


def _write(path: Path, data: bytes) -> None:
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise UsageError(_("cannot write {path}: {error}").format(path=path, error=exc)) from exc


def add_commands(sub, command: Callable[..., argparse.ArgumentParser]) -> dict:
    vendor = command("vendor", _("the vendor identity and billing settings")).add_subparsers(
        dest="action", required=True
    )
    command("show", _("show the vendor settings"), vendor)
    vset = command("set", _("change vendor settings"), vendor)
    for option, help_text in VENDOR_OPTIONS.items():
        vset.add_argument(f"--{option}", help=help_text.replace("%", "%%"))
    regime = command(
        "regime", _("how VAT is charged to the schools of a country"), vendor
    ).add_subparsers(dest="regime_action", required=True)
    rset = command("set", _("declare the VAT regime for the schools of a country"), regime)
    rset.add_argument("country", type=str.upper, choices=COUNTRIES)
    rset.add_argument("regime", choices=REGIME_KINDS)
    rset.add_argument(
        "--vat-id", default="", help=_("the number of the VAT registration in that country")
    )

    invoice = command("invoice", _("invoices, credit notes and quotes")).add_subparsers(
        dest="action", required=True
    )
    lst = command("list", _("list invoices"), invoice)
    lst.add_argument("--status", choices=STATUSES)
    lst.add_argument("--kind", choices=KINDS)
    lst.add_argument("--school")
    lst.add_argument("--overdue", action="store_true", help=_("only overdue invoices"))
    lst.add_argument("--date", type=_date, help=_("the day to judge overdue on (default today)"))
    show = command("show", _("show an invoice"), invoice)
    show.add_argument("invoice")
    show.add_argument("--date", type=_date, help=_("the day to judge overdue on (default today)"))
    issue = command("issue", _("issue drafts: number them, store their PDFs"), invoice)
    issue.add_argument("invoice", nargs="*", help=_("one or more drafts (id)"))
    issue.add_argument(
        "--all-drafts", action="store_true", help=_("every invoice draft (or of --run)")
    )
    issue.add_argument(
        "--run",
        type=int,
        metavar="YEAR",
        help=_("with --all-drafts: only the drafts the renewal run of that year wrote"),
    )
    issue.add_argument("--date", type=_date, help=_("invoice date (default today)"))
    payments_ = command("payments", _("the payments of an invoice, reversals included"), invoice)
    payments_.add_argument("invoice", help=_("number, id or payment reference"))
    pdf = command("pdf", _("write the PDF of an invoice, credit note or quote"), invoice)
    pdf.add_argument("invoice")
    pdf.add_argument("-o", "--output", type=Path, required=True)
    pay = command("pay", _("book a payment"), invoice)
    pay.add_argument("invoice", help=_("number, id or payment reference"))
    pay.add_argument("--amount", type=_amount, required=True)
    pay.add_argument("--date", type=_date, required=True)
    pay.add_argument("--reference", default="")
    credit = command("credit", _("issue a credit note for an invoice"), invoice)
    credit.add_argument("invoice")
    credit.add_argument("--amount", type=_amount, help=_("incl. VAT (default: all not credited)"))
    credit.add_argument("--reason", required=True)
    credit.add_argument("--date", type=_date, help=_("credit note date (default today)"))
    delete = command("delete", _("delete a draft"), invoice)
    delete.add_argument("invoice")
    undo = command(
        "undo-order", _("undo an order entered by mistake: its seats and its draft"), invoice
    )
    undo.add_argument("invoice", help=_("the order's draft invoice (id)"))
    undo.add_argument(
        "--dry-run", action="store_true", help=_("show what would be removed, change nothing")
    )
    undo.add_argument("--date", type=_date, help=_("date of the new registration code"))
    edit = command("edit", _("change a draft's lines or date"), invoice)
    edit.add_argument("invoice")
    edit.add_argument(
        "--add-line",
        nargs=3,
        action="append",
        default=[],
        metavar=("DESCRIPTION", "QUANTITY", "UNIT_PRICE"),
    )
    edit.add_argument("--remove-line", type=int, action="append", default=[], metavar="POSITION")
    edit.add_argument("--date", type=_date)
    accept = command("accept", _("accept a quote: order its seats (draft invoice)"), invoice)
    accept.add_argument("invoice")
    accept.add_argument("--date", type=_date, help=_("order date (default today)"))
    einvoice = command("einvoice", _("write the e-invoice of an issued invoice"), invoice)
    einvoice.add_argument("invoice")
    einvoice.add_argument("-o", "--output", type=Path, required=True)
    einvoice.add_argument(
        "--xrechnung",
        action="store_true",
        help=_("an XRechnung CII XML (German public schools) instead of a Factur-X PDF"),
    )
    leitweg = command("leitweg-id", _("set a school's Leitweg-ID (XRechnung)"), invoice)
    leitweg.add_argument("school")
    leitweg.add_argument("leitweg_id", help=_("the Leitweg-ID; empty to clear it"))
    balance = command("balance", _("a school's invoiced, credited, paid and open amounts"), invoice)
    balance.add_argument("school")
    balance.add_argument("--date", type=_date)

    quote = command("quote", _("write a numbered quote for an order of seats"))
    quote.add_argument("school")
    quote.add_argument("--seats", type=int, required=True)
    quote.add_argument("--date", type=_date, required=True)
    quote.add_argument("--plan")
    quote.add_argument("-o", "--output", type=Path, help=_("also write the PDF here"))

    payment = command("payment", _("payments received")).add_subparsers(
        dest="action", required=True
    )
    reverse = command(
        "reverse", _("take back a payment booked by mistake (a counter-booking)"), payment
    )
    reverse.add_argument("payment", type=int, help=_("the payment's id (invoice payments N)"))
    reverse.add_argument("--reason", required=True)
    reverse.add_argument("--date", type=_date, help=_("date of the reversal (default today)"))

    letters = command("letters", _("printed letters")).add_subparsers(dest="action", required=True)
    dunning = command("dunning", _("payment reminders due on a day, into one PDF"), letters)
    dunning.add_argument("--date", type=_date, required=True)
    dunning.add_argument("-o", "--output", type=Path, help=_("one PDF with every letter"))
    dunning.add_argument("--per-school", type=Path, help=_("a folder: one PDF per school"))
    dunning.add_argument(
        "--dry-run", action="store_true", help=_("show what would be sent, record nothing")
    )
    notice = command("notice", _("notice-period reminders before renewals"), letters)
    notice.add_argument("--date", type=_date, required=True)
    notice.add_argument(
        "--within", type=int, default=60, help=_("notice deadlines within this many days")
    )
    renewal = command("renewal", _("renewal letters for the renewal invoices of a year"), letters)
    renewal.add_argument("--year", type=int, required=True)
    renewal.add_argument("--date", type=_date, required=True)
    price = command("price", _("price-change notices for a plan's schools"), letters)
    price.add_argument("plan")
    price.add_argument("--valid-from", type=_date, required=True)
    price.add_argument("--date", type=_date, required=True)
    for parser_ in (notice, renewal, price):
        parser_.add_argument("-o", "--output", type=Path, help=_("one PDF with every letter"))
        parser_.add_argument("--per-school", type=Path, help=_("a folder: one PDF per school"))
    for parser_ in (dunning, notice, renewal, price):
        parser_.add_argument(
            "--order",
            choices=("postcode", "number", "name"),
            default="postcode",
            help=_("order of the letters in the one PDF (default: postcode, for posting)"),
        )
        parser_.add_argument(
            "--eml-dir",
            type=Path,
            help=_("a folder: one e-mail draft (.eml) per school, the PDF attached; sends nothing"),
        )

    proposal = command(
        "dunning", _("payment reminders: see which are due, then send the chosen ones")
    ).add_subparsers(dest="dunning_action", required=True)
    propose = command(
        "propose", _("the overdue invoices with their next reminder; records nothing"), proposal
    )
    propose.add_argument("--date", type=_date, help=_("the day of the reminders (default: today)"))
    send = command("run", _("record and print the reminders of the chosen invoices"), proposal)
    send.add_argument(
        "--invoices",
        type=_invoice_ids,
        required=True,
        help=_("the invoice ids of the proposal to remind, e.g. 4,7,9"),
    )
    send.add_argument("--date", type=_date, help=_("the day of the reminders (default: today)"))
    send.add_argument("-o", "--output", type=Path, help=_("one PDF with every letter"))
    send.add_argument("--per-school", type=Path, help=_("a folder: one PDF per school"))
    return {
        "vendor": cmd_vendor,
        "invoice": cmd_invoice,
        "quote": cmd_quote,
        "letters": cmd_letters,
        "dunning": cmd_dunning,
        "payment": cmd_payment,
    }


def _invoice_ids(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(
            _("invoice ids are whole numbers separated by commas, e.g. 4,7,9; not {text}").format(
                text=text
            )
        )
    return [int(part) for part in parts]


# --- handlers ----------------------------------------------------------------------------------


def cmd_vendor(args) -> None:
    from lehrer_licenses.cli.json_billing import vat_regime_json, vendor_json
    from lehrer_licenses.services.billing import vat_regimes, vendor

    db = open_db(args)
    if args.action == "regime":
        regime = vat_regimes.set_regime(db, args.country, args.regime, args.vat_id)
        settings = vendor.get_vendor(db)
        doc = vat_regime_json(regime, settings.country, settings.vat_id)
        print_result(args, doc, lambda: key_values(doc))
        return
    if args.action == "set":
        changes = {
            option.replace("-", "_"): getattr(args, option.replace("-", "_"))
            for option in VENDOR_OPTIONS
            if getattr(args, option.replace("-", "_")) is not None
        }
        if not changes:
            raise UsageError(_("nothing to set: give at least one option, e.g. --name"))
        settings = vendor.set_vendor(db, changes)
    else:
        settings = vendor.get_vendor(db)
    doc = vendor_json(settings, vat_regimes.get_regimes(db))
    print_result(args, doc, lambda: _vendor_text(doc))


def _vendor_text(doc: dict) -> str:
    """The settings, then one line per school country: how its schools are billed."""
    plain = {k: v for k, v in doc.items() if k != "vat_regimes"}
    lines = [
        f"  {r['country']}  {r['regime']:<15} {r['tax_country']} {r['vat_id']}".rstrip()
        + ("" if r["declared"] else "  " + _("(not declared: billed as before)"))
        for r in doc["vat_regimes"]
    ]
    return "\n".join([key_values(plain), _("VAT regimes:"), *lines])


def _list_text(docs: list[dict]) -> str:
    if not docs:
        return _("no invoices")
    return "\n".join(
        f"{d['number'] or '#' + str(d['id']):<14} {d['date']}  {d['school']:<8} "
        f"{d['status']:<12} {d['currency']} {d['payable']:>10}  {_('open')} {d['open']:>10}"
        + (f"  {d['days_overdue']} {_('days overdue')}" if d["days_overdue"] else "")
        for d in docs
    )


def _invoice_text(doc: dict) -> str:
    text = invoice_text(doc)
    extra = {
        k: doc[k]
        for k in ("kind", "due_date", "reference", "paid", "credited", "open", "days_overdue")
        if doc.get(k) not in (None, "", 0)
    }
    return text + ("\n" + key_values(extra) if extra else "")


def cmd_invoice(args) -> None:
    from lehrer_licenses.cli import json_billing as shape
    from lehrer_licenses.services.billing import (
        credit_notes,
        draft_edits,
        issuing,
        lookups,
        payments,
        printing,
        quotes,
    )

    action = args.action
    if action == "pdf":
        target = _output(args.output)
        result = printing.invoice_pdf(open_db(args), args.invoice)
        _write(target, result.pdf)
        doc = {**shape.pdf_json(result), "file": str(target), "stored": result.stored}
        print_result(args, doc, lambda: str(target))
        return
    if action == "einvoice":
        from lehrer_licenses.services.billing.einvoices import make_einvoice

        target = _output(args.output)
        result = make_einvoice(open_db(args), args.invoice, xrechnung=args.xrechnung)
        _write(target, result.data)
        doc = {**shape.einvoice_json(result), "file": str(target)}
        print_result(args, doc, lambda: str(target))
        return
    db = open_db(args)
    if action == "leitweg-id":
        from lehrer_licenses.services.billing.einvoices import set_leitweg_id

        doc = shape.leitweg_id_json(set_leitweg_id(db, args.school, args.leitweg_id))
        print_result(args, doc, lambda: key_values(doc))
        return
    if action == "list":
        if args.overdue:
            overdue = payments.overdue_invoices(db, args.date)
            if args.school:
                overdue = [o for o in overdue if o.record.view.school == args.school]
            docs = [shape.overdue_json(o) for o in overdue]
        else:
            records = lookups.list_invoices(
                db, status=args.status, school=args.school, kind=args.kind, today=args.date
            )
            docs = [shape.invoice_json(r) for r in records]
        print_result(args, docs, lambda: _list_text(docs))
        return
    if action == "balance":
        doc = shape.balance_json(payments.school_balance(db, args.school, args.date))
        print_result(
            args,
            doc,
            lambda: "\n".join(
                [f"{doc['school']} {doc['school_name']}"]
                + [key_values(b) for b in doc["balances"]]
                + [_list_text_short(d) for d in doc["open_invoices"]]
            ),
        )
        return
    if action == "issue" and (args.all_drafts or len(args.invoice) != 1):
        _issue_many(db, args)
        return
    if action == "payments":
        doc = shape.payments_json(*payments.invoice_payments(db, args.invoice))
        print_result(args, doc, lambda: _payments_text(doc))
        return
    if action == "show":
        doc = shape.invoice_json(lookups.show_invoice(db, args.invoice, args.date))
    elif action == "issue":
        doc = shape.invoice_json(issuing.issue_invoice(db, args.invoice[0], args.date))
    elif action == "pay":
        doc = shape.payment_json(
            payments.record_payment(db, args.invoice, args.amount, args.date, args.reference)
        )
    elif action == "credit":
        doc = shape.credit_note_json(
            credit_notes.credit_invoice(
                db, args.invoice, reason=args.reason, amount=args.amount, on=args.date
            )
        )
    elif action == "delete":
        doc = shape.deleted_json(draft_edits.delete_draft(db, args.invoice))
        print_result(args, doc, lambda: _("draft {id} deleted").format(id=doc["id"]))
        return
    elif action == "undo-order":
        from lehrer_licenses.cli.json_licences import order_undo_json
        from lehrer_licenses.services.licences.seats.order_undo import undo_order

        result = undo_order(db, args.invoice, dry_run=args.dry_run, on=args.date)
        print_result(args, order_undo_json(result), lambda: _undo_text(result))
        return
    elif action == "edit":
        add = []
        for description, quantity, price in args.add_line:
            try:
                add.append(draft_edits.LineInput(description, Decimal(quantity), Decimal(price)))
            except InvalidOperation:
                raise UsageError(
                    _(
                        "--add-line: quantity and unit price must be numbers, not {q!r} {p!r}"
                    ).format(q=quantity, p=price)
                ) from None
        if not add and not args.remove_line and args.date is None:
            raise UsageError(_("nothing to change: give --add-line, --remove-line or --date"))
        doc = shape.invoice_json(
            draft_edits.edit_draft(db, args.invoice, add=add, remove=args.remove_line, on=args.date)
        )
    elif action == "accept":
        doc = shape.accepted_quote_json(quotes.accept_quote(db, args.invoice, args.date))
    else:  # pragma: no cover - argparse knows the actions
        raise UsageError(action)
    print_result(args, doc, lambda: _invoice_text(doc))


def _issue_many(db, args) -> None:
    """Several drafts, each issued in its own transaction: a refused one is reported and the
    others stay issued; the exit status is 2 when any was refused, so a script notices."""
    from lehrer_licenses.cli import json_billing as shape
    from lehrer_licenses.services.billing import batch_issue

    if args.all_drafts and args.invoice:
        raise UsageError(_("give draft ids or --all-drafts, not both"))
    if args.run is not None and not args.all_drafts:
        raise UsageError(_("--run goes with --all-drafts"))
    if args.all_drafts:
        ids = batch_issue.draft_ids(db, args.run)
        if not ids:
            raise UsageError(_("there are no drafts to issue"))
    else:
        if not args.invoice:
            raise UsageError(_("give the drafts to issue (ids) or --all-drafts"))
        try:
            ids = [int(key) for key in args.invoice]
        except ValueError:
            raise UsageError(
                _("several drafts are given by id, not {keys}").format(keys=" ".join(args.invoice))
            ) from None
        batch_issue.draft_totals(db, ids)  # refuses ids that are not drafts before issuing any
    results = batch_issue.issue_drafts(db, ids, args.date)
    doc = shape.batch_issue_json(results)
    print_result(args, doc, lambda: _batch_text(doc))
    if doc["refused"]:
        raise UsageError(
            _("{refused} of {count} drafts refused; the others are issued").format(
                refused=doc["refused"], count=len(results)
            )
        )


def _batch_text(doc: dict) -> str:
    lines = [
        f"{r['id']:>6}  {r['number']}  {r['currency']} {r['payable']}"
        if r["number"]
        else f"{r['id']:>6}  {_('refused')}: {r['refused']}"
        for r in doc["results"]
    ]
    lines.append(
        _("{issued} issued, {refused} refused").format(issued=doc["issued"], refused=doc["refused"])
    )
    return "\n".join(lines)


def _payments_text(doc: dict) -> str:
    lines = [f"{doc['number']}  {doc['status']}  {doc['currency']} {doc['open']}"]
    for p in doc["payments"]:
        note = ""
        if p["reverses"] is not None:
            note = _("reverses {id}: {reason}").format(id=p["reverses"], reason=p["reason"])
        elif p["reversed_by"] is not None:
            note = _("reversed by {id}").format(id=p["reversed_by"])
        lines.append(f"  {p['id']:>6}  {p['date']}  {p['amount']:>10}  {p['reference']}  {note}")
    return "\n".join(lines)


def cmd_payment(args) -> None:
    from lehrer_licenses.cli import json_billing as shape
    from lehrer_licenses.services.billing import payments

    result = payments.reverse_payment(
        open_db(args), args.payment, args.reason, args.date or date.today()
    )
    doc = shape.reversal_json(result)
    print_result(
        args,
        doc,
        lambda: _("payment {id} reversed ({reversal}); {number} is {status}, {open} open").format(
            id=doc["reversal"]["payment"],
            reversal=doc["reversal"]["id"],
            number=doc["number"],
            status=doc["status"],
            open=doc["open"],
        ),
    )


def _undo_text(result) -> str:
    head = (
        _("Undoing the order (dry run, nothing changed):") if result.dry_run else _("Order undone:")
    )
    lines = [head, *(f"  - {line}" for line in result.summary())]
    if result.code:
        lines.append(_("New registration code: {code}").format(code=result.code))
    return "\n".join(lines)


def _list_text_short(d: dict) -> str:
    return f"  {d['number']:<14} {d['date']}  {d['status']:<12} {d['currency']} {d['open']:>10}" + (
        f"  {d['days_overdue']} {_('days overdue')}" if d["days_overdue"] else ""
    )


def cmd_quote(args) -> None:
    from lehrer_licenses.cli.json_billing import invoice_json
    from lehrer_licenses.services.billing import quotes

    target = _output(args.output) if args.output else None
    record, pdf = quotes.create_quote(open_db(args), args.school, args.seats, args.date, args.plan)
    doc = invoice_json(record)
    if target is not None:
        _write(target, pdf)
        doc["file"] = str(target)
    print_result(args, doc, lambda: _invoice_text(doc))


def cmd_letters(args) -> None:
    from lehrer_licenses.cli.json_billing import dunning_json
    from lehrer_licenses.cli.json_season import letter_run_json, without_email_json
    from lehrer_licenses.services.billing import dunning
    from lehrer_licenses.services.season import letter_batches, letter_emails, letters

    dry = getattr(args, "dry_run", False)
    if not args.output and not args.per_school and not args.eml_dir and not dry:
        raise UsageError(
            _("say where the letters go: -o FILE, --per-school FOLDER and/or --eml-dir FOLDER")
        )
    target = _output(args.output) if args.output else None
    folder = eml_folder = None
    if args.per_school:
        folder = Path(args.per_school).expanduser()
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise UsageError(_("no writable folder {folder}").format(folder=args.per_school))
    if args.eml_dir:
        eml_folder = Path(args.eml_dir).expanduser()
        if not eml_folder.is_dir() or not os.access(eml_folder, os.W_OK):
            raise UsageError(_("no writable folder {folder}").format(folder=args.eml_dir))
        letter_emails.require_vendor_email(open_db(args))
    db = open_db(args)
    if args.action == "dunning":
        run = dunning.run_dunning(db, args.date, dry_run=dry)
    elif args.action == "notice":
        run = letters.notice_reminders(db, args.date, args.within)
    elif args.action == "renewal":
        run = letters.renewal_letters(db, args.year, args.date)
    else:
        run = letters.price_change_notices(db, args.plan, args.valid_from, args.date)
    files = []
    if target is not None and run.letters:
        _write(target, letter_batches.batch_pdf(run.letters, args.order))
        files.append(str(target))
    drafts = letter_emails.EmailDrafts()
    if eml_folder is not None:
        drafts = letter_emails.email_drafts(db, run.letters)
        files.extend(str(path) for path in drafts.write(eml_folder))
    if folder is not None:
        for school, pdf in run.pdf_per_school().items():
            path = folder / f"{args.action}-{args.date.isoformat()}-{school}.pdf"
            _write(path, pdf)
            files.append(str(path))
    shaped = dunning_json(run) if args.action == "dunning" else letter_run_json(run)
    doc = {**shaped, "files": files, "order": args.order}
    if eml_folder is not None:
        doc["without_email"] = without_email_json(drafts.without_email)
    if args.action == "dunning":
        lines = _reminder_lines(doc)
    else:
        lines = [f"  {row['school']:<8} {row['name']}" for row in doc["schools"]]
    count = len(run.letters) or len(lines)
    without = doc.get("without_letter", [])
    if without:
        lines.append(
            ngettext(
                "{n} school gets no letter:", "{n} schools get no letter:", len(without)
            ).format(n=len(without))
        )
        lines += [f"  {row['school']:<8} {row['name']}: {row['reason']}" for row in without]
    print_result(
        args,
        doc,
        lambda: "\n".join(
            [
                ngettext("{n} letter", "{n} letters", count).format(n=count),
                *lines,
                *files,
                *letter_emails.without_email_lines(drafts.without_email),
            ]
        ),
    )


def _reminder_lines(doc: dict) -> list[str]:
    return [
        f"  {n['invoice_id']:>6}  {n['number']:<14} {n['school']:<8} {_('level')} {n['level']}  "
        f"{n['currency']} {n['open']:>10}  {_('fee')} {n['fee']}"
        for n in doc["notices"]
    ]


def cmd_dunning(args) -> None:
    from datetime import date

    from lehrer_licenses.cli.json_billing import dunning_json
    from lehrer_licenses.services.billing import dunning

    on = args.date or date.today()
    if args.dunning_action == "propose":
        doc = dunning_json(dunning.propose_dunning(open_db(args), on))
        count = len(doc["notices"])
        print_result(
            args,
            doc,
            lambda: "\n".join(
                [
                    ngettext("{n} reminder due", "{n} reminders due", count).format(n=count),
                    *_reminder_lines(doc),
                ]
            ),
        )
        return
    if not args.output and not args.per_school:
        raise UsageError(_("say where the letters go: -o FILE and/or --per-school FOLDER"))
    target = _output(args.output) if args.output else None
    folder = None
    if args.per_school:
        folder = Path(args.per_school).expanduser()
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise UsageError(_("no writable folder {folder}").format(folder=args.per_school))
    run = dunning.run_dunning(open_db(args), on, invoices=args.invoices)
    files = []
    if target is not None:
        _write(target, run.batch_pdf)
        files.append(str(target))
    if folder is not None:
        for school, pdf in run.pdf_per_school().items():
            path = folder / f"dunning-{on.isoformat()}-{school}.pdf"
            _write(path, pdf)
            files.append(str(path))
    doc = {**dunning_json(run), "files": files}
    count = len(run.letters)
    print_result(
        args,
        doc,
        lambda: "\n".join(
            [
                ngettext("{n} letter", "{n} letters", count).format(n=count),
                *_reminder_lines(doc),
                *files,
            ]
        ),
    )
