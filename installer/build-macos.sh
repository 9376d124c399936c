#!/usr/bin/env bash
# macOS: "Lehrer Licenses.app" and a .dmg to drag it into Applications, from a clean checkout.
#
#     installer/build-macos.sh   -> dist/Lehrer Licenses.app
#                                   dist/lehrer-licenses-<version>-macos-<arch>.dmg
#
# Needs: macOS 13+, Python 3.11+ from python.org (PYTHON=... for another one), Xcode command line
# tools. Builds for the architecture of that Python (arm64 or x86_64). The version comes from
# pyproject.toml. Optional: CODESIGN_IDENTITY="Developer ID Application: ..." signs the app
# (PyInstaller signs ad hoc otherwise); notarization is a separate step (see installer/README.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv}
APP_NAME="Lehrer Licenses"
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(uname -m)
DMG="dist/lehrer-licenses-$VERSION-macos-$ARCH.dmg"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
# -e: the installed metadata (the app's --version) always matches pyproject.toml.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e . -r installer/requirements-build.txt

rm -rf build/pyinstaller build/dmg dist/lehrer-licenses "dist/$APP_NAME.app" "$DMG"
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/lehrer-licenses.spec
APP="dist/$APP_NAME.app"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --strict --verbose=2 "$APP"
fi

"$APP/Contents/MacOS/lehrer-licenses" --version

# The disk image: the app and a link to /Applications to drag it onto.
mkdir -p build/dmg
ditto "$APP" "build/dmg/$APP_NAME.app"  # keeps symlinks, attributes and signatures
ln -s /Applications build/dmg/Applications
hdiutil create -volname "$APP_NAME $VERSION" -srcfolder build/dmg -ov -format UDZO "$DMG"
echo "app: $APP ($(du -sh "$APP" | cut -f1))"
echo "dmg: $DMG ($(du -sh "$DMG" | cut -f1))"
