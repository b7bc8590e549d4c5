"""Money on the wire: rates checked as people type them, amounts as exact decimal strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from godmode_common.money import (
    MAX_UNITS_PER_USD,
    RateError,
    add,
    minor_units,
    parse_rate,
    rounded,
    text,
)


@pytest.mark.parametrize(
    ("typed", "rate"),
    [
        ("0.05", "0.05"),
        (" 0.0500 ", "0.05"),
        ("1000", "1000"),
        ("1e3", "1000"),
        ("0.000001", "0.000001"),
    ],
)
def test_a_rate_is_taken_as_the_exact_decimal_typed(typed: str, rate: str) -> None:
    assert str(parse_rate(typed, "usd_per_token")) == rate


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("abc", "is not a number"),
        ("", "is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("1" * 41, "is not a number"),
        ("0", "must be more than 0"),
        ("-0.05", "must be more than 0"),
        ("1000.000001", "is more than 1000"),
        ("0.0000001", "more than 6 decimal places"),
    ],
)
def test_a_bad_rate_is_refused_naming_the_field(typed: str, why: str) -> None:
    with pytest.raises(RateError) as refused:
        parse_rate(typed, "usd_per_token")
    assert refused.value.field == "usd_per_token"
    assert why in refused.value.message
    assert str(refused.value).startswith("usd_per_token: ")


def test_an_exchange_rate_may_be_large_but_not_without_end() -> None:
    assert parse_rate("4100.5", "units_per_usd", MAX_UNITS_PER_USD) == Decimal("4100.5")
    with pytest.raises(RateError, match="more than 1000000000"):
        parse_rate("1000000001", "units_per_usd", MAX_UNITS_PER_USD)


def test_amounts_round_half_away_from_zero_once() -> None:
    # 1 token at $0.005 = half a cent: up; 0.004999 = down.
    assert rounded(5_000, 10**6, 2) == 1
    assert rounded(4_999, 10**6, 2) == 0
    assert rounded(15_000, 10**6, 2) == 2  # 1.5 cents: away from zero, not to even
    assert rounded(25_000, 10**6, 2) == 3
    assert rounded(123_456_789, 10**6, 0) == 123


def test_amounts_are_written_and_read_back_exactly() -> None:
    assert text(123450, 2) == "1234.50"
    assert text(5, 2) == "0.05"
    assert text(7, 0) == "7"
    assert text(1234, 3) == "1.234"
    for amount, places in (("1234.50", 2), ("0.05", 2), ("7", 0), ("1.234", 3)):
        assert text(minor_units(amount, places), places) == amount


def test_a_total_sums_the_rounded_amounts_and_is_unknown_when_any_is() -> None:
    assert add(["0.01", "0.01", "0.01"], 2) == "0.03"
    assert add([], 2) == "0.00"
    assert add(["10", "5"], 0) == "15"
    assert add(["1.00", None], 2) is None
