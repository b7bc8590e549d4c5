"""Money as the wire carries it: rates and amounts as exact decimal strings, never floats
(docs/PROTOCOL.md, "Money").

A rate has at most :data:`RATE_DECIMALS` decimal places, so that every amount is an integer
number of 10⁻⁶ dollars per token, or 10⁻¹² local units once an exchange rate is applied: sums
are exact, and an amount is rounded once, at the end, to its currency's minor unit, half away
from zero.  The server prices tokens with these (godmode_server/reports/money.py); the app
checks what an admin types and adds amounts up with them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

#: Decimal places a payout or exchange rate may have.
RATE_DECIMALS = 6
#: 10 ** RATE_DECIMALS: a rate is computed with as this many times its value, an integer.
SCALE = 10**RATE_DECIMALS
#: The largest rates taken: no platform pays $1,000 a token, no currency is worth 10⁹ a dollar.
MAX_USD_PER_TOKEN = Decimal(1000)
MAX_UNITS_PER_USD = Decimal(10**9)
#: The longest rate text taken (``0.000001`` … ``1000000000.000000`` and some spaces).
MAX_RATE_TEXT = 40


class RateError(ValueError):
    """A rate, a currency or a date that cannot be taken; ``field`` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_rate(text: str | Decimal, field: str, maximum: Decimal = MAX_USD_PER_TOKEN) -> Decimal:
    """A rate from what a person typed or sent: a number more than 0 and at most ``maximum``,
    with at most six decimal places; RateError naming ``field`` otherwise."""
    shown = str(text).strip()
    try:
        value = Decimal(shown) if len(shown) <= MAX_RATE_TEXT else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise RateError(field, f"{shown[:MAX_RATE_TEXT]!r} is not a number like 0.05")
    if value <= 0:
        raise RateError(field, f"{shown} must be more than 0")
    if value > maximum:
        raise RateError(field, f"{shown} is more than {maximum}")
    if value != value.quantize(Decimal(1).scaleb(-RATE_DECIMALS)):
        raise RateError(field, f"{shown} has more than {RATE_DECIMALS} decimal places")
    return Decimal(f"{value.normalize():f}")  # 0.0500 -> 0.05, 1E+3 -> 1000


def scaled(rate: Decimal) -> int:
    """``rate`` × :data:`SCALE`, exactly (it has at most six decimals)."""
    return int(rate.scaleb(RATE_DECIMALS))


def rounded(amount: int, scale: int, places: int) -> int:
    """``amount / scale`` in units of 10^-places, rounded half away from zero (amounts are not
    negative; ``scale`` is a power of ten of at least 10^places)."""
    unit: int = scale // 10**places
    return (amount + unit // 2) // unit


def text(minor: int, places: int) -> str:
    """An amount in minor units as the wire's decimal string: ``1234.50``, ``1234``."""
    if places == 0:
        return str(minor)
    whole, part = divmod(minor, int(10**places))
    return f"{whole}.{part:0{places}d}"


def minor_units(amount: str, places: int) -> int:
    """The wire's decimal string back in minor units (``"12.50"``, 2 → 1250)."""
    whole, _, part = amount.partition(".")
    return int(whole + part.ljust(places, "0")[:places])


def add(amounts: list[str | None], places: int) -> str | None:
    """The sum of amounts as the wire writes them; None if any is None (a total of money partly
    unknown is no total).  Sums the rounded figures, so that a column adds up."""
    if any(amount is None for amount in amounts):
        return None
    return text(sum(minor_units(a, places) for a in amounts if a is not None), places)
