"""Settings: the language and formats of this machine (QSettings), the vendor identity printed on
every document (in the database, through services.billing.vendor, checked as typed), and the
signing key
of registration codes (export the public key, back it up with a passphrase, restore it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import LANGUAGES, _
from lehrer_licenses.services.access import ADMIN, LOCAL, Access
from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.billing.vendor import VendorSettings
from lehrer_licenses.services.browse import signing_key as browse_keys
from lehrer_licenses.services.licences import codes
from lehrer_licenses.ui import asking, labels
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import settings as opt
from lehrer_licenses.ui.dialogs.vat_regime_table import VatRegimeTable
from lehrer_licenses.ui.errors import message_of, show_error
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.permissions import needs_role, permit
from lehrer_licenses.ui.settings import Settings
from lehrer_licenses.ui.widgets import InlineError, field_label, plain_label

# Locales offered for numbers and dates ("" follows the system).
FORMAT_LOCALES = ("de_CH", "fr_CH", "it_CH", "de_DE", "de_AT", "nl_NL", "en_GB", "en_US")

# The vendor fields in the order of the form.
VENDOR_FIELDS = (
    "name",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
    "email",
    "phone",
    "website",
    "vat_id",
    "iban",
    "qr_iban",
    "bic",
    "payment_terms_days",
    "footer",
)


def _field_title(name: str) -> str:
    return {
        "name": _("Name"),
        "street": _("Street"),
        "house_number": _("House no."),
        "postcode": _("Postcode"),
        "city": _("City"),
        "country": _("Country"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "website": _("Website"),
        "vat_id": _("VAT/UID number"),
        "iban": _("IBAN"),
        "qr_iban": _("QR-IBAN"),
        "bic": _("BIC"),
        "payment_terms_days": _("Payment terms (days)"),
        "footer": _("Footer"),
    }[name]


class VendorForm(QWidget):
    """The vendor identity, each field checked as it is typed (``vendor.validate_vendor``)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.saved: VendorSettings = vendor.get_vendor(db)
        self.vat_charged = vendor.vat_charged(db)
        self.edits: dict[str, QLineEdit | QComboBox | QSpinBox] = {}
        self.errors: dict[str, InlineError] = {}
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)
        row = 0
        for name in VENDOR_FIELDS:
            if name == "country":
                edit: QLineEdit | QComboBox | QSpinBox = QComboBox()
                edit.addItem("", "")
                for code in vendor.VENDOR_COUNTRIES:
                    edit.addItem(labels.country_choice(code), code)
                edit.setCurrentIndex(max(0, edit.findData(self.saved.country)))
                edit.currentIndexChanged.connect(self.validate)
            elif name == "payment_terms_days":
                edit = QSpinBox()
                edit.setRange(0, 365)
                edit.setValue(self.saved.payment_terms_days)
                edit.valueChanged.connect(self.validate)
            else:
                edit = QLineEdit(str(getattr(self.saved, name)))
                edit.textChanged.connect(self.validate)
            if name in vendor.REQUIRED and isinstance(edit, QLineEdit):
                edit.setPlaceholderText(_("required"))
            elif name == "vat_id" and self.vat_charged and isinstance(edit, QLineEdit):
                edit.setPlaceholderText(_("required: printed on every invoice with VAT"))
            self.edits[name] = edit
            label = QLabel(field_label(_field_title(name)))
            label.setBuddy(edit)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            error = InlineError()
            self.errors[name] = error
            grid.addWidget(error, row + 1, 1)
            row += 2
        self.missing = plain_label()
        self.missing.setWordWrap(True)
        grid.addWidget(self.missing, row, 0, 1, 2)
        grid.setRowStretch(row + 1, 1)  # spare height below the form, not between its rows
        self.validate()

    def text_of(self, name: str) -> str:
        edit = self.edits[name]
        if isinstance(edit, QComboBox):
            return edit.currentData() or ""
        if isinstance(edit, QSpinBox):
            return str(edit.value())
        return edit.text().strip()

    def changes(self) -> dict[str, str]:
        """The fields that differ from what is stored, as text for ``vendor.set_vendor``."""
        out = {}
        for name in VENDOR_FIELDS:
            if self.text_of(name) != str(getattr(self.saved, name)):
                out[name] = self.text_of(name)
        return out

    def current(self) -> VendorSettings:
        values: dict[str, object] = {}
        for name, text in self.changes().items():
            values[name] = int(text) if name == "payment_terms_days" else text
        return replace(self.saved, **values)  # type: ignore[arg-type]

    def validate(self, *_args) -> dict[str, str]:
        current = self.current()
        problems = vendor.validate_vendor(current)
        for name, label in self.errors.items():
            label.show_message(problems.get(name, ""))
        missing = current.missing_for_taxed() if self.vat_charged else current.missing()
        self.missing.setText(
            _("Needed before invoices can be issued: {fields}").format(
                fields=", ".join(_field_title(m) for m in missing)
            )
            if missing
            else ""
        )
        return problems

    def save(self) -> VendorSettings | None:
        changes = self.changes()
        if not changes:
            return self.saved
        self.saved = vendor.set_vendor(self._db, changes)
        return self.saved


class KeyPanel(QWidget):
    """The Ed25519 key that signs registration codes: it lives on this machine, never in the
    database; losing it means codes can no longer be checked against a new one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.export_button = QPushButton(_("Export public key…"))
        self.backup_button = QPushButton(_("Back up key…"))
        self.restore_button = QPushButton(_("Restore key…"))
        self.export_button.clicked.connect(lambda: self.export_public())
        self.backup_button.clicked.connect(lambda: self.backup())
        self.restore_button.clicked.connect(lambda: self.restore())
        buttons = QHBoxLayout()
        for button in (self.export_button, self.backup_button, self.restore_button):
            # In the first-run assistant Enter means Next, never "save a key file".
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        note = plain_label(
            _(
                "The public key lets a licensed program check codes; give it away freely. "
                "Keep a backup of the key pair somewhere safe: codes issued with a lost key "
                "can no longer be verified against a new one."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        status = browse_keys.key_status()
        if status.exists:
            self.status.setText(
                _("Signing key in {folder}\nFingerprint: {fingerprint}").format(
                    folder=status.folder, fingerprint=status.fingerprint
                )
            )
        else:
            self.status.setText(
                _("No signing key in {folder}: restore a backup, or issue no codes.").format(
                    folder=status.folder
                )
            )
        self.export_button.setEnabled(status.exists)
        self.backup_button.setEnabled(status.exists)

    def export_public(self, path: str | None = None) -> Path | None:
        if path is None:
            path = asking.save_file(self, _("Export public key"), "public_key.pem", "PEM (*.pem)")
            if path is None:
                return None
        try:
            return codes.export_public_key(Path(path))
        except (DomainError, OSError) as exc:
            show_error(self, exc)
            return None

    def _passphrase(self, title: str) -> str | None:
        return asking.passphrase(self, title, _("Passphrase (at least 10 characters):"))

    def backup(self, path: str | None = None, passphrase: str | None = None) -> Path | None:
        if path is None:
            path = asking.save_file(self, _("Back up signing key"), "signing-key.backup", "*")
            if path is None:
                return None
        if passphrase is None:
            passphrase = self._passphrase(_("Back up signing key"))
            if passphrase is None:
                return None
        try:
            return codes.backup_signing_key(Path(path), passphrase)
        except (DomainError, OSError) as exc:
            show_error(self, exc, _("No backup written"))
            return None

    def restore(
        self, path: str | None = None, passphrase: str | None = None, overwrite: bool = False
    ) -> bool:
        if path is None:
            path = asking.open_file(self, _("Restore signing key"), "", "*")
            if path is None:
                return False
        if browse_keys.key_status().exists and not overwrite:
            if not asking.confirm(
                self,
                _("Replace the signing key?"),
                _(
                    "This machine has a signing key. Replacing it means codes issued with it "
                    "can only be checked with its public key. Replace it?"
                ),
            ):
                return False
            overwrite = True
        if passphrase is None:
            passphrase = self._passphrase(_("Restore signing key"))
            if passphrase is None:
                return False
        try:
            codes.restore_signing_key(Path(path), passphrase, overwrite=overwrite)
        except (DomainError, OSError) as exc:
            show_error(self, exc, _("Key not restored"))
            return False
        self.refresh()
        return True


class SettingsDialog(QDialog):
    def __init__(
        self,
        db: Database,
        settings: Settings,
        parent: QWidget | None = None,
        access: Access = LOCAL,
    ) -> None:
        """``access``: who is working; the vendor and its VAT regimes are the admin's to change
        (on a server database), everyone else sees them greyed with the reason."""
        super().__init__(parent)
        self._db = db
        self.settings = settings
        self.language_changed = False
        self.setWindowTitle(_("Settings"))

        general = QWidget()
        form = QFormLayout(general)
        self.language = QComboBox()
        self.language.addItem(_("As the system"), "")
        for code in LANGUAGES:
            self.language.addItem(labels.LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings[opt.UI_LANGUAGE])))
        self.formats = QComboBox()
        self.formats.addItem(_("As the system"), "")
        for name in FORMAT_LOCALES:
            loc = QLocale(name)
            self.formats.addItem(f"{loc.nativeLanguageName()} ({loc.nativeTerritoryName()})", name)
        self.formats.setCurrentIndex(max(0, self.formats.findData(settings[opt.FORMAT_LOCALE])))
        self.sample = plain_label()
        self.formats.currentIndexChanged.connect(self._show_sample)
        form.addRow(field_label(_("Language")), self.language)
        form.addRow(field_label(_("Numbers and dates")), self.formats)
        form.addRow("", self.sample)
        self._show_sample()

        self.vendor = VendorForm(db)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.vendor)
        vendor_page = QWidget()
        vendor_layout = QVBoxLayout(vendor_page)
        intro = plain_label(
            _("Who issues the invoices: printed on every document, with the QR-bill's account.")
        )
        intro.setWordWrap(True)
        vendor_layout.addWidget(intro)
        vendor_layout.addWidget(scroll, 1)
        self.regimes = VatRegimeTable(db)
        vendor_layout.addWidget(self.regimes)
        self.not_admin = plain_label()
        self.not_admin.setWordWrap(True)
        vendor_layout.insertWidget(1, self.not_admin)
        for part in (self.vendor, self.regimes):
            permit(part, access, ADMIN)
        self.not_admin.setText("" if access.may(ADMIN) else needs_role(access, ADMIN))
        self.not_admin.setVisible(not access.may(ADMIN))
        self.keys = KeyPanel()

        self.tabs = QTabWidget()
        self.tabs.addTab(general, _("General"))
        self.tabs.addTab(vendor_page, _("Vendor"))
        self.tabs.addTab(self.keys, _("Signing key"))
        self.error = InlineError()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 640)

    def _show_sample(self, *_args) -> None:
        loc = fmt.choose_locale(self.formats.currentData() or "")
        self.sample.setText(
            f"{fmt.money(Decimal('1234.50'), 'CHF', loc)} \u00b7 {fmt.day(date(2026, 3, 10), loc)}"
        )

    def save(self) -> None:
        problems = self.vendor.validate()
        if problems:
            self.tabs.setCurrentIndex(1)
            self.error.show_message(_("Correct the fields marked in red first."))
            return
        try:
            self.vendor.save()
        except DomainError as exc:
            self.tabs.setCurrentIndex(1)
            self.error.show_message(message_of(exc))
            return
        try:
            self.regimes.save()
        except DomainError as exc:
            self.tabs.setCurrentIndex(1)
            self.regimes.error.show_message(message_of(exc))
            self.error.show_message(message_of(exc))
            return
        language = self.language.currentData() or ""
        self.language_changed = language != self.settings[opt.UI_LANGUAGE]
        self.settings[opt.UI_LANGUAGE] = language
        self.settings[opt.FORMAT_LOCALE] = self.formats.currentData() or ""
        fmt.set_locale(fmt.choose_locale(self.settings[opt.FORMAT_LOCALE]))
        self.accept()
