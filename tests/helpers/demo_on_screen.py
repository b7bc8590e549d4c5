"""``godmode demo`` on a real X screen, stopped the way a person stops it: for the tests of the
console command and of the standalone bundle."""

from __future__ import annotations

import fcntl
import os
import subprocess
import termios
import time
from pathlib import Path

import pytest

from .waiting import wait_until
from .x11 import close_window, press, reachable, windows_named

#: The main window's title: "God Mode", "(unread alerts: N)" once alerts came, then its state,
#: its rooms and the room selected ("God Mode — Live — rooms: 12").
TITLE = r"^God Mode( \(.*\))? — "
#: How long the demo must keep running on its own (it used to quit after about 7 s).
STAYS_OPEN = 20.0
#: The ways a person stops it.
STOPS = ("close button", "Quit", "Ctrl+C")


def session_processes(session: int) -> list[str]:
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


def run_until_stopped(
    argv: list[str], env: dict[str, str], screen: str, stop: str, log: Path
) -> None:
    """Start the demo (``argv``) on ``screen``; check that its window shows and that it still
    runs after :data:`STAYS_OPEN` s; stop it by ``stop``; check that it exits 0 and leaves none
    of its processes running, nor its window."""
    terminal, stdin = os.openpty() if stop == "Ctrl+C" else (None, subprocess.DEVNULL)
    started = time.monotonic()
    with log.open("wb") as out:
        demo = subprocess.Popen(
            argv,
            env={**env, "DISPLAY": screen, "QT_QPA_PLATFORM": "xcb"},
            stdin=stdin,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_take_terminal if terminal is not None else None,
        )
    if terminal is not None:
        assert isinstance(stdin, int)
        os.close(stdin)
    try:

        def window_shown() -> bool:
            if demo.poll() is not None:
                where = "answers" if reachable(screen) else "does not answer"
                raise AssertionError(
                    f"the demo ended at start (the screen {screen} {where}):\n{log.read_text()}"
                )
            return bool(windows_named(screen, TITLE))

        wait_until(window_shown, timeout=90, what="the God Mode window")
        with pytest.raises(subprocess.TimeoutExpired):
            demo.wait(timeout=max(0.0, STAYS_OPEN - (time.monotonic() - started)))
        [window] = windows_named(screen, TITLE)
        assert "runs until its window is closed" in log.read_text()

        if stop == "close button":
            close_window(screen, window)
        elif stop == "Quit":
            press(screen, window, "ctrl+q")
        else:
            assert terminal is not None
            os.write(terminal, b"\x03")  # the terminal turns it into SIGINT for the group
        assert demo.wait(timeout=30) == 0, log.read_text()
        wait_until(
            lambda: not session_processes(demo.pid),
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
