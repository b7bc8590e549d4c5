"""The alert center: updates in, alerts out one at a time, with sound, mute and a test alert."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from godmode_desktop.alert_center import AlertCenter
from godmode_desktop.alerts import DEFAULT_TIERS, Alert
from tests.helpers.models import telemetry_update


def _center(qtbot: QtBot, played: list[str]) -> AlertCenter:
    return AlertCenter(DEFAULT_TIERS, show_ms=40, gap_ms=20, play_sound=played.append)


def test_a_big_tip_is_shown_with_its_tier_sound(qtbot: QtBot) -> None:
    played: list[str] = []
    center = _center(qtbot, played)
    with qtbot.waitSignal(center.alert_shown) as shown:
        center.offer(telemetry_update("a", 1600, 2, seq=2, delta=600))

    alert = shown.args[0]
    assert isinstance(alert, Alert)
    assert (alert.room_id, alert.tokens_delta, alert.tier.label) == ("a", 600, "Big tip")
    assert played == ["big-tip"]


def test_small_changes_and_counter_resets_raise_nothing(qtbot: QtBot) -> None:
    center = _center(qtbot, [])
    with qtbot.assertNotEmitted(center.alert_shown, wait=100):
        assert center.offer(telemetry_update("a", 1050, 2, seq=2, delta=50)) is None
        assert center.offer(telemetry_update("a", 0, 3, seq=3, delta=-1050)) is None


def test_alerts_come_one_at_a_time_in_order(qtbot: QtBot) -> None:
    center = _center(qtbot, [])
    shown: list[str] = []
    center.alert_shown.connect(lambda alert: shown.append(alert.room_id))

    for n, room in enumerate(("a", "b", "c")):
        center.offer(telemetry_update(room, 5000, 2, seq=2 + n, delta=1000))

    assert shown == ["a"], "the others wait for the first one's time and the gap"
    qtbot.waitUntil(lambda: shown == ["a", "b", "c"], timeout=2000)


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
