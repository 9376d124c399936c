"""The catalogue view: products and their plans on the left; the selected plan's terms, every
dated price (the one in force marked, L13) and its tier table (L8) on the right. New prices and
tier bands are added from a date on; nothing already priced changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _, ngettext, ui_language
from lehrer_licenses.services import catalogue
from lehrer_licenses.services.access import ADMIN, LOCAL, Access
from lehrer_licenses.services.browse import catalogue as browse_catalogue
from lehrer_licenses.services.browse.catalogue import PlanSummary
from lehrer_licenses.ui import formatting as fmt
from lehrer_licenses.ui import labels
from lehrer_licenses.ui.date_field import DateField
from lehrer_licenses.ui.errors import message_of
from lehrer_licenses.ui.formatting import parse_amount
from lehrer_licenses.ui.handles import Database
from lehrer_licenses.ui.permissions import permit
from lehrer_licenses.ui.widgets import (
    InlineError,
    ReadOnlyTable,
    connect_unchecked,
    field_label,
    plain_label,
    section_title,
)


def _date_edit(on: date) -> QDateEdit:
    return DateField(on)


class _CatalogueDialog(QDialog):
    def __init__(self, title: str, confirm: str, plan: PlanSummary, parent: QWidget | None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(field_label(_("Plan")), plain_label(f"{plan.code} \u2013 {plan.name}"))
        self.explain = plain_label()
        self.explain.setWordWrap(True)
        self.error = InlineError()
        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(
            confirm, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.explain)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _confirm(self) -> None:
        try:
            self.commit()
        except DomainError as exc:
            self.error.show_message(message_of(exc))
            return
        self.accept()

    def commit(self) -> None:
        raise NotImplementedError


class AddPriceDialog(_CatalogueDialog):
    """A new price from a date on (L13); orders dated before it keep the old price."""

    def __init__(
        self, db: Database, plan: PlanSummary, today: date | None = None, parent=None
    ) -> None:
        super().__init__(_("New price"), _("Add price"), plan, parent)
        self._db = db
        today = today or date.today()
        self.component = QComboBox()
        for code in plan.components:
            self.component.addItem(labels.price_component(code), code)
        self.amount = QLineEdit()
        self.amount_error = InlineError()
        self.valid_from = _date_edit(date(today.year + 1, 1, 1))
        self.announced = _date_edit(today)
        self.note = QLineEdit()
        self.form.addRow(field_label(_("Component")), self.component)
        self.form.addRow(
            field_label(_("Amount ({currency})").format(currency=plan.currency)), self.amount
        )
        self.form.addRow("", self.amount_error)
        self.form.addRow(field_label(_("Valid from")), self.valid_from)
        self.form.addRow(field_label(_("Announced on")), self.announced)
        self.form.addRow(field_label(_("Note")), self.note)
        self.component.currentIndexChanged.connect(self.validate)
        self.amount.textChanged.connect(self.validate)
        self.valid_from.dateChanged.connect(self.validate)
        self.validate()

    def value(self) -> Decimal | None:
        return parse_amount(self.amount.text())

    def validate(self, *_args) -> bool:
        value = self.value()
        problem = ""
        if self.amount.text().strip() and value is None:
            problem = fmt.amount_problem(self.amount.text())
        elif value is not None and value < 0:
            problem = _("A price of zero or more.")
        self.amount_error.show_message(problem)
        ok = value is not None and not problem
        self.confirm_button.setEnabled(ok)
        component = self.component.currentData()
        start = fmt.from_qdate(self.valid_from.date())
        before = [p for p in self.plan.prices if p.component == component and p.valid_from < start]
        if ok and before:
            self.explain.setText(
                _(
                    "Orders and renewals dated {day} or later pay {new} instead of {old}; "
                    "earlier ones keep {old}. Documents show prices excl. VAT."
                ).format(
                    day=fmt.day(start),
                    new=fmt.money(value, self.plan.currency),
                    old=fmt.money(before[-1].amount, self.plan.currency),
                )
            )
        else:
            self.explain.setText(
                _("Documents show prices excl. VAT; VAT is added on each invoice.")
            )
        return ok

    def commit(self) -> None:
        value = self.value()
        assert value is not None
        catalogue.add_price(
            self._db,
            self.plan.code,
            self.component.currentData(),
            value,
            fmt.from_qdate(self.valid_from.date()),
            note=self.note.text().strip(),
            announced_on=fmt.from_qdate(self.announced.date()),
        )


class AddTierDialog(_CatalogueDialog):
    """A volume discount band (L8): graduated, only the seats from its threshold on get it."""

    def __init__(
        self, db: Database, plan: PlanSummary, today: date | None = None, parent=None
    ) -> None:
        super().__init__(_("New tier band"), _("Add tier"), plan, parent)
        self._db = db
        today = today or date.today()
        self.from_quantity = QSpinBox()
        self.from_quantity.setRange(2, 100000)
        self.from_quantity.setValue(50)
        self.percent = QDoubleSpinBox()
        self.percent.setRange(0.01, 99.99)
        self.percent.setDecimals(2)
        self.percent.setSuffix("\u00a0%")
        self.percent.setValue(10)
        self.valid_from = _date_edit(date(today.year, 1, 1))
        self.note = QLineEdit()
        self.form.addRow(field_label(_("From seat")), self.from_quantity)
        self.form.addRow(field_label(_("Discount")), self.percent)
        self.form.addRow(field_label(_("Valid from")), self.valid_from)
        self.form.addRow(field_label(_("Note")), self.note)
        self.from_quantity.valueChanged.connect(self._explain)
        self.percent.valueChanged.connect(self._explain)
        self._explain()

    def percent_off(self) -> Decimal:
        try:
            return Decimal(f"{self.percent.value():.2f}").normalize()
        except InvalidOperation:  # pragma: no cover - a spin box gives numbers
            return Decimal(0)

    def _explain(self, *_args) -> None:
        self.explain.setText(
            _(
                "Graduated: seats {n} and up get {percent} off the discounted components; "
                "the first {before} seats pay the full price."
            ).format(
                n=self.from_quantity.value(),
                percent=fmt.percent(self.percent_off()),
                before=self.from_quantity.value() - 1,
            )
        )

    def commit(self) -> None:
        catalogue.add_tier(
            self._db,
            self.plan.code,
            self.from_quantity.value(),
            self.percent_off(),
            fmt.from_qdate(self.valid_from.date()),
            note=self.note.text().strip(),
        )


class RenamePlanDialog(_CatalogueDialog):
    """The plan's name in the UI's language; its names in the other languages stay."""

    def __init__(self, db: Database, plan: PlanSummary, parent=None) -> None:
        super().__init__(_("Rename plan"), _("Rename"), plan, parent)
        self._db = db
        self.language = ui_language()
        self.name = QLineEdit(plan.name)
        self.name.setMaxLength(200)
        self.form.addRow(
            field_label(
                _("Name ({language})").format(
                    language=labels.LANGUAGE_NAMES.get(self.language, self.language)
                )
            ),
            self.name,
        )
        self.explain.setText(
            _(
                "Shown in this language in the app and on documents in this language; the "
                "names in the other languages stay as they are."
            )
        )
        self.name.textChanged.connect(
            lambda text: self.confirm_button.setEnabled(bool(text.strip()))
        )

    def commit(self) -> None:
        catalogue.rename(self._db, self.plan.code, self.language, self.name.text())


class CatalogueView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.today: date | None = None
        self.plans: dict[str, PlanSummary] = {}
        self.access = LOCAL

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Products and plans")])
        self.tree.setRootIsDecorated(True)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show(self.selected()))

        self.title = section_title("")
        self.title.setWordWrap(True)
        self.terms = plain_label()
        self.terms.setWordWrap(True)
        self.prices = ReadOnlyTable(
            [_("Component"), _("Amount"), _("Valid from"), _("Announced on"), _("Note")],
            numeric=[1],
            stretch=4,
        )
        self.tiers = ReadOnlyTable(
            [_("From seat"), _("Discount"), _("Valid from"), _("Note")], numeric=[0, 1]
        )
        self.rename_button = QPushButton(_("Rename…"))
        connect_unchecked(self.rename_button.clicked, self.rename)
        self.price_button = QPushButton(_("Add price…"))
        self.tier_button = QPushButton(_("Add tier band…"))
        self.price_button.clicked.connect(self.add_price)
        self.tier_button.clicked.connect(self.add_tier)

        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.rename_button)
        layout.addLayout(title_row)
        layout.addWidget(self.terms)
        prices_head = QHBoxLayout()
        prices_head.addWidget(section_title(_("Prices, excl. VAT")))
        prices_head.addStretch(1)
        prices_head.addWidget(self.price_button)
        layout.addLayout(prices_head)
        layout.addWidget(self.prices, 2)
        tiers_head = QHBoxLayout()
        tiers_head.addWidget(section_title(_("Volume discounts (graduated)")))
        tiers_head.addStretch(1)
        tiers_head.addWidget(self.tier_button)
        layout.addLayout(tiers_head)
        layout.addWidget(self.tiers, 1)
        self.tier_note = plain_label()
        self.tier_note.setWordWrap(True)
        layout.addWidget(self.tier_note)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 900])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)
        self.refresh()

    def set_access(self, access: Access) -> None:
        self.access = access
        self._show(self.selected())

    def set_database(self, db: Database) -> None:
        self._db = db
        self.refresh()

    def selected(self) -> PlanSummary | None:
        item = self.tree.currentItem()
        code = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return self.plans.get(code) if code else None

    def select_plan(self, code: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            product = self.tree.topLevelItem(i)
            for j in range(product.childCount()):
                if product.child(j).data(0, Qt.ItemDataRole.UserRole) == code:
                    self.tree.setCurrentItem(product.child(j))
                    return

    def refresh(self) -> None:
        keep = self.selected().code if self.selected() else None
        overview = browse_catalogue.catalogue_overview(self._db, self.today)
        self.plans = {p.code: p for p in overview}
        self.tree.clear()
        products: dict[str, QTreeWidgetItem] = {}
        for plan in overview:
            parent = products.get(plan.product)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [plan.product_name])
                parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                products[plan.product] = parent
            item = QTreeWidgetItem(parent, [plan.code])
            item.setToolTip(0, plan.name)
            item.setData(0, Qt.ItemDataRole.UserRole, plan.code)
        self.tree.expandAll()
        if keep and keep in self.plans:
            self.select_plan(keep)
        elif overview:
            self.select_plan(overview[0].code)
        else:
            self._show(None)

    def _show(self, plan: PlanSummary | None) -> None:
        permit(self.rename_button, self.access, ADMIN, plan is not None)
        permit(self.price_button, self.access, ADMIN, plan is not None)
        permit(self.tier_button, self.access, ADMIN, plan is not None and plan.kind == "per_seat")
        if plan is None:
            self.title.setText(_("No plan selected"))
            self.terms.setText("")
            self.prices.set_rows([])
            self.tiers.set_rows([])
            self.tier_note.setText("")
            return
        self.title.setText(f"{plan.code} \u2013 {plan.name}")
        term = _("calendar year") if plan.term == "calendar_year" else _("a year from activation")
        self.terms.setText(
            " \u00b7 ".join(
                [
                    plan.currency,
                    labels.plan_kind(plan.kind),
                    _("term: {term}").format(term=term),
                    ngettext("notice: {n} month", "notice: {n} months", plan.notice_months).format(
                        n=plan.notice_months
                    ),
                    labels.billing(plan.billing),
                ]
            )
        )
        rows, tips = [], []
        for p in plan.prices:
            state = ""
            if p.in_force:
                state = _("in force")
            elif p.future:
                state = _("from {day}").format(day=fmt.day(p.valid_from))
            rows.append(
                [
                    labels.price_component(p.component),
                    fmt.price(p.amount),
                    fmt.day(p.valid_from),
                    fmt.day(p.announced_on),
                    ", ".join(x for x in (state, p.note) if x),
                ]
            )
            tips.append(p.component)
        self.prices.set_rows(rows, tooltips=tips)
        for r, p in enumerate(plan.prices):
            if p.in_force:
                for c in range(self.prices.columnCount()):
                    item = self.prices.item(r, c)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
        self.prices._size_columns()  # bold is wider
        self.tiers.set_rows(
            [
                [str(t.from_quantity), fmt.percent(t.percent_off), fmt.day(t.valid_from), t.note]
                for t in plan.tiers
            ]
        )
        if plan.kind != "per_seat":
            self.tier_note.setText(_("Volume discounts apply to per-seat plans only."))
        elif not plan.tiers:
            self.tier_note.setText(
                _("No tier table: every seat pays the full price. The vendor's table is not known.")
            )
        else:
            self.tier_note.setText("")

    def rename(self) -> None:
        plan = self.selected()
        if plan is not None and RenamePlanDialog(self._db, plan, self).exec():
            self.refresh()

    def add_price(self) -> None:
        plan = self.selected()
        if plan is not None and AddPriceDialog(self._db, plan, self.today, self).exec():
            self.refresh()

    def add_tier(self) -> None:
        plan = self.selected()
        if plan is not None and AddTierDialog(self._db, plan, self.today, self).exec():
            self.refresh()
