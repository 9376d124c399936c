"""A database file on a network drive (issue 19): found from the mount tables of Linux, macOS and
Windows (made up here), opened without the write-ahead log, and named in a warning that points
to the shared (PostgreSQL) mode; every commit is synchronous=FULL."""

from __future__ import annotations

import sqlite3

import pytest

from lehrer_licenses.cli.main import main
from lehrer_licenses.store import database as store_database
from lehrer_licenses.store.network_drive import (
    DRIVE_REMOTE,
    network_mount,
    parse_mount_output,
    parse_proc_mounts,
    windows_network_drive,
)

pytestmark = pytest.mark.sqlite_only(
    reason="a SQLite file on a network share: journal mode and warning"
)

PROC_MOUNTS = r"""/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
//nas/office /mnt/office cifs rw,relatime,vers=3.1.1,cache=strict,username=anna 0 0
nas:/export/desk /srv/desk nfs4 rw,relatime,vers=4.2 0 0
/dev/sdb1 /srv/desk/local ext4 rw,relatime 0 0
//nas/Schul\040Daten /mnt/Schul\040Daten smb3 rw 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
"""

MAC_MOUNT = """/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)
//anna@nas._smb._tcp.local/office on /Volumes/office (smbfs, nodev, nosuid, mounted by anna)
nas:/export/desk on /Volumes/desk (nfs, nodev, nosuid, mounted by anna)
/dev/disk4s1 on /Volumes/USB Stick (msdos, local, nodev, nosuid, noowners)
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/office/desk.sqlite", "cifs //nas/office"),
        ("/srv/desk/a/desk.sqlite", "nfs4 nas:/export/desk"),
        ("/srv/desk/local/desk.sqlite", None),  # a local disk mounted inside the share
        ("/mnt/Schul Daten/desk.sqlite", "smb3 //nas/Schul Daten"),
        ("/mnt/officer/desk.sqlite", None),  # only a prefix of the name, not the folder
        ("/home/anna/desk.sqlite", None),
        ("/tmp/desk.sqlite", None),
    ],
)
def test_linux_proc_mounts(path, expected):
    assert network_mount(path, parse_proc_mounts(PROC_MOUNTS)) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/Volumes/office/Lizenzen/desk.sqlite", "smbfs //anna@nas._smb._tcp.local/office"),
        ("/Volumes/desk/desk.sqlite", "nfs nas:/export/desk"),
        ("/Volumes/USB Stick/desk.sqlite", None),
        ("/Users/anna/Library/Application Support/lehrer-licenses/desk.sqlite", None),
    ],
)
def test_macos_mount_output(path, expected):
    assert network_mount(path, parse_mount_output(MAC_MOUNT)) == expected


def test_windows_unc_names_and_mapped_drives():
    types = {"C:\\": 3, "Z:\\": DRIVE_REMOTE, "E:\\": 2}
    drive_type = types.__getitem__
    assert windows_network_drive(r"\\nas\office\desk.sqlite", drive_type) == r"\\nas\office"
    assert windows_network_drive("//nas/office/desk.sqlite", drive_type) == r"\\nas\office"
    assert windows_network_drive(r"Z:\Lizenzen\desk.sqlite", drive_type) == "Z:"
    assert windows_network_drive(r"C:\Users\anna\desk.sqlite", drive_type) is None
    assert windows_network_drive(r"E:\desk.sqlite", drive_type) is None  # a USB stick


def journal_and_sync(db):
    with db.reading() as session:
        connection = session.connection()
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    return journal, sync


def test_a_local_file_runs_wal_with_full_sync(db):
    assert journal_and_sync(db) == ("wal", 2)  # 2: FULL
    assert db.network_warning is None


def test_on_a_share_no_wal_and_a_warning_naming_the_shared_mode(
    databases, tmp_path, monkeypatch, capsys
):
    share = tmp_path / "share"
    share.mkdir()

    def fake(path: str):
        return "cifs //nas/office" if path.startswith(str(share)) else None

    monkeypatch.setattr(store_database, "network_location", fake)
    path = databases.copy_to(share / "desk.sqlite")
    db = store_database.open_database(path)
    try:
        assert journal_and_sync(db) == ("delete", 2)
        assert "network drive (cifs //nas/office)" in db.network_warning
        assert "PostgreSQL" in db.network_warning
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # stays so in the file
    con.close()
    assert main(["--db", str(path), "school", "list"]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "network drive (cifs //nas/office)" in err
    assert "shared mode (a PostgreSQL server" in err
