"""``lehrer-licenses``: with no command the desktop app, otherwise the commands of DESIGN.md §5.

Bad input prints one message on stderr naming the problem and exits with status 2; the use case
behind a command is one transaction, so nothing is half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from lehrer_licenses import __version__
from lehrer_licenses.cli.output import emit_json, invoice_text, key_values
from lehrer_licenses.domain.amounts import AmountNotRead, parse_typed_or_plain
from lehrer_licenses.domain.catalogue import NAME_LANGUAGES
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.periods import parse_date, parse_month
from lehrer_licenses.i18n import MissingCatalogue, _, ui_language
from lehrer_licenses.paths import MissingResource

EXIT_BAD_INPUT = 2
# The installation lacks a file it ships (font, template, catalogue): not the user's input.
EXIT_BROKEN_INSTALL = 3


class UsageError(DomainError):
    pass


class _VersionAction(argparse.Action):
    """``--version``: the package version and the schema it writes, so a support call can tell
    which database a program can open. The schema is read from the migration files."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from lehrer_licenses.services.database_init import schema_version

        print(f"lehrer-licenses {__version__} (schema {schema_version()})")
        parser.exit()


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


# The free-text options of ``school edit`` (country and language have fixed choices).
SCHOOL_TEXT_FIELDS = (
    "name",
    "street",
    "house-number",
    "postcode",
    "city",
    "email",
    "vat-id",
    "leitweg-id",
    "note",
)


def _decimal(text: str) -> Decimal:
    try:
        return parse_typed_or_plain(text)
    except AmountNotRead as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _common() -> argparse.ArgumentParser:
    # SUPPRESS keeps a subcommand from resetting what was given before it: both
    # `--json order ...` and `order ... --json` work.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help=_("database file or URL (default: $LEHRER_LICENSES_DB or the user data folder)"),
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=_("print one JSON document")
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="lehrer-licenses", parents=[common], description=_("Licence desk for school software.")
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help=_("show the version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, parent=sub) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help_text, parents=[common])

    command("init", _("create or migrate the database and load the default catalogue"))
    migrate = command(
        "migrate",
        _("bring the database to this version's schema (a server database needs this explicitly)"),
    )
    migrate.add_argument(
        "--no-backup",
        action="store_true",
        help=_("migrate a server database without a pg_dump backup first"),
    )
    demo = command("demo", _("create realistic sample data"))
    demo.add_argument("--schools", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)

    school = command("school", _("schools")).add_subparsers(dest="action", required=True)
    add = command("add", _("add a school"), school)
    add.add_argument("--name", required=True)
    add.add_argument("--country", required=True, choices=["CH", "DE", "AT", "NL"])
    add.add_argument("--language", required=True, choices=["de", "fr", "it", "en", "nl"])
    for field in ("street", "house-number", "postcode", "city", "email", "vat-id"):
        add.add_argument(f"--{field}", default="")
    add.add_argument("--db-hosting", action="store_true")
    add.add_argument("--canton-licence", action="store_true")
    lst = command("list", _("list schools"), school)
    lst.add_argument("--search", default="")
    lst.add_argument("--limit", type=int, default=50)
    show = command("show", _("show one school"), school)
    show.add_argument("school")
    sedit = command("edit", _("correct a school's name, address or contact"), school)
    sedit.add_argument("school")
    sedit.add_argument("--country", choices=["CH", "DE", "AT", "NL"])
    sedit.add_argument("--language", choices=["de", "fr", "it", "en", "nl"])
    for field in SCHOOL_TEXT_FIELDS:
        sedit.add_argument(f"--{field}")

    order = command("order", _("order seats (writes a draft invoice)"))
    order.add_argument("school")
    order.add_argument("--seats", type=int, required=True)
    order.add_argument("--date", type=_date, required=True)
    order.add_argument("--plan")
    order.add_argument("--quote", action="store_true", help=_("show the price, write nothing"))

    cancel = command("cancel", _("record a written cancellation"))
    cancel.add_argument("school")
    which = cancel.add_mutually_exclusive_group(required=True)
    which.add_argument("--seats", type=int)
    which.add_argument("--all", action="store_true")
    cancel.add_argument("--received", type=_date, required=True)

    teacher = command("teacher", _("teachers")).add_subparsers(dest="action", required=True)
    tadd = command("add", _("add a teacher"), teacher)
    tadd.add_argument("school")
    tadd.add_argument("--first-name", required=True)
    tadd.add_argument("--last-name", required=True)
    tadd.add_argument("--email", default="")
    tadd.add_argument("--admin", action="store_true", help=_("the one free admin login (L11)"))
    tedit = command("edit", _("correct a teacher's name or e-mail"), teacher)
    tedit.add_argument("teacher", type=int)
    for field in ("first-name", "last-name", "email"):
        tedit.add_argument(f"--{field}")

    seat = command("seat", _("seats")).add_subparsers(dest="action", required=True)
    slist = command("list", _("list a school's seats"), seat)
    slist.add_argument("school")
    assign = command("assign", _("give a free seat to a teacher"), seat)
    assign.add_argument("school")
    assign.add_argument("--teacher", type=int, required=True)
    assign.add_argument("--seat", type=int)
    assign.add_argument("--date", type=_date, default=date.today())
    transfer = command("transfer", _("move a seat from a leaver to a newcomer (free)"), seat)
    transfer.add_argument("school")
    transfer.add_argument("--from", dest="from_teacher", type=int, required=True)
    transfer.add_argument("--to", dest="to_teacher", type=int, required=True)
    transfer.add_argument("--date", type=_date, default=date.today())
    transfer.add_argument(
        "--stays", action="store_true", help=_("the previous holder stays at the school")
    )
    free = command("free", _("free a teacher's seat"), seat)
    free.add_argument("school")
    free.add_argument("--teacher", type=int, required=True)
    free.add_argument("--date", type=_date, default=date.today())
    free.add_argument("--stays", action="store_true")

    user = command("user", _("user logins")).add_subparsers(dest="action", required=True)
    for action in ("freeze", "unfreeze"):
        command(action, _("freeze or unfreeze a user (L9)"), user).add_argument("teacher", type=int)

    usage = command("usage", _("monthly user counts")).add_subparsers(dest="action", required=True)
    record = command("record", _("record a month's count (DB-hosting)"), usage)
    record.add_argument("school")
    record.add_argument("--month", type=_month, required=True)
    record.add_argument(
        "--count", type=int, help=_("the count; without it the users holding seats are counted")
    )

    renewals = command("renewals", _("year-end renewal")).add_subparsers(
        dest="action", required=True
    )
    run = command("run", _("renew calendar-year contracts into a year"), renewals)
    run.add_argument("--year", type=int, required=True)
    run.add_argument("--dry-run", action="store_true")
    run.add_argument(
        "--drafts",
        action="store_true",
        help=_("leave the invoices as drafts to review and issue later"),
    )
    run.add_argument(
        "--date",
        type=_date,
        default=None,
        help=_("the date the invoices are issued on (default: today)"),
    )
    run.add_argument(
        "--no-backup",
        action="store_true",
        help=_("a server database: go on without a backup of the last hour"),
    )
    run.add_argument(
        "--progress",
        action="store_true",
        help=_("print 'progress DONE/TOTAL' lines on stderr (for scripts)"),
    )

    code = command("code", _("registration codes")).add_subparsers(dest="action", required=True)
    command("issue", _("issue a code for a school's current seats"), code).add_argument("school")
    command("list", _("the codes a school was given"), code).add_argument("school")
    verify = command("verify", _("check a code (needs only the public key)"), code)
    verify.add_argument("code")
    verify.add_argument(
        "--public-key", type=Path, help=_("PEM file of the public key (default: this desk's key)")
    )
    export = command("export-public-key", _("write the public key for licensed programs"), code)
    export.add_argument("-o", "--output", type=Path, required=True)
    key_backup = command("key-backup", _("save the signing key, encrypted with a passphrase"), code)
    key_backup.add_argument("-o", "--output", type=Path, required=True)
    key_restore = command("key-restore", _("put a saved signing key back in place"), code)
    key_restore.add_argument("file", type=Path)
    key_restore.add_argument(
        "--overwrite", action="store_true", help=_("replace a different key that is already here")
    )
    for parser_ in (key_backup, key_restore):
        parser_.add_argument(
            "--passphrase-file",
            type=Path,
            help=_(
                "read the passphrase from this file (default: "
                "$LEHRER_LICENSES_KEY_PASSPHRASE, else asked for)"
            ),
        )

    catalogue = command("catalogue", _("plans and prices")).add_subparsers(
        dest="action", required=True
    )
    command("list", _("list plans with their prices"), catalogue)
    tier = command("tier", _("volume discount tiers"), catalogue).add_subparsers(
        dest="tier_action", required=True
    )
    tier_add = command("add", _("add a tier band (L8)"), tier)
    tier_add.add_argument("plan")
    tier_add.add_argument("--from", dest="from_quantity", type=int, required=True)
    tier_add.add_argument("--percent", type=_decimal, required=True)
    tier_add.add_argument("--valid-from", type=_date, required=True)
    tier_add.add_argument("--note", default="")
    rename = command("rename", _("set a plan's or product's name in one language"), catalogue)
    rename.add_argument("code", help=_("the plan's code (the product's with --product)"))
    rename.add_argument("--language", required=True, choices=NAME_LANGUAGES)
    rename.add_argument("--name", required=True)
    rename.add_argument("--product", action="store_true", help=_("rename the product"))
    price = command("price", _("dated prices"), catalogue).add_subparsers(
        dest="price_action", required=True
    )
    price_add = command("add", _("add a price valid from a date (L13)"), price)
    price_add.add_argument("plan")
    price_add.add_argument("--component", required=True)
    price_add.add_argument("--amount", type=_decimal, required=True)
    price_add.add_argument("--valid-from", type=_date, required=True)
    price_add.add_argument(
        "--announced",
        type=_date,
        default=None,
        help=_("when customers were told (default today); M11: 6 months before a renewal"),
    )
    for module in _extensions():
        COMMANDS.update(module.add_commands(sub, command))
    return parser


def _open(args, *, create: bool = False):
    from lehrer_licenses.services.database_init import open_database, resolve_url

    url = resolve_url(getattr(args, "db", None))
    if url.startswith("sqlite:///") and not create:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise UsageError(
                _("no database at {path}: run 'lehrer-licenses init' first").format(path=path)
            )
    db = open_database(url)
    if db.network_warning:
        print(_("warning: {message}").format(message=db.network_warning), file=sys.stderr)
    return db


def _print(args, document, text: Callable[[], str]) -> None:
    if getattr(args, "json", False):
        emit_json(document)
    else:
        print(text())


def cmd_init(args) -> None:
    from lehrer_licenses.services.database_init import init_database, mask_url

    db, installed = init_database(getattr(args, "db", None), migrate_server=True)
    url = mask_url(db.url)
    _print(
        args,
        {"database": url, "catalogue_installed": installed},
        lambda: _("Database ready: {url}").format(url=url),
    )


def cmd_migrate(args) -> None:
    from lehrer_licenses.services.database_init import migrate_database

    before, after, backup = migrate_database(getattr(args, "db", None), no_backup=args.no_backup)

    def text() -> str:
        if before == after:
            return _("The database has schema {schema} already; nothing to do.").format(
                schema=after
            )
        done = _("Database migrated from schema {before} to {after}.").format(
            before=before or "-", after=after
        )
        if backup is not None:
            done += "\n" + _("Backup written first: {path}").format(path=backup)
        return done

    _print(
        args,
        {"schema_before": before, "schema": after, "backup": str(backup) if backup else None},
        text,
    )


def cmd_demo(args) -> None:
    from lehrer_licenses.cli.json_office import demo_json
    from lehrer_licenses.services.database_init import init_database
    from lehrer_licenses.services.demo.sample_data import create_demo

    if args.schools <= 0:
        raise UsageError(_("--schools must be at least 1, not {n}").format(n=args.schools))
    db, _installed = init_database(getattr(args, "db", None))
    stats = demo_json(create_demo(db, args.schools, seed=args.seed))
    _print(args, stats, lambda: key_values(stats))


def cmd_school(args) -> None:
    from lehrer_licenses.cli.json_office import school_json, school_summary_json
    from lehrer_licenses.services import schools

    db = _open(args)
    if args.action == "add":
        number = schools.add_school(
            db,
            schools.SchoolInput(
                name=args.name,
                country=args.country,
                language=args.language,
                street=args.street,
                house_number=args.house_number,
                postcode=args.postcode,
                city=args.city,
                email=args.email,
                vat_id=args.vat_id,
                db_hosting=args.db_hosting,
                canton_licence=args.canton_licence,
            ),
        )
        _print(args, {"number": number}, lambda: number)
    elif args.action == "list":
        rows = schools.find_schools(db, args.search, args.limit)
        _print(
            args,
            [school_json(r) for r in rows],
            lambda: "\n".join(
                f"{r.number}  {r.name}  {r.postcode} {r.city}  {r.country}" for r in rows
            ),
        )
    elif args.action == "edit":
        fields = ("country", "language", *SCHOOL_TEXT_FIELDS)
        changes = _given(args, fields)
        edit = schools.edit_school(db, args.school, changes)
        doc = {
            "school": edit.school,
            "changed": _changes_json(edit.changed),
            "drafts_affected": edit.drafts_affected,
        }
        _print(args, doc, lambda: _changes_text(edit.changed))
    else:
        doc = school_summary_json(schools.school_summary(db, args.school))
        _print(args, doc, lambda: key_values(doc))


def _given(args, fields: Sequence[str]) -> dict[str, str]:
    """The options given (``--city ""`` clears a field); none at all is a usage error."""
    changes = {
        name.replace("-", "_"): getattr(args, name.replace("-", "_"))
        for name in fields
        if getattr(args, name.replace("-", "_")) is not None
    }
    if not changes:
        raise UsageError(
            _("nothing to change: give at least one of {options}").format(
                options=", ".join(f"--{name}" for name in fields)
            )
        )
    return changes


def _changes_json(changed: dict[str, tuple]) -> dict[str, list]:
    return {name: [old, new] for name, (old, new) in changed.items()}


def _changes_text(changed: dict[str, tuple]) -> str:
    if not changed:
        return _("Nothing changed.")
    return "\n".join(
        f"{name}: {old or '-'} -> {new or '-'}" for name, (old, new) in changed.items()
    )


def cmd_order(args) -> None:
    from lehrer_licenses.cli.json_billing import invoice_view_json
    from lehrer_licenses.cli.json_licences import order_quote_json
    from lehrer_licenses.services.licences.seats.orders import order_seats, quote_order

    db = _open(args)
    use_case = quote_order if args.quote else order_seats
    result = use_case(db, args.school, args.seats, args.date, args.plan)
    doc = invoice_view_json(result.invoice)
    doc["notices"] = result.notices
    doc["order"] = {k: v for k, v in order_quote_json(result).items() if k != "invoice"}
    _print(args, doc, lambda: "\n".join([invoice_text(doc), *result.notices]))


def cmd_cancel(args) -> None:
    from lehrer_licenses.cli.json_licences import seat_cancellation_json
    from lehrer_licenses.services.licences.seats.cancellations import cancel

    db = _open(args)
    result = cancel(
        db, args.school, seats=args.seats, received=args.received, whole_contract=args.all
    )
    doc = seat_cancellation_json(result)
    _print(args, doc, lambda: key_values(doc))


def cmd_teacher(args) -> None:
    from lehrer_licenses.services.licences.seats.holders import add_teacher, edit_teacher

    db = _open(args)
    if args.action == "edit":
        changes = _given(args, ("first-name", "last-name", "email"))
        edit = edit_teacher(db, args.teacher, changes)
        doc = {"teacher": edit.teacher, "name": edit.name, "changed": _changes_json(edit.changed)}
        _print(args, doc, lambda: _changes_text(edit.changed))
        return
    teacher_id = add_teacher(
        db, args.school, args.first_name, args.last_name, args.email, admin=args.admin
    )
    _print(args, {"id": teacher_id}, lambda: str(teacher_id))


def cmd_seat(args) -> None:
    from lehrer_licenses.cli.json_licences import seat_json
    from lehrer_licenses.services.licences.seats import holders as seats

    db = _open(args)
    if args.action == "list":
        views = [seat_json(s) for s in seats.list_seats(db, args.school)]
        _print(
            args,
            views,
            lambda: "\n".join(
                f"{v['seat']:>4}  {v['teacher'] or _('(free)')}"
                + (f"  {_('until')} {v['release_on']}" if v["release_on"] else "")
                for v in views
            ),
        )
        return
    if args.action == "assign":
        view = seats.assign_seat(db, args.school, args.teacher, args.date, args.seat)
    elif args.action == "transfer":
        view = seats.transfer_seat(
            db, args.school, args.from_teacher, args.to_teacher, args.date, leaving=not args.stays
        )
    else:
        view = seats.free_seat(db, args.school, args.teacher, args.date, leaving=not args.stays)
    doc = seat_json(view)
    _print(args, doc, lambda: key_values(doc))


def cmd_user(args) -> None:
    from lehrer_licenses.services.licences.seats.holders import set_frozen

    db = _open(args)
    set_frozen(db, args.teacher, args.action == "freeze")
    doc = {"teacher": args.teacher, "frozen": args.action == "freeze"}
    _print(args, doc, lambda: key_values(doc))


def cmd_usage(args) -> None:
    from lehrer_licenses.services.licences.seats.hosting_usage import record_usage

    db = _open(args)
    count = record_usage(db, args.school, args.month, args.count)
    doc = {"school": args.school, "month": args.month.strftime("%Y-%m"), "count": count}
    _print(args, doc, lambda: key_values(doc))


def cmd_renewals(args) -> None:
    from lehrer_licenses.cli.json_season import renewal_run_json
    from lehrer_licenses.services.season.year_end import run_renewals

    db = _open(args)
    progress = None
    if args.progress:

        def progress(done: int, total: int) -> None:
            print(f"progress {done}/{total}", file=sys.stderr, flush=True)

    elif not getattr(args, "json", False) and sys.stderr.isatty():

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

    issue_on = None if args.drafts else (args.date or date.today())
    result = run_renewals(
        db,
        args.year,
        dry_run=args.dry_run,
        progress=progress,
        issue_on=issue_on,
        no_backup=args.no_backup,
    )
    doc = renewal_run_json(result)

    def text() -> str:
        lines = [key_values({"year": args.year, "dry_run": args.dry_run, **doc["summary"]})]
        # The reasons say how to mend each (JSON has them with each school).
        failed = [item for item in result.items if item.action == "failed"]
        if failed:
            lines.append(_("Not renewed; mend these and run again:"))
            lines += [f"  {i.school:<8} {i.school_name}: {i.error}" for i in failed]
        waiting = [item for item in result.items if item.warning]
        if waiting:
            lines.append(_("Drafts that cannot be issued until mended:"))
            lines += [f"  {i.school:<8} {i.school_name}: {i.warning}" for i in waiting]
        return "\n".join(lines)

    _print(args, doc, text)


def cmd_catalogue(args) -> None:
    from lehrer_licenses.cli.json_office import plan_json
    from lehrer_licenses.services import catalogue

    db = _open(args)
    if args.action == "tier":
        catalogue.add_tier(
            db, args.plan, args.from_quantity, args.percent, args.valid_from, args.note
        )
    elif args.action == "rename":
        catalogue.rename(db, args.code, args.language, args.name, product=args.product)
    elif args.action == "price":
        catalogue.add_price(
            db,
            args.plan,
            args.component,
            args.amount,
            args.valid_from,
            announced_on=args.announced,
        )
    plans = [plan_json(p) for p in catalogue.list_plans(db)]
    _print(
        args,
        plans,
        lambda: "\n".join(
            f"{p['code']:<10} {p['currency']} {p['names'].get(ui_language(), p['name'])}\n"
            + "\n".join(
                f"    {x['component']:<20} {x['amount']:>10}  {_('from')} {x['valid_from']}"
                for x in p["prices"]
            )
            + "".join(
                f"\n    {_('from seat')} {t['from']}: -{t['percent_off']}%  {_('from')} "
                f"{t['valid_from']}"
                for t in p["tiers"]
            )
            for p in plans
        ),
    )


def _passphrase(args, *, confirm: bool) -> str:
    if args.passphrase_file:
        try:
            return args.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(
                _("cannot read the passphrase file: {error}").format(error=exc)
            ) from exc
    if os.environ.get("LEHRER_LICENSES_KEY_PASSPHRASE"):
        return os.environ["LEHRER_LICENSES_KEY_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise UsageError(
            _("no passphrase: give --passphrase-file or set LEHRER_LICENSES_KEY_PASSPHRASE")
        )
    import getpass

    first = getpass.getpass(_("Passphrase: "))
    if confirm and getpass.getpass(_("Passphrase again: ")) != first:
        raise UsageError(_("the two passphrases differ"))
    return first


def cmd_code(args) -> None:
    from lehrer_licenses.cli.json_licences import code_json
    from lehrer_licenses.services.licences import codes

    if args.action == "verify":
        try:
            doc = codes.verify_code(args.code, args.public_key)
        except codes.CodeRejected as exc:
            if getattr(args, "json", False):
                emit_json(
                    {"valid": False, "reason": exc.reason, "block": exc.block, "message": str(exc)}
                )
            raise UsageError(_("code rejected: {message}").format(message=str(exc))) from exc
        except (OSError, ValueError) as exc:
            raise UsageError(_("cannot read the public key: {error}").format(error=exc)) from exc
        _print(args, doc, lambda: key_values(doc))
        return
    if args.action in ("key-backup", "key-restore"):
        passphrase = _passphrase(args, confirm=args.action == "key-backup")
        if args.action == "key-backup":
            path = codes.backup_signing_key(args.output, passphrase)
            _print(args, {"key_backup": str(path)}, lambda: str(path))
        else:
            pem = codes.restore_signing_key(args.file, passphrase, args.overwrite).decode()
            _print(args, {"public_key": pem}, lambda: pem)
        return
    if args.action == "export-public-key":
        path = codes.export_public_key(args.output)
        _print(args, {"public_key": str(path)}, lambda: str(path))
        return
    db = _open(args)
    if args.action == "issue":
        doc = code_json(codes.issue_code_now(db, args.school))
        _print(args, doc, lambda: key_values(doc))
    else:
        views = [code_json(v) for v in codes.code_history(db, args.school)]
        _print(args, views, lambda: "\n\n".join(key_values(v) for v in views))


# Areas with many commands keep them in a module of their own: it has
# ``add_commands(sub, command) -> {name: handler}``, where ``command(name, help, parent=sub)`` makes
# a subparser that takes --db and --json, and handlers get the parsed args (helpers: ``open_db``,
# ``print_result``, ``UsageError``).
EXTENSIONS: tuple[str, ...] = (
    "lehrer_licenses.cli.data_commands",
    "lehrer_licenses.cli.invoice_commands",
    "lehrer_licenses.cli.package_commands",
    "lehrer_licenses.cli.import_commands",
    "lehrer_licenses.cli.export_commands",
    "lehrer_licenses.cli.season_commands",  # after package_commands: adds to its group
    "lehrer_licenses.cli.server_commands",
)


def _extensions():
    import importlib

    return [importlib.import_module(name) for name in EXTENSIONS]


open_db = _open
print_result = _print

COMMANDS = {
    "init": cmd_init,
    "migrate": cmd_migrate,
    "demo": cmd_demo,
    "school": cmd_school,
    "order": cmd_order,
    "cancel": cmd_cancel,
    "teacher": cmd_teacher,
    "seat": cmd_seat,
    "user": cmd_user,
    "usage": cmd_usage,
    "renewals": cmd_renewals,
    "catalogue": cmd_catalogue,
    "code": cmd_code,
}


_PARSERS: dict[tuple[str | None, ...], argparse.ArgumentParser] = {}
# argparse translates its own words ("usage:", "options") by the locale's variables
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _parser() -> argparse.ArgumentParser:
    """The parser in the current language, built once: a build costs about 36 ms (half of it
    argparse's own translations), paid on every call by the in-process callers (the tests run
    some 700 commands)."""
    key = (ui_language(), *map(os.environ.get, _LOCALE_VARIABLES))
    if key not in _PARSERS:
        _PARSERS[key] = build_parser()
    return _PARSERS[key]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from lehrer_licenses.ui.app import run

        return run(getattr(args, "db", None))
    try:
        COMMANDS[args.command](args)
    except DomainError as exc:
        from lehrer_licenses.services.database_init import mask_text

        # a message may quote what the user typed, URLs with their password included
        print(f"lehrer-licenses: {mask_text(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (MissingResource, MissingCatalogue) as exc:
        print(f"lehrer-licenses: {exc}", file=sys.stderr)
        return EXIT_BROKEN_INSTALL
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
