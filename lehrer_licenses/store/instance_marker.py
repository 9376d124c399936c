"""Whether another program has the database file open: an OS lock on a file beside it.

Every desktop app that opens ``desk.sqlite`` holds a lock on ``desk.sqlite.inuse`` for as long as
it has the database open, and writes a line there saying who it is (host, user, process, since
when). The operating system drops a lock when its process ends, crashed or not, so a marker file
left behind by a crash is only text: whoever finds the lock free starts the file afresh and
warns nobody. (A row in the database or a plain "lock file" would outlive a crash and warn
about a program that is long gone.)

POSIX: ``flock``. A program takes the lock exclusively for a moment: if it gets it, nobody else
is there; it then holds it shared, as every later program does. Windows: ``msvcrt.locking`` has
exclusive byte locks only, so each program holds one byte of its own among SLOTS bytes far past
the text, and looks for others by trying the other bytes.

The lock is advisory and tells; it does not forbid: SQLite's own locking keeps the data safe.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SUFFIX = ".inuse"
SLOTS = 64
SLOT_BASE = 1 << 30  # Windows: locked bytes lie past any text, so the text stays readable


@dataclass(frozen=True)
class Holder:
    """A program that has the database open."""

    host: str
    user: str
    pid: int
    since: datetime
    program: str = "?"


def marker_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except Exception:  # no login name on some service accounts
        user = "?"
    since = datetime.now().replace(microsecond=0)
    return Holder(socket.gethostname(), user, os.getpid(), since, _program())


def _program() -> str:
    """What the person at the other desk would call it: the app, the command line and its
    command, or the script."""
    argv = [a for a in sys.argv if a] or ["python"]
    name = Path(argv[0]).name
    if name in ("__main__.py", "-m", "-c"):
        name = "lehrer-licenses"
    # the first plain words say which command runs (``renewals run``); paths and file names
    # (the value of ``--db``) are no command
    words = [a for a in argv[1:] if not a.startswith("-") and not set(a) & set("/\\.:")]
    return " ".join([name, *words[:2]])


def _line(holder: Holder) -> str:
    data = {"host": holder.host, "user": holder.user, "pid": holder.pid, "program": holder.program}
    return json.dumps({**data, "since": holder.since.isoformat()}) + "\n"


def _parse(text: str) -> list[Holder]:
    holders = []
    for line in text.splitlines():
        try:
            data = json.loads(line)
            holders.append(
                Holder(
                    str(data["host"]),
                    str(data["user"]),
                    int(data["pid"]),
                    datetime.fromisoformat(data["since"]),
                    str(data.get("program", "?")),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue  # a torn or foreign line says nothing
    return holders


def _gone(holder: Holder) -> bool:
    """A holder on this machine whose process has ended (it left while others stayed)."""
    if sys.platform == "win32" or holder.host != socket.gethostname():
        return False  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class _LockedFile(ABC):
    """The marker file, opened and held with the lock ``_lock`` takes; closed again if that
    lock is refused."""

    def __init__(self, database: Path) -> None:
        self.path = marker_path(database)
        self._file = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held open)
        try:
            self._lock()
        except BaseException:
            self._file.close()
            raise

    @abstractmethod
    def _lock(self) -> None:
        """Take this kind of lock on ``self._file``, or raise."""


class InstanceMarker(_LockedFile):
    """This program's claim on a database file; ``others`` had it open when it was claimed."""

    def __init__(self, database: Path) -> None:
        self.me = _me()
        self.others: list[Holder] = []
        self.alone = False  # nobody else had the file open when it was claimed
        super().__init__(database)

    def _lock(self) -> None:
        if sys.platform == "win32":
            self._claim_windows()
        else:
            self._claim_posix()

    def _write(self, alone: bool) -> None:
        self._file.seek(0)
        if alone:
            self._file.truncate()
        else:
            text = self._file.read()
            self.others = [
                h
                for h in _parse(text)
                if not (h.host == self.me.host and h.pid == self.me.pid) and not _gone(h)
            ]
            self._file.seek(0, os.SEEK_END)
        self._file.write(_line(self.me))
        self._file.flush()

    def _claim_posix(self) -> None:
        import fcntl

        fd = self._file.fileno()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # someone holds it; an exclusive holder only for the moment of its own claim
            fcntl.flock(fd, fcntl.LOCK_SH)
            self._write(alone=False)
            return
        self.alone = True
        self._write(alone=True)
        fcntl.flock(fd, fcntl.LOCK_SH)

    def _claim_windows(self) -> None:
        import msvcrt

        fd = self._file.fileno()
        taken: int | None = None
        busy = False
        for slot in range(SLOTS):
            os.lseek(fd, SLOT_BASE + slot, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                busy = True
                continue
            if taken is None:
                taken = slot  # keep the first free byte as ours
            else:
                os.lseek(fd, SLOT_BASE + slot, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        if taken is None:
            raise OSError(f"more than {SLOTS} programs have {self.path} open")
        self._slot = taken
        self.alone = not busy
        self._write(alone=not busy)

    def release(self) -> None:
        if self._file.closed:
            return
        # Closing the file releases the lock; on Windows the byte is unlocked first.
        if sys.platform == "win32":
            import msvcrt

            os.lseek(self._file.fileno(), SLOT_BASE + self._slot, os.SEEK_SET)
            msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)
        self._file.close()


def claim(database: Path) -> InstanceMarker:
    """Mark ``database`` as open in this program until ``release()`` (or the process ends)."""
    return InstanceMarker(database)


def in_use_elsewhere(database: Path) -> bool:
    """True while another program (or another claim in this one) holds the marker."""
    path = marker_path(database)
    if not path.exists():
        return False
    with open(path, "a+", encoding="utf-8") as probe:
        if sys.platform == "win32":
            import msvcrt

            for slot in range(SLOTS):
                os.lseek(probe.fileno(), SLOT_BASE + slot, os.SEEK_SET)
                try:
                    msvcrt.locking(probe.fileno(), msvcrt.LK_NBLCK, 1)
                except OSError:
                    return True
                os.lseek(probe.fileno(), SLOT_BASE + slot, os.SEEK_SET)
                msvcrt.locking(probe.fileno(), msvcrt.LK_UNLCK, 1)
            return False
        import fcntl

        try:
            fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


class InUseElsewhere(Exception):
    """Another program holds the marker, so the file must not be replaced under it."""

    def __init__(self, database: Path, holders: list[Holder]) -> None:
        super().__init__(f"{database} is open in another program")
        self.database = database
        self.holders = holders


class ExclusiveClaim(_LockedFile):
    """This program alone has ``database``: no other can open it (their claim waits) until
    ``release()``. Whoever replaces the whole file holds this, so nobody writes into a file that
    is about to be unlinked."""

    def __init__(self, database: Path) -> None:
        self._slots: list[int] = []
        super().__init__(database)
        self._file.seek(0)
        self._file.truncate()
        self._file.write(_line(_me()))
        self._file.flush()

    def _lock(self) -> None:
        if sys.platform == "win32":
            self._take_windows()
        else:
            self._take_posix()

    def _refuse(self) -> None:
        self._file.seek(0)
        me = _me()
        found = [h for h in _parse(self._file.read()) if not _gone(h)]
        holders = [h for h in found if not (h.host == me.host and h.pid == me.pid)]
        if not holders:  # only claims of this very program (a handle it has not disposed of)
            holders = found or [me]
        raise InUseElsewhere(self.path.with_name(self.path.name.removesuffix(SUFFIX)), holders)

    def _take_posix(self) -> None:
        import fcntl

        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._refuse()

    def _take_windows(self) -> None:
        import msvcrt

        fd = self._file.fileno()
        for slot in range(SLOTS):
            os.lseek(fd, SLOT_BASE + slot, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                self._unlock_windows()
                self._refuse()
            self._slots.append(slot)

    def _unlock_windows(self) -> None:
        import msvcrt

        while self._slots:
            os.lseek(self._file.fileno(), SLOT_BASE + self._slots.pop(), os.SEEK_SET)
            msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)

    def release(self) -> None:
        if self._file.closed:
            return
        if sys.platform == "win32":
            self._unlock_windows()
        self._file.seek(0)
        self._file.truncate()  # the text named this program, which is leaving
        self._file.close()


def claim_exclusive(database: Path) -> ExclusiveClaim:
    """Take ``database`` for this program alone, or raise InUseElsewhere naming who has it."""
    return ExclusiveClaim(database)
