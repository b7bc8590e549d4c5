"""Tokens into money: payout rates per platform and room and the studio's currency, both dated,
computed exactly (docs/PROTOCOL.md, "Money").

* A payout rate is US dollars per token, for a platform or one of its rooms (which overrides
  the platform's), in force from a date of the studio's calendar on; one without a date is in
  force before the scope's first dated one.  The exchange rate (units of the studio's currency
  per dollar) is dated the same way.
* Each token is paid at the rates in force on the studio-local day it was earned (the day of
  the sample that earned it, as the reports count it).
* Amounts are exact and rounded once (godmode_common/money.py).

Pure values and functions: the reports, the live figures, the command line and the tests
share them.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision, list_currencies

from godmode_common.money import SCALE, RateError, rounded, scaled, text
from godmode_server.reports.earnings import Period, local_midnight
from godmode_server.reports.rollups import Summary

#: A rate may be dated this far ahead at most (a typo in the year is caught).
MAX_DAYS_AHEAD = 366
USD = "USD"
#: Digits of a dollar amount (cents).
USD_DIGITS = 2


def parse_currency(code: str, field: str = "currency") -> str:
    """An ISO 4217 currency code, as Unicode CLDR knows them (``usd`` is taken as ``USD``)."""
    upper = code.strip().upper()
    if len(upper) != 3 or upper not in list_currencies():
        raise RateError(field, f"{code!r} is not an ISO 4217 currency code (such as USD, EUR, COP)")
    return upper


def check_start(start: dt.date | None, today: dt.date, field: str = "from") -> dt.date | None:
    """A rate's first day: at most :data:`MAX_DAYS_AHEAD` days after ``today``."""
    if start is not None and (start - today).days > MAX_DAYS_AHEAD:
        raise RateError(field, f"{start} is more than a year ahead")
    return start


def digits(currency: str) -> int:
    """The currency's minor unit, as Unicode CLDR has it (USD 2, JPY 0, KWD 3; COP 0)."""
    return USD_DIGITS if currency == USD else int(get_currency_precision(currency))


@dataclass(frozen=True, slots=True)
class PayoutRate:
    platform: str
    #: None: every room of the platform without a rate of its own.
    room_id: str | None
    usd_per_token: Decimal
    #: None: in force before the scope's first dated rate.
    start: dt.date | None


@dataclass(frozen=True, slots=True)
class CurrencyRate:
    currency: str
    units_per_usd: Decimal
    start: dt.date | None


class _Dated:
    """One scope's rates in date order: which is in force on a day."""

    def __init__(self, rates: Iterable[tuple[dt.date | None, int]]) -> None:
        ordered = sorted((start or dt.date.min, value) for start, value in rates)
        self._starts = [start for start, _ in ordered]
        self._values = [value for _, value in ordered]

    def on(self, day: dt.date) -> int | None:
        index = bisect.bisect_right(self._starts, day)
        return self._values[index - 1] if index else None


@dataclass(frozen=True, slots=True)
class Priced:
    """An amount in dollars and in the studio's currency, as the wire's strings (None: a
    token was earned on a day without a rate)."""

    usd: str | None
    local: str | None


class RateBook:
    """Every rate the studio set, and the currency it is paid in."""

    def __init__(
        self,
        payout: Sequence[PayoutRate] = (),
        currency: str = USD,
        exchange: Sequence[CurrencyRate] = (),
    ) -> None:
        self.currency = currency
        self.places = digits(currency)
        scopes: dict[tuple[str, str | None], list[tuple[dt.date | None, int]]] = {}
        for rate in payout:
            scopes.setdefault((rate.platform, rate.room_id), []).append(
                (rate.start, scaled(rate.usd_per_token))
            )
        self._payout = {scope: _Dated(rates) for scope, rates in scopes.items()}
        self._exchange = _Dated(
            (r.start, scaled(r.units_per_usd)) for r in exchange if r.currency == currency
        )
        #: The days a rate changes on: where a range is cut to price each part at its rates.
        self.changes = sorted(
            {r.start for r in payout if r.start is not None}
            | {r.start for r in exchange if r.start is not None and r.currency == currency}
        )

    def usd_per_token(self, room_id: str, platform: str, day: dt.date) -> int | None:
        """The payout rate in force on ``day`` for the room, × :data:`SCALE` (None: none set)."""
        own = self._payout.get((platform, room_id))
        if own is not None:
            rate = own.on(day)
            if rate is not None:
                return rate
        shared = self._payout.get((platform, None))
        return shared.on(day) if shared is not None else None

    def units_per_usd(self, day: dt.date) -> int | None:
        """The exchange rate in force on ``day``, × :data:`SCALE` (None: none set)."""
        return SCALE if self.currency == USD else self._exchange.on(day)

    def price(self, room_id: str, platform: str, parts: Iterable[tuple[dt.date, int]]) -> Priced:
        """What ``parts`` (tokens earned per local day) are worth, each day at its rates."""
        usd: int | None = 0  # in 10⁻⁶ dollars
        local: int | None = 0  # in 10⁻¹² local units
        for day, tokens in parts:
            if not tokens:
                continue
            rate = self.usd_per_token(room_id, platform, day)
            if rate is None:
                return Priced(None, None)
            usd = (usd or 0) + tokens * rate
            exchange = self.units_per_usd(day)
            local = None if local is None or exchange is None else local + tokens * rate * exchange
        return Priced(
            text(rounded(usd or 0, SCALE, USD_DIGITS), USD_DIGITS),
            None
            if local is None
            else text(rounded(local, SCALE * SCALE, self.places), self.places),
        )


def dollars(amount: int) -> str:
    """An amount of 10⁻⁶ dollars as the wire writes it, rounded half up to the cent: the
    live figures' path, on every event (``text(rounded(amount, SCALE, 2), 2)``, inlined)."""
    cents = (amount + 5_000) // 10_000
    return f"{cents // 100}.{cents % 100:02d}"


# --- pricing a report ------------------------------------------------------------------------


class _Row(Protocol):
    """A report's row as sql/rollups.py gives it: a room's summary of one period."""

    @property
    def room_id(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def period(self) -> int: ...
    @property
    def summary(self) -> Summary: ...


@dataclass(frozen=True, slots=True)
class Pieces:
    """A report's periods cut at the days a rate changes on."""

    periods: list[Period]
    #: The index of the report's period each piece is part of.
    owner: list[int]


def cut_at_changes(
    periods: Sequence[Period], changes: Sequence[dt.date], zone: ZoneInfo
) -> Pieces | None:
    """The periods cut where a rate changes (at the local midnight starting each day in
    ``changes``), or None when no period holds such a midnight: each is then priced whole at
    the rates of the day it starts on, which are those of all its days."""
    cuts = sorted(local_midnight(day, zone) for day in changes)
    pieces: list[Period] = []
    owner: list[int] = []
    inside = False
    for index, period in enumerate(periods):
        begin = period.start
        for cut in cuts[bisect.bisect_right(cuts, period.start) :]:
            if cut >= period.end:
                break
            pieces.append(Period(begin, cut))
            owner.append(index)
            begin, inside = cut, True
        pieces.append(Period(begin, period.end))
        owner.append(index)
    return Pieces(pieces, owner) if inside else None


class Pricing:
    """What each row of a report earned in money: its tokens, each part at its day's rates."""

    def __init__(
        self,
        book: RateBook,
        zone: ZoneInfo,
        periods: Sequence[Period],
        pieces: Pieces | None,
        parts: Iterable[_Row],
    ) -> None:
        self.book = book
        self._zone = zone
        self._periods = periods
        self._days: dict[int, dt.date] = {}
        #: With pieces: each row's tokens per day, by (room, platform, period).
        self._parts: dict[tuple[str, str, int], list[tuple[dt.date, int]]] | None = None
        if pieces is not None:
            self._parts = {}
            for row in parts:
                piece = pieces.periods[row.period]
                day = dt.datetime.fromtimestamp(piece.start, zone).date()
                key = (row.room_id, row.platform, pieces.owner[row.period])
                self._parts.setdefault(key, []).append((day, row.summary.tokens))

    def _day(self, index: int) -> dt.date:
        day = self._days.get(index)
        if day is None:
            start = self._periods[index].start
            day = self._days[index] = dt.datetime.fromtimestamp(start, self._zone).date()
        return day

    def of(self, row: _Row) -> Priced:
        if self._parts is None:
            parts = [(self._day(row.period), row.summary.tokens)]
        else:
            parts = self._parts.get((row.room_id, row.platform, row.period), [])
        return self.book.price(row.room_id, row.platform, parts)
