"""Decimals as the text the CLI, JSON and views show: amounts with two decimals."""

from decimal import Decimal


def money_text(value: Decimal) -> str:
    return f"{value:.2f}"


def price_text(value: Decimal) -> str:
    """Unit prices keep the decimals they need (3.5125 per user-month) but at least two."""
    normal = value.normalize()
    if normal.as_tuple().exponent >= -2:
        return f"{value:.2f}"
    return f"{normal:f}"


def quantity_text(value: Decimal) -> str:
    normal = value.normalize()
    return f"{normal:f}" if normal != normal.to_integral_value() else str(int(normal))
