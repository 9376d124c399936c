"""Importing schools and teachers from a spreadsheet's CSV: every row or none.

Every row is checked before anything is written, against the rules of the app's own forms
(``schools.validate_school``) and against the database; a file with any bad row is refused as a
whole with every problem named (row as the spreadsheet shows it, column as the file names it,
reason). A clean file of schools is written in one transaction through the same functions the
app's "New school" uses, so an imported school is exactly like a typed one, audit entries
included.

Teachers come in files of 100,000 rows (a canton's staff), so they are written in batches of
``TEACHER_BATCH`` rows, each its own transaction, and other clerks' writes get in between instead
of waiting for the write lock. The import stays all-or-nothing from the user's view: every row is
checked before the first is written, and if a batch fails, the teachers of the batches already
written are taken out again (their audit entries stay, followed by one that says so) before the
error is shown, so running the same file again is the way to retry. A program stopped between
two batches (killed, a power cut) cannot take anything out: a ``teacher_import`` row, advanced in
each batch's transaction, says how many of the file's teachers are in, and importing the same
file again checks and writes the rest instead of refusing its first half as "already at the
school".
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext
from lehrer_licenses.paths import resource
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.exchange import import_columns as cols
from lehrer_licenses.services.exchange.csv_reading import (
    Problem,
    UnreadableFile,
    map_header,
    read_table,
)
from lehrer_licenses.services.exchange.import_rows import Row, flag, split_rows
from lehrer_licenses.services.schools import (
    EMAIL,
    FIRST_SCHOOL_NUMBER,
    PAYMENT_FIELDS,
    SchoolInput,
    SchoolRecord,
    insert_school,
    validate_school,
)
from lehrer_licenses.store import audit, bulk
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.locks import serialize
from lehrer_licenses.store.models import AuditEntry, School, Teacher, TeacherImport
from lehrer_licenses.store.textsearch import teacher_search_text

KINDS = ("schools", "teachers")
# Numbers the app gives are six digits; imported ones keep that width so that the next number
# the app gives (the highest one plus one) stays right.
SCHOOL_NUMBER = re.compile(r"\d{6}")
# Rows of a teacher file per transaction: big enough that the per-transaction cost and the pause
# for other writers after each (Database.let_others_write) vanish (100,000 rows in ten commits),
# small enough that another clerk's write waits well under a second for the lock.
TEACHER_BATCH = 10_000
Progress = Callable[[int, int], None]  # teachers written so far, of the file's


@dataclass(frozen=True)
class ImportedSchool(SchoolRecord):
    """A school the file creates (or would), with its note; ``row`` as the spreadsheet shows
    it."""

    row: int
    note: str


@dataclass(frozen=True)
class ImportedTeacher:
    """A teacher the file creates (or would); ``id`` once written."""

    row: int
    school: str
    first_name: str
    last_name: str
    email: str
    admin: bool
    id: int | None = None


@dataclass
class ImportReport:
    kind: str
    source: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: list[str] = field(default_factory=list)  # the fields the header names
    # what is (or would be) created: ImportedSchool rows for schools, ImportedTeacher for teachers
    rows: list[ImportedSchool | ImportedTeacher] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    # Teachers of this same file that an import stopped between two batches wrote already:
    # ``rows`` are the rest, which this import writes (or would).
    already_written: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRefused(InvalidInput):
    """The file had problems; nothing was written. The message lists every one."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        lines = [
            ngettext(
                "nothing was imported from {file}: {n} problem",
                "nothing was imported from {file}: {n} problems",
                len(report.problems),
            ).format(file=report.source, n=len(report.problems))
            if report.source
            else ngettext(
                "nothing was imported: {n} problem",
                "nothing was imported: {n} problems",
                len(report.problems),
            ).format(n=len(report.problems))
        ]
        lines += [f"  {problem}" for problem in report.problems]
        super().__init__("\n".join(lines))


class ImportUndone(InvalidInput):
    """A teacher import failed after some batches were written; they were taken out again."""

    def __init__(self, source: str, taken_out: int, error: Exception) -> None:
        self.taken_out = taken_out
        reason = str(getattr(error, "orig", None) or error)
        message = (
            ngettext(
                "nothing was imported from {file}: writing failed ({reason}); the {n} teacher "
                "already written was taken out again",
                "nothing was imported from {file}: writing failed ({reason}); the {n} teachers "
                "already written were taken out again",
                taken_out,
            )
            if source
            else ngettext(
                "nothing was imported: writing failed ({reason}); the {n} teacher already "
                "written was taken out again",
                "nothing was imported: writing failed ({reason}); the {n} teachers already "
                "written were taken out again",
                taken_out,
            )
        ).format(file=source, reason=reason, n=taken_out)
        super().__init__(message)


class ImportTakenOver(DomainError):
    """Another program continued this program's teacher file: it writes the rest."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "another program is importing the same teacher file and continues it; the "
                "teachers this program wrote stay, the other program writes the rest"
            )
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file's rows are checked and written: the hundreds of
    thousands of values the check holds (none of them in a cycle) made every collection walk
    them all, a sixth of a canton's import."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _source(source: Path | str | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, ""
    path = Path(source)
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc


def check_import(db: Database, kind: str, source: Path | str | bytes) -> ImportReport:
    """What an import of ``source`` would create, or every problem in it; writes nothing."""
    data, name = _source(source)
    with _collector_paused(), db.reading() as session:
        stopped = _stopped_import(session, data) if kind == "teachers" else None
        return _check(session, kind, data, name, stopped)


def run_import(
    db: Database,
    kind: str,
    source: Path | str | bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every row of ``source``, or nothing (``ImportRefused``). ``progress(done, total)``
    after each batch of teachers written."""
    data, name = _source(source)
    if dry_run:
        report = check_import(db, kind, data)
        report.source = name
        if not report.ok:
            raise ImportRefused(report)
        return report
    if kind == "teachers":
        with _collector_paused():
            return _import_teachers(db, data, name, progress)
    with db.transaction() as session:
        report = _check(session, kind, data, name)
        if not report.ok:
            raise ImportRefused(report)
        _write(session, report)
        report.written = True
        return report


def template_path(kind: str) -> Path:
    _require_kind(kind)
    return resource("templates", f"{kind}.csv")


def write_template(kind: str, target: Path) -> Path:
    # Read outside the try: a missing template is a broken installation (MissingResource names
    # it), not "cannot write" the user's file.
    template = template_path(kind).read_bytes()
    try:
        target.write_bytes(template)
    except OSError as exc:
        raise InvalidInput(
            _("cannot write {path}: {error}").format(path=target, error=exc.strerror or exc)
        ) from exc
    return target


def _require_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(_("an import is of schools or teachers, not {kind!r}").format(kind=kind))


# --- checking --------------------------------------------------------------------------------


def _check(
    session: Session, kind: str, data: bytes, name: str, stopped: TeacherImport | None = None
) -> ImportReport:
    """``stopped``: an import of this teacher file stopped between two batches; its rows are
    checked, and written, from where it stopped."""
    _require_kind(kind)
    report = ImportReport(kind, source=name)
    try:
        table = read_table(data)
    except UnreadableFile as exc:
        report.problems.append(Problem(None, "", str(exc)))
        return report
    report.encoding = table.encoding
    report.delimiter = table.delimiter
    report.problems += table.problems
    aliases = cols.SCHOOL_COLUMNS if kind == "schools" else cols.TEACHER_COLUMNS
    required = cols.SCHOOL_REQUIRED if kind == "schools" else cols.TEACHER_REQUIRED
    columns, problems = map_header(table.header, aliases, table.header_row)
    report.columns = list(columns.values())
    missing = [f for f in required if f not in columns.values()]
    for name_ in missing:
        problems.append(
            Problem(
                table.header_row,
                name_,
                _("a required column is missing (it may also be called {aliases})").format(
                    aliases=", ".join(aliases[name_][:4])
                ),
            )
        )
    if any(p.reason == _("unknown column") for p in problems):
        problems.append(
            Problem(
                table.header_row,
                "",
                _("the known columns are: {names}").format(names=", ".join(aliases)),
            )
        )
    report.problems += problems
    if missing:
        return report  # every row would repeat it
    if not table.rows:
        report.problems.append(Problem(None, "", _("the file has a header but no rows to import")))
        return report
    rows = split_rows(table, columns, report.problems, required)
    if kind == "schools":
        _check_schools(session, rows, report)
    else:
        # The stopped import checked its whole file and wrote the first rows in file order.
        report.already_written = stopped.written if stopped is not None else 0
        _check_teachers(session, rows[report.already_written :], report)
    report.problems.sort(key=lambda p: p.row or 0)
    return report


def _school_input(values: dict[str, str]) -> SchoolInput:
    return SchoolInput(
        name=values.get("name", ""),
        country=values.get("country", "").upper(),
        language=values.get("language", "").lower(),
        street=values.get("street", ""),
        house_number=values.get("house_number", ""),
        postcode=_postcode(values.get("postcode", ""), values.get("country", "").upper()),
        city=values.get("city", ""),
        email=values.get("email", ""),
        vat_id=values.get("vat_id", ""),
        db_hosting=flag(values.get("db_hosting", "")),
        canton_licence=flag(values.get("canton_licence", "")),
        note=values.get("note", ""),
    )


def _postcode(value: str, country: str) -> str:
    # Dutch postcodes are written "1234 ab" too; the app keeps them as "1234 AB".
    return value.upper() if country == "NL" else value


def _check_schools(session: Session, rows: list[Row], report: ImportReport) -> None:
    known_numbers = set(session.scalars(select(School.number)))
    known_places = {
        (name.casefold(), postcode.replace(" ", "")): number
        for name, postcode, number in session.execute(
            select(School.name, School.postcode, School.number)
        )
    }
    highest = session.scalar(select(func.max(School.number)))
    given: dict[str, int] = {}
    places: dict[tuple[str, str], int] = {}
    accepted: list[tuple[Row, SchoolInput]] = []
    for row in rows:
        if row.shifted:
            continue
        data = _school_input(row.values)
        told = {p.column for p in report.problems if p.row == row.number}
        for name, reason in validate_school(data).items():
            # A control character is already named by the reading; once is enough.
            if not (row.headers.get(name, name) in told and name in PAYMENT_FIELDS):
                row.problem(report.problems, name, reason)
        number = row.values.get("number", "")
        if number:
            if not SCHOOL_NUMBER.fullmatch(number):
                row.problem(
                    report.problems,
                    "number",
                    _("a school number has six digits, not {value!r}").format(value=number),
                )
            elif number in known_numbers:
                row.problem(
                    report.problems,
                    "number",
                    _("school {number} exists already").format(number=number),
                )
            elif number in given:
                row.problem(
                    report.problems,
                    "number",
                    _("the number {number} is also in row {row}").format(
                        number=number, row=given[number]
                    ),
                )
            else:
                given[number] = row.number
        place = (data.name.strip().casefold(), data.postcode.replace(" ", ""))
        if data.name.strip():
            if place in known_places:
                row.problem(
                    report.problems,
                    "name",
                    _("a school of this name and postcode exists already: {number}").format(
                        number=known_places[place]
                    ),
                )
            elif place in places:
                row.problem(
                    report.problems,
                    "name",
                    _("the same school (name and postcode) is also in row {row}").format(
                        row=places[place]
                    ),
                )
            else:
                places[place] = row.number
        if not row.bad:
            accepted.append((row, data))
    if report.problems:
        return
    # Numbers for the rows without one: after the highest in the database and in the file.
    following = max([FIRST_SCHOOL_NUMBER - 1, *(int(n) for n in given)])
    if highest and highest.isdigit():
        following = max(following, int(highest))
    for row, data in accepted:
        number = row.values.get("number", "")
        if not number:
            following += 1
            number = str(following)
        report.rows.append(
            ImportedSchool(
                row=row.number,
                number=number,
                name=data.name.strip(),
                street=data.street.strip(),
                house_number=data.house_number.strip(),
                postcode=data.postcode.strip(),
                city=data.city.strip(),
                country=data.country,
                language=data.language,
                email=data.email.strip(),
                vat_id=data.vat_id.strip(),
                db_hosting=data.db_hosting,
                canton_licence=data.canton_licence,
                note=data.note,
            )
        )


def _check_teachers(session: Session, rows: list[Row], report: ImportReport) -> None:
    wanted = {row.values.get("school", "") for row in rows} - {""}
    schools = dict(
        session.execute(select(School.id, School.number).where(School.number.in_(wanted))).all()
    )
    # Where each e-mail, name (of those without e-mail) and admin login is: a row of the file,
    # or None for a teacher already at the school; put into words only for a problem.
    emails: dict[tuple[str, str], int | None] = {}
    names: dict[tuple[str, str], int | None] = {}
    admins: dict[str, int | None] = {}
    # The driver's plain rows, not ORM objects or result rows: a canton's file meets some
    # 400,000 teachers, and building an object of each was most of the check.
    existing = select(
        Teacher.email, Teacher.first_name, Teacher.last_name, Teacher.is_admin, Teacher.school_id
    ).where(Teacher.school_id.in_(schools), Teacher.left_on.is_(None))
    for email, first_name, last_name, is_admin, school_id in bulk.plain_rows(session, existing):
        number = schools[school_id]
        if email:
            emails[number, email.casefold()] = None
        else:
            names[number, f"{first_name} {last_name}".casefold()] = None
        if is_admin:
            admins[number] = None
    numbers = set(schools.values())
    problems = report.problems
    accepted = []
    for row in rows:
        if row.shifted:
            continue
        values = row.values
        number = values.get("school", "")
        first, last = values.get("first_name", ""), values.get("last_name", "")
        email = values.get("email", "")
        admin = flag(values.get("admin", ""))
        if not number:
            row.problem(problems, "school", _("the school number is required"))
        elif number not in numbers:
            row.problem(
                problems, "school", _("no school with number {number}").format(number=number)
            )
        if not (first or last):
            row.problem(problems, "last_name", _("a teacher needs a name"))
        if email and not EMAIL.match(email):
            row.problem(
                problems, "email", _("not an e-mail address: {value!r}").format(value=email)
            )
        elif email:
            key = (number, email.casefold())
            if key in emails:
                row.problem(
                    problems,
                    "email",
                    _("a teacher with this e-mail at school {school} is {where}").format(
                        school=number, where=_where(emails[key])
                    ),
                )
            else:
                emails[key] = row.number
        elif first or last:
            key = (number, f"{first} {last}".casefold())
            if key in names:
                row.problem(
                    problems,
                    "last_name",
                    _("a teacher of this name without e-mail at school {school} is {where}").format(
                        school=number, where=_where(names[key])
                    ),
                )
            else:
                names[key] = row.number
        if admin:
            if number in admins:
                row.problem(
                    problems,
                    "admin",
                    _("school {school} has its one free admin login {where}").format(
                        school=number, where=_where(admins[number])
                    ),
                )
            else:
                admins[number] = row.number
        if not row.bad:
            accepted.append(ImportedTeacher(row.number, number, first, last, email, admin))
    if not problems:
        report.rows = accepted


def _where(row: int | None) -> str:
    return _("already at the school") if row is None else _("in row {row}").format(row=row)


# --- writing ---------------------------------------------------------------------------------


# What a clerk types for a school; an imported school carries every one of these fields.
_INPUT_FIELDS = tuple(f.name for f in fields(SchoolInput) if f.name != "errors")


def _write(session: Session, report: ImportReport) -> None:
    for school in (row for row in report.rows if isinstance(row, ImportedSchool)):
        data = SchoolInput(**{name: getattr(school, name) for name in _INPUT_FIELDS})
        insert_school(session, data, school.number)


def _import_teachers(
    db: Database, data: bytes, name: str, progress: Progress | None
) -> ImportReport:
    # The file is checked outside the write lock (a canton's file takes seconds), against a
    # snapshot that notes the last audit entry; the first batch's transaction checks it again
    # only if a teacher was added or changed since, so what was checked is what the first rows
    # are written against without every other clerk waiting for the check.
    with db.reading() as session:
        mark = _last_entry(session)
        report = _check(session, "teachers", data, name, _stopped_import(session, data))
    if not report.ok:
        raise ImportRefused(report)
    teachers: list[ImportedTeacher] = []
    written: list[ImportedTeacher] = []
    tracked: _Tracked | None = None
    try:
        with db.transaction() as session:
            # Two programs importing at once on a server would each check against the other's
            # rows not yet committed, and both write a teacher the file names once.
            serialize(session, "teacher_import")
            stopped = _stopped_import(session, data)
            moved = (stopped.written if stopped is not None else 0) != report.already_written
            if moved or _changed_since(session, mark, report):
                report = _check(session, "teachers", data, name, stopped)
                if not report.ok:
                    raise ImportRefused(report)
            teachers = [row for row in report.rows if isinstance(row, ImportedTeacher)]
            done = report.already_written
            total = done + len(teachers)
            if stopped is not None:
                tracked = _Tracked(stopped.id, done)
            elif len(teachers) > TEACHER_BATCH:
                tracked = _Tracked(_track(session, data, name, total), 0)
            school_ids = dict(
                session.execute(
                    select(School.number, School.id).where(
                        School.number.in_({row.school for row in teachers})
                    )
                ).all()
            )
            written += _insert_teachers(session, school_ids, teachers[:TEACHER_BATCH])
            _advance(session, tracked, len(written), total)
        for start in range(TEACHER_BATCH, len(teachers), TEACHER_BATCH):
            _tell(progress, done + len(written), total)
            db.let_others_write()
            with db.transaction() as session:
                batch = teachers[start : start + TEACHER_BATCH]
                written += _insert_teachers(session, school_ids, batch)
                _advance(session, tracked, len(batch), total)
    except (ImportRefused, ImportTakenOver):
        raise  # nothing of this import written, or the other program now owns what it wrote
    except BaseException as exc:
        _take_out(db, name, [row.id for row in written if row.id is not None], exc, tracked)
        if isinstance(exc, _Told):
            raise exc.error from None  # the caller's own stop (a cancel) stays what it was
        if not isinstance(exc, Exception) or isinstance(exc, DomainError):
            raise  # an interrupt stays one; a busy database already says what is wrong
        raise ImportUndone(name, len(written), exc) from exc
    report.rows = list(written)
    report.written = True
    if progress is not None:
        progress(total, total)  # the whole file is in: a stop now has nothing left to stop
    return report


def _last_entry(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def _changed_since(session: Session, mark: int, report: ImportReport) -> bool:
    """Whether a teacher written since the audit entry ``mark`` (every change of a teacher
    writes one, in its own transaction) meets a row of the checked file: the same e-mail, or
    name without e-mail, at its school, or its admin login."""
    changed = select(AuditEntry.entity_id, AuditEntry.action).where(
        AuditEntry.id > mark, AuditEntry.entity == "teacher"
    )
    entries = session.execute(changed).all()
    if not entries:
        return False
    if any(entity_id is None for entity_id, _action in entries):
        return True  # an import's take-out, or another import of many teachers
    emails, names, admins = set(), set(), set()
    for row in report.rows:
        if not isinstance(row, ImportedTeacher):
            continue
        if row.email:
            emails.add((row.school, row.email.casefold()))
        else:
            names.add((row.school, f"{row.first_name} {row.last_name}".casefold()))
        if row.admin:
            admins.add(row.school)
    ids = {entity_id for entity_id, _action in entries}
    for email, first_name, last_name, is_admin, number in session.execute(
        select(
            Teacher.email, Teacher.first_name, Teacher.last_name, Teacher.is_admin, School.number
        )
        .join(School, Teacher.school_id == School.id)
        .where(Teacher.id.in_(ids), Teacher.left_on.is_(None))
    ):
        if email and (number, email.casefold()) in emails:
            return True
        if not email and (number, f"{first_name} {last_name}".casefold()) in names:
            return True
        if is_admin and number in admins:
            return True
    return False


class _Told(Exception):
    """What ``progress`` raised (the caller stopping the import), carried past the take-out."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is None:
        return
    try:
        progress(done, total)
    except Exception as exc:
        raise _Told(exc) from exc


@dataclass
class _Tracked:
    """The ``teacher_import`` row of a file written in more than one batch, and the count of its
    teachers written when this program started (another program's, stopped) and now."""

    id: int
    start: int
    written: int = field(init=False)

    def __post_init__(self) -> None:
        self.written = self.start


def _stopped_import(session: Session, data: bytes) -> TeacherImport | None:
    """The import of these very bytes that a program stopped between two batches, if any."""
    return session.scalars(
        select(TeacherImport)
        .where(TeacherImport.digest == hashlib.sha256(data).hexdigest())
        .order_by(TeacherImport.id)
        .limit(1)
    ).first()


def _track(session: Session, data: bytes, name: str, total: int) -> int:
    row = TeacherImport(
        digest=hashlib.sha256(data).hexdigest(),
        file=name[:255],
        total=total,
        written=0,
        started_at=datetime.now(),
        actor=audit.current_actor(session),
    )
    session.add(row)
    session.flush()
    return row.id


def _advance(session: Session, tracked: _Tracked | None, count: int, total: int) -> None:
    """Count ``count`` more teachers written in the batch's own transaction, so the count is
    always what is committed; the file's last batch removes the row. Compared with the count
    this program wrote last, so that two programs continuing one stopped file never both write
    a batch: the second to commit finds the count moved and stops (ImportTakenOver)."""
    if tracked is None:
        return
    written = tracked.written + count
    _move(session, tracked, written, gone=written >= total)
    tracked.written = written


def _move(session: Session, tracked: _Tracked, written: int, *, gone: bool) -> None:
    """Set the count to ``written`` (remove the row if ``gone``) where it is still this
    program's, else ImportTakenOver."""
    table = TeacherImport.__table__
    mine = (table.c.id == tracked.id) & (table.c.written == tracked.written)
    statement = delete(table) if gone else update(table).values(written=written)
    if session.execute(statement.where(mine)).rowcount != 1:
        raise ImportTakenOver()


_TEACHER_COLUMNS = (
    "id",
    "school_id",
    "first_name",
    "last_name",
    "email",
    "is_admin",
    "frozen",
    "search_text",
)


def _insert_teachers(
    session: Session, school_ids: dict[str, int], rows: list[ImportedTeacher]
) -> list[ImportedTeacher]:
    """The rows as ``holders.insert_teacher`` writes them, teacher (with its search text) and
    audit entry, in two statements for the whole batch instead of two round trips a row."""
    if not rows:
        return []
    ids = bulk.reserve_ids(session, Teacher.__table__, len(rows))
    teachers, entries, written = [], [], []
    for teacher_id, row in zip(ids, rows, strict=True):
        school_id = school_ids[row.school]
        first, last, email = row.first_name.strip(), row.last_name.strip(), row.email.strip()
        search = teacher_search_text(first, last)
        teachers.append((teacher_id, school_id, first, last, email, row.admin, False, search))
        entries.append(
            (teacher_id, school_id, {"name": f"{first} {last}".strip(), "admin": row.admin})
        )
        written.append(
            ImportedTeacher(
                row.row, row.school, row.first_name, row.last_name, row.email, row.admin, teacher_id
            )
        )
    bulk.insert_rows(session, Teacher.__table__, _TEACHER_COLUMNS, teachers)
    audit.record_many(session, "teacher.add", "teacher", entries)
    return written


def _take_out(
    db: Database, name: str, ids: list[int], error: BaseException, tracked: _Tracked | None
) -> None:
    """Undo the batches a failed teacher import wrote, so the user sees all or nothing. The audit
    trail is append-only: their "teacher.add" entries stay, and one "teacher.import_undone" entry
    says which teachers were taken out again and why. The file's progress goes back to where
    this program started (a stopped import's first rows stay for the next run to continue)."""
    if not ids:
        return
    with db.transaction() as session:
        if tracked is not None:
            _rewind(session, tracked)
        for start in range(0, len(ids), TEACHER_BATCH):
            chunk = ids[start : start + TEACHER_BATCH]
            session.execute(delete(Teacher).where(Teacher.id.in_(chunk)))
        audit.record(
            session,
            "teacher.import_undone",
            "teacher",
            None,
            after={"file": name, "teachers": len(ids), "ids": _spans(ids), "error": str(error)},
        )


def _rewind(session: Session, tracked: _Tracked) -> None:
    # ImportTakenOver if another program moved the count on: its rows are its to finish now
    _move(session, tracked, tracked.start, gone=tracked.start == 0)


def _spans(ids: list[int]) -> list[list[int]]:
    # A batch's ids are mostly consecutive: 100,000 of them fit in a few first-last pairs.
    spans: list[list[int]] = []
    for i in sorted(ids):
        if spans and spans[-1][1] + 1 == i:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return spans
