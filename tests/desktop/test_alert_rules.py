"""The alerts beyond tips (godmode_desktop/alert_rules.py), on a fake clock: off line and back,
an audience drop, a goal reached — each once, re-armed only by what makes it news again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from godmode_common.rooms import RoomKey
from godmode_desktop.alert_rules import AudienceDropRule, GoalRule, OfflineRule
from godmode_desktop.alerts import AlertKind

LUNA = RoomKey("luna", "chaturbate")
MIA = RoomKey("mia", "stripchat")


def _kinds(alerts: list) -> list[tuple[str, AlertKind, int]]:
    return [(a.room_id, a.kind, a.tokens_delta) for a in alerts]


def test_a_room_silent_for_the_stale_time_goes_off_line_once_and_comes_back() -> None:
    rule = OfflineRule(stale_after=300)
    assert rule.seen(LUNA, 1000) == []
    assert rule.seen(MIA, 1100) == []
    assert rule.check(1299) == []
    assert _kinds(rule.check(1300)) == [("luna", AlertKind.OFFLINE, 300)]
    assert rule.check(1350) == [], "once"
    assert _kinds(rule.check(1400)) == [("mia", AlertKind.OFFLINE, 300)]
    assert _kinds(rule.seen(LUNA, 2000)) == [("luna", AlertKind.ONLINE, 0)]
    assert rule.seen(LUNA, 2010) == [], "back once"
    rule.forget({MIA})
    assert rule.seen(MIA, 2020) == [], "a room no longer on the board starts afresh"
    assert rule.check(2299) == []


def test_an_audience_drop_within_the_window_alerts_once_until_it_recovers() -> None:
    rule = AudienceDropRule(percent=40, window=300)
    for t, viewers in [(0, 100), (60, 120), (120, 90)]:
        assert rule.viewers(LUNA, viewers, t) == []
    [alert] = rule.viewers(LUNA, 72, 180)  # 120 → 72: -40 %
    assert (alert.kind, alert.tokens_delta, alert.value) == (AlertKind.AUDIENCE_DROP, 48, 120)
    assert rule.viewers(LUNA, 50, 200) == [], "still fallen: no second alert"
    assert rule.viewers(LUNA, 100, 240) == [], "recovered: armed again"
    assert len(rule.viewers(LUNA, 70, 250)) == 1


def test_a_slow_decline_outside_the_window_and_a_tiny_audience_are_not_news() -> None:
    rule = AudienceDropRule(percent=40, window=300)
    for step, viewers in enumerate(range(100, 40, -5)):
        assert rule.viewers(LUNA, viewers, step * 200) == [], viewers  # -5 every 200 s
    small = AudienceDropRule(percent=40, window=300)
    small.viewers(MIA, 10, 0)
    assert small.viewers(MIA, 6, 10) == [], "10 → 6 is not an audience lost (fewer than 20)"
    few = AudienceDropRule(percent=40, window=300, min_viewers=5, min_lost=10)
    few.viewers(MIA, 15, 20)
    assert few.viewers(MIA, 7, 30) == [], "8 viewers lost is not news, whatever the percent"
    assert len(few.viewers(MIA, 5, 40)) == 1, "10 lost is"


def test_an_audience_wobbling_around_its_floor_is_one_fall() -> None:
    """100 → 60 is news; 61, 60, 62, 59 seconds apart is the same fall, not four."""
    rule = AudienceDropRule(percent=40, window=300)
    rule.viewers(LUNA, 100, 0)
    assert len(rule.viewers(LUNA, 60, 10)) == 1
    for t, viewers in [(17, 61), (24, 60), (31, 62), (38, 59)]:
        assert rule.viewers(LUNA, viewers, t) == [], viewers
    assert rule.viewers(LUNA, 80, 50) == [], "half of what was lost won back: armed again"
    assert len(rule.viewers(LUNA, 55, 60)) == 1


def _naive_drops(samples: list[tuple[float, int]], percent: float, window: float) -> list[int]:
    """The rule as its docstring says it, every sample kept: the indexes that alert."""
    alerting: list[int] = []
    rearm: float | None = None
    for i, (now, viewers) in enumerate(samples):
        top = max(v for t, v in samples[: i + 1] if now - t <= window)
        floor = min(top * (1 - percent / 100), top - 10)
        if rearm is not None:
            if viewers >= rearm:
                rearm = None
        elif top >= 20 and viewers <= floor:
            rearm = viewers + (top - viewers) / 2
            alerting.append(i)
    return alerting


@given(
    st.lists(st.tuples(st.integers(1, 120), st.integers(0, 500)), min_size=1, max_size=60),
    st.sampled_from([30.0, 40.0, 75.0]),
    st.sampled_from([10.0, 60.0, 300.0]),
)
def test_the_audience_drop_keeps_few_points_and_alerts_as_if_it_kept_them_all(
    steps: list[tuple[int, int]], percent: float, window: float
) -> None:
    samples, now = [], 0.0
    for gap, viewers in steps:  # a second or more apart: no two samples share a point
        now += gap
        samples.append((now, viewers))
    rule = AudienceDropRule(percent=percent, window=window)
    alerting = [i for i, (t, v) in enumerate(samples) if rule.viewers(LUNA, v, t)]
    assert alerting == _naive_drops(samples, percent, window)


def test_a_falling_audience_ten_times_a_second_keeps_a_point_a_second_at_most() -> None:
    rule = AudienceDropRule(percent=40, window=300)
    viewers = 1_000_000
    for tick in range(36_000):  # an hour of ever fewer viewers, ten samples a second
        viewers -= 1
        rule.viewers(LUNA, viewers, tick / 10)
    assert len(rule._history[LUNA]) <= 302
    # Within a second, a lower sample moves the higher one's time on: a top lasts at most a
    # second longer than the window, never less.
    fresh = AudienceDropRule(percent=40, window=300)
    fresh.viewers(MIA, 100, 0.0)
    fresh.viewers(MIA, 99, 0.5)
    assert fresh.viewers(MIA, 60, 300.4), "100 (not 99) is still the top 300.4 s after it"
    fresh = AudienceDropRule(percent=40, window=300)
    fresh.viewers(MIA, 100, 0.0)
    fresh.viewers(MIA, 99, 0.5)
    assert fresh.viewers(MIA, 59, 301.0) == [], "and no longer a second after the window"


def test_a_goal_alerts_once_per_broadcast() -> None:
    rule = GoalRule({LUNA: 1000})
    assert rule.tokens(LUNA, 400) == []
    [alert] = rule.tokens(LUNA, 1050)
    assert (alert.kind, alert.tokens_delta, alert.value) == (AlertKind.GOAL, 1050, 1000)
    assert rule.tokens(LUNA, 1500) == [], "once"
    assert rule.tokens(LUNA, 20) == [], "a new broadcast: its counter starts again"
    assert len(rule.tokens(LUNA, 1000)) == 1, "and the goal with it"
    assert rule.tokens(MIA, 5000) == [], "no goal set"


def test_a_room_first_seen_above_its_goal_alerts() -> None:
    rule = GoalRule({LUNA: 1000})
    assert len(rule.tokens(LUNA, 1200)) == 1
