"""Commands for user packages with subject add-ons (M1-M11), per-pupil subscriptions (F1-F11)
and the renewal of contracts with their own licence year (``renewals due``).

    package order|count|upgrade|resize|cancel|full|status ...
    addon order|cancel|list ...
    pupils terms|trial|start|count|upgrade|change|cancel|status|reminders ...
    renewals due --until DATE [--dry-run]

Bad input: a message on stderr, exit status 2, nothing written (every use case is one
transaction; argparse refuses malformed values before anything runs).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.periods import parse_date, parse_month
from lehrer_licenses.i18n import _


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(
            _("not a whole number of at least 1: {text!r}").format(text=text)
        )
    return value


def _count(text: str) -> tuple[str, int]:
    """``PART=N``, e.g. ``3-8=210``."""
    part, sep, number = text.partition("=")
    try:
        value = int(number)
    except ValueError:
        value = -1
    if not sep or not part.strip() or value < 0:
        raise argparse.ArgumentTypeError(
            _("not a pupil count (expected PART=N, e.g. 3-8=210): {text!r}").format(text=text)
        )
    return part.strip(), value


def _counts(pairs: list[tuple[str, int]] | None) -> dict[str, int]:
    from lehrer_licenses.cli.main import UsageError

    result: dict[str, int] = {}
    for part, value in pairs or []:
        if part in result:
            raise UsageError(_("the part {part} is given twice").format(part=part))
        result[part] = value
    return result


def _subparsers(parser: argparse.ArgumentParser):
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def add_commands(sub, command) -> dict:
    package = command("package", _("user packages (M1-M11)"), sub).add_subparsers(
        dest="action", required=True
    )
    p = command("order", _("activate a package: a licence year of 365 days"), package)
    p.add_argument("school")
    p.add_argument("--capacity", type=_positive, required=True)
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--plan")
    p.add_argument("--quote", action="store_true", help=_("show the price, write nothing"))
    p = command("count", _("record the users a package holds on a day"), package)
    p.add_argument("school")
    p.add_argument("--date", type=_date, required=True)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--users", type=int)
    which.add_argument(
        "--accounts",
        type=Path,
        help=_("CSV of accounts: person, last_used, registered_on, removed_on"),
    )
    p = command("upgrade", _("a larger package during the licence year (M8)"), package)
    p.add_argument("school")
    p.add_argument("--capacity", type=_positive, required=True)
    p.add_argument("--date", type=_date, required=True)
    p.add_argument(
        "--restart",
        action="store_true",
        help=_("give up the rest of the year and start a new one now"),
    )
    p.add_argument("--quote", action="store_true", help=_("show both options, write nothing"))
    p = command("resize", _("the package size for the next licence year (M2)"), package)
    p.add_argument("school")
    p.add_argument("--capacity", type=_positive, required=True)
    p.add_argument("--received", type=_date, required=True)
    p = command("cancel", _("record a cancellation of the package"), package)
    p.add_argument("school")
    p.add_argument("--received", type=_date, required=True)
    p = command("full", _("move to the full package; running add-ons are refunded"), package)
    p.add_argument("school")
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--quote", action="store_true", help=_("show the price, write nothing"))
    p = command("status", _("the package, its add-ons and the renewal price"), package)
    p.add_argument("school")
    p.add_argument("--date", type=_date, default=date.today())

    addon = command("addon", _("subject add-ons of a package (M10)"), sub).add_subparsers(
        dest="action", required=True
    )
    p = command("order", _("order a subject add-on: a year of its own"), addon)
    p.add_argument("school")
    p.add_argument("--subject", required=True)
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--quote", action="store_true", help=_("show the price, write nothing"))
    for name in ("name", "street", "postcode", "city", "country"):
        p.add_argument(f"--billing-{name}", default="")
    p = command("cancel", _("record a cancellation of an add-on"), addon)
    p.add_argument("school")
    p.add_argument("addon", type=int)
    p.add_argument("--received", type=_date, required=True)
    p = command("list", _("a school's add-ons"), addon)
    p.add_argument("school")
    p.add_argument("--date", type=_date, default=date.today())

    pupils = command("pupils", _("per-pupil subscriptions (F1-F11)"), sub).add_subparsers(
        dest="action", required=True
    )
    p = command("terms", _("record accepted terms and the data-processing agreement"), pupils)
    p.add_argument("school")
    p.add_argument("--accepted", type=_date, help=_("the day the general terms were accepted"))
    p.add_argument("--dpa-ref", help=_("reference of the data-processing agreement"))
    p.add_argument("--dpa-date", type=_date, help=_("the day it was signed"))
    p = command("trial", _("the one free trial of 1-8 full, at most 6 months"), pupils)
    p.add_argument("school")
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--until", type=_date)
    for name, text in (
        ("start", _("start the paid year: the pre-investment invoice")),
        ("upgrade", _("upgrade during the year: the year restarts, the old one is settled")),
    ):
        p = command(name, text, pupils)
        p.add_argument("school")
        p.add_argument("--plan", required=True)
        p.add_argument("--date", type=_date, required=True)
        p.add_argument(
            "--count",
            type=_count,
            action="append",
            required=True,
            help=_("pupils counted in a part's grades, PART=N (1-2, 3-8, 1-8)"),
        )
        p.add_argument("--quote", action="store_true", help=_("show the price, write nothing"))
    p = command("count", _("record a month's pupil counts per part"), pupils)
    p.add_argument("school")
    p.add_argument("--month", type=_month, required=True)
    p.add_argument("counts", type=_count, nargs="+", metavar="PART=N")
    p = command("change", _("downgrade or switch plan at the renewal (F11)"), pupils)
    p.add_argument("school")
    p.add_argument("--plan", required=True)
    p.add_argument("--received", type=_date, required=True)
    p = command("cancel", _("record a cancellation of the subscription"), pupils)
    p.add_argument("school")
    p.add_argument("--received", type=_date, required=True)
    p = command("status", _("agreements, trial and subscription"), pupils)
    p.add_argument("school")
    p = command("reminders", _("subscriptions whose notice reminder is due (F9)"), pupils)
    p.add_argument("--date", type=_date, default=date.today())

    due = command(
        "due",
        _("renew contracts with their own licence year, up to a date"),
        _subparsers(sub.choices["renewals"]),
    )
    due.add_argument("--until", type=_date, required=True)
    due.add_argument("--dry-run", action="store_true")
    due.add_argument(
        "--no-backup",
        action="store_true",
        help=_("a server database: go on without a backup of the last hour"),
    )
    due.add_argument(
        "--progress",
        action="store_true",
        help=_("print 'progress DONE/TOTAL' lines on stderr (for scripts)"),
    )
    return {
        "package": cmd_package,
        "addon": cmd_addon,
        "pupils": cmd_pupils,
        "renewals": cmd_renewals,
    }


def _out(args, doc, text=None) -> None:
    from lehrer_licenses.cli.main import print_result
    from lehrer_licenses.cli.output import key_values

    print_result(args, doc, text or (lambda: key_values(doc)))


def _with_invoice(args, doc: dict, notices: list[str]) -> None:
    from lehrer_licenses.cli.output import invoice_text, key_values

    def text() -> str:
        head = {k: v for k, v in doc.items() if not isinstance(v, dict | list)}
        parts = [key_values(head), invoice_text(doc["invoice"])]
        parts += [invoice_text(r) for r in doc.get("refunds", [])]
        return "\n".join([*parts, *notices])

    _out(args, doc, text)


def cmd_package(args) -> None:
    from lehrer_licenses.cli import json_licences
    from lehrer_licenses.cli.main import open_db
    from lehrer_licenses.cli.output import invoice_text, key_values
    from lehrer_licenses.services.licences.packages import activation as package_activation
    from lehrer_licenses.services.licences.packages import counts as package_counts
    from lehrer_licenses.services.licences.packages import full_package
    from lehrer_licenses.services.licences.packages import notice as package_notice
    from lehrer_licenses.services.licences.packages import status as package_state
    from lehrer_licenses.services.licences.packages import upgrade as package_upgrade

    db = open_db(args)
    if args.action == "order":
        use_case = (
            package_activation.quote_package if args.quote else package_activation.order_package
        )
        result = use_case(db, args.school, args.capacity, args.date, args.plan)
        _with_invoice(args, json_licences.package_result_json(result), result.notices)
    elif args.action == "count":
        accounts = package_counts.read_accounts(args.accounts) if args.accounts else None
        result = package_counts.record_user_count(db, args.school, args.date, args.users, accounts)
        doc = json_licences.count_result_json(result)
        _out(
            args,
            doc,
            lambda: "\n".join(
                [key_values({k: v for k, v in doc.items() if k not in ("options", "warning")})]
                + ([doc["warning"]] if doc["warning"] else [])
            ),
        )
    elif args.action == "upgrade":
        if args.quote:
            quote = package_upgrade.quote_upgrade(db, args.school, args.capacity, args.date)
            doc = json_licences.upgrade_quote_json(quote)
            _out(
                args,
                doc,
                lambda: "\n\n".join(
                    f"{o['option']}: {o['invoice']['currency']} {o['amount']}, "
                    f"{o['term_start']} – {o['term_end']}\n{invoice_text(o['invoice'])}"
                    for o in doc["options"]
                ),
            )
            return
        option = package_upgrade.RESTART if args.restart else package_upgrade.UPGRADE
        result = package_upgrade.upgrade_package(db, args.school, args.capacity, args.date, option)
        _with_invoice(args, json_licences.package_result_json(result), result.notices)
    elif args.action == "resize":
        resized = package_notice.change_at_renewal(db, args.school, args.capacity, args.received)
        _out(args, json_licences.size_at_renewal_json(resized))
    elif args.action == "cancel":
        cancelled = package_notice.cancel_package(db, args.school, args.received)
        _out(args, json_licences.cancellation_json(cancelled))
    elif args.action == "full":
        result = full_package.move_to_full_package(db, args.school, args.date, quote=args.quote)
        _with_invoice(args, json_licences.package_result_json(result), result.notices)
    else:
        status = package_state.package_status(db, args.school, args.date)
        doc = json_licences.package_status_json(status)
        _out(args, doc, lambda: _status_text(doc))


def _status_text(doc: dict) -> str:
    from lehrer_licenses.cli.output import key_values

    flat = {k: v for k, v in doc.items() if not isinstance(v, dict | list)}
    lines = [key_values(flat)]
    renewal = doc.get("renewal")
    if renewal:
        amount = renewal["amount"] or _("visible from {day}").format(day=renewal["visible_from"])
        lines.append(
            _("Renewal on {day}: {capacity} users, {currency} {amount}").format(
                day=renewal["date"],
                capacity=renewal["capacity"],
                currency=doc["currency"],
                amount=amount,
            )
        )
    for addon in doc.get("addons", []):
        lines.append(
            f"  #{addon['id']} {addon['subject']}  {addon['term_start']} – {addon['term_end']}"
            f"  {addon['status']}"
        )
    return "\n".join(lines)


def cmd_addon(args) -> None:
    from lehrer_licenses.cli import json_licences
    from lehrer_licenses.cli.main import open_db
    from lehrer_licenses.cli.output import key_values
    from lehrer_licenses.services.licences.packages import addons

    db = open_db(args)
    if args.action == "order":
        if args.quote:
            result = addons.quote_addon(db, args.school, args.subject, args.date)
        else:
            billing = addons.BillingAddress(
                args.billing_name,
                args.billing_street,
                args.billing_postcode,
                args.billing_city,
                args.billing_country.upper(),
            )
            result = addons.order_addon(db, args.school, args.subject, args.date, billing)
        _with_invoice(args, json_licences.addon_result_json(result), result.notices)
    elif args.action == "cancel":
        cancelled = addons.cancel_addon(db, args.school, args.addon, args.received)
        _out(args, json_licences.cancellation_json(cancelled))
    else:
        docs = [json_licences.addon_json(a) for a in addons.list_addons(db, args.school, args.date)]
        _out(
            args,
            docs,
            lambda: "\n\n".join(
                key_values({k: v for k, v in d.items() if not isinstance(v, dict)}) for d in docs
            ),
        )


def cmd_pupils(args) -> None:
    from lehrer_licenses.cli import json_licences
    from lehrer_licenses.cli.main import UsageError, open_db
    from lehrer_licenses.cli.output import key_values
    from lehrer_licenses.services.licences.pupils import agreements as pupil_agreements
    from lehrer_licenses.services.licences.pupils import counts as pupil_counts
    from lehrer_licenses.services.licences.pupils import notice as pupil_notice
    from lehrer_licenses.services.licences.pupils import paid_year
    from lehrer_licenses.services.licences.pupils import status as pupil_state
    from lehrer_licenses.services.licences.pupils import upgrade as pupil_upgrade

    if args.action == "terms" and args.accepted is None and args.dpa_ref is None:
        raise UsageError(_("give --accepted, or --dpa-ref with --dpa-date"))
    if args.action == "terms" and (args.dpa_ref is None) != (args.dpa_date is None):
        raise UsageError(_("--dpa-ref and --dpa-date go together"))
    counts = _counts(getattr(args, "count", None) or getattr(args, "counts", None))
    db = open_db(args)
    if args.action == "terms":
        agreed = pupil_agreements.record_agreements(
            db,
            args.school,
            terms_accepted_on=args.accepted,
            dpa_reference=args.dpa_ref,
            dpa_signed_on=args.dpa_date,
        )
        _out(args, json_licences.agreements_json(agreed))
    elif args.action == "trial":
        trial = pupil_agreements.start_trial(db, args.school, args.date, args.until)
        _out(args, json_licences.trial_json(trial))
    elif args.action in ("start", "upgrade"):
        use_case = (
            paid_year.start_paid_year if args.action == "start" else pupil_upgrade.upgrade_pupils
        )
        result = use_case(db, args.school, args.plan, args.date, counts, quote=args.quote)
        _with_invoice(args, json_licences.pupil_result_json(result), result.notices)
    elif args.action == "count":
        recorded = pupil_counts.record_pupil_counts(db, args.school, args.month, counts)
        doc = json_licences.pupil_counts_json(recorded)
        _out(args, doc, lambda: "\n".join([key_values(doc["counts"]), *doc["notices"]]))
    elif args.action == "change":
        changed = pupil_notice.change_at_renewal(db, args.school, args.plan, args.received)
        _out(args, json_licences.plan_at_renewal_json(changed))
    elif args.action == "cancel":
        cancelled = pupil_notice.cancel_pupils(db, args.school, args.received)
        _out(args, json_licences.cancellation_json(cancelled))
    elif args.action == "status":
        doc = json_licences.pupil_status_json(pupil_state.pupil_status(db, args.school))
        _out(args, doc, lambda: _nested_text(doc))
    else:
        docs = [json_licences.reminder_json(d) for d in pupil_notice.reminders_due(db, args.date)]
        _out(
            args,
            docs,
            lambda: "\n".join(
                f"{d['school']}  {d['school_name']}  {d['plan']}  {d['renewal']}  "
                f"{_('notice by')} {d['notice_deadline']}"
                for d in docs
            ),
        )


def _nested_text(doc: dict, indent: str = "") -> str:
    from lehrer_licenses.cli.output import key_values

    flat = {k: v for k, v in doc.items() if not isinstance(v, dict | list)}
    lines = [key_values(flat)] if flat else []
    for key, value in doc.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.append(_nested_text(value, indent + "  "))
        elif isinstance(value, list):
            lines.append(f"{key}: {value}")
    return "\n".join(indent + line for text in lines for line in text.splitlines())


def cmd_renewals(args) -> None:
    from lehrer_licenses.cli import json_licences
    from lehrer_licenses.cli.main import cmd_renewals as calendar_year_run
    from lehrer_licenses.cli.main import open_db
    from lehrer_licenses.cli.output import key_values
    from lehrer_licenses.services.season.renewals_due import run_due_renewals

    if args.action != "due":
        calendar_year_run(args)
        return
    db = open_db(args)
    progress = None
    if args.progress:  # for scripts and the crash-safety tests

        def progress(done: int, total: int) -> None:
            print(f"progress {done}/{total}", file=sys.stderr, flush=True)

    elif not getattr(args, "json", False) and sys.stderr.isatty():

        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\r{done}/{total}")
            if done == total:
                sys.stderr.write("\n")

    run = run_due_renewals(
        db, args.until, dry_run=args.dry_run, progress=progress, no_backup=args.no_backup
    )
    summary = json_licences.due_summary_json(run.summary())
    _out(
        args,
        json_licences.due_run_json(run),
        lambda: key_values({"until": args.until.isoformat(), "dry_run": args.dry_run, **summary}),
    )
