"""The ``--json`` documents of the exchange commands: CSV imports (schools, teachers, usage
counts) and exports. Scripts of others read these keys, so their names and order stay as they
are; days and months are ISO text, files paths as text."""

from __future__ import annotations

from lehrer_licenses.cli.json_office import school_json
from lehrer_licenses.services.exchange.csv_reading import Problem
from lehrer_licenses.services.exchange.exports import ExportResult
from lehrer_licenses.services.exchange.school_import import (
    ImportedSchool,
    ImportedTeacher,
    ImportReport,
)
from lehrer_licenses.services.exchange.usage_import import RowProblem, UsageImport


def problem_json(problem: Problem | RowProblem) -> dict:
    return {"row": problem.row, "column": problem.column, "reason": problem.reason}


def imported_row_json(row: ImportedSchool | ImportedTeacher) -> dict:
    if isinstance(row, ImportedSchool):
        return {"row": row.row, **school_json(row), "note": row.note}
    doc: dict = {
        "row": row.row,
        "school": row.school,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "admin": row.admin,
    }
    if row.id is not None:  # written, not a dry run
        doc["id"] = row.id
    return doc


def import_report_json(report: ImportReport) -> dict:
    return {
        "kind": report.kind,
        "file": report.source,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "columns": report.columns,
        "written": report.written,
        "count": len(report.rows),
        "already_written": report.already_written,
        "rows": [imported_row_json(row) for row in report.rows],
        "problems": [problem_json(p) for p in report.problems],
    }


def usage_import_json(result: UsageImport) -> dict:
    return {
        "rows": result.rows,
        "schools": result.schools,
        "replaced": result.replaced,
        "counts": [
            {"school": c.school, "month": c.month.strftime("%Y-%m"), "count": c.count}
            for c in result.counts
        ],
    }


def export_json(result: ExportResult) -> dict:
    return {
        "file": str(result.path),
        "export": result.kind,
        "format": result.format,
        "rows": result.rows,
        "from": result.date_from.isoformat() if result.date_from else None,
        "to": result.date_to.isoformat() if result.date_to else None,
    }
