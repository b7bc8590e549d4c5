"""The embedded store's contract, with a controllable clock."""

from __future__ import annotations

import orjson
import pytest

from godmode_desktop.net.protocol import TelemetrySample, parse_dashboard_event
from godmode_server.stores import LogEntry, MemoryStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _sample(room: str = "r", tokens: int = 10, ts: int = 100) -> TelemetrySample:
    return TelemetrySample(
        room_id=room,
        platform="chaturbate",
        tokens_count=tokens,
        tips_count=1,
        viewers_count=5,
        timestamp=ts,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> MemoryStore:
    return MemoryStore(latest_ttl=3600, event_log_size=5, history_size=3, clock=clock)


async def test_ingest_assigns_increasing_seq_and_notifies_in_order(store: MemoryStore) -> None:
    seen: list[LogEntry] = []
    store.subscribe(seen.append)

    first = await store.ingest(_sample(tokens=10), processed_at=500)
    second = await store.ingest(_sample(tokens=30, ts=101), processed_at=501)

    assert (first.seq, second.seq) == (1, 2)
    assert [e.seq for e in seen] == [1, 2]
    event = parse_dashboard_event(seen[1].text)
    assert event.event_type == "TELEMETRY_UPDATE"
    assert event.data.tokens_delta == 20
    assert event.timestamp == 501
    assert orjson.loads(seen[1].text)["seq"] == 2


async def test_stale_and_duplicate_samples_are_not_applied(store: MemoryStore) -> None:
    seen: list[LogEntry] = []
    store.subscribe(seen.append)
    await store.ingest(_sample(tokens=10, ts=100), 0)

    stale = await store.ingest(_sample(tokens=99, ts=99), 0)
    duplicate = await store.ingest(_sample(tokens=10, ts=105), 0)

    assert (stale.applied, stale.reason) == (False, "stale")
    assert (duplicate.applied, duplicate.reason) == (False, "duplicate")
    assert len(seen) == 1
    latest = await store.latest("r", "chaturbate")
    assert latest is not None
    assert (latest.tokens_count, latest.timestamp) == (10, 105)


async def test_same_timestamp_with_new_counters_is_applied(store: MemoryStore) -> None:
    await store.ingest(_sample(tokens=10, ts=100), 0)
    outcome = await store.ingest(_sample(tokens=11, ts=100), 0)
    assert outcome.applied


async def test_latest_expires_and_the_next_sample_starts_fresh(
    store: MemoryStore, clock: Clock
) -> None:
    seen: list[LogEntry] = []
    store.subscribe(seen.append)
    await store.ingest(_sample(tokens=10, ts=100), 0)
    clock.now += 3600

    assert await store.latest("r", "chaturbate") is None
    assert (await store.snapshot()).rooms == []
    again = await store.ingest(_sample(tokens=3, ts=50), 0)  # older than the expired one
    assert again.applied
    update = parse_dashboard_event(seen[-1].text)
    assert update.event_type == "TELEMETRY_UPDATE"
    assert update.data.tokens_delta == 0


async def test_events_since_boundaries(store: MemoryStore) -> None:
    for n in range(1, 8):  # log holds 5: seqs 3..7
        await store.ingest(_sample(tokens=n, ts=100 + n), 0)
    epoch = store.epoch

    assert [e.seq for e in await store.events_since(2, epoch) or []] == [3, 4, 5, 6, 7]
    assert [e.seq for e in await store.events_since(5, epoch) or []] == [6, 7]
    assert await store.events_since(7, epoch) == []
    assert await store.events_since(1, epoch) is None  # seq 2 is gone
    assert await store.events_since(8, epoch) is None  # from the future
    assert await store.events_since(5, "other") is None


async def test_changes_since_names_each_changed_room_once(store: MemoryStore) -> None:
    await store.ingest(_sample("a", tokens=1, ts=100), 0)
    since = store.last_seq
    await store.ingest(_sample("b", tokens=1, ts=100), 0)
    await store.ingest(_sample("b", tokens=2, ts=101), 0)

    view = await store.changes_since(since, store.epoch)
    full = await store.changes_since(since, "other")

    assert not view.full
    assert [(r.room_id, r.tokens_count) for r in view.rooms] == [("b", 2)]
    assert full.full
    assert [r.room_id for r in full.rooms] == ["a", "b"]


async def test_history_is_bounded_and_oldest_first(store: MemoryStore) -> None:
    for n in range(1, 6):
        await store.ingest(_sample(tokens=n, ts=100 + n), 0)

    assert [s.tokens_count for s in await store.history("r", "chaturbate", 10)] == [3, 4, 5]
    assert [s.tokens_count for s in await store.history("r", "chaturbate", 2)] == [4, 5]
    assert await store.history("nobody", "chaturbate", 10) == []
