"""The chunked queue (godmode_server/stores/chunked.py) keeps what a ``deque(maxlen=...)`` keeps, while
a full garbage collection visits a reference per chunk, not one per item."""

from __future__ import annotations

import gc
from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from godmode_server.stores.chunked import CHUNK, ChunkedQueue
from tests.helpers.collector import references_walked

operations = st.lists(
    st.one_of(st.integers(0, 10**6), st.just("clear")), min_size=0, max_size=5 * CHUNK
)


@given(operations, st.integers(1, 3 * CHUNK), st.integers(-3, 4 * CHUNK))
def test_it_keeps_and_reads_what_a_bounded_deque_does(
    ops: list[int | str], maxlen: int, start: int
) -> None:
    queue: ChunkedQueue[int] = ChunkedQueue(maxlen)
    reference: deque[int] = deque(maxlen=maxlen)
    for op in ops:
        if op == "clear":
            queue.clear()
            reference.clear()
        else:
            assert isinstance(op, int)
            queue.append(op)
            reference.append(op)
        assert len(queue) == len(reference)
    assert list(queue) == list(reference)
    assert list(queue.from_index(start)) == list(reference)[max(0, start) :]
    if reference:
        assert queue.first() == reference[0]
    else:
        with pytest.raises(IndexError):
            queue.first()


def test_a_long_run_past_maxlen_keeps_exactly_the_newest() -> None:
    queue: ChunkedQueue[int] = ChunkedQueue(1000)
    for n in range(100_003):
        queue.append(n)
    assert len(queue) == 1000
    assert list(queue) == list(range(99_003, 100_003))
    assert list(queue.from_index(999)) == [100_002]
    with pytest.raises(ValueError, match="maxlen"):
        ChunkedQueue(0)


def test_a_full_queue_of_plain_tuples_costs_a_collection_a_reference_per_chunk() -> None:
    queue: ChunkedQueue[tuple[str, int]] = ChunkedQueue(100_000)
    held: deque[tuple[str, int]] = deque(maxlen=100_000)
    for n in range(150_000):
        queue.append((f"room{n % 700}", n))
        held.append((f"room{n % 700}", n))
    # A collection stops tracking tuples of untracked items: the items first, then (the next
    # time, if it met a chunk before its items) the chunks.
    gc.collect()
    gc.collect()
    assert references_walked(held) >= 100_000
    assert references_walked(queue) < 100_000 // CHUNK + 2 * CHUNK
