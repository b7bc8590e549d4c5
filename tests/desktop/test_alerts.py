"""Alert tiers and the queue that shows alerts one at a time (pure logic)."""

from __future__ import annotations

import pytest

from godmode_desktop.alerts import DEFAULT_TIERS, Alert, AlertKind, AlertQueue, tier_for
from godmode_desktop.widgets.alert_banner import alert_text


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


def _alert(room: str, kind: AlertKind = AlertKind.GOAL) -> Alert:
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
    """20 tips in 4 s: the first is shown at once, the others as summaries -- one at once when
    a tip of a higher tier joins (it takes the screen), the rest after it -- none lost."""
    queue = AlertQueue(show_ms=4000, gap_ms=500, max_waiting=3)
    tiers = {100: DEFAULT_TIERS[0], 500: DEFAULT_TIERS[1]}
    shown = []
    for n in range(20):
        amount = 500 if n == 7 else 100
        queue.push(Alert(f"room{n % 3}", "chaturbate", amount, tiers[amount]))
        if n == 10:
            queue.push(_alert("gone", AlertKind.OFFLINE))  # another kind waits for the tips
        alert = queue.pop_due(n * 200)
        if alert is not None:
            shown.append((n * 200, alert))
    assert [(t, a.kind) for t, a in shown] == [(0, AlertKind.TIP), (1400, AlertKind.TIPS)]
    big = shown[1][1]
    assert (big.count, big.tokens_delta, big.tier) == (7, 6 * 100 + 500, DEFAULT_TIERS[1])
    assert big.key == ("room1", "chaturbate"), "the room tipped most"
    assert big.rooms == (
        (("room1", "chaturbate"), 700),
        (("room2", "chaturbate"), 200),
        (("room0", "chaturbate"), 200),
    ), "every room, the biggest first"
    rest = queue.pop_due(1400 + 4500)
    assert rest is not None
    assert (rest.kind, rest.count, rest.tokens_delta) == (AlertKind.TIPS, 12, 1200)
    after = queue.pop_due(1400 + 9000)
    assert after is not None
    assert after.kind is AlertKind.OFFLINE
    assert queue.pop_due(1400 + 13500) is None


def test_a_test_alert_is_never_summed() -> None:
    queue = AlertQueue(show_ms=10, gap_ms=0)
    queue.push(_alert("x", AlertKind.GOAL))
    queue.push(Alert("test", "godmode", 1000, DEFAULT_TIERS[2], test=True))
    queue.push(_alert("a", AlertKind.TIP))
    shown = [queue.pop_due(t * 10) for t in range(3)]
    assert [(a.kind, a.test) for a in shown if a] == [
        (AlertKind.TIP, True),
        (AlertKind.TIP, False),
        (AlertKind.GOAL, False),
    ], "tips first; the test alert on its own"


def test_a_huge_tip_behind_200_rooms_going_off_line_is_the_next_notification() -> None:
    """On a fake clock: 200 off-line alerts wait (one on screen), then a huge tip is raised."""
    queue = AlertQueue(show_ms=6000, gap_ms=1500)
    queue.push(_alert("first", AlertKind.AUDIENCE_DROP))
    assert queue.pop_due(0) is not None  # on screen until 6,000
    for n in range(200):
        queue.push(_alert(f"room{n}", AlertKind.OFFLINE))
    queue.push(Alert("ava", "chaturbate", 5000, DEFAULT_TIERS[2]))

    assert queue.due_in(100) == 0, "a tip does not wait for another kind on screen"
    tip = queue.pop_due(100)
    assert tip is not None
    assert (tip.room_id, tip.tokens_delta) == ("ava", 5000)
    gone = queue.pop_due(100 + 7500)
    assert gone is not None
    assert (gone.kind, gone.count, len(gone.rooms)) == (AlertKind.OFFLINE, 200, 200), "as one"
    assert queue.pop_due(100 + 15000) is None


def test_a_tip_on_screen_gives_way_only_to_a_tip_of_a_higher_tier() -> None:
    queue = AlertQueue(show_ms=6000, gap_ms=1500)
    queue.push(Alert("ava", "chaturbate", 600, DEFAULT_TIERS[1]))
    assert queue.pop_due(0) is not None
    queue.push(Alert("bea", "chaturbate", 200, DEFAULT_TIERS[0]))
    assert queue.pop_due(100) is None
    assert queue.due_in(100) == 7400
    queue.push(Alert("cid", "chaturbate", 5000, DEFAULT_TIERS[2]))  # joins bea's, a huge tip
    summary = queue.pop_due(200)
    assert summary is not None
    assert (summary.kind, summary.tier, summary.key) == (
        AlertKind.TIPS,
        DEFAULT_TIERS[2],
        ("cid", "chaturbate"),
    )


def test_a_merged_burst_names_its_rooms_the_biggest_first() -> None:
    queue = AlertQueue(show_ms=6000, gap_ms=1500)
    queue.push(_alert("on-screen"))
    queue.pop_due(0)
    for room, amount in [("cid", 114), ("ava", 5000), ("bea", 200)]:
        queue.push(Alert(room, "chaturbate", amount, DEFAULT_TIERS[0]))
    summary = queue.pop_due(0)  # a tip takes the place of the goal on screen
    assert summary is not None
    assert summary.kind is AlertKind.TIPS
    assert [(key.room_id, amount) for key, amount in summary.rooms] == [
        ("ava", 5000),
        ("bea", 200),
        ("cid", 114),
    ]
    assert summary.key == ("ava", "chaturbate"), "clicking it goes to the biggest"
    assert alert_text(summary) == "+5314 tokens: ava (+5000), bea (+200), cid (+114)"
