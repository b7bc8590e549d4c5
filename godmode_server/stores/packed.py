"""Samples held for a while as plain tuples, which the garbage collector does not walk.

Each object the collector tracks lengthens every full collection, a pause of the whole event
loop -- and so of every dashboard's deliveries (issue 22; docs/PERFORMANCE.md).  A sample as a
pydantic model is three tracked objects.  Held for long (the embedded store's histories) they
make each full collection longer; held for a second (the archive's queue) they survive the
young collections, and every object promoted that way brings the next full collection nearer.
A tuple of strings and numbers is untracked after the first collection it survives, so
anything that keeps samples past the request that brought them keeps them packed.
"""

from __future__ import annotations

from godmode_common.protocol import TelemetrySample

#: room, platform, tokens, tips, viewers, timestamp
PackedSample = tuple[str, str, int, int, int, int]


def pack(s: TelemetrySample) -> PackedSample:
    return (s.room_id, s.platform, s.tokens_count, s.tips_count, s.viewers_count, s.timestamp)


def timestamp_of(t: PackedSample) -> int:
    return t[5]


def unpack(t: PackedSample) -> TelemetrySample:
    """The sample again (validated when it arrived: not validated twice)."""
    return TelemetrySample.model_construct(
        room_id=t[0],
        platform=t[1],
        tokens_count=t[2],
        tips_count=t[3],
        viewers_count=t[4],
        timestamp=t[5],
    )
