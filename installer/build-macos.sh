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
  # Inside-out: every nested binary first, the app last (codesign's deep mode would skip the
  # entitlements and is not meant for signing). Hardened runtime, as notarisation requires.
  sign() {
    codesign --force --options runtime --timestamp \
      --entitlements installer/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" "$@"
  }
  find "$APP/Contents" -type f \( -name '*.dylib' -o -name '*.so' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' binary; do
      if file -b "$binary" | grep -q 'Mach-O'; then sign "$binary"; fi
    done
  find "$APP/Contents" -type d -name '*.framework' -prune -print0 |
    while IFS= read -r -d '' framework; do sign "$framework"; done
  sign "$APP"
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
