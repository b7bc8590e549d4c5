"""Alert tiers and the queue that shows alerts one at a time (pure logic)."""

from __future__ import annotations

import pytest

from godmode_desktop.alerts import DEFAULT_TIERS, Alert, AlertQueue, tier_for


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (-5000, None),  # a counter reset (new broadcast) is never an alert
        (0, None),
        (99, None),
        (100, "Tip"),
        (499, "Tip"),
        (500, "Big tip"),
        (999, "Big tip"),
        (1000, "Huge tip"),
        (250_000, "Huge tip"),
    ],
)
def test_tier_boundaries(delta: int, label: str | None) -> None:
    tier = tier_for(delta, DEFAULT_TIERS)
    assert (tier.label if tier else None) == label


def _alert(room: str) -> Alert:
    return Alert(room, "chaturbate", 100, DEFAULT_TIERS[0])


def test_the_queue_shows_one_at_a_time_in_order_with_a_gap() -> None:
    queue = AlertQueue(show_ms=1000, gap_ms=500)
    for room in ("a", "b", "c"):
        queue.push(_alert(room))

    shown = [(0, queue.pop_due(0))]
    assert queue.pop_due(1499) is None, "the first is on screen, then the gap"
    assert queue.due_in(1000) == 500
    shown.append((1500, queue.pop_due(1500)))
    shown.append((3000, queue.pop_due(3000)))

    assert [(t, a.room_id if a else None) for t, a in shown] == [(0, "a"), (1500, "b"), (3000, "c")]
    assert queue.due_in(3000) is None, "nothing waits"
    assert len(queue) == 0


def test_a_flood_keeps_the_newest_alerts() -> None:
    queue = AlertQueue(show_ms=10, gap_ms=10, max_waiting=3)
    for n in range(10):
        queue.push(_alert(f"r{n}"))
    shown = [queue.pop_due(t * 20) for t in range(3)]
    assert [a.room_id if a else None for a in shown] == ["r7", "r8", "r9"]
