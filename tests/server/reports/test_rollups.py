"""The rollups (rollups.py, rollup_sql.py) give what the definitions give (earnings.tally),
however the samples arrive: out of order, late, twice, in batches of any size, on SQLite and
PostgreSQL; and the migration builds them for samples archived before it."""

from __future__ import annotations

import datetime as dt
import gc
import random
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import event, insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from godmode_common.protocol import TelemetrySample
from godmode_server.reports.earnings import Period, Point, day_periods, shift_periods, tally
from godmode_server.reports.rollups import MINUTE, Summary, affected_span, summarize
from godmode_server.sql import rollups as rollup_sql
from godmode_server.sql import schema
from godmode_server.sql.database import Database
from godmode_server.sql.tables import SampleRow
from tests.helpers.databases import PostgresProcess

GAP = 300
ROOM = ("r1", "chaturbate")
T0 = 1_790_000_000 - 1_790_000_000 % 86400  # a UTC midnight


def _history(rng: random.Random, count: int) -> list[Point]:
    """A room's samples: mostly growing counters, with resets, short and long gaps, repeats."""
    points, ts, tokens, tips = [], T0 + rng.randrange(3600), 0, 0
    for _ in range(count):
        ts += rng.choice([0, 1, 5, 13, 59, 60, 61, 170, 299, 300, 301, 900, 4000])
        if rng.random() < 0.05:
            tokens, tips = rng.randrange(20), rng.randrange(3)  # a new broadcast
        else:
            tokens += rng.choice([0, 0, 1, 25, 100])
            tips += rng.choice([0, 0, 1])
        points.append(Point(ts, tokens, tips, rng.randrange(500)))
        if rng.random() < 0.05:
            points.append(points[-1])  # posted twice
    return points


def _sample(point: Point) -> TelemetrySample:
    return TelemetrySample(
        room_id=ROOM[0],
        platform=ROOM[1],
        tokens_count=point.tokens,
        tips_count=point.tips,
        viewers_count=point.viewers,
        timestamp=point.timestamp,
    )


def _reference(points: list[Point], periods: list[Period]) -> list[tuple[int, ...]]:
    """What earnings.tally says, with each period's neighbours outside the range."""
    start, end = periods[0].start, periods[-1].end
    inside = [p for p in points if start <= p.timestamp < end]
    before = max((p for p in points if p.timestamp < start), default=None)
    after = min((p for p in points if p.timestamp >= end), default=None)
    return [
        (t.tokens_earned, t.tips_earned, t.online_seconds, t.sessions, t.peak_viewers)
        for t in tally(inside, periods, online_gap=GAP, before=before, after=after)
    ]


async def _from_rollups(db: Database, periods: list[Period]) -> list[tuple[int, ...]]:
    found = {r.period: r.summary for r in await db.summaries(periods)}
    empty = Summary(0)
    return [
        (s.tokens, s.tips, s.online, s.sessions, s.peak)
        for s in (found.get(i, empty) for i in range(len(periods)))
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'rollups.db'}"
    else:
        postgres: PostgresProcess = request.getfixturevalue("postgres")
        url = postgres.new_database().replace("postgresql://", "postgresql+asyncpg://")
    database = Database(url)
    await database.start()
    yield database
    await database.close()


@pytest.mark.parametrize("seed", range(4))
async def test_rollups_equal_the_definitions_whatever_the_order_of_arrival(
    db: Database, seed: int
) -> None:
    await _arrive_and_compare(db, random.Random(seed))


async def test_a_driver_without_numbered_parameters_gets_the_same_rollups(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another driver (psycopg's ``%(name)s``, say) gets the batches' queries through
    SQLAlchemy's named parameters instead of the driver's numbered ones."""
    monkeypatch.setattr(rollup_sql, "_NUMBERED", {})
    await _arrive_and_compare(db, random.Random(11))


async def _arrive_and_compare(db: Database, rng: random.Random) -> None:
    points = _history(rng, 400)
    arrival = points[:]
    rng.shuffle(arrival)  # out of order and late, duplicates apart
    while arrival:
        size = rng.choice([1, 1, 3, 20, 100])
        batch, arrival = arrival[:size], arrival[size:]
        await db.add_samples([_sample(p) for p in batch], online_gap=GAP)

    end = max(p.timestamp for p in points) + 3600
    end -= end % 3600
    zone = ZoneInfo("Europe/Madrid")
    for periods in (
        day_periods(T0 - 86400, end, zone),
        shift_periods(T0, end, zone, [dt.time(6, 30), dt.time(14, 0), dt.time(22, 15)]),
        [Period(T0 + 3600, end - 3600)],
        [Period(T0 + 60 * k, T0 + 60 * (k + 1)) for k in range(0, 600, 7)],
    ):
        assert await _from_rollups(db, periods) == _reference(points, periods)


async def test_the_migration_builds_rollups_for_samples_archived_before_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    points = _history(random.Random(7), 300)
    old = Database(url)
    await old.start()
    await old.engine.dispose()

    def to_0002(connection: Connection) -> None:
        config = schema.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")

    async with old.engine.begin() as connection:
        await connection.run_sync(to_0002)
    async with old.engine.begin() as connection:
        await connection.execute(insert(SampleRow), [_sample(p).model_dump() for p in points])
    await old.close()

    migrated = Database(url)
    state = await migrated.start(migrate=True)
    try:
        assert (state.current, state.head) == ("0002", schema.head_revision())
        periods = day_periods(T0, T0 + 3 * 86400, ZoneInfo("UTC"))
        assert await _from_rollups(migrated, periods) == _reference(points, periods)
    finally:
        await migrated.close()


def test_a_sample_changes_its_minute_its_neighbours_minutes_and_the_online_time_between() -> None:
    span = affected_span(10_000, 10_010, previous=9_800, following=10_200, online_gap=GAP)
    assert (span.first, span.last) == (9_780, 10_200)
    far = affected_span(10_000, 10_010, previous=5_000, following=None, online_gap=GAP)
    assert (far.first, far.last) == (9_960, 9_960), "a long gap before: not on line"


def test_an_interval_is_split_at_minute_boundaries() -> None:
    minutes = summarize(
        [Point(130, 10, 1, 3)],
        before=Point(50, 5, 1, 2),
        after=Point(250, 10, 1, 3),
        first=0,
        last=MINUTE * 5,
        online_gap=GAP,
    )
    assert [(m.start, m.online) for m in minutes] == [
        (0, 10),
        (60, 60),
        (120, 60),
        (180, 60),
        (240, 10),
    ]
    assert [(m.start, m.tokens, m.samples) for m in minutes if m.samples] == [(120, 5, 1)]


async def test_rollups_have_their_own_retention(db: Database) -> None:
    points = _history(random.Random(3), 200)
    await db.add_samples([_sample(p) for p in points], online_gap=GAP)
    cut = T0 + 6 * 3600
    await db.prune_samples(cut - 86400)  # the samples' retention: nothing that old here
    removed = await db.prune_rollups(cut)
    assert removed > 0
    periods = [Period(T0, cut), Period(cut, cut + 30 * 86400)]
    before, after = await _from_rollups(db, periods)
    assert before == (0, 0, 0, 0, 0), "rollups older than their retention are gone"
    assert after == _reference(points, periods)[1], "newer ones are untouched"
    kept = await db.samples_between(ROOM[0], ROOM[1], 0, cut, 10_000)
    assert kept, "raw samples follow their own retention"


async def test_batches_and_reports_of_every_shape_leave_no_statements_behind(
    tmp_path: Path,
) -> None:
    """A batch's queries and a report's are written for its rooms and periods, so each has SQL
    of its own.  Kept in the engine's statement cache, each would hold a bind parameter object
    per placeholder for the life of the process -- objects every full garbage collection
    walks while the event loop waits (issue 22)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'shapes.db'}")
    await database.start()
    try:
        gc.collect()
        before = _bind_parameters()
        for size in range(1, 61):
            batch = [
                _sample(Point(T0 + size * 60, size, 1, 1)).model_copy(
                    update={"room_id": f"room{n}"}
                )
                for n in range(size)
            ]
            await database.add_samples(batch, online_gap=GAP)
        for count in range(1, 31):
            await database.summaries(
                [Period(T0 + 600 * k, T0 + 600 * (k + 1)) for k in range(count)]
            )
        gc.collect()
        assert _bind_parameters() - before < 300  # 90 shapes: thousands if they were kept
    finally:
        await database.close()


async def test_a_batch_of_any_size_reaches_the_driver_without_compiling(tmp_path: Path) -> None:
    """The queries written for a batch (one member per room) go to the driver as written:
    compiled by SQLAlchemy, a batch of a few hundred rooms took 9-14 ms of the event loop's
    thread, a stall of every delivery once a second under load (issue 22)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    await database.start()
    seen: list[tuple[str, bool]] = []

    def executing(conn: object, cursor: object, statement: str, *args: object) -> None:
        context = args[-2]
        seen.append((statement, getattr(context, "compiled", None) is not None))

    event.listen(database.engine.sync_engine, "before_cursor_execute", executing)
    try:
        for size in (1, 7, 150, 151, 400):
            batch = [
                _sample(Point(T0 + size * 60, size, 1, 1)).model_copy(
                    update={"room_id": f"room{n}"}
                )
                for n in range(size)
            ]
            await database.add_samples(batch, online_gap=GAP)
        unions = [compiled for statement, compiled in seen if "UNION ALL" in statement]
        assert unions, "the batches' queries were seen"
        assert not any(unions), "no batch's query was compiled"
        rows = await database.summaries([Period(T0, T0 + 86400)])
        assert sum(r.summary.samples for r in rows) == 1 + 7 + 150 + 151 + 400, "all summed"
    finally:
        await database.close()


def _bind_parameters() -> int:
    return sum(isinstance(o, BindParameter) for o in gc.get_objects())
