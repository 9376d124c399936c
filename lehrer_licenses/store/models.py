"""The database schema as typed SQLAlchemy 2 models. Every change here is an Alembic migration."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from lehrer_licenses.domain.catalogue import localized_name
from lehrer_licenses.store.textsearch import school_search_text, teacher_search_text
from lehrer_licenses.store.types import ScaledDecimal

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = ScaledDecimal(2)
PRICE = ScaledDecimal(6)
RATE = ScaledDecimal(4)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Setting(Base):
    """Business settings (vendor identity, numbering) that belong with the data, not the machine."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Product(Base):
    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # {"de": ..., "fr": ...}: the display name per language; ``name`` where one is missing
    names: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")

    def display_name(self, language: str) -> str:
        return localized_name(json.loads(self.names or "{}"), language, self.name)


class PlanRow(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")  # as Product's
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    term: Mapped[str] = mapped_column(String(20))
    term_days: Mapped[int] = mapped_column(Integer, default=365)
    notice_months: Mapped[int] = mapped_column(Integer)
    billing: Mapped[str] = mapped_column(String(20))
    proration_cap: Mapped[bool] = mapped_column(Boolean, default=True)
    tier_mode: Mapped[str] = mapped_column(String(20), default="graduated")
    tier_components: Mapped[str] = mapped_column(String(200), default="")
    options: Mapped[str] = mapped_column(Text, default="{}")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product] = relationship()
    prices: Mapped[list[PriceRow]] = relationship(
        back_populates="plan", order_by="PriceRow.valid_from"
    )
    tiers: Mapped[list[TierRow]] = relationship(
        back_populates="plan", order_by="TierRow.from_quantity"
    )

    def display_name(self, language: str) -> str:
        return localized_name(json.loads(self.names or "{}"), language, self.name)


class PriceRow(Base):
    __tablename__ = "price"
    __table_args__ = (UniqueConstraint("plan_id", "component", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    component: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(PRICE)
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    announced_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    plan: Mapped[PlanRow] = relationship(back_populates="prices")


class TierRow(Base):
    __tablename__ = "tier_band"
    __table_args__ = (UniqueConstraint("plan_id", "from_quantity", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    from_quantity: Mapped[int] = mapped_column(Integer)
    percent_off: Mapped[Decimal] = mapped_column(RATE)
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    plan: Mapped[PlanRow] = relationship(back_populates="tiers")


class VatRateRow(Base):
    __tablename__ = "vat_rate"
    __table_args__ = (UniqueConstraint("country", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    rate: Mapped[Decimal] = mapped_column(RATE)
    valid_from: Mapped[date] = mapped_column(Date)


class School(Base):
    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(2))
    street: Mapped[str] = mapped_column(String(200), default="")
    house_number: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    vat_id: Mapped[str] = mapped_column(String(40), default="")
    db_hosting: Mapped[bool] = mapped_column(Boolean, default=False)
    canton_licence: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Leitweg-ID of a German public school: the buyer reference of its XRechnung e-invoices.
    leitweg_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    # Per-pupil plans (F4): general terms accepted, data-processing agreement with the board.
    terms_accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    dpa_reference: Mapped[str | None] = mapped_column(String(80), nullable=True)
    dpa_signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # number, name, postcode and city folded (store/textsearch.py), kept up to date on every
    # write: the search compares this, so it finds the same schools on SQLite and on PostgreSQL.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)

    teachers: Mapped[list[Teacher]] = relationship(back_populates="school")
    subscriptions: Mapped[list[Subscription]] = relationship(back_populates="school")


def fill_search_text(row: dict) -> dict:
    """``row`` (the columns of a school, as a bulk insert writes them) with its search text."""
    row["search_text"] = school_search_text(
        row.get("number", ""), row.get("name", ""), row.get("postcode", ""), row.get("city", "")
    )
    return row


@event.listens_for(School, "before_insert")
@event.listens_for(School, "before_update")
def _refresh_search_text(_mapper, _connection, school: School) -> None:
    # Every write through the ORM (add, edit, import) passes here; bulk inserts that bypass it
    # call fill_search_text themselves (the demo data).
    school.search_text = school_search_text(
        school.number, school.name, school.postcode, school.city
    )


class Teacher(Base):
    """A person with (or waiting for) a login; seats belong to the school, not to them (L10)."""

    __tablename__ = "teacher"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)  # L11: one free admin login
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)  # L9
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # "first last" folded (store/textsearch.py) on every write, like school.search_text: the
    # teacher filter compares it, so PostgreSQL folds accents as SQLite does (migration 0011).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    school: Mapped[School] = relationship(back_populates="teachers")


class TeacherImport(Base):
    """A teacher file being written in batches (services/exchange/school_import.py): ``written``
    of its ``total`` teachers, the file's first ones, are in, advanced in each batch's own
    transaction. The row outlives only a program stopped between two batches: importing the
    same file (``digest``) again then writes the rest. It goes with the file's last batch."""

    __tablename__ = "teacher_import"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the file's bytes
    file: Mapped[str] = mapped_column(String(255))
    total: Mapped[int] = mapped_column(Integer)
    written: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))


def fill_teacher_search_text(row: dict) -> dict:
    """``row`` (a teacher's columns, as a bulk insert writes them) with its search text."""
    row["search_text"] = teacher_search_text(row.get("first_name", ""), row.get("last_name", ""))
    return row


@event.listens_for(Teacher, "before_insert")
@event.listens_for(Teacher, "before_update")
def _refresh_teacher_search_text(_mapper, _connection, teacher: Teacher) -> None:
    teacher.search_text = teacher_search_text(teacher.first_name, teacher.last_name)


class Subscription(Base):
    """A school's contract on one plan; its current term and whether it goes on."""

    __tablename__ = "subscription"
    # one running contract per school and plan (migration 0005)
    __table_args__ = (
        Index(
            "ux_subscription_running",
            "school_id",
            "plan_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | lapsed
    started_on: Mapped[date] = mapped_column(Date)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # cancelled as a whole
    lapsed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # User packages (M3): the package size, and whether it is the full package (all subjects).
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    full_package: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Changes that take effect at the next renewal: package size (M2), plan (F11 downgrade).
    renew_capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    renew_plan_code: Mapped[str | None] = mapped_column(String(40), nullable=True)

    school: Mapped[School] = relationship(back_populates="subscriptions")
    plan: Mapped[PlanRow] = relationship()
    seats: Mapped[list[Seat]] = relationship(
        back_populates="subscription", order_by="Seat.position"
    )


class Seat(Base):
    __tablename__ = "seat"
    __table_args__ = (
        Index("ix_seat_school_status", "school_id", "status"),
        # one active seat per number in a contract (migration 0011)
        Index(
            "ux_seat_active_position",
            "subscription_id",
            "position",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | released
    acquired_on: Mapped[date] = mapped_column(Date)
    release_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # cancelled, runs until
    released_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    subscription: Mapped[Subscription] = relationship(back_populates="seats")
    assignments: Mapped[list[SeatAssignment]] = relationship(
        back_populates="seat", order_by="SeatAssignment.start_on"
    )


class SeatAssignment(Base):
    """Who held a seat when: transfers end one row and start another (L10)."""

    __tablename__ = "seat_assignment"
    # one holder per seat, one seat per teacher at a time (migration 0005)
    __table_args__ = tuple(
        Index(
            f"ux_seat_assignment_open_{column}",
            column,
            unique=True,
            sqlite_where=text("end_on IS NULL"),
            postgresql_where=text("end_on IS NULL"),
        )
        for column in ("seat_id", "teacher_id")
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("seat.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    seat: Mapped[Seat] = relationship(back_populates="assignments")
    teacher: Mapped[Teacher] = relationship()


class Cancellation(Base):
    __tablename__ = "cancellation"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # indexed (0017): the year-end applies each contract's pending cancellations
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    seats: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the whole contract
    deadline: Mapped[date] = mapped_column(Date)
    in_time: Mapped[bool] = mapped_column(Boolean)
    effective_on: Mapped[date] = mapped_column(Date)  # last day the cancelled licences run
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | applied


class UsageCount(Base):
    """Registered users counted once a month (L7); admin and frozen users are not in it."""

    __tablename__ = "usage_count"
    __table_args__ = (UniqueConstraint("school_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    month: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="manual")


class Invoice(Base):
    __tablename__ = "invoice"
    __table_args__ = (Index("ix_invoice_school_status", "school_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="invoice")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription.id"), nullable=True
    )
    reason: Mapped[str] = mapped_column(String(20))  # order | renewal | usage
    # Makes a renewal or usage invoice for one term unique, so a re-run cannot bill it twice.
    billing_key: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(2))
    invoice_date: Mapped[date] = mapped_column(Date)
    net: Mapped[Decimal] = mapped_column(MONEY)
    vat_rate: Mapped[Decimal] = mapped_column(RATE)
    # "domestic", "registered DE136695976", ... (domain.vat.VatRegime); NULL: billed before
    # regimes existed.
    vat_regime: Mapped[str | None] = mapped_column(String(60), nullable=True)
    vat: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)
    rounding: Mapped[Decimal] = mapped_column(MONEY)
    payable: Mapped[Decimal] = mapped_column(MONEY)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The lifecycle (services/billing/: issuing, credit_notes, quotes): issued invoices, credit
    # notes and quotes have these.
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # quote: valid until
    issued_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # QR reference (27 digits) or ISO 11649 creditor reference "RF...", to match payments.
    reference: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    credits_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id"), nullable=True, index=True
    )
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, per kind
    # A subject add-on is invoiced on its own (M10); its billing address is on the add-on.
    addon_id: Mapped[int | None] = mapped_column(ForeignKey("addon.id"), nullable=True, index=True)
    # Who is billed when it is not the school (an add-on's own billing address, M10), kept as it
    # was at drafting; empty: the school.
    buyer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    buyer_street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    buyer_postcode: Mapped[str] = mapped_column(String(20), default="", server_default="")
    buyer_city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    buyer_country: Mapped[str] = mapped_column(String(2), default="", server_default="")

    school: Mapped[School] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="all, delete-orphan"
    )


class InvoiceLine(Base):
    __tablename__ = "invoice_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(RATE)
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    period_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(Date, nullable=True)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class IssuedCode(Base):
    """Every registration code handed out (L6): what it grants, when and why, to re-print it."""

    __tablename__ = "issued_code"
    __table_args__ = (UniqueConstraint("school_id", "serial"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription.id"), nullable=True
    )
    serial: Mapped[int] = mapped_column(Integer)
    product: Mapped[str] = mapped_column(String(10))
    kind: Mapped[int] = mapped_column(Integer)
    variant: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(20))  # order | renewal | manual
    code: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """When, what, before/after: written by every use case, never edited."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id"), nullable=True, index=True
    )
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")


class NumberCounter(Base):
    """The last number given per series and year: issuing takes the next one in its transaction,
    so numbers have no gaps (a failed issue rolls the counter back with everything else)."""

    __tablename__ = "number_counter"
    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class InvoicePdf(Base):
    """The PDF of an issued invoice, credit note or quote as it was sent: a re-print is this."""

    __tablename__ = "invoice_pdf"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), unique=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Payment(Base):
    """Money received for an issued invoice (full or partial), or the reversal of such a payment:
    a counter-booking with the negated amount that names the payment it undoes and why."""

    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_reverses_id", "reverses_id", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    reverses_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")


class DunningNotice(Base):
    """A payment reminder sent for an overdue invoice: level 1 to 3, with its optional fee."""

    __tablename__ = "dunning_notice"
    __table_args__ = (UniqueConstraint("invoice_id", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date] = mapped_column(Date)
    open_amount: Mapped[Decimal] = mapped_column(MONEY)
    fee: Mapped[Decimal] = mapped_column(MONEY)
    pay_by: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)


# --- user packages (M1-M11) -------------------------------------------------------------------


class PackageCount(Base):
    """Users a package holds on a day (M3): entered, or counted from account records (M4, M5)."""

    __tablename__ = "package_count"
    __table_args__ = (UniqueConstraint("subscription_id", "counted_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"))
    counted_on: Mapped[date] = mapped_column(Date)
    users: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)  # the package size on that day
    source: Mapped[str] = mapped_column(String(20), default="manual")  # manual | accounts
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Addon(Base):
    """A subject add-on licence (M10): its own year, notice, invoices and billing address."""

    __tablename__ = "addon"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    subject: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active|lapsed|refunded
    started_on: Mapped[date] = mapped_column(Date)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)  # the package size its price follows (M3)
    price: Mapped[Decimal] = mapped_column(MONEY)  # paid for the running year
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # cancelled: last day
    refunded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    billing_name: Mapped[str] = mapped_column(String(200), default="")
    billing_street: Mapped[str] = mapped_column(String(200), default="")
    billing_postcode: Mapped[str] = mapped_column(String(20), default="")
    billing_city: Mapped[str] = mapped_column(String(100), default="")
    billing_country: Mapped[str] = mapped_column(String(2), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    school: Mapped[School] = relationship()
    subscription: Mapped[Subscription] = relationship()


# --- per-pupil subscriptions (F1-F11) ---------------------------------------------------------


class PupilTrial(Base):
    """The one free trial of a school (F2): unique per school."""

    __tablename__ = "pupil_trial"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # a paid year began
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PupilCount(Base):
    """Pupils with data processed in the last 9 months, counted once a month per part (F5)."""

    __tablename__ = "pupil_count"
    __table_args__ = (UniqueConstraint("school_id", "month", "part"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    month: Mapped[date] = mapped_column(Date)
    part: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PreInvestmentRow(Base):
    """One part of a licence year's pre-investment as invoiced (F5); a settlement credits it."""

    __tablename__ = "pre_investment"
    __table_args__ = (UniqueConstraint("subscription_id", "term_start", "part"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    part: Mapped[str] = mapped_column(String(10))
    pupils: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), nullable=True)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)  # credited by a settlement
    created_at: Mapped[datetime] = mapped_column(DateTime)
