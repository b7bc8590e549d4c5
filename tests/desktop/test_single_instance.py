"""One God Mode per user: a second launch brings the first one's window forward and exits.
Tested with two real processes of the app."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.waiting import wait_until

LAUNCH_TIMEOUT = 30.0


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """The app as a fresh user runs it: its own settings, log folder and instance name, no
    keyring, no display."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_RUNTIME_DIR=str(tmp_path),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        GODMODE_INSTANCE=f"godmode-test-{uuid.uuid4().hex[:8]}",
    )
    return env


def _log(tmp_path: Path) -> str:
    path = tmp_path / "state" / "godmode" / "log" / "godmode.log"
    return path.read_text() if path.exists() else ""


@pytest.fixture
def first(app_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "godmode_desktop"],
        env=app_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: "single instance: listening as" in _log(tmp_path) or proc.poll() is not None,
            LAUNCH_TIMEOUT,
            "the first instance to listen",
        )
        assert proc.poll() is None, proc.communicate()[0].decode(errors="replace")
        yield proc
    finally:
        proc.terminate()
        proc.communicate(timeout=10)  # and its output pipe closed


def test_a_second_launch_raises_the_first_and_exits(
    first: subprocess.Popen[bytes], app_env: dict[str, str], tmp_path: Path
) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "godmode_desktop"],
        env=app_env,
        capture_output=True,
        text=True,
        timeout=LAUNCH_TIMEOUT,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    assert "already running" in second.stdout
    wait_until(
        lambda: "a second launch asked for the window" in _log(tmp_path),
        10,
        "the first instance to hear it",
    )
    assert first.poll() is None, "the first instance goes on"


def test_instances_with_other_names_run_side_by_side(
    first: subprocess.Popen[bytes], app_env: dict[str, str], tmp_path: Path
) -> None:
    other = dict(app_env, GODMODE_INSTANCE=app_env["GODMODE_INSTANCE"] + "-other")
    proc = subprocess.Popen(
        [sys.executable, "-m", "godmode_desktop"], env=other, stdout=subprocess.DEVNULL
    )
    try:
        wait_until(
            lambda: _log(tmp_path).count("single instance: listening as") == 2,
            LAUNCH_TIMEOUT,
            "the second, separate instance",
        )
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
