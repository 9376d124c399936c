#!/usr/bin/env python3
"""Developer entry point: sets up .venv and then starts the app or runs the tests.

    python3 dev.py app      set up, create a sample database on first start, open the app
    python3 dev.py test     set up and run the whole test suite (extra args go to pytest)
    python3 dev.py test --fast   all but the tests marked slow (kill, crash, stress), on 2 workers

Uses only the standard library, so it runs on a fresh machine with nothing but Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"
SAMPLE_SCHOOLS = "300"
MIN_PYTHON = (3, 11)


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


def test(args: list[str]) -> int:
    setup()
    if "--fast" in args:
        # The loop while working, on both cores; CI and a plain `dev.py test` run every test.
        # Whole files per worker: a file's module fixtures and caches are then built once.
        fast = ["-m", "not slow", "-n", "2", "--dist", "loadfile"]
        args = [*fast, *(a for a in args if a != "--fast")]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # Cached bytecode and pytest's rewritten test modules: collecting then takes 2 s, not 5 s.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)


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
