"""The alert center: updates in, alerts out one at a time, with sound, mute and a test alert."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from godmode_common.rooms import RoomKey
from godmode_desktop.alert_center import AlertCenter
from godmode_desktop.alert_rules import AlertRules
from godmode_desktop.alerts import DEFAULT_TIERS, Alert, AlertKind
from godmode_desktop.net.protocol import CollectorStatus, RoomRef
from godmode_desktop.widgets.alert_banner import alert_text
from tests.helpers.models import room_sample, telemetry_update


def _center(qtbot: QtBot, played: list[str]) -> AlertCenter:
    return AlertCenter(DEFAULT_TIERS, show_ms=40, gap_ms=20, play_sound=played.append)


def test_a_big_tip_is_shown_with_its_tier_sound(qtbot: QtBot) -> None:
    played: list[str] = []
    center = _center(qtbot, played)
    with qtbot.waitSignal(center.alert_shown) as shown:
        center.offer(telemetry_update("a", 1600, 2, seq=2, delta=600))

    alert = shown.args[0]
    assert isinstance(alert, Alert)
    assert alert.tier is not None
    assert (alert.room_id, alert.tokens_delta, alert.tier.label) == ("a", 600, "Big tip")
    assert played == ["big-tip"]


def test_small_changes_and_counter_resets_raise_nothing(qtbot: QtBot) -> None:
    center = _center(qtbot, [])
    with qtbot.assertNotEmitted(center.alert_shown, wait=100):
        assert center.offer(telemetry_update("a", 1050, 2, seq=2, delta=50)) is None
        assert center.offer(telemetry_update("a", 0, 3, seq=3, delta=-1050)) is None


def test_alerts_come_one_at_a_time_and_tips_that_wait_come_as_one(qtbot: QtBot) -> None:
    center = _center(qtbot, [])
    shown: list[Alert] = []
    center.alert_shown.connect(shown.append)

    for n, room in enumerate(("a", "b", "c")):
        center.offer(telemetry_update(room, 5000, 2, seq=2 + n, delta=1000))

    assert [a.room_id for a in shown] == ["a"], "the others wait for the first one's time"
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=2000)
    summary = shown[1]
    assert (summary.kind, summary.count, summary.tokens_delta) == (AlertKind.TIPS, 2, 2000)
    assert summary.rooms == ((("b", "chaturbate"), 1000), (("c", "chaturbate"), 1000))


def _stale_after_a_minute(now: list[float]) -> tuple[AlertCenter, list[Alert]]:
    """An alert centre whose rooms go off line after 60 s on the clock ``now[0]``, and the
    list of the alerts it raises."""
    center = AlertCenter(
        DEFAULT_TIERS, rules=AlertRules(stale_after=60), show_ms=10, gap_ms=0, clock=lambda: now[0]
    )
    raised: list[Alert] = []
    center.alert_raised.connect(raised.append)
    return center, raised


def test_a_room_that_goes_silent_is_off_line_then_back(qtbot: QtBot) -> None:
    now = [1000.0]
    center, raised = _stale_after_a_minute(now)
    center.offer(telemetry_update("a", 5000, 1000, seq=2, delta=0))
    now[0] = 1059
    center.check()
    assert raised == []
    now[0] = 1060
    with qtbot.waitSignal(center.alert_shown) as shown:
        center.check()
    assert (shown.args[0].kind, shown.args[0].tokens_delta) == (AlertKind.OFFLINE, 60)
    now[0] = 1100
    center.offer(telemetry_update("a", 5050, 1100, seq=3, delta=50))
    assert [a.kind for a in raised] == [AlertKind.OFFLINE, AlertKind.ONLINE]


def test_off_line_is_counted_from_the_sample_s_own_time_not_from_its_arrival(
    qtbot: QtBot,
) -> None:
    now = [1000.0]
    center, raised = _stale_after_a_minute(now)
    # Taken 50 s before it arrives (a collector's queue emptied late; a replay).
    center.offer(telemetry_update("a", 5000, 950, seq=2, delta=0))
    now[0] = 1009
    center.check()
    assert raised == []
    now[0] = 1010
    center.check()
    assert [(a.kind, a.tokens_delta) for a in raised] == [(AlertKind.OFFLINE, 60)]
    # A snapshot's room (at login) counts the same way: by its sample, not by being learnt now.
    center.known([room_sample("b", tokens=1, ts=990)])
    now[0] = 1049
    center.check()
    assert len(raised) == 1
    now[0] = 1050
    center.check()
    assert [(a.room_id, a.kind) for a in raised[1:]] == [("b", AlertKind.OFFLINE)]


def test_a_muted_room_is_listed_but_never_shown(qtbot: QtBot) -> None:
    rules = AlertRules(muted_rooms=frozenset({RoomKey("a", "chaturbate")}))
    center = AlertCenter(DEFAULT_TIERS, rules=rules, show_ms=10, gap_ms=0)
    raised: list[Alert] = []
    center.alert_raised.connect(raised.append)
    with qtbot.assertNotEmitted(center.alert_shown, wait=100):
        assert center.offer(telemetry_update("a", 5000, 2, seq=2, delta=1000)) is None
    assert [(a.room_id, a.kind) for a in raised] == [("a", AlertKind.TIP)]
    with qtbot.waitSignal(center.alert_shown):
        center.offer(telemetry_update("b", 5000, 2, seq=3, delta=1000))


def test_a_snapshot_teaches_without_alerting_and_tips_can_be_switched_off(qtbot: QtBot) -> None:
    rules = AlertRules(tips=False, goals={RoomKey("a", "chaturbate"): 1000})
    center = AlertCenter(DEFAULT_TIERS, rules=rules, show_ms=10, gap_ms=0)
    raised: list[Alert] = []
    center.alert_raised.connect(raised.append)
    center.known([room_sample("a", tokens=1200, ts=int(time.time()))])
    center.offer(telemetry_update("a", 1900, 3, seq=2, delta=700))
    assert raised == [], "above its goal already, and tips are off"


def test_mute_silences_and_the_test_alert_still_works(qtbot: QtBot) -> None:
    played: list[str] = []
    center = _center(qtbot, played)
    with qtbot.waitSignal(center.muted_changed):
        center.set_muted(True)

    with qtbot.assertNotEmitted(center.alert_shown, wait=100):
        assert center.offer(telemetry_update("a", 5000, 2, seq=2, delta=1000)) is None
    with qtbot.waitSignal(center.alert_shown) as shown:
        center.send_test()

    assert shown.args[0].test
    assert shown.args[0].tier.label == "Huge tip"
    assert played == [], "muted: no sound, even for the test"


def _status(state: str, rooms: list[str], last_post: int = 1000) -> CollectorStatus:
    return CollectorStatus(
        key="studio-pc1",
        state=state,
        last_post=last_post,
        silent_after=240,
        rooms=[RoomRef(room_id=r, platform="chaturbate") for r in rooms],
        timestamp=last_post + 240,
    )


def test_a_dead_studio_pc_is_one_alert_naming_the_collector_and_its_rooms(qtbot: QtBot) -> None:
    now = [1000.0]
    center = AlertCenter(
        DEFAULT_TIERS, rules=AlertRules(stale_after=60), show_ms=10, gap_ms=0, clock=lambda: now[0]
    )
    shown: list[Alert] = []
    raised: list[Alert] = []
    center.alert_shown.connect(shown.append)
    center.alert_raised.connect(raised.append)
    rooms = [f"r{n}" for n in range(200)]
    center.known([room_sample(r, tokens=1, ts=1000) for r in rooms])

    center.collector(_status("silent", rooms))
    now[0] = 1061
    center.check()  # the 200 rooms' own off-line alerts: listed, not shown
    qtbot.wait(50)

    assert [(a.kind, a.room_id, a.tokens_delta) for a in shown] == [
        (AlertKind.COLLECTOR_SILENT, "studio-pc1", 200)
    ]
    assert alert_text(shown[0]).startswith("studio-pc1: 200 rooms off line")
    assert sum(a.kind is AlertKind.OFFLINE for a in raised) == 200, "each listed"

    center.collector(_status("posting", rooms, last_post=1100))
    for n, room in enumerate(rooms):
        center.offer(telemetry_update(room, 2, 1100, seq=10 + n, delta=1))
    qtbot.wait(50)
    assert [a.kind for a in shown[1:]] == [AlertKind.COLLECTOR_BACK], "not 200 'back on line'"


def test_a_collector_going_silent_takes_back_its_rooms_waiting_off_line_alerts(
    qtbot: QtBot,
) -> None:
    now = [1000.0]
    center = AlertCenter(
        DEFAULT_TIERS,
        rules=AlertRules(stale_after=60),
        show_ms=5000,
        gap_ms=0,
        clock=lambda: now[0],
    )
    shown: list[Alert] = []
    center.alert_shown.connect(shown.append)
    center.known([room_sample(r, tokens=1, ts=1000) for r in ("a", "b", "other")])
    now[0] = 1061
    center.check()  # "a" on screen; "b" and "other" wait, merged
    assert [a.room_id for a in shown] == ["a"]
    center.collector(_status("silent", ["a", "b"]))
    later = time.monotonic() * 1000 + 60_000  # past what is on screen
    waiting = [center.queue.pop_due(later + n * 10_000) for n in range(3)]
    kinds = [(w.kind, w.room_id) for w in waiting if w]
    assert (AlertKind.COLLECTOR_SILENT, "studio-pc1") in kinds
    offline = [w for w in waiting if w and w.kind is AlertKind.OFFLINE]
    assert [w.key for w in offline] == [("other", "chaturbate")], "only the room not its"
