"""The soak's verdict is only as good as its accounting: a dashboard that skipped an event,
was sent one twice, or lacks a sample answered 200 must be counted as such."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from benchmarks.soak import Follower, Spec
from godmode_common.protocol import DashboardEvent, parse_dashboard_event


def _follower() -> Follower:
    return Follower(Spec("on A", ["ws://unused"]), "token", None, asyncio.Event())


def _update(seq: int, number: int, tokens: int) -> DashboardEvent:
    counters = {"tokens": tokens, "tips": 1, "viewers": 1, "timestamp": 1}
    deltas = {"tokens_delta": 1, "tips_delta": 1, "viewers_delta": 0}
    return _event(
        event_type="TELEMETRY_UPDATE",
        seq=seq,
        room_id=f"soak_{number}",
        data={"platform": "chaturbate", **counters, **deltas},
        timestamp=1,
    )


def _snapshot(seq: int, epoch: str, rooms: dict[int, int]) -> DashboardEvent:
    samples = [
        {
            "room_id": f"soak_{n}",
            "platform": "chaturbate",
            "tokens_count": t,
            "tips_count": 1,
            "viewers_count": 1,
            "timestamp": 1,
        }
        for n, t in rooms.items()
    ]
    return _event(event_type="SNAPSHOT", seq=seq, epoch=epoch, rooms=samples, timestamp=1)


def _event(**fields: Any) -> DashboardEvent:
    """As the soak's dashboards get them: JSON through the wire models."""
    return parse_dashboard_event(json.dumps(fields))


def test_in_order_delivery_counts_nothing_wrong() -> None:
    follower = _follower()
    for event in (_snapshot(0, "e1", {}), _update(1, 0, 10), _update(2, 1, 11)):
        follower._apply(event)
    assert follower.missing({0: 10, 1: 11}) == 0
    assert (follower.outcome.gaps, follower.outcome.twice) == (0, 0)


def test_a_skipped_seq_a_repeat_and_a_missing_sample_are_counted() -> None:
    follower = _follower()
    follower._apply(_snapshot(0, "e1", {}))
    follower._apply(_update(1, 0, 10))
    follower._apply(_update(3, 2, 12))  # seq 2 (sample 1) never came
    follower._apply(_update(4, 0, 10))  # sample 0 again, same epoch
    assert follower.outcome.gaps == 1
    assert follower.outcome.twice == 1
    assert follower.missing({0: 10, 1: 11, 2: 12}) == 1
    assert follower.missing({0: 99}) == 1, "the wrong counters are not the sample"


def test_a_snapshot_replaces_the_board_and_a_later_repeat_is_shown() -> None:
    follower = _follower()
    follower._apply(_snapshot(0, "e1", {}))
    follower._apply(_update(1, 0, 10))
    follower._apply(_snapshot(7, "e2", {5: 15}))  # new epoch: sample 0 is gone from the board
    assert follower.missing({0: 10}) == 1
    assert follower.missing({5: 15}) == 0
    follower._apply(_update(8, 0, 10))
    assert (follower.outcome.twice, follower.outcome.again_after_snapshot) == (0, 1)
    assert follower.outcome.gaps == 0
