"""Alert tiers and the queue that shows alerts one at a time (pure logic)."""

from __future__ import annotations

import pytest

from godmode_desktop.alerts import DEFAULT_TIERS, Alert, AlertKind, AlertQueue, tier_for


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


def _alert(room: str, kind: AlertKind = AlertKind.OFFLINE) -> Alert:
    tier = DEFAULT_TIERS[0] if kind is AlertKind.TIP else None
    return Alert(room, "chaturbate", 100, tier, kind=kind)


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


def test_a_burst_of_tips_is_one_summary_counted_exactly() -> None:
    """20 tips in 4 s: the first is shown at once, the other 19 as one notification."""
    queue = AlertQueue(show_ms=4000, gap_ms=500, max_waiting=3)
    tiers = {100: DEFAULT_TIERS[0], 500: DEFAULT_TIERS[1]}
    shown = []
    for n in range(20):
        amount = 500 if n == 7 else 100
        queue.push(Alert(f"room{n % 3}", "chaturbate", amount, tiers[amount]))
        if n == 10:
            queue.push(_alert("gone", AlertKind.OFFLINE))  # another kind keeps its place
        alert = queue.pop_due(n * 200)
        if alert is not None:
            shown.append(alert)
    assert [a.kind for a in shown] == [AlertKind.TIP]
    summary = queue.pop_due(4500)
    assert summary is not None
    assert summary.kind is AlertKind.TIPS
    assert (summary.count, summary.tokens_delta) == (19, 18 * 100 + 500), "none lost to the bound"
    assert summary.tier == DEFAULT_TIERS[1], "the highest tier among them"
    assert summary.key == ("room1", "chaturbate"), "the first waiting tip's room"
    assert summary.tipped == {(f"room{n}", "chaturbate") for n in range(3)}
    after = queue.pop_due(9000)
    assert after is not None
    assert after.kind is AlertKind.OFFLINE
    assert queue.pop_due(13500) is None


def test_a_test_alert_is_never_summed() -> None:
    queue = AlertQueue(show_ms=10, gap_ms=0)
    queue.push(_alert("x", AlertKind.GOAL))
    queue.push(Alert("test", "godmode", 1000, DEFAULT_TIERS[2], test=True))
    queue.push(_alert("a", AlertKind.TIP))
    kinds = [getattr(queue.pop_due(t * 10), "kind", None) for t in range(3)]
    assert kinds == [AlertKind.GOAL, AlertKind.TIP, AlertKind.TIP]
