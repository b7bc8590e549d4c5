"""What only the embedded store does: expiry on its own clock."""

from __future__ import annotations

from godmode_common.protocol import parse_dashboard_event
from godmode_server.stores import LogEntry, MemoryStore
from tests.helpers.models import room_sample


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_latest_expires_and_the_next_sample_starts_fresh() -> None:
    clock = Clock()
    store = MemoryStore(latest_ttl=3600, clock=clock)
    seen: list[LogEntry] = []
    store.subscribe(seen.append)
    await store.ingest(room_sample(tokens=10, ts=100), 0)
    clock.now += 3600

    assert await store.latest("r", "chaturbate") is None
    assert (await store.snapshot()).rooms == []
    again = await store.ingest(room_sample(tokens=3, ts=50), 0)  # older than the expired one
    assert again.applied
    update = parse_dashboard_event(seen[-1].text)
    assert update.event_type == "TELEMETRY_UPDATE"
    assert update.data.tokens_delta == 0
