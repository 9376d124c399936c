"""Money is a Decimal with its currency; never a float.

Line amounts round half-up to 0.01. A CHF total payable rounds to 0.05 (Swiss cash rounding) and
the difference is shown on the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from lehrer_licenses.domain.errors import CurrencyMismatch, DomainError

CENT = Decimal("0.01")
FIVE_CENTS = Decimal("0.05")
CURRENCIES = ("CHF", "EUR")


def round_half_up(value: Decimal, step: Decimal = CENT) -> Decimal:
    """Round to a multiple of ``step``, halves away from zero (commercial rounding)."""
    if step == CENT:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    units = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (units * step).quantize(CENT)


def to_decimal(value: object) -> Decimal:
    """A Decimal from text, int or Decimal; floats are refused because they are not exact."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except Exception as exc:  # decimal.InvalidOperation and friends
        raise DomainError(f"not an amount: {value!r}") from exc


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("money must not be a float")
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0.00"), currency)

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        return cls(to_decimal(amount), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be added")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError("money must not be multiplied by a float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def rounded(self) -> Money:
        return Money(round_half_up(self.amount), self.currency)

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:.2f}"


def payable_rounding(total: Money) -> tuple[Money, Money]:
    """(payable, rounding difference): CHF to 0.05, other currencies to 0.01."""
    step = FIVE_CENTS if total.currency == "CHF" else CENT
    payable = Money(round_half_up(total.amount, step), total.currency)
    return payable, Money(payable.amount - round_half_up(total.amount), total.currency)


def sum_money(items: list[Money] | tuple[Money, ...], currency: str) -> Money:
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
