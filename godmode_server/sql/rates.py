"""Money in SQL: the payout and exchange rates an admin sets (reports/money.py prices tokens
with them)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from sqlalchemy import select

from godmode_server.reports.money import CurrencyRate, PayoutRate, RateBook
from godmode_server.sql.engine import Engine
from godmode_server.sql.tables import CurrencyRateRow, PayoutRateRow


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class Rates(Engine):
    """Payout rates per platform and room, and exchange rates, each dated."""

    async def set_payout_rate(
        self,
        platform: str,
        room_id: str | None,
        usd_per_token: Decimal,
        start: dt.date | None,
        actor: str,
    ) -> None:
        """Set the rate of a platform (or a room of it) from ``start`` on, replacing the one of
        the same scope and day."""
        key = (platform, room_id or "", start.isoformat() if start else "")
        async with self._session.begin() as session:
            row = await session.get(PayoutRateRow, key)
            if row is None:
                row = PayoutRateRow(platform=key[0], room_id=key[1], starts=key[2])
                session.add(row)
            row.usd_per_token = str(usd_per_token)
            row.set_at = int(time.time())
            row.set_by = actor[:64]

    async def set_currency_rate(
        self, currency: str, units_per_usd: Decimal, start: dt.date | None, actor: str
    ) -> None:
        """Set a currency's exchange rate from ``start`` on, replacing the one of that day."""
        key = (currency, start.isoformat() if start else "")
        async with self._session.begin() as session:
            row = await session.get(CurrencyRateRow, key)
            if row is None:
                row = CurrencyRateRow(currency=key[0], starts=key[1])
                session.add(row)
            row.units_per_usd = str(units_per_usd)
            row.set_at = int(time.time())
            row.set_by = actor[:64]

    async def payout_rates(self) -> list[tuple[PayoutRate, str, int]]:
        """Every payout rate with who set it and when, by platform, room (the platform's own
        first) and day (undated first)."""
        query = select(PayoutRateRow).order_by(
            PayoutRateRow.platform, PayoutRateRow.room_id, PayoutRateRow.starts
        )
        async with self._session() as session:
            return [
                (
                    PayoutRate(
                        r.platform, r.room_id or None, Decimal(r.usd_per_token), _day(r.starts)
                    ),
                    r.set_by,
                    r.set_at,
                )
                for r in await session.scalars(query)
            ]

    async def currency_rates(self) -> list[tuple[CurrencyRate, str, int]]:
        """Every exchange rate with who set it and when, by currency and day."""
        query = select(CurrencyRateRow).order_by(CurrencyRateRow.currency, CurrencyRateRow.starts)
        async with self._session() as session:
            return [
                (
                    CurrencyRate(r.currency, Decimal(r.units_per_usd), _day(r.starts)),
                    r.set_by,
                    r.set_at,
                )
                for r in await session.scalars(query)
            ]

    async def rate_book(self, currency: str) -> RateBook:
        """Every rate, to price tokens in dollars and ``currency`` with."""
        payout = [rate for rate, _, _ in await self.payout_rates()]
        exchange = [rate for rate, _, _ in await self.currency_rates()]
        return RateBook(payout, currency, exchange)
