"""``/api/reports/*``: what each room earned per day, shift or range, and its broadcasts.

The figures follow the definitions in earnings.py (docs/PROTOCOL.md, "Earnings"), summed from
the rollups (rollup_sql.py) so that a month of 200 rooms answers in well under a second.  Ranges
are whole minutes: every period a report can be divided into (local days, shifts given as
``HH:MM``) starts on a minute, and the rollups are per minute.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import orjson
from fastapi import APIRouter, Query, Request, Response

from godmode_common.money import add
from godmode_common.protocol import (
    MAX_COUNTER,
    PLATFORM_PATTERN,
    ROOM_ID_PATTERN,
    BroadcastSession,
    EarningsFigures,
    EarningsReport,
    ErrorBody,
    ErrorItem,
    ReportCalendar,
    ReportGap,
    ReportGroup,
    SessionsReport,
)
from godmode_common.rooms import RoomKey
from godmode_server.context import ServerContext, context
from godmode_server.errors import ApiError, JsonResponse
from godmode_server.reports.earnings import Period, Point, broadcasts, parse_shifts, periods_for
from godmode_server.reports.money import USD_DIGITS, Pricing, cut_at_changes
from godmode_server.reports.rollups import MINUTE, Summary
from godmode_server.routes.access import Reader, scope_of

if TYPE_CHECKING:
    from godmode_server.sql.rollups import RoomPeriod

router = APIRouter(prefix="/api/reports", tags=["reports"])

#: A report has at most this many periods (a year by shift is 1,098).
#: Earnings reports computed at once on a node; more wait their turn.  Each one's Python work
#: (summing the rows, building and encoding the answer) runs in a worker thread, and a worker
#: holding the interpreter delays the event loop's next turn: one at a time kept every feed's
#: delivery under 25 ms with 50 year-by-shift reports asked at once (two: under 50 ms, for 20 %
#: more reports answered; benchmarks/report_load.py, docs/PERFORMANCE.md).
REPORTS_AT_ONCE = 1

MAX_PERIODS = 2000
#: The broadcasts of one room are listed over at most this many days (they are read from the
#: raw samples, up to 17,280 a day at one every 5 s).
MAX_SESSION_DAYS = 31
#: Samples of the last seconds may still be queued on some node: a range reaching them is open.
OPEN_SECONDS = 5
#: The latest ``to`` a report takes: two days before the end of the dates Python can represent
#: (year 9999), so that every local day and shift around it can still be computed in any zone.
LAST_REPORT_TIME = int(dt.datetime(9999, 12, 30, tzinfo=dt.UTC).timestamp())
#: No local day lasts longer (a change of clocks adds an hour at most), seconds.
LONGEST_DAY = 25 * 3600

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 422, 429)
}

Start = Annotated[
    int, Query(alias="from", ge=0, le=MAX_COUNTER, description="unix seconds, a whole minute")
]
End = Annotated[
    int,
    Query(alias="to", ge=0, le=MAX_COUNTER, description="unix seconds, a whole minute (excluded)"),
]


def _invalid(field: str, message: str, kind: str) -> ApiError:
    return ApiError(
        422,
        f"invalid request: {field}: {message}",
        [ErrorItem(field=field, message=message, type=kind)],
    )


def _check_range(ctx: ServerContext, start: int, end: int, retention: int) -> None:
    """Whole minutes, in order, within what is kept."""
    if not ctx.archive.enabled:
        raise ApiError(404, "the archive is off (GODMODE_HISTORY_DAYS=0): there is nothing to sum")
    for field, value in (("from", start), ("to", end)):
        if value % MINUTE:
            raise _invalid(
                field,
                f"{value} is not a whole minute (a multiple of 60 seconds); reports count "
                "whole minutes",
                "not_whole_minute",
            )
    if start >= end:
        raise _invalid("to", f"'to' ({end}) must be after 'from' ({start})", "range_empty")
    if end > LAST_REPORT_TIME:
        raise _invalid(
            "to",
            f"{end} is after the last time a report can count ({LAST_REPORT_TIME}, 9999-12-30 UTC)",
            "after_last_date",
        )
    oldest = int(time.time()) - retention
    if start < oldest:
        raise _invalid(
            "from",
            f"{start} is older than what the server keeps ({retention // 86400} days: from "
            f"{oldest - oldest % MINUTE + MINUTE} on)",
            "before_retention",
        )


def periods_at_least(group: ReportGroup, start: int, end: int, shifts: Sequence[object]) -> int:
    """How many periods [start, end) holds at least, from arithmetic alone: it touches a local
    day per :data:`LONGEST_DAY` at least, and holds ``days - 1`` whole ones, each with a period
    per shift start (but one, where a change of clocks merges two).  Checked before any period
    is built, so that no range costs more than the limit allows."""
    if group == "total":
        return 1
    days = (end - start) // LONGEST_DAY
    return days if group == "day" else max(0, days - 1) * max(1, len(shifts) - 1)


def _too_many(count: str) -> ApiError:
    return _invalid(
        "to",
        f"the range holds {count} periods of this group, more than {MAX_PERIODS}: ask for a "
        "shorter range or a coarser group",
        "too_many_periods",
    )


def _figures(summary: Summary) -> dict[str, int]:
    return {
        "tokens_earned": summary.tokens,
        "tips_earned": summary.tips,
        "online_seconds": summary.online,
        "sessions": summary.sessions,
        "peak_viewers": summary.peak,
    }


def merge_drops(drops: Sequence[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """Recorded drops (first, last, samples, reason; by first) as a report says them: those of
    one reason that overlap or touch are one gap, with every sample counted -- two samples
    refused a second apart with a flush between them were recorded twice."""
    merged: list[tuple[int, int, int, str]] = []
    for first, last, count, why in drops:
        if merged and merged[-1][3] == why and first <= merged[-1][1] + 1:
            before = merged[-1]
            merged[-1] = (before[0], max(before[1], last), before[2] + count, why)
        else:
            merged.append((first, last, count, why))
    return merged


async def _gaps(ctx: ServerContext, start: int, end: int) -> list[ReportGap]:
    gaps = [
        ReportGap(
            reason="too_old" if why == "too_old" else "dropped",
            start=first,
            end=last + 1,
            samples=count,
        )
        for first, last, count, why in merge_drops(await ctx.db.drops_between(start, end))
    ]
    waiting = ctx.archive.waiting(start, end)
    if waiting is not None:
        first, last, count = waiting
        gaps.append(ReportGap(reason="waiting", start=first, end=last + 1, samples=count))
    horizon = int(time.time()) - OPEN_SECONDS
    if end > horizon:
        gaps.append(ReportGap(reason="open", start=max(start, horizon), end=end))
    return gaps


@router.get(
    "/calendar",
    response_model=ReportCalendar,
    responses=_ERRORS,
    summary="The studio's time zone and shifts, as the reports count them",
)
async def get_calendar(request: Request, _: Reader) -> JsonResponse:
    ctx = context(request)
    settings = ctx.settings
    oldest = int(time.time()) - ctx.archive.rollup_retention
    calendar = ReportCalendar(
        timezone=settings.timezone,
        shifts=[t.strftime("%H:%M") for t in parse_shifts(settings.shifts)],
        online_gap=settings.online_gap,
        oldest=oldest - oldest % MINUTE + MINUTE,
    )
    return JsonResponse(calendar.model_dump())


@router.get(
    "/earnings",
    response_model=EarningsReport,
    responses=_ERRORS,
    summary="What each room earned, per day, per shift or over the whole range",
)
async def get_earnings(
    request: Request,
    _: Reader,
    start: Start,
    end: End,
    group: Annotated[ReportGroup, Query(description="how to divide the range")] = "total",
) -> Response:
    """One row per room per period with anything in it (earnings, on-line time), in period
    then room order, and the totals of every room.  Days and shifts are the studio's
    (``GODMODE_TIMEZONE``, ``GODMODE_SHIFTS``).  ``complete`` is false while any sample of
    the range was dropped, is still queued for the database, or may still be on its way
    (``gaps`` says which)."""
    ctx = context(request)
    _check_range(ctx, start, end, ctx.archive.rollup_retention)
    settings = ctx.settings
    zone = ZoneInfo(settings.timezone)
    shifts = parse_shifts(settings.shifts)
    at_least = periods_at_least(group, start, end, shifts)
    if at_least > MAX_PERIODS:
        raise _too_many(f"at least {at_least}")
    periods = periods_for(group, start, end, zone, shifts)
    if len(periods) > MAX_PERIODS:
        raise _too_many(str(len(periods)))
    scope = await scope_of(request)
    async with ctx.report_turns:  # one at a time (REPORTS_AT_ONCE)
        found = await ctx.db.summaries(periods)
        book = await ctx.db.rate_book(settings.currency)
        pieces = cut_at_changes(periods, book.changes, zone)
        # A period a rate changes in is priced by its parts, each at its day's rates.
        parts = found if pieces is None else await ctx.db.summaries(pieces.periods)
        gaps = await _gaps(ctx, start, end)
        header = EarningsReport(
            start=start,
            end=end,
            timezone=settings.timezone,
            group=group,
            rows=[],
            totals=EarningsFigures(
                tokens_earned=0, tips_earned=0, online_seconds=0, sessions=0, peak_viewers=0
            ),
            complete=not gaps,
            gaps=gaps,
            currency=book.currency,
        ).model_dump(by_alias=True)
        prices = Pricing(book, zone, periods, pieces, parts)
        body = await asyncio.to_thread(_earnings_body, header, found, periods, scope, prices)
    return Response(body, media_type="application/json")


def _earnings_body(
    header: dict[str, Any],
    found: list[RoomPeriod],
    periods: Sequence[Period],
    scope: frozenset[RoomKey] | None,
    pricing: Pricing,
) -> bytes:
    """The answer's rows and totals, encoded (in a worker thread: a month by shift of 200 rooms
    is 18,000 rows; plain dicts of ints the server computed, not models, which would cost more
    than the query -- the route's response_model still documents them)."""
    if scope is not None:  # a monitor granted reports: their rooms'
        found = [r for r in found if (r.room_id, r.platform) in scope]
    currency = pricing.book.currency
    rows = []
    usd: list[str | None] = []
    local: list[str | None] = []
    for r in found:
        priced = pricing.of(r)
        usd.append(priced.usd)
        local.append(priced.local)
        rows.append(
            {
                "room_id": r.room_id,
                "platform": r.platform,
                "period_start": periods[r.period].start,
                "period_end": periods[r.period].end,
                **_figures(r.summary),
                "earned_usd": priced.usd,
                "earned_local": priced.local,
                "currency": currency,
            }
        )
    totals = {
        "tokens_earned": sum(r.summary.tokens for r in found),
        "tips_earned": sum(r.summary.tips for r in found),
        "online_seconds": sum(r.summary.online for r in found),
        "sessions": sum(r.summary.sessions for r in found),
        "peak_viewers": max((r.summary.peak for r in found), default=0),
        "earned_usd": add(usd, USD_DIGITS),
        "earned_local": add(local, pricing.book.places),
    }
    return orjson.dumps({**header, "rows": rows, "totals": totals})


@router.get(
    "/sessions",
    response_model=SessionsReport,
    responses=_ERRORS,
    summary="A room's broadcasts in a range",
)
async def get_sessions(
    request: Request,
    _: Reader,
    room_id: Annotated[str, Query(pattern=ROOM_ID_PATTERN, max_length=64)],
    platform: Annotated[str, Query(pattern=PLATFORM_PATTERN, max_length=32)],
    start: Start,
    end: End,
) -> JsonResponse:
    """Each broadcast with a sample in [from, to): its first and last sample there, what it
    earned there and its peak audience.  Read from the raw samples, so the range must be
    within ``GODMODE_HISTORY_DAYS`` and at most 31 days long."""
    ctx = context(request)
    _check_range(ctx, start, end, ctx.archive.retention)
    if end - start > MAX_SESSION_DAYS * 86400:
        raise _invalid(
            "to", f"list broadcasts over at most {MAX_SESSION_DAYS} days", "range_too_long"
        )
    scope = await scope_of(request)
    before: Point | None = None
    points: list[Point] = []  # not one of a monitor's rooms: nothing to list
    if scope is None or (room_id, platform) in scope:
        before, points = await ctx.db.room_points(room_id, platform, start, end)
    found = broadcasts(points, online_gap=ctx.settings.online_gap, before=before)
    report = SessionsReport(
        room_id=room_id,
        platform=platform,
        start=start,
        end=end,
        sessions=[
            BroadcastSession(
                start=b.start,
                end=b.end,
                duration_seconds=b.end - b.start,
                tokens_earned=b.tokens_earned,
                tips_earned=b.tips_earned,
                peak_viewers=b.peak_viewers,
                began_before=b.began_before,
            )
            for b in found
        ],
    )
    return JsonResponse(report.model_dump(by_alias=True))
