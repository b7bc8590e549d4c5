"""The app's settings file (godmode_desktop/settings.py): rooms kept as ``ROOM@PLATFORM`` read back
through the one parser, and a bad entry costs only itself."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from godmode_common.rooms import RoomKey
from godmode_desktop.settings import AppSettings


def test_goals_and_muted_rooms_survive_a_hand_edited_file(tmp_path: Path) -> None:
    qsettings = QSettings(str(tmp_path / "godmode.ini"), QSettings.Format.IniFormat)
    goals = {"luna@chaturbate": 1000, "no-at-sign": 5, "mia@stripchat": "lots", "eva@camsoda": -1}
    qsettings.setValue("alerts/goals", json.dumps(goals))
    qsettings.setValue("alerts/muted_rooms", json.dumps(["mia@stripchat", 7, "bad room@x"]))
    rules = AppSettings(qsettings).alert_rules
    assert rules.goals == {RoomKey("luna", "chaturbate"): 1000}
    assert rules.muted_rooms == {RoomKey("mia", "stripchat")}

    qsettings.setValue("alerts/goals", "{not json")
    qsettings.setValue("alerts/muted_rooms", '{"a": 1}')
    rules = AppSettings(qsettings).alert_rules
    assert (dict(rules.goals), rules.muted_rooms) == ({}, frozenset())


def test_rules_written_are_read_back_alike(tmp_path: Path) -> None:
    settings = AppSettings(QSettings(str(tmp_path / "godmode.ini"), QSettings.Format.IniFormat))
    rules = settings.alert_rules
    assert (rules.drop_min_viewers, rules.drop_min_lost) == (20, 10), "the defaults"
    settings.alert_rules = type(rules)(
        goals={RoomKey("luna", "chaturbate"): 2500},
        muted_rooms=frozenset({RoomKey("mia_2", "stripchat")}),
        drop_min_viewers=50,
        drop_min_lost=15,
    )
    again = AppSettings(settings.qsettings).alert_rules
    assert again.goals == {("luna", "chaturbate"): 2500}
    assert again.muted_rooms == {("mia_2", "stripchat")}
    assert (again.drop_min_viewers, again.drop_min_lost) == (50, 15)
