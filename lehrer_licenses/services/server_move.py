"""Moving a desk file onto a server: ``lehrer-licenses move-to-server SQLITE_FILE URL``.

The office that outgrows one file keeps its books: every row goes over as it is (ids
included), the target's sequences continue after the highest id, and before anything is
committed the copy is checked against the file row by row: the number of rows of every table,
the sum of every amount column, the invoice numbers with their counters, and every stored PDF
against the hash it was issued with. All of it happens in one transaction on the server, so a
refusal or a failure half-way leaves the target database as empty as it was.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.orm import Session

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import (
    alembic_config,
    head_revision,
    make_engine,
    open_database,
    require_empty_server,
    resolve_url,
)
from lehrer_licenses.store.models import Base, Invoice, InvoicePdf, NumberCounter
from lehrer_licenses.store.roles import ensure_roles
from lehrer_licenses.store.server import is_server, mask_url
from lehrer_licenses.store.types import ScaledDecimal

BATCH = 2000


class MoveRefused(DomainError):
    pass


@dataclass(frozen=True)
class TableCopied:
    table: str
    rows: int
    sums: dict[str, Decimal]  # amount column -> its sum, equal on both sides


@dataclass
class MoveReport:
    source: Path
    target: str  # without the password
    schema: str
    tables: list[TableCopied] = field(default_factory=list)
    numbered_documents: int = 0
    pdfs_verified: int = 0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


Progress = Callable[[str, int], None]


def move_to_server(
    sqlite_file: str | os.PathLike[str], url: str, *, progress: Progress | None = None
) -> MoveReport:
    """Copy the desk at ``sqlite_file`` onto the empty server database at ``url`` and verify
    the copy; ``progress(table, rows)`` after each table."""
    source_path = Path(sqlite_file).expanduser().resolve()
    target_url = resolve_url(url)
    if not is_server(target_url):
        raise MoveRefused(
            _("the target must be a server database (postgresql://...), not {url}").format(
                url=mask_url(str(url))
            )
        )
    if not source_path.is_file():
        raise MoveRefused(_("no database at {path}").format(path=source_path))
    # opening brings an older desk to this version's schema (backed up first, as ever)
    source = open_database(source_path)
    engine = make_engine(target_url)
    try:
        require_empty_server(engine)
        report = MoveReport(source_path, mask_url(target_url), head_revision())
        # A read transaction on the file: the copy and its checks see one state of it.
        with source.engine.connect() as src, engine.begin() as dst:
            _create_schema(dst, target_url)
            for table in Base.metadata.sorted_tables:
                rows = _copy_table(src, dst, table)
                if progress:
                    progress(table.name, rows)
            _advance_sequences(dst)
            _verify(src, dst, report)
            # the office's group roles and their grants, as 'init' gives a new server database
            ensure_roles(dst)
            with Session(bind=dst) as session:  # joins the transaction on the server
                audit.record(
                    session,
                    "database.move_to_server",
                    "database",
                    None,
                    after={"from": str(source_path), "rows": report.rows},
                )
                session.flush()
    finally:
        engine.dispose()
        source.dispose()
    return report


def _create_schema(dst: Connection, url: str) -> None:
    from alembic import command

    config = alembic_config(url)
    config.attributes["connection"] = dst
    command.upgrade(config, "head")


def _copy_table(src: Connection, dst: Connection, table) -> int:
    # in key order: a credit note refers to the invoice before it
    result = src.execute(select(table).order_by(*table.primary_key.columns))
    copied = 0
    while batch := result.mappings().fetchmany(BATCH):
        dst.execute(insert(table), [dict(row) for row in batch])
        copied += len(batch)
    return copied


def _advance_sequences(dst: Connection) -> None:
    """Ids were copied as they are, so each table's sequence goes on after its highest id."""
    for table in Base.metadata.sorted_tables:
        key = [c for c in table.primary_key.columns if c.autoincrement is True or c.name == "id"]
        if len(key) != 1 or len(table.primary_key.columns) != 1:
            continue
        column = key[0].name
        dst.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table.name}"
            ),
            {"table": table.name, "column": column},
        )


def _verify(src: Connection, dst: Connection, report: MoveReport) -> None:
    for table in Base.metadata.sorted_tables:
        count = select(func.count()).select_from(table)
        rows = src.execute(count).scalar_one()
        copied = dst.execute(count).scalar_one()
        if rows != copied:
            raise _mismatch(table.name, _("{copied} rows instead of {rows}"), copied, rows)
        sums = {}
        for column in table.columns:
            if isinstance(column.type, ScaledDecimal):
                total = select(func.coalesce(func.sum(column), 0))
                ours, theirs = src.execute(total).scalar_one(), dst.execute(total).scalar_one()
                if ours != theirs:
                    raise _mismatch(
                        f"{table.name}.{column.name}",
                        _("the sum is {copied} instead of {rows}"),
                        theirs,
                        ours,
                    )
                sums[column.name] = ours
        report.tables.append(TableCopied(table.name, rows, sums))
    report.numbered_documents = _verify_numbers(src, dst)
    report.pdfs_verified = _verify_pdfs(src, dst)


def _verify_numbers(src: Connection, dst: Connection) -> int:
    """The same numbers on the same documents, and each series' counter matching its count."""
    numbered = select(Invoice.id, Invoice.number, Invoice.kind, Invoice.invoice_date).where(
        Invoice.number.is_not(None)
    )
    ours = src.execute(numbered.order_by(Invoice.id)).all()
    theirs = dst.execute(numbered.order_by(Invoice.id)).all()
    if [tuple(r) for r in ours] != [tuple(r) for r in theirs]:
        raise _mismatch(
            "invoice.number",
            _("{copied} numbered documents instead of {rows}"),
            len(theirs),
            len(ours),
        )
    counts = Counter((kind, day.year) for _id, _number, kind, day in theirs)
    for series, year, last in dst.execute(
        select(NumberCounter.series, NumberCounter.year, NumberCounter.last)
    ):
        if counts.pop((series, year), 0) != last:
            raise _chain_broken(series, year)
    if counts:
        raise _chain_broken(*next(iter(counts)))
    return len(theirs)


def _chain_broken(series: str, year: int) -> MoveRefused:
    return MoveRefused(
        _(
            "the invoice numbers of {series} {year} do not match their counter; the desk file "
            "needs checking first ('lehrer-licenses backup' checks the chain); nothing was written"
        ).format(series=series, year=year)
    )


def _verify_pdfs(src: Connection, dst: Connection) -> int:
    """Each stored PDF on the server hashes (computed by the server) to what it was issued
    with on the desk."""
    issued = dict(src.execute(select(InvoicePdf.invoice_id, InvoicePdf.sha256)).all())
    on_server = dst.execute(
        select(InvoicePdf.invoice_id, func.encode(func.sha256(InvoicePdf.pdf), "hex"))
    ).all()
    for invoice_id, digest in on_server:
        if issued.pop(invoice_id, None) != digest:
            number = dst.execute(
                select(Invoice.number).where(Invoice.id == invoice_id)
            ).scalar_one_or_none()
            raise MoveRefused(
                _(
                    "the stored PDF of {number} differs from the one issued (SHA-256); "
                    "nothing was written"
                ).format(number=number or invoice_id)
            )
    if issued:
        raise _mismatch(
            "invoice_pdf",
            _("{copied} rows instead of {rows}"),
            len(on_server),
            len(on_server) + len(issued),
        )
    return len(on_server)


def _mismatch(what: str, detail: str, copied, rows) -> MoveRefused:
    return MoveRefused(
        _("the copy does not match the desk file in {what}: {detail}; nothing was written").format(
            what=what, detail=detail.format(copied=copied, rows=rows)
        )
    )
