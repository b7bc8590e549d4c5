"""The alerts beyond tips (godmode_desktop/alert_rules.py), on a fake clock: off line and back,
an audience drop, a goal reached — each once, re-armed only by what makes it news again."""

from __future__ import annotations

from godmode_desktop.alert_rules import AudienceDropRule, GoalRule, OfflineRule
from godmode_desktop.alerts import AlertKind

LUNA = ("luna", "chaturbate")
MIA = ("mia", "stripchat")


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
    small = AudienceDropRule(percent=40, window=300, min_viewers=10)
    small.viewers(MIA, 5, 0)
    assert small.viewers(MIA, 1, 10) == [], "5 → 1 is not an audience lost"


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
