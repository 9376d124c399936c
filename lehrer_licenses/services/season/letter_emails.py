"""E-mail drafts of a letter run: one RFC 5322 message per school, as a ``.eml`` file, for those
who send the letters from their own mail client. Nothing is sent and nothing goes on the network.

Each draft is from the vendor's e-mail address to the school's, has a subject and a short text in
the letter's language, the school's letters attached as one PDF, a ``Date`` header, and
``X-Unsent: 1``, so that Outlook and Thunderbird open it as a message still to be sent. Schools
without a usable e-mail address get no draft; they are listed instead (to be posted).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import select

from lehrer_licenses.documents.formatting import format_date
from lehrer_licenses.documents.letters import Letter, render_letters
from lehrer_licenses.i18n import N_, _, gettext_for
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import School

# One address, no display name or list: what a mail client can put in "To" as it is.
EMAIL_PATTERN = re.compile(r"^[^@\s<>,;\"()\[\]]+@[^@\s<>,;\"()\[\]]+\.[^@\s<>,;\"()\[\]]+$")
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{port}{i}" for port in ("COM", "LPT") for i in "123456789"
}
NO_EMAIL = N_("no e-mail address")
BAD_EMAIL = N_("not a usable e-mail address: {email}")


def safe_filename(stem: str, suffix: str, limit: int = 80) -> str:
    """A file name Windows, macOS and Linux all accept: no <>:"/\\|?* or control characters,
    no trailing dot or space, not a reserved device name (CON, NUL, COM1, ...), at most
    ``limit`` characters before the suffix. Letters such as "Ø" or "é" stay."""
    text = unicodedata.normalize("NFC", stem)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', "_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")[:limit].rstrip(" .")
    if not text or text.split(".")[0].upper() in WINDOWS_RESERVED:
        text = f"_{text}"
    return text + suffix


def usable_email(text: str) -> bool:
    return ascii_email(text) is not None


def ascii_email(text: str) -> str | None:
    """The address as a mail header carries it (an umlaut domain in its IDNA form), or None
    when it is not one plain address (a list, a name, a local part with accents)."""
    text = text.strip()
    if not EMAIL_PATTERN.match(text):
        return None
    local, _at, domain = text.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return f"{local}@{domain}" if local.isascii() else None


@dataclass(frozen=True)
class EmailDraft:
    school: str
    name: str
    email: str
    filename: str
    message: bytes


@dataclass(frozen=True)
class WithoutEmail:
    """A school of the run that gets no draft (its letters go by post), and why."""

    school: str
    name: str
    reason: str


@dataclass
class EmailDrafts:
    drafts: list[EmailDraft] = field(default_factory=list)
    without_email: list[WithoutEmail] = field(default_factory=list)

    def write(self, folder: Path) -> list[Path]:
        """Write every draft into ``folder`` (each file whole or not at all)."""
        written = []
        for draft in self.drafts:
            path = folder / draft.filename
            part = path.with_name(path.name + ".part")
            part.write_bytes(draft.message)
            part.replace(path)
            written.append(path)
        return written


def _message(
    letters: list[Letter], name: str, email: str, pdf: bytes, now: datetime
) -> EmailMessage:
    first = letters[0]
    tr = gettext_for(first.language)
    vendor = first.vendor
    subjects = list(dict.fromkeys(letter.subject for letter in letters))
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = Address(display_name=vendor.name, addr_spec=ascii_email(vendor.email))
    message["To"] = Address(display_name=name, addr_spec=ascii_email(email))
    message["Subject"] = " / ".join(subjects)
    message["Date"] = format_datetime(now)
    message["X-Unsent"] = "1"
    attached = tr(
        "Please find attached our letter of {date} for school number {number}: {subject}"
    ).format(
        date=format_date(first.letter_date, first.language),
        number=first.school_number,
        subject=message["Subject"],
    )
    contact = " · ".join(part for part in (vendor.email, vendor.phone, vendor.website) if part)
    message.set_content(
        "\n\n".join(
            [
                tr("Dear Sir or Madam,"),
                attached,
                tr("If you have any questions, simply reply to this e-mail."),
                "\n".join([tr("Kind regards"), vendor.name, contact]).rstrip(),
            ]
        )
        + "\n"
    )
    stem = f"{tr('letter')}-{first.school_number}-{first.letter_date.isoformat()}"
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=safe_filename(stem, ".pdf")
    )
    for letter in letters:  # what a letter encloses goes as a file of its own
        if letter.enclosure:
            name = safe_filename(letter.enclosure_name.removesuffix(".pdf") or stem, ".pdf")
            message.add_attachment(
                letter.enclosure, maintype="application", subtype="pdf", filename=name
            )
    return message


def _require_sender(email: str) -> None:
    if not usable_email(email):
        raise InvalidInput(
            _(
                "the vendor has no usable e-mail address to send from: set one with "
                "'vendor set --email' or in the settings"
            )
        )


def require_vendor_email(db: Database) -> None:
    """Refuse e-mail drafts before a run records anything (payment reminders raise levels)."""
    from lehrer_licenses.services.billing.vendor import get_vendor

    _require_sender(get_vendor(db).email)


def without_email_lines(without: list[WithoutEmail]) -> list[str]:
    """What the command line prints about the schools that got no draft."""
    if not without:
        return []
    return [
        _("{n} school(s) without an e-mail draft, to be posted:").format(n=len(without)),
        *(f"  {row.school:<8} {row.name}: {row.reason}" for row in without),
    ]


def email_drafts(db: Database, letters: list[Letter], now: datetime | None = None) -> EmailDrafts:
    """A draft per school of ``letters`` that has a usable e-mail address; the others listed."""
    result = EmailDrafts()
    if not letters:
        return result
    _require_sender(letters[0].vendor.email)
    now = now or datetime.now().astimezone()
    by_school: dict[str, list[Letter]] = {}
    for letter in letters:
        by_school.setdefault(letter.school_number, []).append(letter)
    with db.reading() as session:
        contacts = {
            number: (name, email)
            for number, name, email in session.execute(
                select(School.number, School.name, School.email).where(
                    School.number.in_(list(by_school))
                )
            )
        }
    used: set[str] = set()
    for number, items in by_school.items():
        name, email = contacts.get(number, (items[0].recipient.name, ""))
        if not email.strip() or not usable_email(email):
            reason = _(NO_EMAIL) if not email.strip() else _(BAD_EMAIL).format(email=email)
            result.without_email.append(WithoutEmail(number, name, reason))
            continue
        message = _message(items, name, email, render_letters(items, enclosures=False), now)
        filename = safe_filename(f"{number} {name}", ".eml")
        if filename.casefold() in used:  # school numbers are unique; this is only a safeguard
            filename = safe_filename(number, ".eml")
        used.add(filename.casefold())
        result.drafts.append(EmailDraft(number, name, email.strip(), filename, bytes(message)))
    return result
