"""Live earnings (issue 38): every room sent carries what it earned in the studio's current
day and shift, equal to ``GET /api/reports/earnings`` for that day and shift to the token —
after a simulated day with resets, gaps, duplicates, late and out-of-order samples, on SQLite
with the embedded store and on two nodes with PostgreSQL and Redis, and again after a node
restarted mid-shift.  The figures' own rules (counted once, a period's start, the archive's
"as of") are tested on the class alone, with an archive made of plain values."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from godmode_common.rooms import RoomKey
from godmode_server.earnings.live import LiveEarnings
from godmode_server.reports.earnings import Period, parse_shifts
from godmode_server.reports.money import PayoutRate, RateBook
from godmode_server.reports.rollups import Summary
from godmode_server.simulation.week import StudioWeek, post
from godmode_server.sql.rollups import RoomPeriod
from tests.helpers.databases import PostgresProcess, RedisProcess, cluster_env
from tests.helpers.servers import UNMEASURED, ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until

MADRID = ZoneInfo("Europe/Madrid")
SHIFTS = "06:00,14:00,22:00"
STUDIO = {
    "GODMODE_TIMEZONE": "Europe/Madrid",
    "GODMODE_SHIFTS": SHIFTS,
    "GODMODE_LIVE_EARNINGS_EVERY": "0.5",
}
LUNA = RoomKey("luna", "chaturbate")

# --- the rules, on the class alone -------------------------------------------------------------


class Archive:
    """What the database would answer: each room's figures per period, and its newest sample."""

    def __init__(self) -> None:
        self.figures: dict[tuple[RoomKey, int], tuple[int, int]] = {}
        self.newest: dict[RoomKey, int] = {}
        self.asked: list[Sequence[Period]] = []
        self.since: list[int | None] = []

    async def __call__(
        self, periods: Sequence[Period], since: int | None
    ) -> tuple[list[RoomPeriod], dict[RoomKey, int]]:
        self.asked.append(periods)
        self.since.append(since)
        found = []
        for (key, index), (tokens, tips) in self.figures.items():
            summary = Summary(periods[index].start)
            summary.tokens, summary.tips, summary.samples = tokens, tips, 1
            found.append(RoomPeriod(key.platform, key.room_id, index, summary))
        return found, dict(self.newest)


def _live(now: list[float]) -> tuple[LiveEarnings, Archive]:
    archive = Archive()
    live = LiveEarnings(archive, zone=MADRID, shifts=parse_shifts(SHIFTS), clock=lambda: now[0])
    return live, archive


def _at(day: dt.date, hour: int, minute: int = 0) -> int:
    return int(dt.datetime.combine(day, dt.time(hour, minute), MADRID).timestamp())


def test_events_add_to_the_archive_s_figures_once_each_and_only_past_its_newest_sample() -> None:
    day = dt.date(2026, 12, 8)
    now = [float(_at(day, 15))]  # in the 14:00 shift
    live, archive = _live(now)
    assert live.on_event(LUNA, _at(day, 14, 50), (500, 9), (20, 1, 0), 1) is None, (
        "not known before the archive is read"
    )
    archive.figures = {(LUNA, 0): (1000, 30), (LUNA, 1): (300, 8)}
    archive.newest = {LUNA: _at(day, 14, 55)}
    asyncio.run(live.read())
    assert archive.asked[-1] == live.periods_at(int(now[0]))
    assert live.figures(LUNA) == (1000, 30, 300, 8, None, None), (
        "the event before 14:55 is in the archive's"
    )
    assert live.on_event(LUNA, _at(day, 14, 56), (520, 10), (20, 1, 0), 2) == (
        1020,
        31,
        320,
        9,
        None,
        None,
    )
    assert live.on_event(LUNA, _at(day, 14, 56), (520, 10), (20, 1, 0), 2) == (
        1020,
        31,
        320,
        9,
        None,
        None,
    ), "a replayed event is counted once"
    assert live.on_event(LUNA, _at(day, 14, 57), (70, 10), (-450, 0, 0), 3) == (
        1090,
        31,
        390,
        9,
        None,
        None,
    ), "a reset earns its whole counter"
    assert live.on_event(RoomKey("mia", "stripchat"), _at(day, 14, 58), (80, 2), (0, 0, 0), 4) == (
        0,
        0,
        0,
        0,
        None,
        None,
    ), "a room's first sample here waits for the archive to pair it"

    archive.figures = {(LUNA, 0): (1090, 31), (LUNA, 1): (390, 9)}
    archive.newest = {LUNA: _at(day, 14, 57)}
    asyncio.run(live.read())
    assert archive.since[-1] == _at(day, 14, 56), "how far it reaches, from the oldest event on"
    assert live.figures(LUNA) == (1090, 31, 390, 9, None, None), (
        "archived events are not counted twice"
    )


def test_a_new_shift_and_a_new_day_start_from_nothing_and_count_their_first_pair() -> None:
    day = dt.date(2026, 12, 8)
    now = [float(_at(day, 21, 59))]
    live, archive = _live(now)
    archive.figures = {(LUNA, 0): (1000, 30), (LUNA, 1): (300, 8)}
    archive.newest = {LUNA: _at(day, 21, 58)}
    asyncio.run(live.read())
    now[0] = _at(day, 22, 1)  # the 22:00 shift: the day goes on
    assert live.figures(LUNA) == (1000, 30, 0, 0, None, None)
    assert live.on_event(LUNA, _at(day, 22, 0), (600, 12), (40, 2, 0), 1) == (
        1040,
        32,
        40,
        2,
        None,
        None,
    ), "the pair across the shift's start belongs to the new shift"
    now[0] = _at(day + dt.timedelta(days=1), 0, 1)  # a new day, the same shift
    assert live.figures(LUNA) == (0, 0, 40, 2, None, None)
    assert live.periods_at(int(now[0]))[1].start == _at(day, 22)


def test_money_prices_each_token_at_its_day_s_rate_across_midnight_and_follows_a_change() -> None:
    day = dt.date(2026, 12, 8)
    book = [RateBook([PayoutRate("chaturbate", None, Decimal("0.05"), None)])]

    async def rates() -> RateBook:
        return book[0]

    now = [float(_at(day + dt.timedelta(days=1), 0, 30))]  # the 22:00 shift, past midnight
    archive = Archive()
    live = LiveEarnings(
        archive, zone=MADRID, shifts=parse_shifts(SHIFTS), clock=lambda: now[0], read_rates=rates
    )
    archive.figures = {(LUNA, 0): (100, 3), (LUNA, 1): (300, 9)}
    archive.newest = {LUNA: int(now[0]) - 60}
    asyncio.run(live.read())
    assert live.figures(LUNA) == (100, 3, 300, 9, "5.00", "15.00")
    assert live.figures(RoomKey("mia", "stripchat")) == (0, 0, 0, 0, None, None), "no rate"

    book[0] = RateBook(
        [
            PayoutRate("chaturbate", None, Decimal("0.05"), None),
            PayoutRate("chaturbate", None, Decimal("0.06"), day + dt.timedelta(days=1)),
        ]
    )
    assert (live.figures(LUNA) or ())[4:] == ("5.00", "15.00"), "a changed rate: at a read"
    asyncio.run(live.read())
    # The day's 100 tokens at today's 0.06; the shift's 200 before midnight at yesterday's 0.05.
    assert (live.figures(LUNA) or ())[4:] == ("6.00", "16.00")
    figures = live.on_event(LUNA, int(now[0]), (1000, 10), (50, 0, 0), 1)
    assert figures == (150, 3, 350, 9, "9.00", "19.00"), "an event's tokens at today's rate"


# --- against a real server: equal to the reports -----------------------------------------------


def _get(server: ServerProcess, path: str, **params: Any) -> Any:
    answer = httpx.get(server.url + path, params=params, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _report(server: ServerProcess, period: Period) -> dict[RoomKey, tuple[int, int]]:
    body = _get(server, "/api/reports/earnings", **{"from": period.start, "to": period.end})
    return {
        RoomKey(r["room_id"], r["platform"]): (r["tokens_earned"], r["tips_earned"])
        for r in body["rows"]
    }


def _matches(server: ServerProcess, why: str) -> None:
    """Every room of the bulk read, its SNAPSHOT's share and its latest read say what the
    reports say for the current day and shift (once the archive holds every sample)."""
    live, _ = _live([time.time()])
    seen: dict[str, object] = {}

    def equal() -> bool:
        day, shift = live.periods_at(int(time.time()))
        days, shifts = _report(server, day), _report(server, shift)
        rooms = _get(server, "/api/tracking/telemetry")["rooms"]
        figures = {
            RoomKey(r["room_id"], r["platform"]): (
                (r.get("day_tokens"), r.get("day_tips")),
                (r.get("shift_tokens"), r.get("shift_tips")),
            )
            for r in rooms
        }
        wanted = {key: (days.get(key, (0, 0)), shifts.get(key, (0, 0))) for key in figures}
        seen.update(live=figures, reports=wanted)
        return bool(figures) and figures == wanted

    wait_until(equal, timeout=60, what=f"the live figures to equal the reports ({why}): {seen}")
    live_rooms = seen["live"]
    assert isinstance(live_rooms, dict)
    assert any(day[0] and shift[0] for day, shift in live_rooms.values()), "not all nothing"
    for key, (day, shift) in live_rooms.items():
        one = _get(server, f"/api/tracking/telemetry/{key.room_id}/{key.platform}")
        assert (one["day_tokens"], one["shift_tokens"]) == (day[0], shift[0])


def _a_day(nodes: int) -> tuple[StudioWeek, list[Any]]:
    """A simulated day up to now (resets, gaps, duplicates, late and out-of-order samples),
    then a sample of each room now, so that the current shift has earnings at any hour."""
    now = int(time.time())
    week = StudioWeek(
        start=now - 86460, end=now - 60, rooms=3, seed=38, nodes=nodes, sample_every=(60, 90)
    )
    return week, week.deliveries()


async def _now_samples(urls: list[str], week: StudioWeek, step: int) -> None:
    """Each room's counters ``step`` × 100 tokens up from its last simulated ones, now."""
    async with httpx.AsyncClient(timeout=30) as http:
        for n, (key, truth) in enumerate(sorted(week.rooms.items())):
            last = truth.samples[-1]
            body = {
                "room_id": key[0],
                "platform": key[1],
                "tokens_count": last.tokens_count + 100 * step,
                "tips_count": last.tips_count + step,
                "viewers_count": last.viewers_count,
                "timestamp": int(time.time()),
            }
            answer = await http.post(urls[n % len(urls)] + "/api/tracking/telemetry", json=body)
            assert answer.status_code == 200, answer.text


def test_without_an_archive_rooms_carry_no_figures_not_nulls(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_HISTORY_DAYS="0")
    sample = {
        "room_id": "luna",
        "platform": "chaturbate",
        "tokens_count": 5,
        "tips_count": 1,
        "viewers_count": 3,
        "timestamp": int(time.time()),
    }
    answer = httpx.post(server.url + "/api/tracking/telemetry", json=sample, timeout=30)
    assert answer.status_code == 200, answer.text
    assert _get(server, "/api/tracking/telemetry")["rooms"] == [sample]
    assert _get(server, "/api/tracking/telemetry/luna/chaturbate") == sample


@pytest.mark.slow
def test_live_figures_equal_the_reports_on_sqlite_and_the_embedded_store(
    make_server: ServerFactory,
) -> None:
    server = make_server(unset=UNMEASURED, **STUDIO)
    week, deliveries = _a_day(1)
    asyncio.run(post([server.url], deliveries))
    asyncio.run(_now_samples([server.url], week, 1))
    _matches(server, "a simulated day")

    server.stop()  # mid-shift: the embedded store forgets every room
    server.start()
    asyncio.run(_now_samples([server.url], week, 2))
    _matches(server, "after a restart")


@pytest.mark.slow
def test_live_figures_equal_the_reports_on_two_nodes_with_postgresql_and_redis(
    make_server: ServerFactory, postgres: PostgresProcess, redis_server: RedisProcess
) -> None:
    shared = {**STUDIO, **cluster_env(postgres, redis_server)}
    nodes = [make_server(unset=UNMEASURED, **shared), make_server(unset=UNMEASURED, **shared)]
    week, deliveries = _a_day(2)
    asyncio.run(post([n.url for n in nodes], deliveries))
    asyncio.run(_now_samples([n.url for n in nodes], week, 1))
    for node in nodes:
        _matches(node, f"a simulated day, {node.url}")

    nodes[0].stop()  # mid-shift
    nodes[0].start()
    asyncio.run(_now_samples([n.url for n in nodes], week, 2))
    for node in nodes:
        _matches(node, f"after a node restarted, {node.url}")
