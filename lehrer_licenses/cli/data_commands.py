"""``backup`` and ``restore``: consistent copies of the database file and putting one back."""

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
    return {"backup": cmd_backup, "restore": cmd_restore}


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
