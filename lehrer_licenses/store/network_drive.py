"""Whether the database file lies on a network drive, where SQLite must not run as it does on a
local disk.

SQLite's write-ahead log needs shared memory that every program sees, which a file share does not
give, and the byte locks it relies on are unreliable over SMB and NFS: two offices writing at once
can damage the file. On a share the file is therefore opened without the log (journal_mode=DELETE)
and the user is told that the shared mode (a PostgreSQL server) is the one meant for it.

Where a path lies is read from the operating system's mount table: Windows' UNC names and drive
types, Linux's /proc/mounts, macOS' ``mount`` output. The readers take the table as an argument,
so tests give them made-up ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

# File-system types that are a share on another machine (Linux names, macOS names).
NETWORK_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "afpfs", "9p",
        "webdav", "davfs", "fuse.davfs", "fuse.sshfs", "sshfs", "glusterfs", "fuse.glusterfs",
        "ceph", "fuse.ceph", "lustre", "gpfs", "coda", "fuse.rclone", "fuse.smbnetfs",
    }
)  # fmt: skip
DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive


def _unescape(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash in octal (\040 ...)
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def parse_proc_mounts(text: str) -> list[tuple[str, str, str]]:
    """(mount point, type, source) of every line of a Linux /proc/mounts."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape(fields[1]), fields[2], _unescape(fields[0])))
    return mounts


def parse_mount_output(text: str) -> list[tuple[str, str, str]]:
    """(mount point, type, source) of macOS' ``mount`` output:
    ``//anna@nas/office on /Volumes/office (smbfs, nodev, nosuid, mounted by anna)``."""
    mounts = []
    for line in text.splitlines():
        source, on, rest = line.partition(" on ")
        point, paren, options = rest.rpartition(" (")
        if on and paren:
            mounts.append((point, options.split(",")[0].strip(" )"), source))
    return mounts


def _within(path: PurePosixPath, point: str) -> bool:
    return path == PurePosixPath(point) or PurePosixPath(point) in path.parents


def network_mount(path: str, mounts: list[tuple[str, str, str]]) -> str | None:
    """The type and source of the share holding ``path`` (the longest mount point that contains
    it decides), or None on a local disk."""
    target = PurePosixPath(path)
    best: tuple[str, str, str] | None = None
    for mount in mounts:
        if _within(target, mount[0]) and (best is None or len(mount[0]) >= len(best[0])):
            best = mount
    if best is None or best[1].lower() not in NETWORK_TYPES:
        return None
    return f"{best[1]} {best[2]}"


def windows_network_drive(path: str, drive_type=None) -> str | None:
    """A UNC name (\\\\server\\share\\...) or a drive letter mapped to a share."""
    win = PureWindowsPath(path)
    if win.drive.startswith(("\\\\", "//")):
        return win.drive  # \\server\share
    if not win.drive:
        return None
    if drive_type is None:
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    if drive_type(win.drive + "\\") == DRIVE_REMOTE:
        return win.drive
    return None


def _mac_mounts() -> list[tuple[str, str, str]]:
    try:
        done = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_mount_output(done.stdout)


@lru_cache(maxsize=32)
def network_location(path: str) -> str | None:
    """What share the file at ``path`` lies on (for the warning), or None on a local disk. Read
    once per path and process: the mount table of a running desk does not change under it."""
    if sys.platform == "win32":
        try:
            return windows_network_drive(str(Path(path).resolve()))
        except OSError:
            return None
    real = os.path.realpath(path)
    if sys.platform == "darwin":
        return network_mount(real, _mac_mounts())
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return network_mount(real, parse_proc_mounts(text))
