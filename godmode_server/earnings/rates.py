"""Setting the studio's rates, as the command line and the admin API both do it: checked
against the studio's calendar and platforms, stored, and said in one line for the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from godmode_common.money import RateError
from godmode_server.reports.money import check_start, parse_currency
from godmode_server.settings import Settings
from godmode_server.sql.database import Database


def studio_today(settings: Settings) -> dt.date:
    """Today in the studio's time zone: rates are dated by its calendar."""
    return dt.datetime.now(ZoneInfo(settings.timezone)).date()


def _since(start: dt.date | None) -> str:
    return f"from {start}" if start else "undated"


async def set_payout_rate(
    db: Database,
    settings: Settings,
    *,
    platform: str,
    room_id: str | None,
    usd_per_token: Decimal,
    start: dt.date | None,
    actor: str,
) -> tuple[str, str]:
    """Store a payout rate; the audit log's target and detail.  RateError for a platform the
    server does not take or a day more than a year ahead."""
    if platform not in settings.platforms:
        accepted = ", ".join(sorted(settings.platforms))
        raise RateError("platform", f"{platform!r} is not one this server takes ({accepted})")
    check_start(start, studio_today(settings))
    await db.set_payout_rate(platform, room_id, usd_per_token, start, actor)
    target = f"{room_id}@{platform}" if room_id else platform
    return target, f"{usd_per_token} USD per token, {_since(start)}"


async def set_currency_rate(
    db: Database,
    settings: Settings,
    *,
    currency: str,
    units_per_usd: Decimal,
    start: dt.date | None,
    actor: str,
) -> tuple[str, str]:
    """Store an exchange rate; the audit log's target and detail.  RateError for a code that is
    not ISO 4217 or a day more than a year ahead."""
    code = parse_currency(currency)
    check_start(start, studio_today(settings))
    await db.set_currency_rate(code, units_per_usd, start, actor)
    return code, f"{units_per_usd} per USD, {_since(start)}"
