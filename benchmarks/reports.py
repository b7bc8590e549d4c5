"""Earnings reports over 1, 7, 30 and 90 days of a studio, on SQLite and PostgreSQL.

200 rooms sampled every 5 s all day make 3.46 M samples a day, about 100 M a month.  The
reports read the per-minute and per-hour rollups, so this fills the rollup tables with what
the archive would have written for those samples (one day is summarised from generated samples
by the real code, rollups.summarize, then repeated day after day: the query's cost depends on
the number of rows, not on their values), and keeps the last day's raw samples as a live
deployment has them.  Then ``GET /api/reports/earnings`` of a real server (in dev mode) is timed
over the whole span by day, by shift and in total, median of 5.

The baseline, in the same run: the 1-day report computed the way it would be without rollups,
reading that day's raw samples and applying the definitions (earnings.tally) to each room.  And
what keeping the rollups costs the archive: writing a second of the studio's samples (40 from
40 rooms) with and without the rollup update.

    python -m benchmarks.reports [--days 1,7,30,90] [--rooms 200] [--backends sqlite,postgresql]
    python -m benchmarks.reports --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import insert

from godmode_common.protocol import TelemetrySample
from godmode_server.reports.earnings import Period, Point, tally
from godmode_server.reports.rollups import HOUR, MINUTE, Summary, combine, floor_to, summarize
from godmode_server.sql.database import Database
from godmode_server.sql.tables import ROLLUP_COLUMNS as COLUMNS
from godmode_server.sql.tables import SampleRow
from tests.helpers.databases import PostgresProcess

from .harness import godmode_server, machine

ZONE = "Europe/Madrid"
STEP = 5
GAP = 300
DAY = 86400
Row = tuple[int, str, str, int, int, int, int, int, int, int]  # in COLUMNS' order


def _room_day(rng: random.Random, day: int) -> list[Point]:
    """A room's samples of one day: every 5 s, a broadcast reset at noon, tips now and then."""
    points, tokens, tips = [], 0, 0
    for ts in range(day, day + DAY, STEP):
        if ts == day + DAY // 2:
            tokens = tips = 0
        if rng.random() < 0.05:
            tokens += rng.randrange(5, 200)
            tips += 1
        points.append(Point(ts, tokens, tips, 100 + rng.randrange(50)))
    return points


def _rows(platform: str, room_id: str, summaries: list[Summary]) -> list[Row]:
    return [
        (
            s.start,
            platform,
            room_id,
            s.samples,
            s.tokens,
            s.tips,
            s.online,
            s.starts,
            int(s.first_is_start),
            s.peak,
        )
        for s in summaries
    ]


class Studio:
    """One day of ``rooms`` rooms, summarised once and repeated."""

    def __init__(self, rooms: int, first_day: int) -> None:
        rng = random.Random(5)
        self.first_day = first_day
        self.rooms = [(f"room_{n:03d}", "chaturbate") for n in range(rooms)]
        self.samples: dict[tuple[str, str], list[Point]] = {}
        self.minutes: list[Row] = []
        self.hours: list[Row] = []
        for room_id, platform in self.rooms:
            points = _room_day(rng, first_day)
            self.samples[(room_id, platform)] = points
            minutes = summarize(
                points,
                before=None,
                after=None,
                first=first_day,
                last=first_day + DAY - MINUTE,
                online_gap=GAP,
            )
            self.minutes += _rows(platform, room_id, minutes)
            hours = [
                combine([m for m in minutes if floor_to(m.start, HOUR) == h], h)
                for h in range(first_day, first_day + DAY, HOUR)
            ]
            self.hours += _rows(platform, room_id, hours)

    def day(self, rows: list[Row], k: int) -> Iterator[Row]:
        """The rows of the ``k``-th day after the first."""
        shift = k * DAY
        for start, *rest in rows:
            yield (start + shift, *rest)  # type: ignore[misc]


# --- filling the databases -----------------------------------------------------------------


def _fill_sqlite(path: Path, studio: Studio, days: range) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        marks = ",".join("?" * len(COLUMNS))
        for k in days:
            for table, rows in (("minute_rollups", studio.minutes), ("hour_rollups", studio.hours)):
                db.executemany(
                    f"INSERT INTO {table} ({','.join(COLUMNS)}) VALUES ({marks})",
                    studio.day(rows, k),
                )
        db.commit()


async def _fill_postgres(url: str, studio: Studio, days: range) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for k in days:
            for table, rows in (("minute_rollups", studio.minutes), ("hour_rollups", studio.hours)):
                await connection.copy_records_to_table(
                    table, records=list(studio.day(rows, k)), columns=COLUMNS
                )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _raw_day(url: str, studio: Studio) -> None:
    """Make the schema, and put the first day's raw samples in it, as the archive holds them
    (no rollup update: the rollup rows are filled separately)."""
    db = Database(url)
    try:
        await db.start()
        async with db.engine.begin() as connection:
            for (room_id, platform), points in studio.samples.items():
                await connection.execute(
                    insert(SampleRow),
                    [
                        {
                            "room_id": room_id,
                            "platform": platform,
                            "tokens_count": p.tokens,
                            "tips_count": p.tips,
                            "viewers_count": p.viewers,
                            "timestamp": p.timestamp,
                        }
                        for p in points
                    ],
                )
    finally:
        await db.close()


async def _from_raw(url: str, studio: Studio) -> float:
    """The baseline: the 1-day total report as it would be without rollups, reading each room's
    raw samples of the day from the database and applying the definitions (earnings.tally)."""
    db = Database(url)
    periods = [Period(studio.first_day, studio.first_day + DAY)]
    try:
        started = time.perf_counter()
        for room_id, platform in studio.rooms:
            before, points = await db.room_points(room_id, platform, *astuple(periods[0]))
            tally(points, periods, online_gap=GAP, before=before)
        return time.perf_counter() - started
    finally:
        await db.close()


# --- measuring -------------------------------------------------------------------------------


def _median_seconds(url: str, token: str, params: dict[str, int | str], runs: int) -> float:
    times = []
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(runs):
        started = time.perf_counter()
        answer = httpx.get(
            url + "/api/reports/earnings", params=params, headers=headers, timeout=120
        )
        times.append(time.perf_counter() - started)
        answer.raise_for_status()
    return statistics.median(times)


async def _write_cost(url: str, rooms: int, seconds: int) -> tuple[float, float]:
    """Milliseconds to archive one second of the studio (a sample from each of rooms/5 rooms),
    with the rollup update and without it (a plain insert): medians over ``seconds``."""
    db = Database(url)
    now = int(time.time()) - 600
    with_rollups, plain = [], []
    try:
        for s in range(seconds):
            batch = [
                TelemetrySample(
                    room_id=f"live_{n:03d}",
                    platform="chaturbate",
                    tokens_count=s * 10 + n,
                    tips_count=s,
                    viewers_count=100,
                    timestamp=now + s,
                )
                for n in range(s % STEP, rooms, STEP)
            ]
            started = time.perf_counter()
            await db.add_samples(batch, online_gap=GAP)
            with_rollups.append(time.perf_counter() - started)
            started = time.perf_counter()
            async with db.engine.begin() as connection:
                await connection.execute(
                    insert(SampleRow),
                    [b.model_copy(update={"room_id": "p" + b.room_id}).model_dump() for b in batch],
                )
            plain.append(time.perf_counter() - started)
    finally:
        await db.close()
    return statistics.median(with_rollups) * 1000, statistics.median(plain) * 1000


def run(days_list: list[int], rooms: int, backends: list[str], runs: int) -> None:
    today = int(dt.datetime.combine(dt.date.today(), dt.time(), tzinfo=ZoneInfo(ZONE)).timestamp())
    longest = max(days_list)
    print(f"# Earnings reports — {rooms} rooms sampled every {STEP} s; {machine()}\n")
    studio = Studio(rooms, today - DAY)
    per_day = rooms * DAY // STEP
    print(
        "| database | days of data | samples they stand for | rollup rows | by day | by shift | total |"
    )
    print("|---|---|---|---|---|---|---|")
    for backend in backends:
        with contextlib.ExitStack() as stack:
            if backend == "sqlite":
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gm-bench-")))
                url = f"sqlite+aiosqlite:///{folder / 'reports.db'}"
            else:
                postgres = PostgresProcess().start()
                stack.callback(postgres.close)
                url = postgres.new_database().replace("postgresql://", "postgresql+asyncpg://")
            asyncio.run(_raw_day(url, studio))
            raw = asyncio.run(_from_raw(url, studio))
            filled = 0
            server = stack.enter_context(
                godmode_server(
                    GODMODE_DATABASE_URL=url,
                    GODMODE_TIMEZONE=ZONE,
                    GODMODE_HISTORY_DAYS=str(longest + 2),
                    GODMODE_ROLLUP_DAYS=str(longest + 2),
                )
            )
            token = httpx.post(
                server + "/api/auth/login", json={"username": "demo", "password": "demo"}
            ).json()["access_token"]
            for days in days_list:
                # Days go backwards from yesterday: day k is k days before the first.
                new = range(-(days - 1), 1 - filled)
                if backend == "sqlite":
                    _fill_sqlite(Path(url.split("///", 1)[1]), studio, new)
                else:
                    asyncio.run(_fill_postgres(url, studio, new))
                filled = days
                span = {"from": studio.first_day - (days - 1) * DAY, "to": studio.first_day + DAY}
                timings = [
                    _median_seconds(server, token, {**span, "group": group}, runs)
                    for group in ("day", "shift", "total")
                ]
                rows = days * (len(studio.minutes) + len(studio.hours))
                if days == 1:
                    print(
                        f"| {backend} | 1 (baseline: from the raw samples) | "
                        f"{per_day / 1e6:,.1f} M | | | | {raw * 1000:,.0f} ms |"
                    )
                print(
                    f"| {backend} | {days} | {days * per_day / 1e6:,.1f} M | {rows / 1e6:,.2f} M | "
                    + " | ".join(f"{t * 1000:,.0f} ms" for t in timings)
                    + " |"
                )
            print(
                f"| {backend} | archive write of 1 s ({rooms // STEP} samples): "
                "with rollups / plain insert | | | "
                + " / ".join(f"{ms:.1f} ms" for ms in asyncio.run(_write_cost(url, rooms, 30)))
                + " | | |"
            )
    print("\ntarget: a month (30 days) of 200 rooms under 1 s, growing with rooms x periods")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", default="1,7,30,90")
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="2 days of 10 rooms, once")
    args = parser.parse_args()
    if args.smoke:
        run([1, 2], 10, ["sqlite", "postgresql"], 1)
    else:
        run(
            [int(d) for d in args.days.split(",")],
            args.rooms,
            args.backends.split(","),
            args.runs,
        )


if __name__ == "__main__":
    main()
