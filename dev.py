#!/usr/bin/env python3
"""Developer entry point: sets up .venv and then starts the app or runs the tests.

    python3 dev.py app      set up, create a sample database on first start, open the app
    python3 dev.py test     set up and run the whole test suite (extra args go to pytest); with
                            $LEHRER_LICENSES_TEST_POSTGRES set, then again on that PostgreSQL server
    python3 dev.py test --fast   all but the tests marked slow (kill, crash, stress, sweeps), on
                            2 workers
    python3 dev.py test --postgres URL   add the PostgreSQL pass (URL: a role that may create
                            databases; scripts/postgres_test_server.sh start makes a server)

Uses only the standard library, so it runs on a fresh machine with nothing but Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"
SAMPLE_SCHOOLS = "300"
MIN_PYTHON = (3, 11)
POSTGRES_ENV = "LEHRER_LICENSES_TEST_POSTGRES"
# pytest's closing line, e.g. "1480 passed, 12 deselected in 301.2s" (-q) or "== ... ==".
# A pass that runs longer than this is stopped and counted as failed: a crashed xdist worker under
# --dist loadfile can leave the run waiting for ever (pytest-xdist issues 784, 1378), and CI must
# end red with the output so far rather than time out without a word.
PASS_LIMIT_ENV = "LEHRER_LICENSES_TEST_PASS_LIMIT"
PASS_LIMIT_SECONDS = 1800
# The fast loop keeps its temporary files (a database per test, its write-ahead log, backups) on
# this RAM file system when there is one: a test database syncs every commit to disk
# (synchronous=FULL), and on a disk busy with other work those waits were a quarter of the loop's
# wall time (services and cli tests on 2 workers: 87 s -> 64 s). CI and `dev.py test` keep the disk.
RAM_TMP = Path("/dev/shm")
RAM_TMP_MIN_FREE = 2 * 1024**3  # a fast run leaves some 400 MB of files while it runs
SUMMARY = re.compile(r"\b\d+ (passed|failed|errors?|skipped|deselected)\b.* in [\d.]+s")


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _venv_python_version() -> str | None:
    """The Python version .venv was made with (its pyvenv.cfg), None without a usable one."""
    cfg = VENV / "pyvenv.cfg"
    if not PYTHON.exists() or not cfg.exists():
        return None
    for line in cfg.read_text(encoding="utf-8").splitlines():
        key, _sep, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return ".".join(value.strip().split(".")[:2])
    return None


def setup() -> None:
    made_with = _venv_python_version()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if VENV.exists() and made_with != running:
        # A .venv of another Python (or half made by a failed try) never heals by itself.
        print(f"Recreating .venv (it was made by Python {made_with or '?'}) ...", flush=True)
        shutil.rmtree(VENV)
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing lehrer-licenses and its dependencies into .venv ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True
    )
    STAMP.write_text(_fingerprint())


def app(args: list[str]) -> int:
    setup()
    cli = [str(PYTHON), "-m", "lehrer_licenses"]
    if "--db" not in args:
        default = subprocess.run(
            [
                str(PYTHON),
                "-c",
                "from lehrer_licenses.services.database_init import resolve_url;"
                "print(resolve_url(None))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        path = Path(default.removeprefix("sqlite:///"))
        if default.startswith("sqlite:///") and not path.exists():
            print(
                f"First start: creating {path} with {SAMPLE_SCHOOLS} sample schools ...", flush=True
            )
            subprocess.run([*cli, "demo", "--schools", SAMPLE_SCHOOLS], check=True)
    return subprocess.call([*cli, *args])


def _server_url(args: list[str]) -> tuple[str | None, list[str]]:
    """The PostgreSQL server of the second pass (``--postgres URL``, else the environment unless
    ``--fast``) and the arguments without ``--postgres URL``."""
    rest, url = [], None
    it = iter(args)
    for arg in it:
        if arg == "--postgres":
            url = next(it, None)
            if not url:
                raise SystemExit("dev.py test: --postgres needs a URL (postgresql+psycopg://...)")
        elif arg.startswith("--postgres="):
            url = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    if url is None and "--fast" not in rest:
        url = os.environ.get(POSTGRES_ENV) or None
    return url, rest


def _pytest_pass(label: str, args: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    """Run pytest, its output passed through as it comes; returns the exit code, pytest's closing
    line and the seconds it took."""
    print(f"== {label} ==", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(PYTHON), "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
        start_new_session=True,
    )
    limit = float(os.environ.get(PASS_LIMIT_ENV) or PASS_LIMIT_SECONDS)
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        print(
            f"\ndev.py test: the {label} pass did not end within {limit:.0f} s and was stopped "
            f"(a crashed or hanging test: see the output above; {PASS_LIMIT_ENV} sets the limit)",
            flush=True,
        )
        try:
            if hasattr(os, "killpg"):  # the whole session: the xdist workers too
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except ProcessLookupError:
            pass

    watchdog = threading.Timer(limit, stop)
    watchdog.daemon = True
    watchdog.start()
    summary = ""
    assert process.stdout is not None
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if SUMMARY.search(line):
                summary = line.strip().strip("= ")
        code = process.wait()
    finally:
        watchdog.cancel()
    if stopped.is_set():
        return 3, f"stopped after {limit:.0f} s", time.perf_counter() - started
    return code, summary or f"no summary (exit code {code})", time.perf_counter() - started


def _ram_tmpdir() -> str | None:
    """A folder of this user's on RAM_TMP for the fast loop's temporary files; None without one,
    or when $TMPDIR already says where they go."""
    if os.environ.get("TMPDIR") or not hasattr(os, "getuid") or not RAM_TMP.is_dir():
        return None
    folder = RAM_TMP / f"lehrer-licenses-tests-{os.getuid()}"
    try:
        if shutil.disk_usage(RAM_TMP).free < RAM_TMP_MIN_FREE:
            return None
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return str(folder) if os.access(folder, os.W_OK) else None


def test(args: list[str]) -> int:
    url, args = _server_url(args)
    fast = "--fast" in args
    if os.environ.get("CI") and not url and not fast:
        # CI must not pass by quietly leaving the server out (issue 20).
        print(
            f"dev.py test: CI is set but {POSTGRES_ENV} is not: the PostgreSQL pass cannot run "
            "(.ci/run starts a server with scripts/postgres_test_server.sh and sets it)"
        )
        return 2
    setup()
    if fast:
        # The loop while working, on both cores; CI and a plain `dev.py test` run every test.
        # Whole files per worker: a file's module fixtures and caches are then built once.
        args = [
            "-m",
            "not slow",
            "-n",
            "2",
            "--dist",
            "loadfile",
            *(a for a in args if a != "--fast"),
        ]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    ram = _ram_tmpdir() if fast else None
    if ram:
        print(f"dev.py test --fast: temporary files in {ram} (RAM)", flush=True)
        env["TMPDIR"] = ram
        # The last run's folders only (three runs' would hold 1.2 GB of RAM), all of them: a
        # folder removed as its test passes can still be read by the test's background work.
        args = ["-o", "tmp_path_retention_count=1", *args]
    # Cached bytecode and pytest's rewritten test modules: collecting then takes 2 s, not 5 s.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    passes = [("SQLite", args, env)]
    if url:
        # Every database on the server, two workers with whole files each (as --fast): one
        # worker's tests run while the server copies and drops the other's databases.
        workers = [] if any(a == "-n" or a.startswith("-n") for a in args) else ["-n", "2"]
        dist = [] if "--dist" in args else ["--dist", "loadfile"]
        server_args = ["--backend", "postgresql", *workers, *dist, *args]
        passes.append(("PostgreSQL", server_args, dict(env, **{POSTGRES_ENV: url})))
    results = [(label, *_pytest_pass(label, a, e)) for label, a, e in passes]
    for label, code, summary, seconds in results:
        state = "ok" if code == 0 else f"FAILED (exit code {code})"
        print(f"{label} pass: {summary}; {seconds:.0f} s; {state}")
    return next((code for _label, code, _s, _t in results if code != 0), 0)


def main() -> int:
    if sys.version_info < MIN_PYTHON:
        print(
            f"lehrer-licenses needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is "
            f"{sys.version.split()[0]}. Run dev.py with python3.11 (or newer)."
        )
        return 2
    if len(sys.argv) < 2 or sys.argv[1] not in ("app", "test", "setup"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup()
        return 0
    return app(rest) if command == "app" else test(rest)


if __name__ == "__main__":
    sys.exit(main())
