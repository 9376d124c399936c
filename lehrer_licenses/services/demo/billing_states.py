"""The sample invoices' life after drafting: issued with gapless numbers in date order, paid,
partly paid, credited, overdue with reminders, so that payments and dunning can be tried.

Works on the rows ``sample_data`` is about to bulk-insert, and adds its own (payments, reminders,
credit notes) the same way. Only invoices dated before ``drafts_from`` are issued: numbers
follow the dates, so an issued sample invoice would refuse every invoice of its year dated
before it, and a clerk (or a script) trying the desk issues this year's drafts on dates of
its own. The year before that cut-off is the recent business: mostly paid, and a share is one
of ``SPECIALS`` each, handed out in turn, so that even a demo of a few dozen schools has an
invoice at every dunning level due, one reminded and still waiting, one past its last reminder,
one partly paid, one credited. Older invoices are issued and settled (a few credited).

Every issued document keeps the PDF that was sent (backups check it), and one takes a tenth of
a second to render: so only the invoices of ``BILLED_SCHOOLS`` schools, spread over the demo, go
through billing; the others' stay drafts, as bills this desk has not yet sent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.i18n import gettext_for
from lehrer_licenses.services.billing.references import payment_reference
from lehrer_licenses.services.billing.states import (
    CREDIT_NOTE,
    CREDITED,
    DRAFT,
    INVOICE,
    ISSUED,
    PAID,
    PARTLY_PAID,
    ZERO,
)
from lehrer_licenses.services.billing.vendor import DUNNING_LEVELS, VendorSettings
from lehrer_licenses.store.models import DunningNotice, Invoice, InvoiceLine, Payment

BILLED_SCHOOLS = 30
# Issued only before 1 January, and at least this many days back (a demo made in February
# leaves last autumn's invoices to issue too).
DRAFT_DAYS = 120
RECENT_DAYS = 365
# one in ``SPECIAL_EVERY`` of the recent invoices, or more in a small demo (each at least once)
SPECIAL_EVERY = 7
LEVEL_DUE = ("level_1_due", "level_2_due", "level_3_due")
SPECIALS = (
    *LEVEL_DUE,
    "reminded_waiting",
    "past_last_reminder",
    "partly_paid_overdue",
    "credited",
    "cancelled",
    "draft",
)
HUNDRED = Decimal(100)


class _Settler:
    def __init__(
        self,
        gen,
        vendor: VendorSettings,
        counters: dict[tuple[str, int], int],
        drafts_from: date,
    ) -> None:
        self.gen, self.vendor, self.counters = gen, vendor, counters
        self.last_issue = drafts_from - timedelta(days=1)
        self.rng, self.today = gen.rng, gen.today
        self.wait = vendor.dunning_wait_days
        self.credit_notes: list[dict] = []
        self.lines: dict[int, list[dict]] | None = None

    # --- bookings ---------------------------------------------------------------------------

    def issue(self, invoice: dict) -> None:
        on = invoice["invoice_date"]
        key = (INVOICE, on.year)
        self.counters[key] = seq = self.counters.get(key, 0) + 1
        number = self.vendor.invoice_format.format(year=on.year, seq=seq)
        invoice.update(
            number=number,
            status=ISSUED,
            due_date=on + timedelta(days=self.vendor.payment_terms_days),
            issued_at=datetime.combine(on, datetime.min.time()),
            reference=payment_reference(number, invoice["currency"], self.vendor),
        )

    def pay(self, invoice: dict, amount: Decimal, on: date) -> None:
        self.gen.rows.add(
            Payment,
            {
                "invoice_id": invoice["id"],
                "school_id": invoice["school_id"],
                "paid_on": on,
                "amount": amount,
                "currency": invoice["currency"],
                "reference": invoice["reference"],
                "created_at": datetime.combine(on, datetime.min.time()),
                "reverses_id": None,
                "reason": "",
            },
        )

    def credit(self, invoice: dict, amount: Decimal, on: date) -> None:
        """A credit note for ``amount`` (the whole invoice line by line, or one line); numbered
        once all are known, in date order, and dated before the drafts as the invoices are."""
        on = min(on, self.last_issue)
        tr = gettext_for(invoice["language"])
        note = {
            "number": None,
            "kind": CREDIT_NOTE,
            "status": ISSUED,
            "school_id": invoice["school_id"],
            "subscription_id": invoice["subscription_id"],
            "reason": invoice["reason"],
            "billing_key": None,
            "currency": invoice["currency"],
            "language": invoice["language"],
            "invoice_date": on,
            "vat_rate": invoice["vat_rate"],
            "created_at": datetime.combine(on, datetime.min.time()),
            "issued_at": datetime.combine(on, datetime.min.time()),
            "credits_invoice_id": invoice["id"],
            "addon_id": invoice.get("addon_id"),
            "note": tr("Goodwill credit"),
        }
        if amount == invoice["payable"]:
            for key in ("net", "vat", "total", "rounding", "payable"):
                note[key] = invoice[key]
            lines = [dict(line) for line in self._lines()[invoice["id"]]]
        else:
            net = round_half_up(amount * HUNDRED / (HUNDRED + invoice["vat_rate"]))
            note.update(net=net, vat=amount - net, total=amount, rounding=ZERO, payable=amount)
            lines = [
                {
                    "position": 1,
                    "code": "credit",
                    "description": tr("Partial credit on invoice {number}").format(
                        number=invoice["number"]
                    ),
                    "quantity": Decimal(1),
                    "unit_price": net,
                    "amount": net,
                    "period_start": None,
                    "period_end": None,
                }
            ]
        note_id = self.gen.rows.add(Invoice, note)
        for line in lines:
            line.pop("id", None)
            self.gen.rows.add(InvoiceLine, {**line, "invoice_id": note_id})
        self.credit_notes.append(note)

    def remind(self, invoice: dict, sent: list[date], open_amount: Decimal) -> None:
        for level, on in enumerate(sent, start=1):
            self.gen.rows.add(
                DunningNotice,
                {
                    "invoice_id": invoice["id"],
                    "school_id": invoice["school_id"],
                    "level": level,
                    "sent_on": on,
                    "open_amount": open_amount,
                    "fee": self.vendor.dunning_fees[level - 1],
                    "pay_by": on + timedelta(days=self.vendor.dunning_pay_days),
                    "created_at": datetime.combine(on, datetime.min.time()),
                },
            )

    def _lines(self) -> dict[int, list[dict]]:
        if self.lines is None:
            self.lines = {}
            for line in self.gen.rows.tables.get(InvoiceLine, []):
                self.lines.setdefault(line["invoice_id"], []).append(line)
        return self.lines

    def number_credit_notes(self) -> None:
        for note in sorted(self.credit_notes, key=lambda n: (n["invoice_date"], n["id"])):
            key = (CREDIT_NOTE, note["invoice_date"].year)
            self.counters[key] = seq = self.counters.get(key, 0) + 1
            note["number"] = self.vendor.credit_format.format(
                year=note["invoice_date"].year, seq=seq
            )

    # --- what happens to one invoice ----------------------------------------------------------

    def paid_in_time(self, invoice: dict, latest: date) -> bool:
        on = invoice["invoice_date"] + timedelta(days=self.rng.randint(3, 40))
        if on > latest:
            return False
        self.pay(invoice, invoice["payable"], on)
        invoice["status"] = PAID
        return True

    def reminders(self, due: date, sent_count: int, next_due: bool) -> list[date] | None:
        """The days ``sent_count`` reminders went out, counted back from today so that the next
        one is due today (``next_due``) or not yet; None when the invoice is too young for it."""
        if sent_count == 0:
            return [] if due + timedelta(days=self.wait[0]) <= self.today else None
        if next_due:
            last = self.today - timedelta(
                days=self.wait[sent_count] + self.rng.randint(0, 6)
                if sent_count < DUNNING_LEVELS
                else self.rng.randint(1, 20)
            )
        else:
            last = self.today - timedelta(days=self.rng.randint(1, self.wait[sent_count] - 1))
        sent = [last]
        for level in range(sent_count - 1, 0, -1):
            sent.insert(0, sent[0] - timedelta(days=self.wait[level] + self.rng.randint(0, 4)))
        return sent if sent[0] >= due + timedelta(days=self.wait[0]) else None

    def special(self, invoice: dict, kind: str) -> bool:
        """Make ``invoice`` the ``kind`` of SPECIALS; False (nothing done) when it cannot be."""
        due = invoice["invoice_date"] + timedelta(days=self.vendor.payment_terms_days)
        payable = invoice["payable"]
        if kind == "draft":
            return True
        part = round_half_up(payable * Decimal(self.rng.choice((30, 40, 50))) / HUNDRED)
        if kind in LEVEL_DUE or kind in ("reminded_waiting", "past_last_reminder"):
            if kind in LEVEL_DUE:
                sent = self.reminders(due, LEVEL_DUE.index(kind), True)
            elif kind == "reminded_waiting":
                sent = self.reminders(due, self.rng.randint(1, DUNNING_LEVELS - 1), False)
            else:
                sent = self.reminders(due, DUNNING_LEVELS, True)
            if sent is None:
                return False
            self.issue(invoice)
            self.remind(invoice, sent, payable)
            return True
        if kind == "partly_paid_overdue":
            sent = self.reminders(due, 1, True)
            if sent is None:
                return False
            self.issue(invoice)
            self.pay(invoice, part, due - timedelta(days=2))
            self.remind(invoice, sent, payable - part)
            invoice["status"] = PARTLY_PAID
            return True
        if due >= self.today:
            return False
        if kind == "cancelled":  # the order was cancelled: credited in full
            self.issue(invoice)
            self.credit(invoice, payable, invoice["invoice_date"] + timedelta(days=20))
            invoice["status"] = CREDITED
            return True
        # credited: a goodwill credit, the rest paid
        self.issue(invoice)
        goodwill = round_half_up(payable / 10)
        self.credit(invoice, goodwill, invoice["invoice_date"] + timedelta(days=5))
        self.pay(invoice, payable - goodwill, invoice["invoice_date"] + timedelta(days=12))
        invoice["status"] = PAID
        return True


def drafts_from_day(today: date) -> date:
    """The first day whose sample invoices stay drafts."""
    return min(date(today.year, 1, 1), today - timedelta(days=DRAFT_DAYS))


def billed_schools(school_ids: list[int]) -> set[int]:
    """``BILLED_SCHOOLS`` of the schools, evenly spread (all of a small demo)."""
    step = max(1, len(school_ids) // BILLED_SCHOOLS)
    return set(school_ids[::step][:BILLED_SCHOOLS])


def settle_invoices(
    gen, vendor: VendorSettings, counters: dict[tuple[str, int], int], schools: set[int]
) -> dict[tuple[str, int], int]:
    """Issue, pay, credit and remind the invoices of ``schools``; returns the number counters
    as they stand after, (series, year) -> last number."""
    today = gen.today
    settler = _Settler(gen, vendor, counters, drafts_from_day(today))
    invoices = sorted(
        (
            r
            for r in gen.rows.tables.get(Invoice, [])
            if r["kind"] == INVOICE and r["school_id"] in schools
        ),
        key=lambda r: (r["invoice_date"], r["id"]),
    )
    drafts_from = drafts_from_day(today)
    recent_from = drafts_from - timedelta(days=RECENT_DAYS)
    recent = [r for r in invoices if recent_from <= r["invoice_date"] < drafts_from]
    every = max(2, min(SPECIAL_EVERY, len(recent) // len(SPECIALS)))
    queue = list(SPECIALS)
    # counted from the newest, so the open and reminded ones are the latest of the year
    special = {r["id"] for r in recent[::-1][every - 1 :: every]}
    for invoice in invoices:
        if invoice["invoice_date"] >= drafts_from:
            continue  # the clerk issues these in the next batch
        if invoice["invoice_date"] < recent_from:
            roll = gen.rng.random()
            if roll < 0.03 and settler.special(invoice, "credited" if roll < 0.02 else "cancelled"):
                continue
            settler.issue(invoice)
            settler.paid_in_time(invoice, today - timedelta(days=1))
            continue
        if invoice["id"] in special and _special(settler, invoice, queue):
            continue
        settler.issue(invoice)
        settler.paid_in_time(invoice, today - timedelta(days=1))
    settler.number_credit_notes()
    for invoice in invoices:
        if invoice["number"] is None:
            invoice["status"] = DRAFT
    return settler.counters


def _special(settler: _Settler, invoice: dict, queue: list[str]) -> bool:
    """The first of the SPECIALS in ``queue`` this invoice can be, which then goes to the back;
    those it cannot be (too young for three reminders) keep their place for the next one."""
    for index, kind in enumerate(queue):
        if settler.special(invoice, kind):
            queue.append(queue.pop(index))
            return True
    return False
