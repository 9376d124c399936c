"""One command line that starts when told: ``python at_once.py ARGS...`` imports the app, prints
"ready", waits for a line on stdin, then runs ``lehrer-licenses ARGS...`` and exits with its
status. Several of them told at once run the command at the same moment (support/concurrency.py).
"""

from __future__ import annotations

import sys

from lehrer_licenses.cli.main import main

if __name__ == "__main__":
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:  # argparse refuses before any command runs
        code = exc.code
    sys.stdout.flush()
    sys.exit(code)
