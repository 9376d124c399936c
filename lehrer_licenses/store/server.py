"""A PostgreSQL server database: its address shown without the password, connection failures
said in one line, and its backups made and put back by the server's own client tools.

The password never has to be typed on a command line: a URL without one connects with what
libpq finds itself (PGPASSWORD, the password file ~/.pgpass or PGPASSFILE). When a URL does carry
one, it is handed to pg_dump and pg_restore through their environment, never as an argument (an
argument is readable by every user in the process list).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _

DRIVER = "postgresql+psycopg"
DUMP_SUFFIX = ".dump"
# user:password@ in any URL inside a text (a message, a log line)
_PASSWORD_IN_URL = re.compile(r"(\w[\w+.-]*://[^:/@\s]*):[^@\s]*@")


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***``: every URL the program shows goes through
    here (or through ``mask_text`` when it sits inside a longer text)."""
    return _PASSWORD_IN_URL.sub(r"\1:***@", url)


def mask_text(text: str) -> str:
    """Every password of every URL inside ``text`` replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(r"\1:***@", text)


class _MaskingHandler(logging.Handler):
    """Writes the program's log records to stderr (as Python does when nothing is configured),
    with every URL's password masked: a logged error may quote the database's address."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(mask_text(self.format(record)) + "\n")
        except Exception:
            self.handleError(record)


def mask_logs(logger_name: str = "lehrer_licenses") -> None:
    """Send the program's own log records through ``mask_text``."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(h, _MaskingHandler) for h in logger.handlers):
        # propagation stays: a handler the user configured on the root gets the records too
        logger.addHandler(_MaskingHandler())


def with_driver(url: str) -> str:
    """``postgresql://`` and ``postgres://`` (what libpq and the server's tools take) use the
    driver the project declares, psycopg 3, instead of SQLAlchemy's default psycopg2."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return DRIVER + "://" + url.removeprefix(scheme)
    return url


def is_server(url: str) -> bool:
    return url.startswith("postgres")


class ServerUnreachable(DomainError):
    """The server did not let us in: down, wrong address, wrong password, no such database."""

    def __init__(self, url: str, reason: str) -> None:
        address = describe(url)
        super().__init__(
            _("Cannot connect to the database server {address}: {reason}").format(
                address=address, reason=reason
            )
        )


class DriverMissing(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _('the PostgreSQL driver is not installed: pip install "lehrer-licenses[postgres]"')
        )


def describe(url: str) -> str:
    """``user@host:port/database`` of a server URL, never its password."""
    parts = _parts(url)
    user = f"{parts.username}@" if parts.username else ""
    return f"{user}{parts.host or 'localhost'}:{parts.port or 5432}/{parts.database or ''}"


def _parts(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise DomainError(_("not a database URL: {url}").format(url=mask_url(url))) from exc


def connection_reason(exc: BaseException) -> str:
    """The first line of what libpq said, which names the cause (refused, password, database)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("(Background", "[SQL")):
            # libpq's lines start with 'connection to server at "host" (ip), port N failed:',
            # which the message names already; then perhaps 'FATAL:  '
            reason = line.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
            return mask_text(reason)
    return type(exc).__name__


def libpq_conninfo(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection string of ``url`` without the password, and the environment that
    carries the password when the URL has one (otherwise libpq's own sources apply)."""
    parts = _parts(url)
    fields = {
        "host": parts.host,
        "port": str(parts.port) if parts.port else None,
        "user": parts.username,
        "dbname": parts.database,
        **{k: v for k, v in parts.query.items() if isinstance(v, str)},
    }
    conninfo = " ".join(f"{k}={_quote(v)}" for k, v in fields.items() if v)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = str(parts.password)
    return conninfo, env


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def shell_command(tool: str, url: str, *arguments: str) -> str:
    """The command a user can run by hand (password from ~/.pgpass or PGPASSWORD)."""
    parts = _parts(url)
    address = [
        *(["-h", parts.host] if parts.host else []),
        *(["-p", str(parts.port)] if parts.port else []),
        *(["-U", parts.username] if parts.username else []),
    ]
    words = [tool, *address]
    if tool == "pg_dump":
        words += [*arguments, "-d", parts.database or ""]
    else:  # pg_restore: the options, the database, then the file
        words += [*arguments[:-1], "-d", parts.database or "", arguments[-1]]
    return " ".join(_shell_quote(w) for w in words)


def _shell_quote(text: str) -> str:
    return text if re.fullmatch(r"[\w@%+=:,./-]+", text) else "'" + text.replace("'", "'\\''") + "'"


class ServerBackupError(DomainError):
    pass


def tool_path(tool: str) -> str | None:
    """pg_dump or pg_restore on $PATH (Debian's wrapper there picks the newest installed)."""
    return shutil.which(tool)


def tool_major(path: str) -> int:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else 0


def dump_command_hint(url: str, target: Path) -> str:
    return shell_command("pg_dump", url, "-Fc", "--file", str(target))


def restore_command_hint(url: str, dump: Path) -> str:
    return shell_command(
        "pg_restore", url, "--single-transaction", "--exit-on-error", "--no-owner", str(dump)
    )


def _required(tool: str, missing: str) -> str:
    found = tool_path(tool)
    if found is None:
        raise ServerBackupError(missing)
    return found


def run_pg_dump(url: str, target: Path, server_major: int) -> None:
    """``pg_dump -Fc`` of the database at ``url`` into ``target`` (a temporary name first, so a
    failed dump leaves no file that looks like a backup)."""
    tool = _required(
        "pg_dump",
        _(
            "pg_dump (PostgreSQL's client tools) is not installed here. Install them, or "
            "make the backup yourself: {command}"
        ).format(command=dump_command_hint(url, target)),
    )
    local = tool_major(tool)
    if local < server_major:
        raise ServerBackupError(
            _(
                "the server runs PostgreSQL {server}, but pg_dump here is version {local}, which "
                "cannot dump a newer server: install the client tools of version {server} or "
                "newer, or run on the server: {command}"
            ).format(server=server_major, local=local, command=dump_command_hint(url, target))
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # the process's own staging name: two year-end runs started in the same second dump to the
    # same target name, and one must not rename the other's file away
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    conninfo, env = libpq_conninfo(url)
    done = subprocess.run(
        [tool, "-Fc", "--file", str(partial), "--dbname", conninfo],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ServerBackupError(_("pg_dump failed: {error}").format(error=_first_line(done.stderr)))
    os.replace(partial, target)


def run_pg_restore(url: str, dump: Path) -> None:
    """Load ``dump`` into the (empty) database at ``url``, all of it or nothing."""
    tool = _required(
        "pg_restore",
        _(
            "pg_restore (PostgreSQL's client tools) is not installed here. Install them, or "
            "restore by hand into the empty database: {command}"
        ).format(command=restore_command_hint(url, dump)),
    )
    conninfo, env = libpq_conninfo(url)
    done = subprocess.run(
        [
            tool,
            "--single-transaction",
            "--exit-on-error",
            # the roles that owned the objects where the dump was made may not exist here;
            # the one restoring owns them, as the one who ran 'init' would
            "--no-owner",
            "--dbname",
            conninfo,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ServerBackupError(
            _("pg_restore failed, nothing was restored: {error}").format(
                error=_first_line(done.stderr)
            )
        )


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return mask_text(lines[0]) if lines else "?"


def dump_name(url: str, stamp: str, reason: str) -> str:
    """``<host>-<port>-<database>-<stamp>-<reason>.dump``: the backups of several servers can
    share one folder, and the newest of one database is found by its prefix."""
    return f"{dump_prefix(url)}{stamp}-{reason}{DUMP_SUFFIX}"


def dump_prefix(url: str) -> str:
    parts = _parts(url)
    raw = f"{parts.host or 'localhost'}-{parts.port or 5432}-{parts.database or ''}-"
    return re.sub(r"[^\w.-]", "_", raw)
