"""``godmode demo`` as the README runs it: the console command, on a real X server (Xvfb, Qt's
xcb platform), open until a person stops it.  Each of the three ways a person stops it — the
window's close button (the window manager's ``WM_DELETE_WINDOW``), *Quit* by its key (Ctrl+Q,
real key presses), Ctrl+C in the terminal it was started from (a real pseudo-terminal's
interrupt character) — ends it with status 0 and leaves none of its processes running.
(The standalone bundle's demo: tests/test_dist.py.)"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.demo_on_screen import STOPS, run_until_stopped
from tests.helpers.x11 import virtual_screen

pytestmark = pytest.mark.slow


@pytest.fixture
def screen() -> Iterator[str]:
    with virtual_screen(tray=False) as display:
        yield display


@pytest.mark.parametrize("stop", STOPS)
def test_the_demo_runs_until_a_person_stops_it(screen: str, tmp_path: Path, stop: str) -> None:
    command = Path(sys.executable).with_name("godmode")
    assert command.exists(), f"{command}: the console command make demo runs"
    argv = [str(command), "demo", "--rooms", "12"]
    run_until_stopped(argv, dict(os.environ), screen, stop, tmp_path / "demo.log")
