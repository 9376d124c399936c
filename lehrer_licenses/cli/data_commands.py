"""``backup`` and ``restore``: consistent copies of the database (a file, or a server's with
pg_dump) and putting one back; ``move-to-server``: a desk file onto an empty server database."""

from __future__ import annotations

from pathlib import Path

from lehrer_licenses.i18n import _


def add_commands(sub, command) -> dict:
    backup = command("backup", _("write a consistent copy of the database"), sub)
    backup.add_argument(
        "-o",
        "--output",
        type=Path,
        help=_("file or folder (default: the backups folder beside the database, rotated)"),
    )
    restore = command(
        "restore",
        _(
            "check a backup and put it in place of the database; the "
            "current database is kept as a backup"
        ),
        sub,
    )
    restore.add_argument("file", type=Path)
    move = command(
        "move-to-server",
        _(
            "copy a desk file onto an empty server database and check the copy row by row "
            "(counts, amounts, invoice numbers, stored PDFs)"
        ),
        sub,
    )
    move.add_argument("sqlite_file", type=Path, metavar="SQLITE_FILE")
    move.add_argument("url", metavar="URL", help="postgresql://user@host:port/database")
    return {"backup": cmd_backup, "restore": cmd_restore, "move-to-server": cmd_move}


def cmd_backup(args) -> None:
    from lehrer_licenses.cli.main import open_db, print_result
    from lehrer_licenses.services.backups import make_backup

    info = make_backup(open_db(args), args.output)
    doc = {
        "backup": str(info.path),
        "bytes": info.size,
        "schema": info.revision,
        "schools": info.schools,
        "invoices": info.invoices,
    }
    print_result(
        args,
        doc,
        lambda: _("Backup written: {path} ({size} bytes, {schools} schools)").format(
            path=info.path, size=info.size, schools=info.schools
        ),
    )


def cmd_restore(args) -> None:
    from lehrer_licenses.cli.json_office import restore_json
    from lehrer_licenses.cli.main import print_result
    from lehrer_licenses.services.backups import restore_backup

    doc = restore_json(restore_backup(getattr(args, "db", None), args.file))
    print_result(
        args,
        doc,
        lambda: _(
            "Restored {source} into {database}; the previous database was kept as {saved}"
        ).format(
            source=doc["restored_from"],
            database=doc["database"],
            saved=doc["previous_saved_as"] or _("(none)"),
        ),
    )


def cmd_move(args) -> None:
    from lehrer_licenses.cli.main import print_result
    from lehrer_licenses.services.server_move import move_to_server

    report = move_to_server(args.sqlite_file, args.url)
    doc = {
        "source": str(report.source),
        "target": report.target,
        "schema": report.schema,
        "rows": report.rows,
        "tables": {
            t.table: {"rows": t.rows, "sums": {k: str(v) for k, v in t.sums.items()}}
            for t in report.tables
        },
        "numbered_documents": report.numbered_documents,
        "pdfs_verified": report.pdfs_verified,
    }

    def text() -> str:
        lines = [
            _("Moved {source} to {target} (schema {schema}): {rows} rows.").format(
                source=report.source, target=report.target, schema=report.schema, rows=report.rows
            )
        ]
        for t in report.tables:
            sums = "".join(f"  {name}={value}" for name, value in t.sums.items())
            lines.append(f"  {t.table:<20} {t.rows:>8}{sums}")
        lines.append(
            _(
                "Checked: rows of every table, sums of amounts, {numbered} invoice numbers with "
                "their counters, {pdfs} stored PDFs against their SHA-256."
            ).format(numbered=report.numbered_documents, pdfs=report.pdfs_verified)
        )
        return "\n".join(lines)

    print_result(args, doc, text)
