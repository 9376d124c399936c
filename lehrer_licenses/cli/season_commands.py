"""Renewal-season commands added to existing command groups:

    usage import FILE.csv [--replace]       monthly DB-hosting counts, all rows or none
    package over-capacity [--date D]        packages with more users than their size (M3)

The groups (``usage`` from ``cli.main``, ``package`` from ``cli.package_commands``) keep their
handlers; this module's handlers take the new actions and pass every other one on.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from lehrer_licenses.i18n import _


def _subparsers(parser: argparse.ArgumentParser):
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def add_commands(sub, command) -> dict:
    from lehrer_licenses.cli.main import COMMANDS, _date

    usage_import = command(
        "import",
        _("import monthly counts from a CSV file: school number, month YYYY-MM, count"),
        _subparsers(sub.choices["usage"]),
    )
    usage_import.add_argument("file", type=Path)
    usage_import.add_argument(
        "--replace", action="store_true", help=_("replace months that are already recorded")
    )
    usage_import.add_argument(
        "--today", type=_date, default=None, help=argparse.SUPPRESS
    )  # for tests: the day that decides what a future month is
    handlers = {}
    previous_usage = _unwrapped(COMMANDS["usage"])

    def cmd_usage(args) -> None:
        if args.action == "import":
            _usage_import(args)
        else:
            previous_usage(args)

    handlers["usage"] = _wrapper(cmd_usage, previous_usage)
    if "package" in sub.choices:
        over = command(
            "over-capacity",
            _("packages with more users than their size, and what the next size costs"),
            _subparsers(sub.choices["package"]),
        )
        over.add_argument("--date", type=_date, default=date.today())

        previous_package = _unwrapped(COMMANDS.get("package"))

        def cmd_package(args) -> None:
            if args.action == "over-capacity":
                _over_capacity(args)
            elif previous_package is not None:
                previous_package(args)

        handlers["package"] = _wrapper(cmd_package, previous_package)
    return handlers


def _wrapper(handler, previous):
    handler.season_wraps = previous  # a parser built again wraps the original, not this one
    return handler


def _unwrapped(handler):
    return getattr(handler, "season_wraps", handler)


def _usage_import(args) -> None:
    from lehrer_licenses.cli.json_exchange import problem_json, usage_import_json
    from lehrer_licenses.cli.main import open_db, print_result
    from lehrer_licenses.cli.output import emit_json
    from lehrer_licenses.services.exchange.usage_import import UsageImportRejected, import_usage

    try:
        result = import_usage(open_db(args), args.file, replace=args.replace, today=args.today)
    except UsageImportRejected as exc:
        if getattr(args, "json", False):
            emit_json({"imported": False, "problems": [problem_json(p) for p in exc.problems]})
        raise
    doc = {"imported": True, **usage_import_json(result)}
    print_result(
        args,
        doc,
        lambda: _(
            "{rows} monthly count(s) of {schools} school(s) imported, {replaced} replaced."
        ).format(rows=result.rows, schools=result.schools, replaced=result.replaced),
    )


def _over_capacity(args) -> None:
    from lehrer_licenses.cli.json_licences import over_capacity_json
    from lehrer_licenses.cli.main import open_db, print_result
    from lehrer_licenses.services.licences.packages.over_capacity import over_capacity

    found = over_capacity(open_db(args), args.date)
    docs = [over_capacity_json(o) for o in found]

    def text() -> str:
        if not found:
            return _("No package is over its capacity.")
        lines = []
        for o in found:
            line = _(
                "{school} {name}: {users} users counted on {day}, {over} more than the "
                "package of {capacity}"
            ).format(
                school=o.school,
                name=o.school_name,
                users=o.users,
                day=o.counted_on.isoformat(),
                over=o.over,
                capacity=o.capacity,
            )
            if o.suggested is None:
                line += "; " + _("no larger package exists: remove accounts")
            elif o.upgrade_amount is None and o.suggested_price is not None:
                line += "; " + _("next size {size}: {currency} {annual} a year").format(
                    size=o.suggested, currency=o.currency, annual=f"{o.suggested_price:.2f}"
                )
            elif o.upgrade_amount is not None:
                line += "; " + _(
                    "next size {size}: upgrade now {currency} {upgrade}, {currency} {annual} a year"
                ).format(
                    size=o.suggested,
                    currency=o.currency,
                    upgrade=f"{o.upgrade_amount:.2f}",
                    annual=f"{o.suggested_price:.2f}",
                )
            lines.append(line)
        return "\n".join(lines)

    print_result(args, docs, text)
