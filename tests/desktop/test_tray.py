"""The system tray for real (issue: the tray path was never exercised): the scenarios of
tray_scenarios.py run in a pytest of their own, with Qt's xcb platform on an Xvfb screen where
trayer provides an XEmbed system tray.  (A StatusNotifierItem host cannot be run here: Debian
packages none that works without a desktop; Qt uses it, and D-Bus notifications, only when one
is present.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.x11 import virtual_screen

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).with_name("tray_scenarios.py")


#: The scenario that starts its own tray, after the app.
LATE = "after_the_app"


def _scenarios(display: str, select: str) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"),
            *(str(SCENARIOS), "-k", select),
        ],
        env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout, result.stdout
    assert "skipped" not in result.stdout, result.stdout
    assert "deselected" in result.stdout, result.stdout


def test_the_tray_scenarios_on_a_real_screen_with_a_real_tray() -> None:
    with virtual_screen(tray=True) as display:
        _scenarios(display, f"not {LATE}")


def test_a_tray_started_after_the_app_on_a_real_screen() -> None:
    with virtual_screen(tray=False) as display:
        _scenarios(display, LATE)
