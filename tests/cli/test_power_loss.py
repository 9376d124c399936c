"""Power loss right after ``invoice issue`` returned (issue 19): no issued invoice is lost.

A power cut keeps of each file only what was last handed to the disk with fsync. An LD_PRELOAD
shim (compiled here) copies the database's files into a "disk" folder at every fsync/fdatasync,
so that folder is what a power cut would leave. The writer prints its result and then dies
without closing anything (no checkpoint, no clean close). With synchronous=FULL the issued
invoice, its number and its PDF are on the "disk"; the same run forced to synchronous=NORMAL
loses it, which shows the harness would catch a regression.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from test_invoice_cli import ok, order, school, set_vendor

# A crash test like the kill tests: it compiles a C shim and cuts the power under the CLI.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only(reason="what a SQLite file keeps after a power cut (its fsyncs)"),
]

SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copy the file behind fd into $POWERLOSS_DIR when its path starts with $POWERLOSS_WATCH: the
   copy is what the disk holds of it after this sync. */
static void snapshot(int fd) {
    const char *watch = getenv("POWERLOSS_WATCH"), *dir = getenv("POWERLOSS_DIR");
    char link[64], path[PATH_MAX], target[PATH_MAX], tmp[PATH_MAX], buf[65536];
    if (!watch || !dir) return;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return;
    path[n] = 0;
    if (strncmp(path, watch, strlen(watch)) != 0) return;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(target, sizeof target, "%s/%s", dir, base);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, base);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) return;
    off_t off = 0;
    ssize_t r;
    while ((r = pread(fd, buf, sizeof buf, off)) > 0) {
        if (write(out, buf, (size_t)r) != r) break;
        off += r;
    }
    close(out);
    rename(tmp, target);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    snapshot(fd);
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    snapshot(fd);
    return real(fd);
}
"""

# The command line as a user runs it, except that after printing its result the process dies
# at once: nothing is closed, so nothing more reaches the disk than the commits did.
WRITER = """
import os, sys
from lehrer_licenses.store import database
if os.environ.get("FORCE_NORMAL"):
    pragmas = database._sqlite_pragmas
    def normal(con, record, **kw):
        pragmas(con, record, **kw)
        con.execute("PRAGMA synchronous=NORMAL")
    database._sqlite_pragmas = normal
database.Database.dispose = lambda self: None
from lehrer_licenses.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
os._exit(code)
"""


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shim")
    (folder / "shim.c").write_text(SHIM)
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-O1", "-o", str(folder / "shim.so"), str(folder / "shim.c"),
         "-ldl"],
        check=True,
    )  # fmt: skip
    return folder / "shim.so"


def _checkpoint(path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def issue_then_lose_power(cli, shim, tmp_path, *, force_normal: bool) -> tuple[dict, list]:
    set_vendor(cli)
    draft = order(cli, school(cli))
    before = order(cli, school(cli, name="Schule Vorher"))
    ok(cli, "invoice", "issue", str(before), "--date", "2026-03-10")
    path = cli.path
    _checkpoint(path)
    disk = tmp_path / "disk"
    disk.mkdir()
    shutil.copyfile(path, disk / path.name)  # everything before the run is on the disk
    env = dict(
        os.environ,
        LD_PRELOAD=str(shim),
        POWERLOSS_WATCH=str(path),
        POWERLOSS_DIR=str(disk),
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    if force_normal:
        env["FORCE_NORMAL"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", WRITER, "--db", str(path), "--json", "invoice", "issue",
         str(draft), "--date", "2026-03-11"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    issued = json.loads(done.stdout)
    assert issued["status"] == "issued"
    con = sqlite3.connect(disk / path.name)  # the disk after the power cut
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = con.execute(
            "SELECT i.number, i.status, length(p.pdf) > 0 FROM invoice i "
            "LEFT JOIN invoice_pdf p ON p.invoice_id = i.id WHERE i.id = ?",
            (draft,),
        ).fetchall()
    finally:
        con.close()
    return issued, found


def test_an_issued_invoice_survives_a_power_cut_right_after_the_command(cli, shim, tmp_path):
    issued, found = issue_then_lose_power(cli, shim, tmp_path, force_normal=False)
    assert issued["number"] == "2026-00002"
    assert found == [("2026-00002", "issued", 1)]


def test_the_harness_sees_the_loss_synchronous_normal_would_cause(cli, shim, tmp_path):
    issued, found = issue_then_lose_power(cli, shim, tmp_path, force_normal=True)
    assert issued["number"] == "2026-00002"
    assert found == [(None, "draft", None)]  # numbered, printed, mailed - and gone
