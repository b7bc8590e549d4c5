"""The long-term sample archive in SQL, behind ``history?from=&to=``, on SQLite and PostgreSQL."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import httpx
import pytest

from godmode_common.protocol import TelemetrySample
from godmode_server.metrics import Metrics
from godmode_server.sql.archive import HistoryArchive
from godmode_server.sql.database import Database
from tests.helpers.bodies import sample_json
from tests.helpers.databases import PostgresProcess
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, make_server: ServerFactory) -> ServerProcess:
    if request.param == "sqlite":
        return make_server()
    postgres: PostgresProcess = request.getfixturevalue("postgres")
    return make_server(GODMODE_DATABASE_URL=postgres.new_database())


def _post(server: ServerProcess, body: dict[str, object]) -> dict[str, object]:
    answer = httpx.post(server.url + "/api/tracking/telemetry", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _archived(server: ServerProcess, room: str, **query: int) -> list[tuple[int, int]]:
    answer = httpx.get(
        f"{server.url}/api/tracking/telemetry/{room}/chaturbate/history", params=query
    )
    if answer.status_code == 404:
        return []
    assert answer.status_code == 200, answer.text
    return [(p["timestamp"], p["tokens_count"]) for p in answer.json()["samples"]]


def test_every_valid_sample_is_archived_and_read_by_time_range(
    server: ServerProcess, room: str
) -> None:
    """Also those too old to change the live value, and unchanged ones: the earnings reports
    count each in its place."""
    t0 = int(time.time()) - 100
    for n in range(5):
        _post(server, sample_json(room, tokens_count=n, timestamp=t0 + n))
    assert _post(server, sample_json(room, tokens_count=4, timestamp=t0 + 5))["reason"] == (
        "duplicate"
    )
    assert _post(server, sample_json(room, tokens_count=9, timestamp=t0 - 50))["reason"] == "stale"

    wait_until(lambda: len(_archived(server, room, **{"from": 0})) == 7, what="the archive")

    assert _archived(server, room, **{"from": 0}) == [
        (t0 - 50, 9),
        *[(t0 + n, n) for n in range(5)],
        (t0 + 5, 4),
    ]
    assert _archived(server, room, **{"from": t0 + 1, "to": t0 + 3}) == [
        (t0 + 1, 1),
        (t0 + 2, 2),
        (t0 + 3, 3),
    ]
    assert _archived(server, room, to=t0 + 3, limit=2) == [(t0 + 2, 2), (t0 + 3, 3)]
    metrics = httpx.get(server.url + "/metrics").text
    assert "godmode_archive_samples_written_total 7.0" in metrics


def test_a_reversed_range_is_refused(server: ServerProcess, room: str) -> None:
    answer = httpx.get(
        f"{server.url}/api/tracking/telemetry/{room}/chaturbate/history",
        params={"from": 10, "to": 5},
    )
    assert answer.status_code == 422
    assert "'from' (10) is after 'to' (5)" in answer.json()["message"]


def test_times_beyond_any_clock_are_refused_not_sent_to_the_database(
    server: ServerProcess, room: str
) -> None:
    """Found by schemathesis' stateful run: 2**63 overflowed the database's integer (a 500)."""
    answer = httpx.get(
        f"{server.url}/api/tracking/telemetry/{room}/chaturbate/history",
        params={"from": 2**63, "to": 2**63 + 1},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "from"


def test_without_an_archive_a_range_is_404(make_server: ServerFactory, room: str) -> None:
    server = make_server(GODMODE_HISTORY_DAYS="0")
    _post(server, sample_json(room))
    answer = httpx.get(
        f"{server.url}/api/tracking/telemetry/{room}/chaturbate/history", params={"from": 0}
    )
    assert answer.status_code == 404
    assert "GODMODE_HISTORY_DAYS=0" in answer.json()["message"]
    assert _archived(server, room) != [], "the recent history still answers"


def test_samples_wait_for_the_database_and_none_is_lost(
    make_server: ServerFactory, own_postgres: PostgresProcess, room: str
) -> None:
    server = make_server(GODMODE_DATABASE_URL=own_postgres.new_database())
    t0 = int(time.time()) - 100
    _post(server, sample_json(room, tokens_count=0, timestamp=t0))
    wait_until(lambda: len(_archived(server, room, **{"from": 0})) == 1, what="the archive")

    own_postgres.stop()
    for n in range(1, 4):  # ingest does not need the database in dev mode
        _post(server, sample_json(room, tokens_count=n, timestamp=t0 + n))
    wait_until(
        lambda: "godmode_archive_failures_total 0.0" not in httpx.get(server.url + "/metrics").text,
        what="a refused archive write",
    )
    own_postgres.start()

    wait_until(
        lambda: len(_archived(server, room, **{"from": 0})) == 4, timeout=15, what="catch-up"
    )
    assert _archived(server, room, **{"from": 0}) == [(t0 + n, n) for n in range(4)]


async def test_old_samples_are_pruned(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'archive.db'}")
    await db.start()
    try:
        await db.add_samples(
            [
                TelemetrySample(
                    room_id="r",
                    platform="chaturbate",
                    tokens_count=n,
                    tips_count=0,
                    viewers_count=0,
                    timestamp=1000 + n,
                )
                for n in range(10)
            ]
        )
        removed = await db.prune_samples(before=1005)
        kept = await db.samples_between("r", "chaturbate", 0, 10**10, 100)
    finally:
        await db.close()

    assert removed == 5
    assert [s.timestamp for s in kept] == [1005, 1006, 1007, 1008, 1009]


async def test_samples_waiting_for_the_database_cost_the_garbage_collector_nothing(
    tmp_path: Path,
) -> None:
    """Samples wait up to a second for the archive's next write: long enough to be promoted
    by the garbage collector's young collections, each promotion bringing a full collection
    (a pause of the event loop) nearer.  Waiting as plain tuples, they are not tracked -- and
    they are written as they came."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'archive.db'}")
    await db.start()
    archive = HistoryArchive(db, Metrics(), retention_days=30)
    now = int(time.time())

    def sample(n: int) -> TelemetrySample:
        return TelemetrySample(
            room_id=f"r{n % 40}",
            platform="chaturbate",
            tokens_count=n,
            tips_count=n // 10,
            viewers_count=5,
            timestamp=now - 5000 + n,
        )

    try:
        for n in range(500):
            archive.record(sample(n))
        gc.collect()
        before = len(gc.get_objects())
        for n in range(500, 4500):
            archive.record(sample(n))
        gc.collect()
        assert len(gc.get_objects()) - before < 100  # 4,000 more samples waiting
        assert archive.waiting(now - 5000, now) == (now - 5000, now - 501, 4500)

        await archive.flush()
        stored = await db.samples_between("r7", "chaturbate", now - 5000, now, limit=1000)
        assert [(s.tokens_count, s.tips_count, s.timestamp) for s in stored] == [
            (n, n // 10, now - 5000 + n) for n in range(7, 4500, 40)
        ]
    finally:
        await db.close()
