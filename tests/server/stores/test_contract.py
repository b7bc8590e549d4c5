"""The store contract (stores/base.py), run against the embedded store and a real Redis."""

from __future__ import annotations

import orjson

from godmode_common.protocol import parse_dashboard_event
from godmode_server.stores import Store
from tests.helpers.models import room_sample
from tests.helpers.stores import Events


async def test_ingest_assigns_increasing_seq_and_notifies_in_order(
    store: Store, events: Events
) -> None:
    first = await store.ingest(room_sample(tokens=10), processed_at=500)
    second = await store.ingest(room_sample(tokens=30, ts=101), processed_at=501)

    assert (first.seq, second.seq) == (1, 2)
    await events.until(lambda: len(events.entries) >= 2, what="two events")
    assert events.seqs == [1, 2]
    assert store.last_seq == 2
    event = parse_dashboard_event(events.entries[1].text)
    assert event.event_type == "TELEMETRY_UPDATE"
    assert event.data.tokens_delta == 20
    assert (event.data.tips_delta, event.data.viewers_delta) == (0, 0)
    assert event.timestamp == 501
    assert orjson.loads(events.entries[1].text)["seq"] == 2


async def test_stale_and_duplicate_samples_are_not_applied(store: Store, events: Events) -> None:
    await store.ingest(room_sample(tokens=10, ts=100), 0)

    stale = await store.ingest(room_sample(tokens=99, ts=99), 0)
    duplicate = await store.ingest(room_sample(tokens=10, ts=105), 0)
    marker = await store.ingest(room_sample("other"), 0)

    assert (stale.applied, stale.reason) == (False, "stale")
    assert (duplicate.applied, duplicate.reason) == (False, "duplicate")
    await events.until(lambda: marker.seq in events.seqs, what="the marker event")
    assert events.seqs == [1, 2], "neither the stale nor the duplicate sample made an event"
    latest = await store.latest("r", "chaturbate")
    assert latest is not None
    assert (latest.tokens_count, latest.timestamp) == (10, 105)


async def test_same_timestamp_with_new_counters_is_applied(store: Store) -> None:
    await store.ingest(room_sample(tokens=10, ts=100), 0)
    outcome = await store.ingest(room_sample(tokens=11, ts=100), 0)
    assert outcome.applied


async def test_counters_up_to_the_protocol_limit_keep_every_digit(
    store: Store, events: Events
) -> None:
    big = 2**53 - 1
    await store.ingest(room_sample(tokens=big - 10**15), 0)
    await store.ingest(room_sample(tokens=big, ts=101), 0)

    latest = await store.latest("r", "chaturbate")
    assert latest is not None
    assert latest.tokens_count == big
    await events.until(lambda: len(events.entries) == 2, what="two events")
    update = parse_dashboard_event(events.entries[1].text)
    assert update.event_type == "TELEMETRY_UPDATE"
    assert (update.data.tokens, update.data.tokens_delta) == (big, 10**15)


async def test_events_since_boundaries(store: Store) -> None:
    for n in range(1, 8):  # the log holds 5: seqs 3..7
        await store.ingest(room_sample(tokens=n, ts=100 + n), 0)
    epoch = store.epoch

    assert [e.seq for e in await store.events_since(2, epoch) or []] == [3, 4, 5, 6, 7]
    assert [e.seq for e in await store.events_since(5, epoch) or []] == [6, 7]
    assert await store.events_since(7, epoch) == []
    assert await store.events_since(1, epoch) is None  # seq 2 is gone
    assert await store.events_since(8, epoch) is None  # from the future
    assert await store.events_since(5, "other") is None


async def test_replayed_events_are_the_notified_ones(store: Store, events: Events) -> None:
    await store.ingest(room_sample(tokens=1), 7)
    await store.ingest(room_sample(tokens=5, ts=101), 8)
    await events.until(lambda: len(events.entries) == 2, what="two events")

    assert await store.events_since(0, store.epoch) == events.entries


async def test_snapshot_is_every_live_room_at_a_seq(store: Store, events: Events) -> None:
    await store.ingest(room_sample("b", tokens=1), 0)
    await store.ingest(room_sample("a", tokens=2), 0)
    await store.ingest(room_sample("a", tokens=3, platform="stripchat"), 0)
    await events.until(lambda: len(events.entries) == 3, what="three events")

    view = await store.snapshot()

    assert view.full
    assert (view.seq, view.epoch) == (3, store.epoch)
    assert [(r.room_id, r.platform, r.tokens_count) for r in view.rooms] == [
        ("a", "chaturbate", 2),
        ("a", "stripchat", 3),
        ("b", "chaturbate", 1),
    ]


async def test_changes_since_names_each_changed_room_once(store: Store) -> None:
    await store.ingest(room_sample("a", tokens=1, ts=100), 0)
    since = 1
    await store.ingest(room_sample("b", tokens=1, ts=100), 0)
    await store.ingest(room_sample("b", tokens=2, ts=101), 0)

    view = await store.changes_since(since, store.epoch)
    full = await store.changes_since(since, "other")

    assert not view.full
    assert view.seq == 3
    assert [(r.room_id, r.tokens_count) for r in view.rooms] == [("b", 2)]
    assert full.full
    assert [r.room_id for r in full.rooms] == ["a", "b"]


async def test_history_is_bounded_and_oldest_first(store: Store) -> None:
    for n in range(1, 6):  # history holds 3
        await store.ingest(room_sample(tokens=n, ts=100 + n), 0)

    assert [s.tokens_count for s in await store.history("r", "chaturbate", 10)] == [3, 4, 5]
    assert [s.tokens_count for s in await store.history("r", "chaturbate", 2)] == [4, 5]
    assert await store.history("nobody", "chaturbate", 10) == []


async def test_a_healthy_store_checks_ok(store: Store) -> None:
    assert set((await store.check()).values()) == {"ok"}
