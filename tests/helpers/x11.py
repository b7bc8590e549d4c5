"""A real X11 screen for the tests that need one: Xvfb on a free display, and optionally
``trayer``, an XEmbed system tray (Debian's; ``make test`` installs both)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator

from .waiting import wait_until


def _need(*commands: str) -> None:
    missing = [c for c in commands if shutil.which(c) is None]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} needed (make test installs them)")


def tree(display: str) -> str:
    """``xwininfo -root -tree``: every window on the screen, children indented under parents."""
    return subprocess.run(
        ["xwininfo", "-root", "-tree"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout


def tray_children(display: str) -> list[str]:
    """The windows embedded in trayer's panel (one line of xwininfo each)."""
    lines = tree(display).splitlines()
    for i, line in enumerate(lines):
        if '("panel" "trayer")' in line:
            depth = len(line) - len(line.lstrip())
            children = []
            for below in lines[i + 1 :]:
                if not below.strip() or len(below) - len(below.lstrip()) <= depth:
                    break
                children.append(below.strip())
            return children
    return []


def click(display: str, x: int, y: int) -> None:
    """A real pointer click (XTEST) at screen coordinates."""
    subprocess.run(
        ["xdotool", "mousemove", str(x), str(y), "click", "1"],
        env={**os.environ, "DISPLAY": display},
        timeout=10,
        check=True,
    )


@contextlib.contextmanager
def virtual_screen(*, tray: bool) -> Iterator[str]:
    """Xvfb on a display it picks itself; with ``tray``, trayer running on it.  Yields the
    ``DISPLAY`` value."""
    _need("Xvfb", "xwininfo", "xdotool", *(["trayer"] if tray else []))
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    panel = None
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        display = f":{number}"
        if tray:
            panel = subprocess.Popen(
                [
                    "trayer",
                    "--edge",
                    "top",
                    "--align",
                    "right",
                    "--widthtype",
                    "request",
                    "--height",
                    "24",
                    "--SetDockType",
                    "true",
                ],
                env={**os.environ, "DISPLAY": display},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_until(lambda: '("panel" "trayer")' in tree(display), timeout=10, what="trayer")
        yield display
    finally:
        for process in (panel, xvfb):
            if process is not None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
