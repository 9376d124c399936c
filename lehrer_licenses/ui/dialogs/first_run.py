"""The first-run assistant, shown when the database is new and empty: who issues the invoices
(vendor identity), whether the signing key for registration codes is in place, and sample data
to look around with (made in the background, with progress)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.browse import schools as browse
from lehrer_licenses.services.demo.sample_data import DemoStats, create_demo
from lehrer_licenses.ui.dialogs.settings_dialog import KeyPanel, VendorForm
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.widgets import InlineError, plain_label
from lehrer_licenses.ui.workers import Progress, Task, start

SAMPLE_SCHOOLS = 200


def needs_first_run(db: Database) -> bool:
    """A database without schools and without a vendor: nobody has set it up yet."""
    return browse.count_schools(db) == 0 and not vendor.get_vendor(db).name


class _VendorPage(QWizardPage):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.setTitle(_("Who issues the invoices"))
        self.setSubTitle(
            _(
                "Name, address and bank account are printed on every invoice and its QR-bill. "
                "You can leave this for later (File \u203a Settings); invoices cannot be issued "
                "until it is complete."
            )
        )
        self.form = VendorForm(db)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.error = InlineError()
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:
        if self.form.validate():
            self.error.show_message(_("Correct the fields marked in red first."))
            return False
        try:
            self.form.save()
        except DomainError as exc:
            self.error.show_message(message_of(exc))
            return False
        return True


class _KeyPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Registration codes"))
        self.setSubTitle(
            _("Codes are signed with a key that stays on this machine. Back it up now or later.")
        )
        self.keys = KeyPanel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.keys)

    def initializePage(self) -> None:
        self.keys.refresh()


class _SamplePage(QWizardPage):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db
        self.task: Task | None = None
        self.done = False
        self.setTitle(_("Sample data"))
        self.setSubTitle(
            _("Try the app on made-up schools first, or start with an empty database.")
        )
        self.sample = QCheckBox(
            _("Create {n} sample schools with teachers, seats and three years of history").format(
                n=SAMPLE_SCHOOLS
            )
        )
        self.note = plain_label(
            _("Sample data is best kept in a database of its own (File \u203a New database).")
        )
        self.note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.state = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample)
        layout.addWidget(self.note)
        layout.addWidget(self.progress)
        layout.addWidget(self.state)
        layout.addStretch(1)

    def isComplete(self) -> bool:
        return self.task is None

    def validatePage(self) -> bool:
        if not self.sample.isChecked() or self.done:
            return True
        self.start_sample()
        return False  # finishes by itself when the data is in

    def start_sample(self) -> Task:
        db = self._db

        def work(progress: Progress) -> DemoStats:
            return create_demo(db, SAMPLE_SCHOOLS, seed=1, progress=progress)

        task = Task(work)
        task.signals.succeeded.connect(self._succeeded)
        task.signals.failed.connect(self._failed)
        task.signals.finished.connect(self._finished)
        self.task = task
        self.sample.setEnabled(False)
        self.progress.show()
        self.state.setText(_("Creating sample data…"))
        self.completeChanged.emit()
        return start(task)

    def _succeeded(self, _counts: DemoStats) -> None:
        self.done = True
        self.state.setText(_("{n} sample schools created.").format(n=SAMPLE_SCHOOLS))

    def _failed(self, exc: BaseException) -> None:
        self.state.setText(message_of(exc))

    def _finished(self) -> None:
        self.task = None
        self.progress.hide()
        self.completeChanged.emit()
        if self.done:
            self.wizard().accept()


class FirstRunWizard(QWizard):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to lehrer-licenses"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.vendor_page = _VendorPage(db)
        self.key_page = _KeyPage()
        self.sample_page = _SamplePage(db)
        for page in (self.vendor_page, self.key_page, self.sample_page):
            self.addPage(page)
        self.resize(720, 640)

    @property
    def sample_created(self) -> bool:
        return self.sample_page.done
