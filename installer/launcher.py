"""Entry point of the frozen executables: the same as the ``lehrer-licenses`` console script.

With no command it opens the desktop app, otherwise it runs the command line. A windowed
executable (LehrerLicenses.exe on Windows) has no console, so sys.stdout and sys.stderr are None
there; they go to the null device so that ``--help`` or a mistyped argument ends quietly instead of
in an error dialog about writing to None. Use lehrer-licenses.exe for the command line.

``LEHRER_LICENSES_QUIT_WHEN_STARTED=1`` (used by installer/smoke-test.sh to time the start): the
desktop app (no command given) quits as soon as its event loop runs, i.e. once the main window
has been shown.

``LEHRER_LICENSES_DRIVE_FIRST_RUN=1`` (the smoke test's first start on an empty database): the
first-run assistant, once shown, is filled in with the sample vendor below and finished, without
sample data, so a real first start runs to the end unattended (the quit above waits behind it).
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
    # in app.exec(), once the main window has its database: the app shows the schools list's
    # first page before it opens the database (ui.app.launch), so the first pass of app.exec()
    # can come before it; the database is open and the window shown when it quits.
    from PySide6.QtCore import QTimer

    from lehrer_licenses.ui.app import create_application
    from lehrer_licenses.ui.main_window import MainWindow

    app = create_application()
    timer = QTimer(app)
    timer.setInterval(10)

    def quit_when_attached() -> None:
        if any(isinstance(w, MainWindow) and w.attached for w in app.topLevelWidgets()):
            app.quit()

    timer.timeout.connect(quit_when_attached)
    timer.start()


# What the smoke test types into the assistant and then finds with `vendor show`.
SAMPLE_VENDOR = {"name": "Lizenzbüro Smoke Test", "iban": "CH93 0076 2011 6238 5295 7"}


def _drive_first_run() -> None:
    # The assistant runs in its own event loop (QWizard.exec) before app.exec(); a repeating
    # timer keeps firing inside it, finds the assistant once it is shown and walks it through.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWizard

    from lehrer_licenses.ui.app import create_application
    from lehrer_licenses.ui.dialogs.first_run import FirstRunWizard

    app = create_application()
    timer = QTimer(app)
    timer.setInterval(50)

    def drive() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, FirstRunWizard) and widget.isVisible():
                timer.stop()
                for field, value in SAMPLE_VENDOR.items():
                    widget.vendor_page.form.edits[field].setText(value)
                while widget.currentPage() is not widget.sample_page:
                    page = widget.currentPage()
                    widget.next()
                    if widget.currentPage() is page:
                        sys.exit("the first-run assistant refused the sample values")
                widget.button(QWizard.WizardButton.FinishButton).click()
                print("first-run assistant: filled in and finished", file=sys.stderr)
                return

    timer.timeout.connect(drive)
    timer.start()


if __name__ == "__main__":
    if build_parser().parse_args().command is None:
        if os.environ.get("LEHRER_LICENSES_DRIVE_FIRST_RUN") == "1":
            _drive_first_run()
        if os.environ.get("LEHRER_LICENSES_QUIT_WHEN_STARTED") == "1":
            _quit_when_started()
    sys.exit(main())
