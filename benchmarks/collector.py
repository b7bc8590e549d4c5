"""A full garbage collection's pause with a long-running studio's embedded store held.

A full collection stops the event loop -- every dashboard's deliveries -- for as long as it
walks the objects it tracks and the references they hold.  After hours, the embedded store
holds the event log (100,000 events) and each room's history (1,000 samples a room): here 700
rooms' worth, ingested through the store.  Measured: the pause of ``gc.collect()`` (best of five)
with that store held, the store as it is (log and histories in chunks, chunked.py) against the
baseline of the same store holding them one item per ``deque`` slot, as before, in the same
run.  Everything built before the store is frozen, as the server does once started.

    python -m benchmarks.collector
    python -m benchmarks.collector --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from collections import deque
from collections.abc import Iterator
from typing import Any
from unittest import mock

from godmode_common.protocol import TelemetrySample
from godmode_server.stores import memory

from .harness import machine

ROOMS = 700
HISTORY = 1000
LOG = 100_000


class DequeQueue(deque[Any]):
    """The baseline: the store's containers as they were, one reference per item."""

    def __init__(self, maxlen: int) -> None:
        super().__init__(maxlen=maxlen)

    def first(self) -> Any:
        return self[0]

    def from_index(self, start: int) -> Iterator[Any]:
        return iter(list(self)[max(0, start) :])


def filled_store(rooms: int, history: int, log: int) -> memory.MemoryStore:
    store = memory.MemoryStore(event_log_size=log, history_size=history)

    async def fill() -> None:
        for n in range(rooms * history):
            sample = TelemetrySample(
                room_id=f"room{n % rooms:04d}",
                platform="chaturbate",
                tokens_count=n,
                tips_count=n // 7,
                viewers_count=n % 90,
                timestamp=1_790_000_000 + n // rooms,
            )
            await store.ingest(sample, sample.timestamp)

    asyncio.run(fill())
    return store


def pause_ms() -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        gc.collect()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def measure(label: str, rooms: int, history: int, log: int) -> str:
    gc.collect()
    gc.freeze()
    try:
        started = time.perf_counter()
        store = filled_store(rooms, history, log)
        filled = time.perf_counter() - started
        gc.collect()
        gc.collect()  # tuples of untracked items untracked, then the chunks holding them
        pause = pause_ms()
        tracked = len(gc.get_objects())
        del store
        return f"{label} | {pause:.2f} | {tracked:,} | {filled:.1f}"
    finally:
        gc.unfreeze()
        gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="20 rooms, 100 samples each")
    args = parser.parse_args()
    rooms, history, log = (20, 100, 2_000) if args.smoke else (ROOMS, HISTORY, LOG)
    print(f"# A full collection with the store held ({machine()}, {time.strftime('%Y-%m-%d')})")
    print(f"{rooms} rooms x {history:,} samples of history, {log:,} events in the log")
    print("store's containers | full collection ms | objects tracked | fill s")
    print("---|---|---|---")
    with mock.patch.object(memory, "ChunkedQueue", DequeQueue):
        baseline = measure("deque, an item a slot (baseline)", rooms, history, log)
    print(baseline, flush=True)
    print(measure("chunks (chunked.py)", rooms, history, log))


if __name__ == "__main__":
    main()
