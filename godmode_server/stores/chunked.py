"""A bounded first-in-first-out sequence held in tuples of :data:`CHUNK` items.

The embedded store keeps its event log (100,000 events) and each room's history (1,000 samples
for each of hundreds of rooms) as plain tuples the garbage collector does not track (see
packed.py).  But the containers holding them are tracked, and a full collection visits every
reference a container holds, touching each item's header wherever it sits in memory: with 700
full histories and a full log, 800,000 references and a ~48 ms pause of the event loop each
time (measured, issue 22), with not one object among them to collect.  Here the items sit in
tuples of :data:`CHUNK`, which the collector stops tracking like any tuple of untracked items:
a full collection visits one reference per chunk and the items of the chunk being filled.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import chain, islice
from typing import Generic, TypeVar

T = TypeVar("T")

#: Items per chunk: a full collection visits ``len / CHUNK`` chunks plus up to CHUNK items.
CHUNK = 64


class ChunkedQueue(Generic[T]):
    """Append at the end; past ``maxlen`` items the oldest go, as with ``deque(maxlen=...)``."""

    __slots__ = ("_chunks", "_filling", "_len", "_skip", "maxlen")

    def __init__(self, maxlen: int) -> None:
        if maxlen < 1:
            raise ValueError("maxlen must be at least 1")
        self.maxlen = maxlen
        self._chunks: deque[tuple[T, ...]] = deque()  # full chunks, oldest first
        self._filling: list[T] = []  # the newest items, fewer than CHUNK
        self._skip = 0  # items of the oldest chunk already gone
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def append(self, item: T) -> None:
        self._filling.append(item)
        if len(self._filling) == CHUNK:
            self._chunks.append(tuple(self._filling))
            self._filling = []
        self._len += 1
        if self._len > self.maxlen:
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        self._len -= 1
        if not self._chunks:
            del self._filling[0]
            return
        self._skip += 1
        if self._skip == CHUNK:
            self._chunks.popleft()
            self._skip = 0

    def clear(self) -> None:
        self._chunks.clear()
        self._filling = []
        self._skip = self._len = 0

    def first(self) -> T:
        """The oldest item (IndexError when empty)."""
        if not self._len:
            raise IndexError("empty")
        return self._chunks[0][self._skip] if self._chunks else self._filling[0]

    def from_index(self, start: int) -> Iterator[T]:
        """The items from the ``start``-th oldest on, found without walking the ones before."""
        start = max(0, start)
        if start >= self._len:
            return iter(())
        position = start + self._skip if self._chunks else start
        whole = len(self._chunks) * CHUNK
        if position >= whole:
            return iter(self._filling[position - whole :])
        first, offset = divmod(position, CHUNK)
        chunks = islice(self._chunks, first, None)
        head = next(chunks)[offset:]
        return chain(head, chain.from_iterable(chunks), self._filling)

    def __iter__(self) -> Iterator[T]:
        return self.from_index(0)
