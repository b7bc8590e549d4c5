"""A real X11 screen for the tests that need one: Xvfb on a free display, and optionally
``trayer``, an XEmbed system tray, or ``openbox``, a window manager (Debian's; ``make test``
installs them); real input through ``xdotool`` (XTEST), and pictures of the screen."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .waiting import wait_until


def _need(*commands: str) -> None:
    missing = [c for c in commands if shutil.which(c) is None]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} needed (make test installs them)")


def x_client(display: str, *argv: str, check: bool = True) -> str:
    """Run an X client program (``argv``) on ``display``; what it printed.  With ``check``, a
    failure raises; without, a failing client's output (often nothing) is returned."""
    return subprocess.run(
        argv,
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=30,
        check=check,
    ).stdout


def tree(display: str) -> str:
    """``xwininfo -root -tree``: every window on the screen, children indented under parents."""
    return x_client(display, "xwininfo", "-root", "-tree")


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
    xdotool(display, "mousemove", str(x), str(y), "click", "1")


def reachable(display: str) -> bool:
    """Whether a client can connect to ``display`` now."""
    answer = subprocess.run(
        ["xwininfo", "-root", "-display", display], capture_output=True, timeout=10, check=False
    )
    return answer.returncode == 0


@contextlib.contextmanager
def _one_start_at_a_time() -> Iterator[None]:
    """X servers of the suite's parallel workers start and stop one after the other (a file
    lock held until the new one answers, or the old one has exited), so no two pick a display
    number at the same moment and none starts on a number whose server is still ending."""
    with (Path(tempfile.gettempdir()) / "godmode-tests-xvfb.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


@contextlib.contextmanager
def virtual_screen(
    *, tray: bool, size: tuple[int, int] = (1280, 800), window_manager: bool = False
) -> Iterator[str]:
    """Xvfb on a display it picks itself, of ``size``; with ``tray``, trayer running on it;
    with ``window_manager``, openbox (windows get frames, focus and a place, as on a desktop).
    Yields the ``DISPLAY`` value once the display answers a client.  Xvfb's own messages go to
    a log file, quoted when it does not start or does not answer."""
    _need(
        "Xvfb",
        "xwininfo",
        "xdotool",
        *(["trayer"] if tray else []),
        *(["openbox", "xprop"] if window_manager else []),
    )
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below

    def said() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")

    panel = manager = None
    xvfb = None
    try:
        with _one_start_at_a_time():
            read, write = os.pipe()
            xvfb = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write),
                    "-screen",
                    "0",
                    f"{size[0]}x{size[1]}x24",
                    "-nolisten",
                    "tcp",
                    # Not reset when its last client leaves: the check that it answers is a
                    # client, and a server resetting refuses the next one for a moment
                    # (openbox then failed to start in 2 of 40 starts).
                    "-noreset",
                ],
                pass_fds=(write,),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            os.close(write)
            with os.fdopen(read) as pipe:
                number = pipe.readline().strip()
            if not number:
                raise RuntimeError(f"Xvfb did not start:\n{said()}")
            display = f":{number}"

            def answers() -> bool:
                assert xvfb is not None
                if xvfb.poll() is not None:
                    raise RuntimeError(f"Xvfb on {display} ended:\n{said()}")
                return reachable(display)

            wait_until(answers, timeout=20, what=f"Xvfb answering on {display}")
        if tray:
            panel = start_trayer(display)
        if window_manager:
            manager = start_openbox(display)
        yield display
    finally:
        # Under the same lock as a start: an X server removes its socket as it ends, and one
        # started meanwhile on the freed display number would lose its socket to that
        # ("could not connect to display :0").
        with _one_start_at_a_time():
            for process in (manager, panel, xvfb):
                if process is not None:
                    process.terminate()
                    try:
                        process.wait(5)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
        log.close()


def start_trayer(display: str) -> subprocess.Popen[bytes]:
    """trayer, an XEmbed system tray, on ``display``: returned once its panel is up (the caller
    ends it)."""
    _need("trayer")
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
    try:
        wait_until(lambda: '("panel" "trayer")' in tree(display), timeout=10, what="trayer")
    except BaseException:
        panel.terminate()
        panel.wait(5)
        raise
    return panel


def start_openbox(display: str) -> subprocess.Popen[bytes]:
    """openbox on ``display``, returned once it manages the screen (it has set the EWMH
    ``_NET_SUPPORTING_WM_CHECK`` property on the root window; the caller ends it)."""
    said = tempfile.TemporaryFile()  # noqa: SIM115 - closed when openbox has started
    manager = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env={**os.environ, "DISPLAY": display},
        stdout=said,
        stderr=subprocess.STDOUT,
    )

    def managing() -> bool:
        if manager.poll() is not None:
            said.seek(0)
            raise RuntimeError(
                f"openbox ended at start (status {manager.returncode}):\n"
                + said.read().decode(errors="replace")
            )
        root = x_client(display, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False)
        return "window id" in root

    try:
        wait_until(managing, timeout=20, what="openbox managing the screen")
    except BaseException:
        manager.terminate()
        manager.wait(5)
        raise
    finally:
        said.close()
    return manager


def xdotool(display: str, *args: str) -> str:
    """Run ``xdotool`` on ``display``; what it printed."""
    return x_client(display, "xdotool", *args)


def keys(display: str, *names: str) -> None:
    """Key presses (XTEST) into the window that has the focus: ``"ctrl+r"``, ``"Return"``."""
    xdotool(display, "key", "--clearmodifiers", *names)


def type_text(display: str, text: str) -> None:
    """Text typed key by key into the window that has the focus."""
    xdotool(display, "type", "--clearmodifiers", "--delay", "15", text)


def active_window(display: str) -> tuple[int, str]:
    """The window with the focus: its id and its title."""
    window = int(xdotool(display, "getactivewindow").strip())
    return window, xdotool(display, "getwindowname", str(window)).rstrip("\n")


def window_name(display: str, window: int) -> str:
    """A window's title (``xdotool getwindowname``); "" once it is gone."""
    try:
        return xdotool(display, "getwindowname", str(window)).rstrip("\n")
    except subprocess.CalledProcessError:
        return ""


def window_geometry(display: str, window: int) -> tuple[int, int, int, int]:
    """A window's x, y, width and height on the screen (its frame not counted)."""
    said = dict(
        line.split("=", 1)
        for line in xdotool(display, "getwindowgeometry", "--shell", str(window)).split()
    )
    return int(said["X"]), int(said["Y"]), int(said["WIDTH"]), int(said["HEIGHT"])


def screenshot(display: str, path: Path, settle: float = 5.0) -> tuple[int, int]:
    """A picture of the whole screen (Pillow's ImageGrab over XCB) saved as PNG; its size.

    Taken once two grabs in a row are the same (or after ``settle`` seconds, the last one): a
    window's title can change a moment before its contents are painted."""
    from PIL import ImageChops, ImageGrab

    deadline = time.monotonic() + settle
    picture = ImageGrab.grab(xdisplay=display)
    while time.monotonic() < deadline:
        again = ImageGrab.grab(xdisplay=display)
        if ImageChops.difference(picture, again).getbbox() is None:
            break
        picture = again
    picture.save(path)
    return picture.size


def windows_named(display: str, pattern: str) -> list[int]:
    """The ids of the visible windows whose title matches the regular expression ``pattern``
    (xdotool search)."""
    found = x_client(display, "xdotool", "search", "--onlyvisible", "--name", pattern, check=False)
    return [int(line) for line in found.split()]


def press(display: str, window: int, keys: str) -> None:
    """Real key presses (XTEST) into ``window``, given the input focus first."""
    xdotool(display, "windowfocus", "--sync", str(window))
    xdotool(display, "key", keys)


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _Event(ctypes.Union):
    _fields_ = [("client", _ClientMessage), ("pad", ctypes.c_long * 24)]  # XEvent's size


def close_window(display: str, window: int) -> None:
    """What a window manager does when the user clicks a window's close button: the
    ``WM_DELETE_WINDOW`` message of ICCCM (xdotool's ``windowclose`` destroys the window
    instead, which no user can do)."""
    name = ctypes.util.find_library("X11")
    if name is None:
        raise RuntimeError("libX11 is needed (make test installs Qt's X11 libraries)")
    xlib = ctypes.CDLL(name)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_long,
        ctypes.POINTER(_Event),
    ]
    xlib.XFlush.argtypes = xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(display.encode())
    if not connection:
        raise RuntimeError(f"cannot open display {display}")
    try:
        atom = xlib.XInternAtom
        delete = (ctypes.c_long * 5)(atom(connection, b"WM_DELETE_WINDOW", 0), 0)  # CurrentTime
        message = _ClientMessage(
            type=33,  # ClientMessage
            window=window,
            message_type=atom(connection, b"WM_PROTOCOLS", 0),
            format=32,
            data=delete,
        )
        event = _Event(client=message)
        if not xlib.XSendEvent(connection, window, 0, 0, ctypes.byref(event)):
            raise RuntimeError("XSendEvent failed")
        xlib.XFlush(connection)
    finally:
        xlib.XCloseDisplay(connection)
