"""Entry point of the frozen executables: the same as the ``lehrer-licenses`` console script.

With no command it opens the desktop app, otherwise it runs the command line. A windowed
executable (LehrerLicenses.exe on Windows) has no console, so sys.stdout and sys.stderr are None
there; they go to the null device so that ``--help`` or a mistyped argument ends quietly instead of
in an error dialog about writing to None. Use lehrer-licenses.exe for the command line.

``LEHRER_LICENSES_QUIT_WHEN_STARTED=1`` (used by installer/smoke-test.sh to time the start): the
desktop app (no command given) quits as soon as its event loop runs, i.e. once the main window
has been shown.
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

from lehrer_licenses.cli.main import build_parser, main  # noqa: E402


def _quit_when_started() -> None:
    # The app reuses an existing QApplication (ui.app.create_application). It shows its window
    # and runs processEvents() before app.exec(), so a single zero timer would fire there, where
    # quit() does nothing, and the app would never end. A repeating timer's quit() takes effect
    # on the first pass of app.exec(): the database is open and the window shown by then.
    from PySide6.QtCore import QTimer

    from lehrer_licenses.ui.app import create_application

    app = create_application()
    timer = QTimer(app)
    timer.setInterval(10)
    timer.timeout.connect(app.quit)
    timer.start()


if __name__ == "__main__":
    if (
        os.environ.get("LEHRER_LICENSES_QUIT_WHEN_STARTED") == "1"
        and build_parser().parse_args().command is None
    ):
        _quit_when_started()
    sys.exit(main())
