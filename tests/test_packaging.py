"""Packaging checks that need no build: the bundle layout, the version source, the installer files.

The build itself and its smoke test run in CI after the tests (.ci/run, installer/smoke-test.sh).
"""

from __future__ import annotations

import importlib.util
import os
import plistlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import lehrer_licenses
from lehrer_licenses import paths
from lehrer_licenses.i18n import LANGUAGES, SOURCE_LANGUAGE, catalogue_resource
from lehrer_licenses.store import database
from lehrer_licenses.store.database import head_revision

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def _load_layout():
    spec = importlib.util.spec_from_file_location("bundle_layout", INSTALLER / "bundle_layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


layout = _load_layout()


def _pyproject_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _bundled() -> dict[str, str]:
    """bundle-relative path -> source, for the data files the spec adds."""
    return {f"{dest}/{Path(src).name}": src for src, dest in layout.data_files()}


def test_version_comes_from_pyproject_and_the_installed_metadata_agrees():
    assert layout.version() == _pyproject_version()
    # The frozen app reads the same metadata (the spec bundles the dist-info).
    assert lehrer_licenses.__version__ == _pyproject_version()


def test_no_other_file_writes_the_version():
    version = _pyproject_version()
    for path in INSTALLER.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".spec", ".sh", ".ps1", ".iss", ".plist"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(rf"\b{re.escape(version)}\b", text), path


def test_every_resource_file_is_bundled_where_paths_looks_for_it(monkeypatch, tmp_path):
    bundled = _bundled()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for source in sorted((ROOT / "resources").rglob("*")):
        if source.is_file():
            relative = source.relative_to(ROOT).as_posix()
            assert bundled.get(relative) == str(source), relative
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.font_path() == tmp_path / "resources" / "fonts" / "DejaVuSans.ttf"
    assert "resources/fonts/DejaVuSans.ttf" in bundled
    assert "resources/fonts/DejaVuSans-Bold.ttf" in bundled


def test_every_translated_language_ships_its_catalogues(monkeypatch, tmp_path):
    # The bundle carries each language's compiled .mo where i18n looks for it inside the package
    # (importlib.resources: _MEIPASS/lehrer_licenses/ in the bundle); the .po sources stay out,
    # so the translations folder i18n would compile from does not exist there.
    bundled = _bundled()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.translations_dir() == tmp_path / "translations"
    assert not paths.translations_dir().exists()
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        catalogues = sorted((ROOT / "translations" / language).glob("*.po"))
        assert catalogues, language
        resource = catalogue_resource(language)
        inside = Path(str(resource)).relative_to(ROOT).as_posix()
        assert inside == f"lehrer_licenses/locale/{language}/LC_MESSAGES/lehrer_licenses.mo"
        assert bundled.get(inside) == str(ROOT / inside)
    assert not any(name.endswith((".pot", ".po")) for name in bundled)


def test_the_spec_compiles_the_catalogues_before_it_lists_the_data_files():
    spec = (INSTALLER / "lehrer-licenses.spec").read_text(encoding="utf-8")
    assert spec.index("layout.compile_catalogues()") < spec.index("layout.data_files()")


def test_migrations_are_bundled_as_files_next_to_the_store_package():
    bundled = _bundled()
    # store/database.py finds them beside its own file, in the bundle as in a checkout.
    folder = database.MIGRATIONS.relative_to(ROOT / "lehrer_licenses").as_posix()
    prefix = f"lehrer_licenses/{folder}"
    assert f"{prefix}/env.py" in bundled
    assert f"{prefix}/script.py.mako" in bundled
    versions = sorted((database.MIGRATIONS / "versions").glob("*.py"))
    assert versions
    for script in versions:
        assert f"{prefix}/versions/{script.name}" in bundled
    assert not any("__pycache__" in name for name in bundled)


def test_what_the_migrations_import_is_collected():
    names = layout.migration_imports()
    assert "alembic.op" in names
    assert "alembic.context" in names
    assert "sqlalchemy" in names
    for name in names:
        assert importlib.util.find_spec(name) is not None, name


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qtbase_ja.qm", False),
        ("pycountry/locales/de/LC_MESSAGES/iso3166-1.mo", False),
        ("pycountry/databases/iso3166-1.json", True),
        ("schwifty/bank_registry/generated_ch.json", True),
    ],
)
def test_collected_data_filter(dest, kept):
    assert layout.keep_collected_data(dest) is kept


def test_the_spec_uses_the_layout_and_the_app_icons():
    spec = (INSTALLER / "lehrer-licenses.spec").read_text(encoding="utf-8")
    compile(spec, "lehrer-licenses.spec", "exec")
    assert "layout.data_files()" in spec
    assert "layout.migration_imports()" in spec
    assert "copy_metadata(DIST_NAME, recursive=True)" in spec
    assert "collect_data_files(package)" in spec
    assert "app-icon.ico" in spec and "app-icon.icns" in spec
    # Windows: the windowed app and the console command line share one folder.
    assert 'name="LehrerLicenses", console=False' in spec
    assert 'name="lehrer-licenses", console=True' in spec


def test_libraries_with_data_files_are_installed_packages():
    for package in layout.PACKAGES_WITH_DATA:
        assert importlib.util.find_spec(package) is not None, package


def test_app_icons_exist_in_every_format():
    icons = ROOT / "resources" / "icons"
    assert (icons / "app-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "app-icon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "app-icon.icns").read_bytes()[:4] == b"icns"
    assert (icons / "app.svg").is_file()  # the window icon; the others are rendered from it


def test_macos_info_plist():
    with open(INSTALLER / "macos" / "Info.plist", "rb") as fh:
        info = plistlib.load(fh)
    assert info["CFBundleIdentifier"] == "ch.lehrer-licenses.desk"
    assert info["CFBundleExecutable"] == layout.DIST_NAME
    assert info["CFBundleIconFile"] == "app-icon.icns"
    assert info["CFBundleShortVersionString"] == info["CFBundleVersion"] == "@VERSION@"
    assert info["NSHighResolutionCapable"] is True
    assert tuple(int(x) for x in info["LSMinimumSystemVersion"].split(".")) >= (13, 0)


def test_inno_setup_script():
    iss = (INSTALLER / "windows" / "lehrer-licenses.iss").read_text(encoding="utf-8")
    assert "#ifndef AppVersion" in iss
    assert "AppVersion={#AppVersion}" in iss
    assert r"{group}\{#AppName}" in iss  # start-menu entry
    assert "LehrerLicenses.exe" in iss
    assert r"..\..\resources\icons\app-icon.ico" in iss
    assert ".llbackup" in iss
    # Data lives outside {app}: nothing may delete the user data folder on uninstall.
    assert "[UninstallDelete]" not in iss
    assert "{localappdata}" not in iss.lower()
    assert re.search(r"AppId=\{\{[0-9A-F-]{36}\}", iss)


def test_build_scripts_are_valid_shell():
    for name in ("build-linux.sh", "build-macos.sh", "smoke-test.sh"):
        script = INSTALLER / name
        assert script.stat().st_mode & 0o111, f"{name} is not executable"
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_ci_builds_and_smoke_tests_the_bundle_after_the_tests():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tests = ci.index("python3 dev.py test")
    build = ci.index("installer/build-linux.sh")
    smoke = ci.index("installer/smoke-test.sh")
    assert tests < build < smoke


def test_launcher_runs_the_command_line():
    result = subprocess.run(
        [sys.executable, str(INSTALLER / "launcher.py"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == (
        f"lehrer-licenses {_pyproject_version()} (schema {head_revision()})"
    )


def _desktop_env(tmp_path: Path) -> dict[str, str]:
    """The app offscreen with its settings, data and keys in tmp_path."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "LEHRER_LICENSES_KEYS": str(tmp_path / "keys"),
    }


def _launch(db: Path, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess:
    """The desktop app through the frozen entry point; it must end by itself, cleanly."""
    result = subprocess.run(
        [sys.executable, str(INSTALLER / "launcher.py"), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.slow  # starts the whole desktop app in a new process
def test_launcher_quits_the_desktop_app_once_started_when_asked(tmp_path):
    # installer/smoke-test.sh times the start this way; an app that never quit hung CI once
    # (the window is shown and events processed before app.exec(), where a quit is ignored).
    db = tmp_path / "start.sqlite"
    env = _desktop_env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "lehrer_licenses", "--db", str(db), "demo", "--schools", "1"],
        capture_output=True,
        check=True,
        env=env,
    )
    env["LEHRER_LICENSES_QUIT_WHEN_STARTED"] = "1"
    _launch(db, env, timeout=60)


def _dev_module(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    venv = tmp_path / ".venv"
    monkeypatch.setattr(dev, "VENV", venv)
    monkeypatch.setattr(dev, "PYTHON", venv / "bin" / "python")
    return dev, venv


def test_dev_py_refuses_an_old_python_in_one_line(monkeypatch, tmp_path, capsys):
    dev, _venv = _dev_module(monkeypatch, tmp_path)
    monkeypatch.setattr(dev, "MIN_PYTHON", (3, 99))
    monkeypatch.setattr(sys, "argv", ["dev.py", "test"])
    assert dev.main() == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "needs Python 3.99 or newer" in out


def test_dev_py_knows_which_python_made_the_venv(monkeypatch, tmp_path):
    dev, venv = _dev_module(monkeypatch, tmp_path)
    assert dev._venv_python_version() is None  # none yet
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.10.12\n")
    assert dev._venv_python_version() == "3.10"  # made by Ubuntu 22.04's python3: recreated
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.11.7.final.0\n")
    assert dev._venv_python_version() == "3.11"


def test_dev_py_fast_loop_keeps_its_temporary_files_in_ram_unless_told_otherwise(
    monkeypatch, tmp_path, capsys
):
    dev, _venv = _dev_module(monkeypatch, tmp_path)
    ram = tmp_path / "shm"
    ram.mkdir()
    monkeypatch.setattr(dev, "RAM_TMP", ram)
    monkeypatch.setattr(dev, "RAM_TMP_MIN_FREE", 0)
    monkeypatch.setattr(dev, "setup", lambda: None)
    runs = []
    monkeypatch.setattr(
        dev, "_pytest_pass", lambda _label, args, env: runs.append((args, env)) or (0, "", 0.1)
    )
    for name in ("TMPDIR", "CI", dev.POSTGRES_ENV):
        monkeypatch.delenv(name, raising=False)

    assert dev.test(["--fast", "tests/domain"]) == 0
    args, env = runs[-1]
    assert env["TMPDIR"] == str(ram / f"lehrer-licenses-tests-{os.getuid()}")
    assert (ram / f"lehrer-licenses-tests-{os.getuid()}").is_dir()
    assert args[:2] == ["-o", "tmp_path_retention_count=1"]
    assert args[-1] == "tests/domain" and "--fast" not in args
    assert f"temporary files in {env['TMPDIR']}" in capsys.readouterr().out
    # The whole suite (CI's run) keeps the disk; so does a fast loop given $TMPDIR.
    assert dev.test(["tests/domain"]) == 0
    assert "TMPDIR" not in runs[-1][1] and "tmp_path_retention_count=1" not in runs[-1][0]
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert dev.test(["--fast"]) == 0
    assert runs[-1][1]["TMPDIR"] == str(tmp_path)
    assert "tmp_path_retention_count=1" not in runs[-1][0]


def test_a_missing_resource_is_a_loud_error_naming_the_file(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    with pytest.raises(paths.MissingResource) as raised:
        paths.resource("fonts", "DejaVuSans.ttf")
    assert str(tmp_path / "fonts" / "DejaVuSans.ttf") in str(raised.value)


def test_a_checkout_reads_the_top_level_resources():
    # The package copy exists only in a built wheel (setup.py); the repository keeps the sources.
    assert paths.resources_dir() == ROOT / "resources"
    assert paths.resource("templates", "schools.csv") == ROOT / "resources/templates/schools.csv"


def test_a_missing_template_is_a_broken_installation_not_a_write_error(
    monkeypatch, tmp_path, capsys
):
    from lehrer_licenses.cli.main import EXIT_BROKEN_INSTALL, main

    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path / "empty")
    target = tmp_path / "schools.csv"
    code = main(
        ["--db", str(tmp_path / "t.sqlite"), "import", "template", "schools", "-o", str(target)]
    )
    err = capsys.readouterr().err
    assert code == EXIT_BROKEN_INSTALL
    assert "templates/schools.csv" in err and "cannot write" not in err
    assert not target.exists()


@pytest.mark.slow  # starts the whole desktop app in a new process
def test_launcher_drives_a_real_first_start_through_the_assistant(tmp_path):
    # installer/smoke-test.sh does the same with the frozen executable: an empty database, the
    # assistant shown and filled in, then the app quits; the vendor must be in the database.
    db = tmp_path / "first.sqlite"
    env = _desktop_env(tmp_path)
    env["LEHRER_LICENSES_DRIVE_FIRST_RUN"] = "1"
    env["LEHRER_LICENSES_QUIT_WHEN_STARTED"] = "1"
    result = _launch(db, env, timeout=90)  # the assistant's key page makes a signing key
    assert "first-run assistant: filled in and finished" in result.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "lehrer_licenses", "--db", str(db), "--json", "vendor", "show"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert '"name": "Lizenzbüro Smoke Test"' in shown.stdout
