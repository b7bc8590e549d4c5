"""Alert sounds, played by the system's own player (here ALSA's aplay, on its null device: the
machines the tests run on have no sound card)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from godmode_desktop import resources
from godmode_desktop.sound import SoundPlayer, system_player

PLAY_TIMEOUT = 10_000


@pytest.fixture
def aplay() -> str:
    found = shutil.which("aplay")
    if found is None:
        pytest.fail("aplay is needed (make test installs alsa-utils)")
    return found


def _alsa(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, device: str) -> None:
    config = tmp_path / "asound.conf"
    config.write_text(f"pcm.!default {{ {device} }}\n")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))


def test_linux_uses_the_first_player_it_finds(monkeypatch: pytest.MonkeyPatch, aplay: str) -> None:
    monkeypatch.setenv("PATH", str(Path(aplay).parent))
    assert system_player() == aplay


@pytest.mark.parametrize("name", ["tip", "big-tip", "huge-tip"])
def test_each_tier_sound_is_played(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, aplay: str, name: str
) -> None:
    _alsa(monkeypatch, tmp_path, "type null")
    player = SoundPlayer(player=aplay)
    with qtbot.waitSignal(player.played, timeout=PLAY_TIMEOUT) as played:
        player.play(name)
    assert played.args == [str(resources.sound(name)), True]


def test_a_player_that_fails_is_reported_and_beeps_instead(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    aplay: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _alsa(monkeypatch, tmp_path, "type hw card 99")  # a sound card that is not there
    caplog.set_level(logging.INFO, logger="godmode_desktop.sound")
    player = SoundPlayer(player=aplay)
    for _ in range(3):
        with qtbot.waitSignal(player.played, timeout=PLAY_TIMEOUT) as played:
            player.play("tip")
        assert played.args == [str(resources.sound("tip")), False]
    failures = [r for r in caplog.records if "could not play" in r.getMessage()]
    assert len(failures) == 1, "once with its cause, not once per alert"
    assert "audio open error" in failures[0].getMessage(), "ALSA's own words"
    assert "\n" not in failures[0].getMessage()

    _alsa(monkeypatch, tmp_path, "type null")  # the device is back
    with qtbot.waitSignal(player.played, timeout=PLAY_TIMEOUT) as played:
        player.play("tip")
    assert played.args[1] is True
    assert "plays again" in caplog.text


def test_a_player_that_does_not_exist_is_reported(qtbot: QtBot) -> None:
    player = SoundPlayer(player="/nonexistent/player")
    with qtbot.waitSignal(player.played, timeout=PLAY_TIMEOUT) as played:
        player.play("tip")
    assert played.args == [str(resources.sound("tip")), False]


def test_a_sound_of_the_users_own_is_played_and_a_missing_one_falls_back(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    aplay: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _alsa(monkeypatch, tmp_path, "type null")
    own = tmp_path / "cash-register.wav"
    own.write_bytes(resources.sound("huge-tip").read_bytes())
    player = SoundPlayer(player=aplay)
    with qtbot.waitSignal(player.played, timeout=PLAY_TIMEOUT) as played:
        player.play(str(own))
    assert played.args == [str(own), True]
    own.unlink()  # the user's file went away
    with (
        caplog.at_level(logging.WARNING),
        qtbot.waitSignal(player.played, timeout=PLAY_TIMEOUT) as played,
    ):
        player.play(str(own))
    assert played.args == [str(resources.sound("tip")), True]
    assert "not found: the built-in tip sound plays instead" in caplog.text
