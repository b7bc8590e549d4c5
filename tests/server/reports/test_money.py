"""Tokens priced in money (reports/money.py): which rate is in force on a day, each token at
its day's rates, rounded once, and a report's periods cut where a rate changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from godmode_common.money import SCALE, RateError, rounded, text
from godmode_server.reports.earnings import Period, day_periods, local_midnight, shift_periods
from godmode_server.reports.money import (
    CurrencyRate,
    PayoutRate,
    RateBook,
    check_start,
    cut_at_changes,
    digits,
    dollars,
    parse_currency,
)

DEC1, DEC5 = dt.date(2026, 12, 1), dt.date(2026, 12, 5)
BOGOTA = ZoneInfo("America/Bogota")


def _book(currency: str = "USD", *exchange: CurrencyRate) -> RateBook:
    return RateBook(
        [
            PayoutRate("chaturbate", None, Decimal("0.05"), None),
            PayoutRate("chaturbate", None, Decimal("0.06"), DEC1),
            PayoutRate("chaturbate", "luna", Decimal("0.08"), DEC5),
        ],
        currency,
        list(exchange),
    )


def test_the_rate_in_force_is_the_latest_dated_one_and_an_undated_one_before_all() -> None:
    book = _book()
    on = lambda room, day: book.usd_per_token(room, "chaturbate", day)  # noqa: E731
    assert on("ava", dt.date(2020, 1, 1)) == 50_000, "undated: every day before the first dated"
    assert on("ava", dt.date(2026, 11, 30)) == 50_000
    assert on("ava", DEC1) == 60_000, "a dated rate from its day on"
    assert on("luna", dt.date(2026, 12, 4)) == 60_000, "the platform's until the room's begins"
    assert on("luna", DEC5) == 80_000, "the room's overrides the platform's"
    assert book.usd_per_token("luna", "stripchat", DEC5) is None, "no rate set"
    assert book.changes == [DEC1, DEC5]


def test_each_token_is_paid_at_the_rates_of_its_day_rounded_once() -> None:
    book = _book("COP", CurrencyRate("COP", Decimal("4100.5"), None))
    priced = book.price("ava", "chaturbate", [(dt.date(2026, 11, 30), 101), (DEC1, 1)])
    assert priced.usd == "5.11"  # 101 × 0.05 + 1 × 0.06
    assert priced.local == "20954"  # 5.11 × 4100.5 = 20953.555: COP has no minor unit in CLDR
    assert book.price("ava", "chaturbate", []).usd == "0.00"
    assert book.price("ava", "stripchat", [(DEC1, 0)]).usd == "0.00", "no tokens: nothing"
    assert book.price("ava", "stripchat", [(DEC1, 1)]).usd is None, "earned without a rate"


def test_one_token_at_a_third_of_a_cent_rounds_once_per_amount_not_per_token() -> None:
    book = RateBook([PayoutRate("cam4", None, Decimal("0.003333"), None)])
    assert book.price("x", "cam4", [(DEC1, 1)]).usd == "0.00"
    assert book.price("x", "cam4", [(DEC1, 3)]).usd == "0.01"
    assert book.price("x", "cam4", [(DEC1, 3000)]).usd == "10.00"  # 9.999 rounds up


def test_the_local_amount_is_unknown_without_an_exchange_rate_for_the_day() -> None:
    book = _book(
        "EUR", CurrencyRate("EUR", Decimal("0.9"), DEC5), CurrencyRate("COP", Decimal(4000), None)
    )
    assert book.price("ava", "chaturbate", [(DEC5, 100)]).local == "5.40"
    assert book.price("ava", "chaturbate", [(DEC1, 100)]).local is None, "no EUR rate before"
    assert book.changes == [DEC1, DEC5], "another currency's days do not cut"


def test_the_live_figures_round_as_the_reports_do() -> None:
    for micro in (0, 4_999, 5_000, 15_000, 25_000, 5_600_000, 123_456_789_012):
        assert dollars(micro) == text(rounded(micro, SCALE, 2), 2), micro
    assert dollars(100 * 50_000 + 10 * 60_000) == "5.60"


def test_currency_codes_are_iso_4217_and_their_minor_units_cldr_s() -> None:
    assert parse_currency(" cop ") == "COP"
    assert (digits("USD"), digits("JPY"), digits("KWD"), digits("EUR")) == (2, 0, 3, 2)
    for code in ("XYZ", "US", "DOLLARS", ""):
        with pytest.raises(RateError) as refused:
            parse_currency(code)
        assert refused.value.field == "currency"


def test_a_rate_may_be_dated_a_year_ahead_at_most() -> None:
    today = dt.date(2026, 12, 8)
    assert check_start(dt.date(2027, 12, 8), today) == dt.date(2027, 12, 8)
    with pytest.raises(RateError, match="more than a year ahead"):
        check_start(dt.date(2028, 1, 1), today)


def test_periods_are_cut_only_where_a_rate_changes_inside_them() -> None:
    start = local_midnight(dt.date(2026, 12, 3), BOGOTA)
    end = local_midnight(dt.date(2026, 12, 7), BOGOTA)
    days = day_periods(start, end, BOGOTA)
    assert cut_at_changes(days, [DEC5], BOGOTA) is None, "a day is never cut"
    whole = [Period(start, end)]
    pieces = cut_at_changes(whole, [DEC1, DEC5], BOGOTA)
    assert pieces is not None
    assert pieces.periods == [
        Period(start, local_midnight(DEC5, BOGOTA)),
        Period(local_midnight(DEC5, BOGOTA), end),
    ]
    assert pieces.owner == [0, 0]
    shifts = shift_periods(start, end, BOGOTA, (dt.time(6), dt.time(22)))
    pieces = cut_at_changes(shifts, [DEC5], BOGOTA)
    assert pieces is not None
    night = next(i for i, p in enumerate(shifts) if p.start < local_midnight(DEC5, BOGOTA) < p.end)
    assert [p for p, o in zip(pieces.periods, pieces.owner, strict=True) if o == night] == [
        Period(shifts[night].start, local_midnight(DEC5, BOGOTA)),
        Period(local_midnight(DEC5, BOGOTA), shifts[night].end),
    ], "the night shift across the change is priced in two parts"
    assert len(pieces.periods) == len(shifts) + 1
