#!/usr/bin/env bash
# Linux: one-folder bundle and its tar.gz, from a clean checkout.
#
#     installer/build-linux.sh            -> dist/lehrer-licenses/  (the bundle)
#                                            dist/lehrer-licenses-<version>-linux-<arch>.tar.gz
#
# Needs Python 3.11+ (with venv). Uses the project's .venv (created if missing; VENV=DIR for
# another one), installs the package and PyInstaller into it, then builds with
# installer/lehrer-licenses.spec. The version comes from pyproject.toml.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv}
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(uname -m)
NAME="lehrer-licenses-$VERSION-linux-$ARCH"

if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
  echo "note: the working tree has local changes; a release is built from a clean checkout" >&2
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
# -e: the installed metadata (the app's --version) always matches pyproject.toml.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e . -r installer/requirements-build.txt

rm -rf build/pyinstaller dist/lehrer-licenses "dist/$NAME.tar.gz"
start=$(date +%s)
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/lehrer-licenses.spec
echo "PyInstaller build: $(( $(date +%s) - start )) s"

# The archive unpacks into lehrer-licenses-<version>/ (unpack an update into a new folder: files
# of an older version must not stay next to the new ones).
tar -C dist --owner=0 --group=0 --numeric-owner \
  --transform "s,^lehrer-licenses,lehrer-licenses-$VERSION,S" -czf "dist/$NAME.tar.gz" lehrer-licenses
echo "bundle:  dist/lehrer-licenses ($(du -sh dist/lehrer-licenses | cut -f1))"
echo "archive: dist/$NAME.tar.gz ($(du -sh "dist/$NAME.tar.gz" | cut -f1))"
