"""``godmode demo`` as the README runs it: the console command, on a real X server (Xvfb, Qt's
xcb platform), open until a person stops it.  Each of the three ways a person stops it — the
window's close button (the window manager's ``WM_DELETE_WINDOW``), *Quit* by its key (Ctrl+Q,
real key presses), Ctrl+C in the terminal it was started from (a real pseudo-terminal's
interrupt character) — ends it with status 0 and leaves none of its processes running."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.waiting import wait_until
from tests.helpers.x11 import close_window, press, virtual_screen, windows_named

pytestmark = pytest.mark.slow

#: The window's title: "God Mode", or "God Mode (unread alerts: N)" once alerts came.
TITLE = r"^God Mode( \(.*\))?$"
#: How long the demo must keep running on its own (it used to quit after about 7 s).
STAYS_OPEN = 20.0


def _session_processes(session: int) -> list[str]:
    """The live processes of a session (zombies, already ended, left out): the demo, its
    server and its simulator all start in the demo's session."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        name, _, rest = text.rpartition(")")
        fields = rest.split()
        if fields[0] != "Z" and int(fields[3]) == session:
            found.append(f"{stat.parent.name} {name.partition('(')[2]}")
    return found


def _take_terminal() -> None:
    """In the child: its standard input, a pseudo-terminal, becomes its controlling terminal,
    as a shell's terminal is for the commands it starts."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.fixture
def screen() -> Iterator[str]:
    with virtual_screen(tray=False) as display:
        yield display


@pytest.mark.parametrize("stop", ["close button", "Quit", "Ctrl+C"])
def test_the_demo_runs_until_a_person_stops_it(screen: str, tmp_path: Path, stop: str) -> None:
    command = Path(sys.executable).with_name("godmode")
    assert command.exists(), f"{command}: the console command make demo runs"
    env = {**os.environ, "DISPLAY": screen, "QT_QPA_PLATFORM": "xcb"}
    terminal, stdin = os.openpty() if stop == "Ctrl+C" else (None, subprocess.DEVNULL)
    output = tmp_path / "demo.log"
    started = time.monotonic()
    with output.open("wb") as log:
        demo = subprocess.Popen(
            [str(command), "demo", "--rooms", "12"],
            env=env,
            stdin=stdin,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_take_terminal if terminal is not None else None,
        )
    if terminal is not None:
        assert isinstance(stdin, int)
        os.close(stdin)
    try:

        def window_shown() -> bool:
            assert demo.poll() is None, f"the demo ended at start:\n{output.read_text()}"
            return bool(windows_named(screen, TITLE))

        wait_until(window_shown, timeout=90, what="the God Mode window")
        with pytest.raises(subprocess.TimeoutExpired):
            demo.wait(timeout=max(0.0, STAYS_OPEN - (time.monotonic() - started)))
        [window] = windows_named(screen, TITLE)
        assert "runs until its window is closed" in output.read_text()

        if stop == "close button":
            close_window(screen, window)
        elif stop == "Quit":
            press(screen, window, "ctrl+q")
        else:
            assert terminal is not None
            os.write(terminal, b"\x03")  # the terminal turns it into SIGINT for the group
        assert demo.wait(timeout=30) == 0, output.read_text()
        wait_until(
            lambda: not _session_processes(demo.pid),
            timeout=10,
            what="the demo's processes to end",
        )
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, 9)
            demo.wait()
        if terminal is not None:
            os.close(terminal)
    assert not windows_named(screen, TITLE)
