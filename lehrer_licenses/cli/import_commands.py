"""``import schools|teachers FILE.csv [--dry-run]``, ``import template KIND -o FILE``.

All rows or none: a file with any bad row is refused with every problem on stderr (row, column,
reason), exit status 2; with --json the same problems also come as one JSON document on stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lehrer_licenses.cli.output import emit_json
from lehrer_licenses.i18n import _, ngettext

if TYPE_CHECKING:
    from lehrer_licenses.services.exchange.school_import import ImportReport


def add_commands(sub, command) -> dict:
    imports = command("import", _("import schools or teachers from a CSV file"), sub)
    actions = imports.add_subparsers(dest="action", required=True)
    for kind, help_text in (
        ("schools", _("import schools: every row or none")),
        ("teachers", _("import teachers of existing schools: every row or none")),
    ):
        parser = command(kind, help_text, actions)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("check and show what would be created")
        )
    template = command("template", _("write a template CSV to fill in"), actions)
    template.add_argument("kind", choices=["schools", "teachers"])
    template.add_argument("-o", "--output", type=Path, required=True)
    return {"import": cmd_import}


def cmd_import(args) -> None:
    from lehrer_licenses.cli.json_exchange import import_report_json
    from lehrer_licenses.cli.main import open_db, print_result
    from lehrer_licenses.services.exchange import school_import as csv_import

    if args.action == "template":
        path = csv_import.write_template(args.kind, args.output)
        print_result(
            args,
            {"template": str(path), "kind": args.kind},
            lambda: _("Template written: {path}").format(path=path),
        )
        return
    db = open_db(args)
    try:
        report = csv_import.run_import(db, args.action, args.file, dry_run=args.dry_run)
    except csv_import.ImportRefused as exc:
        if getattr(args, "json", False):
            emit_json({"ok": False, **import_report_json(exc.report)})
        raise
    print_result(args, {"ok": True, **import_report_json(report)}, lambda: _summary(report))


def _summary(report: ImportReport) -> str:
    from lehrer_licenses.services.exchange.school_import import ImportedSchool

    lines = []
    for row in report.rows:
        if isinstance(row, ImportedSchool):
            what = f"{row.number}  {row.name}, {row.postcode} {row.city}".rstrip(", ")
        else:
            admin = f" ({_('admin')})" if row.admin else ""
            what = f"{row.school}  {row.first_name} {row.last_name}{admin}"
        lines.append(f"  {what}")
    n = len(report.rows)
    if report.written:
        head = (
            ngettext("{n} school imported:", "{n} schools imported:", n)
            if report.kind == "schools"
            else ngettext("{n} teacher imported:", "{n} teachers imported:", n)
        )
    else:
        head = (
            ngettext(
                "Dry run, nothing written; {n} school would be imported:",
                "Dry run, nothing written; {n} schools would be imported:",
                n,
            )
            if report.kind == "schools"
            else ngettext(
                "Dry run, nothing written; {n} teacher would be imported:",
                "Dry run, nothing written; {n} teachers would be imported:",
                n,
            )
        )
    if report.already_written:
        rest = (
            _(
                "an import of this file stopped after {done} of its {total} teachers; this one "
                "wrote the rest"
            )
            if report.written
            else _(
                "an import of this file stopped after {done} of its {total} teachers; this one "
                "would write the rest"
            )
        )
        lines.append(rest.format(done=report.already_written, total=report.already_written + n))
    return "\n".join([head.format(n=n), *lines])
