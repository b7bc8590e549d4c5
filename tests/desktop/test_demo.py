"""``godmode demo``, run as a user would (offscreen): server, simulator and window, then nothing
left behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.slow


def _demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "godmode_desktop", "demo", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _children(output: str) -> list[int]:
    """The demo's server and simulator processes, as it reports them."""
    pids = [int(pid) for pid in re.findall(r"\(pid (\d+)\)", output)]
    assert len(pids) == 2, output
    return pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_demo_fills_the_grid_and_leaves_nothing_behind() -> None:
    result = _demo("--rooms", "12", "--seed", "3", "--duration", "4")

    assert result.returncode == 0, result.stderr
    rooms = int(re.search(r"grid: (\d+) rooms", result.stdout).group(1))  # type: ignore[union-attr]
    assert rooms >= 12
    assert not any(map(_alive, _children(result.stdout))), "server and simulator stop with it"


def test_the_screenshot_is_the_busy_window(tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    result = _demo("--rooms", "12", "--seed", "3", "--screenshot", str(path))

    assert result.returncode == 0, result.stderr
    assert "grid: 12 rooms" in result.stdout
    image = QImage(str(path))
    # The window as the app opens it on Qt's offscreen screen (800×800): no larger than the
    # screen (94 % of it), and not shrunk below a usable size.
    assert 600 <= image.width() <= 800
    assert 600 <= image.height() <= 800
    assert not any(map(_alive, _children(result.stdout)))


def test_the_administration_screenshot_shows_the_monitor_it_added(tmp_path: Path) -> None:
    path = tmp_path / "admin.png"
    result = _demo("--rooms", "12", "--seed", "3", "--admin-screenshot", str(path))

    assert result.returncode == 0, result.stderr
    assert f"administration screenshot: {path}" in result.stdout
    image = QImage(str(path))
    assert 400 <= image.width() <= 800
    assert 300 <= image.height() <= 800
    assert not any(map(_alive, _children(result.stdout)))


def test_a_demo_that_cannot_reach_a_display_starts_no_server() -> None:
    """Qt aborts the process where no display answers; the demo had started its server
    first, and that server ran on with nobody to stop it."""
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":4093")  # no X server there
    result = subprocess.run(
        [sys.executable, "-m", "godmode_desktop", "demo", "--duration", "4"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "could not connect to display" in result.stderr
    assert "demo server:" not in result.stdout, "nothing started"
