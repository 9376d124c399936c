"""``export invoices|payments|schools|seats``: files for the accountant and for records.

    lehrer-licenses export invoices --format xlsx --from 2026-01-01 --to 2026-12-31 -o 2026.xlsx
    lehrer-licenses export invoices --by-vat-rate -o vat-2026.csv     # one row per VAT rate
    lehrer-licenses export payments --from 2026-10-01 -o payments.csv
    lehrer-licenses export schools -o schools.csv | export seats -o seats.xlsx

The column layouts are in services/exchange/export_rows.py (and the README). The file is written
only
when complete; bad dates or an unwritable file are refused before the database is read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lehrer_licenses.cli.main import UsageError, _date, open_db, print_result
from lehrer_licenses.i18n import _, ngettext

WHAT = ("invoices", "payments", "schools", "seats")
FORMATS = ("csv", "xlsx")


def add_commands(sub, command) -> dict:
    export = command(
        "export", _("write invoices, payments, schools or seats to a CSV or XLSX file"), sub
    )
    export.add_argument("what", choices=WHAT)
    export.add_argument(
        "--format",
        choices=FORMATS,
        help=_("csv (UTF-8, ';') or xlsx (default: from the file name, else csv)"),
    )
    export.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="YYYY-MM-DD",
        help=_("first day, included (invoices, payments)"),
    )
    export.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="YYYY-MM-DD",
        help=_("last day, included (invoices, payments)"),
    )
    export.add_argument(
        "--by-vat-rate",
        action="store_true",
        help=_("invoices: one row per currency, VAT rate and kind instead of per document"),
    )
    export.add_argument("--date", type=_date, help=_("the day to judge overdue on (default today)"))
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    return {"export": cmd_export}


def cmd_export(args: argparse.Namespace) -> None:
    from lehrer_licenses.cli.json_exchange import export_json
    from lehrer_licenses.services.errors import InvalidInput
    from lehrer_licenses.services.exchange.exports import check_request, check_target, export_data

    kind = args.what
    if args.by_vat_rate:
        if kind != "invoices":
            raise UsageError(_("--by-vat-rate applies to invoices only"))
        kind = "vat_rates"
    try:  # before the database is opened (and perhaps migrated)
        check_request(kind, args.date_from, args.date_to)
        check_target(args.output)
    except InvalidInput as exc:
        raise UsageError(str(exc)) from exc
    result = export_data(
        open_db(args),
        kind,
        args.output,
        args.format,
        date_from=args.date_from,
        date_to=args.date_to,
        today=args.date,
    )
    print_result(
        args,
        export_json(result),
        lambda: ngettext(
            "{rows} row written to {path}", "{rows} rows written to {path}", result.rows
        ).format(rows=result.rows, path=result.path),
    )
