"""A room's history over any range in at most N points, with no spike lost.

A chart of 30 days of a room sampled every 5 s would draw 518,400 points where it has a few
hundred pixels.  The range is cut into equal buckets of time; of each bucket only the samples
that hold the lowest and the highest value of some counter (tokens, tips, viewers) are kept, in
time order: a spike stays at its height and its time, a reset stays a drop.  As each bucket keeps
1 to 6 samples, the number of buckets is chosen (a few passes at most) so that the whole fits.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

#: Values kept per sample: timestamp, tokens, tips, viewers.
FIELDS = 4


class Series:
    """Samples in time order, compactly (32 bytes each), distinct."""

    def __init__(self, rows: Iterable[tuple[int, int, int, int]]) -> None:
        self.columns = tuple(array("q") for _ in range(FIELDS))
        last: tuple[int, int, int, int] | None = None
        for row in rows:
            if row == last:
                continue  # posted twice
            last = row
            for column, value in zip(self.columns, row, strict=True):
                column.append(value)

    def __len__(self) -> int:
        return len(self.columns[0])

    def rows(self, indices: Iterable[int]) -> list[tuple[int, int, int, int]]:
        ts, tokens, tips, viewers = self.columns
        return [(ts[i], tokens[i], tips[i], viewers[i]) for i in indices]


def extremes(series: Series, start: int, end: int, buckets: int) -> list[int]:
    """Indices of the samples holding each bucket's lowest and highest value of each counter."""
    ts = series.columns[0]
    width = max(1, end - start + 1)
    kept: dict[int, list[int]] = {}  # bucket -> indices of (min, max) per counter
    for i in range(len(series)):
        bucket = (ts[i] - start) * buckets // width
        best = kept.get(bucket)
        if best is None:
            kept[bucket] = [i] * (2 * (FIELDS - 1))
            continue
        for counter in range(1, FIELDS):
            values = series.columns[counter]
            low, high = 2 * (counter - 1), 2 * (counter - 1) + 1
            if values[i] < values[best[low]]:
                best[low] = i
            if values[i] > values[best[high]]:
                best[high] = i
    return sorted({i for indices in kept.values() for i in indices})


def downsample(series: Series, start: int, end: int, limit: int) -> list[int]:
    """Indices of at most ``limit`` (at least 6) samples of ``series`` that draw it."""
    if len(series) <= limit:
        return list(range(len(series)))
    buckets = max(1, limit // 2)
    while True:
        kept = extremes(series, start, end, buckets)
        if len(kept) <= limit or buckets == 1:
            return kept
        buckets = max(1, min(buckets - 1, buckets * limit // len(kept)))
