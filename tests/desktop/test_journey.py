"""A studio manager's day, walked through the real app with real input (issue 37): the
``godmode`` command on an X server (Xvfb, 1366×768, openbox as its window manager), driven
only by key presses through ``xdotool`` (XTEST) — no call into the app.  What the app shows is
read the way a person or a screen reader reads it: window titles (the main window's says its
state, its rooms and the room selected; the Reports window's the days it shows), the file it
exported, and its log folder.  Each step's picture of the screen is kept in the test's folder.

The server is a production one (an administrator, an ingest key), fed with yesterday's history
and a live simulated studio; it is killed and started again in the middle of the day."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from godmode_common.launcher import server_command
from tests.helpers.servers import STUDIO_ADMIN, STUDIO_KEY, STUDIO_PASSWORD, ServerProcess
from tests.helpers.waiting import wait_until
from tests.helpers.x11 import (
    active_window,
    close_window,
    keys,
    screenshot,
    type_text,
    virtual_screen,
    window_geometry,
    window_name,
    windows_named,
)

pytestmark = pytest.mark.slow

SCREEN = (1366, 768)
#: The live studio: rooms posted by ``godmode-server simulate`` all day.
LIVE_ROOMS = 6
MONITOR, MONITOR_PASSWORD = "mona", "mona-pass-1"
#: Window titles (regular expressions, as ``xdotool search --name`` takes them).
LOGIN = r"^God Mode — log in$"
MAIN = r"^God Mode( \(unread alerts: \d+\))? — (Connecting|Live|Polling|Offline|Login needed)"
REPORTS = r"^God Mode — Reports"
ADMIN = r"^God Mode — Administration$"
#: Long enough for a cold start of the app on a loaded CI machine; every wait ends as soon as
#: what it waits for is there.
APP_START = 60.0
STEP = 30.0


class Studio:
    """The server, an administrator's client of it, and the live simulation."""

    def __init__(self, workdir: Path) -> None:
        self.server = ServerProcess(workdir, dev=False)
        added = self.server.cli(
            "user", "add", STUDIO_ADMIN, "--role", "admin", input=STUDIO_PASSWORD + "\n"
        )
        assert added.returncode == 0, added.stderr
        self.key = self.server.cli("key", "create", STUDIO_KEY).stdout.strip()
        self.server.start()
        self.simulation: subprocess.Popen[bytes] | None = None
        self.history_rooms: set[str] = set()

    def admin(self) -> httpx.Client:
        token = self.server.login(STUDIO_ADMIN, STUDIO_PASSWORD)
        return httpx.Client(
            base_url=self.server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    def post_yesterday(self) -> None:
        """Two days of a studio's history, ending two hours ago (resets, gaps, duplicates,
        late samples: simulation/week.py), so that *Yesterday* has a report."""
        import asyncio

        from godmode_server.simulation.week import StudioWeek, post

        end = int(time.time()) - 2 * 3600
        week = StudioWeek(start=end - 2 * 86400, end=end, rooms=3, seed=37, sample_every=(240, 270))
        asyncio.run(post([self.server.url], week.deliveries(), api_key=self.key))
        self.history_rooms = {str(key) for key in week.rooms}

    def simulate(self, log: Path) -> None:
        with log.open("wb") as out:
            self.simulation = subprocess.Popen(
                [
                    *server_command("simulate", "--server", self.server.url),
                    *("--api-key", self.key, "--rooms", str(LIVE_ROOMS), "--rate", "6"),
                    *("--seed", "37", "--quiet"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def rooms(self) -> set[str]:
        """Every room the server holds a latest sample of (``ROOM@PLATFORM``)."""
        with self.admin() as admin:
            answer = admin.get("/api/tracking/telemetry")
        answer.raise_for_status()
        return {f"{r['room_id']}@{r['platform']}" for r in answer.json()["rooms"]}

    def user(self, name: str) -> tuple[str, set[str]] | None:
        """A user's role and rooms, as the server has them (``None``: no such user)."""
        with self.admin() as admin:
            answer = admin.get("/api/admin/users")
        answer.raise_for_status()
        for user in answer.json():
            if user["username"] == name:
                return user["role"], {f"{r['room_id']}@{r['platform']}" for r in user["rooms"]}
        return None

    def tokens(self, room: str) -> int:
        """A room's latest token counter."""
        room_id, _, platform = room.rpartition("@")
        with self.admin() as admin:
            answer = admin.get(f"/api/tracking/telemetry/{room_id}/{platform}")
        answer.raise_for_status()
        return int(answer.json()["tokens_count"])

    def live_rooms(self) -> set[str]:
        """The rooms of the live simulation the server holds."""
        return self.rooms() - self.history_rooms

    def stop(self) -> None:
        if self.simulation is not None:
            self.simulation.terminate()
            self.simulation.wait(10)
        self.server.stop()


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    studio = Studio(tmp_path / "server")
    try:
        studio.post_yesterday()
        studio.simulate(tmp_path / "simulate.log")
        wait_until(
            lambda: len(studio.live_rooms()) >= LIVE_ROOMS, timeout=STEP, what="the live rooms"
        )
        yield studio
    finally:
        studio.stop()


@pytest.fixture
def screen() -> Iterator[str]:
    with virtual_screen(tray=False, size=SCREEN, window_manager=True) as display:
        yield display


class Day:
    """The app on the screen, and what the test saw of it, step by step."""

    def __init__(self, screen: str, home: Path, folder: Path) -> None:
        self.screen, self.home, self.folder = screen, home, folder
        self.steps = 0
        self.output = folder / "app.log"
        with self.output.open("wb") as out:
            self.app = subprocess.Popen(
                [str(Path(sys.executable).with_name("godmode"))],
                env={
                    **os.environ,
                    "DISPLAY": screen,
                    "QT_QPA_PLATFORM": "xcb",
                    # An instance of its own: another test's app may run meanwhile.
                    "GODMODE_INSTANCE": f"godmode-journey-{uuid.uuid4().hex[:8]}",
                },
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def log(self) -> Path:
        """The app's own log (its log folder, under the test's HOME)."""
        return self.home / ".local" / "state" / "godmode" / "log" / "godmode.log"

    def running(self) -> None:
        if self.app.poll() is not None:
            raise AssertionError(
                f"the app ended (status {self.app.returncode}):\n{self.output.read_text()}"
            )

    def window(self, pattern: str, timeout: float = STEP) -> int:
        """The one window whose title matches, once it is shown and has the focus."""
        found: list[int] = []

        def shown() -> bool:
            self.running()
            found[:] = windows_named(self.screen, pattern)
            return len(found) == 1 and active_window(self.screen)[0] == found[0]

        wait_until(shown, timeout=timeout, what=f"a window titled {pattern!r} with the focus")
        return found[0]

    def title(self, window: int, pattern: str, timeout: float = STEP) -> str:
        """``window``'s title once it matches ``pattern``."""
        seen = [""]

        def says() -> bool:
            self.running()
            seen[0] = window_name(self.screen, window)
            return re.search(pattern, seen[0]) is not None

        try:
            wait_until(says, timeout=timeout, what=f"the title to match {pattern!r}")
        except pytest.fail.Exception:
            raise AssertionError(f"the title stayed {seen[0]!r}, not {pattern!r}") from None
        return seen[0]

    def picture(self, name: str, window: int) -> None:
        """The screen now, as ``NN-name.png``: the size of a laptop's screen, with the window
        on it."""
        self.steps += 1
        size = screenshot(self.screen, self.folder / f"{self.steps:02d}-{name}.png")
        assert size == SCREEN
        x, y, width, height = window_geometry(self.screen, window)
        on_screen = x >= 0 and y >= 0 and x + width <= SCREEN[0] and y + height <= SCREEN[1]
        assert on_screen, f"{name}: the window at {x},{y} {width}×{height} runs off the screen"

    def this_session(self) -> list[str]:
        """The app's log since the login dialog was last shown."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        starts = [n for n, line in enumerate(lines) if "login dialog shown" in line]
        return lines[starts[-1] :] if starts else lines


def login(day: Day, server: str | None, user: str, password: str) -> int:
    """Fill in the login dialog (it has the focus on the user's or the password's field) and
    press Enter; the dialog's window."""
    dialog = day.window(LOGIN, timeout=APP_START)
    if server is not None:
        keys(day.screen, "shift+Tab", "ctrl+a")  # the user's field first: a new PC
        type_text(day.screen, server)
        keys(day.screen, "Tab", "ctrl+a")
        type_text(day.screen, user)
        keys(day.screen, "Tab")
    elif user:
        keys(day.screen, "shift+Tab", "ctrl+a")  # from the password back to the user
        type_text(day.screen, user)
        keys(day.screen, "Tab")
    type_text(day.screen, password)
    keys(day.screen, "Return")
    return dialog


def shown_as(room: str) -> str:
    """``ROOM@PLATFORM`` as the window names a room: "luna (chaturbate)"."""
    room_id, _, platform = room.rpartition("@")
    return f"{room_id} ({platform})"


def report_api(studio: Studio, day: dt.date, zone: ZoneInfo) -> list[list[str]]:
    """The server's report of ``day`` by day, as the CSV's rows should read."""
    start = dt.datetime.combine(day, dt.time(), zone)
    end = start + dt.timedelta(days=1)
    with studio.admin() as admin:
        answer = admin.get(
            "/api/reports/earnings",
            params={"from": int(start.timestamp()), "to": int(end.timestamp()), "group": "day"},
        )
    answer.raise_for_status()
    return [
        [
            r["room_id"],
            r["platform"],
            dt.datetime.fromtimestamp(r["period_start"], zone).isoformat(),
            dt.datetime.fromtimestamp(r["period_end"], zone).isoformat(),
            *(
                str(r[name])
                for name in (
                    "tokens_earned",
                    "tips_earned",
                    "online_seconds",
                    "sessions",
                    "peak_viewers",
                )
            ),
            r["earned_usd"] or "",
            r["earned_local"] or "",
            r["currency"],
        ]
        for r in answer.json()["rows"]
    ]


def post_tip(studio: Studio, room: str, tokens: int) -> None:
    """A collector's sample of ``room`` (``ROOM@PLATFORM``) with its counter at ``tokens``."""
    room_id, _, platform = room.rpartition("@")
    answer = httpx.post(
        studio.server.url + "/api/tracking/telemetry",
        headers={"X-Api-Key": studio.key},
        json={
            "room_id": room_id,
            "platform": platform,
            "tokens_count": tokens,
            "tips_count": 1,
            "viewers_count": 10,
            "timestamp": int(time.time()),
        },
        timeout=30,
    )
    answer.raise_for_status()


def test_a_managers_day_through_the_real_window(
    studio: Studio, screen: str, secret_service: Path, tmp_path: Path
) -> None:
    day = Day(screen, secret_service, tmp_path)
    try:
        walk(day, studio)
    finally:
        if day.app.poll() is None:
            day.app.kill()
            day.app.wait()


def walk(day: Day, studio: Studio) -> None:
    screen = day.screen
    server = studio.server.url

    # A wrong password: the dialog stays, grows to say why, and the password is selected.
    dialog = login(day, server, STUDIO_ADMIN, "not-the-password")
    _, _, _, height = window_geometry(screen, dialog)
    wait_until(
        lambda: window_geometry(screen, dialog)[3] > height, timeout=STEP, what="the login error"
    )
    day.picture("wrong-password", dialog)

    # The right one: the main window, live, with every room the server has.
    type_text(screen, STUDIO_PASSWORD)
    keys(screen, "Return")
    main = day.window(MAIN)
    shown = len(studio.rooms())
    day.title(main, rf" — Live — rooms: {shown}$")
    day.picture("live", main)

    # A room selected the keyboard's way: find it, Enter.
    chosen = sorted(studio.live_rooms())[0]
    keys(screen, "ctrl+f")
    type_text(screen, chosen.rpartition("@")[0])
    keys(screen, "Return")
    day.title(main, rf" — {re.escape(shown_as(chosen))}$")
    day.picture("room-selected", main)

    # The server dies mid-shift and comes back: Live again, the same room, no room lost.
    assert studio.server.proc is not None
    studio.server.proc.kill()
    studio.server.proc.wait()
    day.title(main, r" — (Offline|Polling|Connecting) — ")
    day.picture("server-down", main)
    studio.server.start()
    # The server, its store in memory, holds only the rooms posted since; the window keeps
    # every room it showed (board.py), the others greyed with their age.
    day.title(main, rf" — Live — rooms: {shown} — {re.escape(shown_as(chosen))}$")
    assert studio.live_rooms() <= studio.rooms() < studio.live_rooms() | studio.history_rooms
    day.picture("live-again", main)

    # Reports → Yesterday → Export CSV: the file says what the server's report API says.
    keys(screen, "ctrl+r")
    reports = day.window(REPORTS)
    with studio.admin() as admin:
        zone = ZoneInfo(admin.get("/api/reports/calendar").json()["timezone"])
    today = dt.datetime.now(zone).date()
    yesterday = today - dt.timedelta(days=1)
    day.title(reports, rf" — {today:%Y-%m-%d}$")  # opens on today
    type_text(screen, "Y")  # the range's list has the focus: a letter picks "Yesterday"
    day.title(reports, rf" — {yesterday:%Y-%m-%d}$")
    day.picture("reports-yesterday", reports)
    keys(screen, "alt+e")
    saving = day.window(r"^Export CSV$")
    day.picture("export", saving)
    keys(screen, "Return")  # the name it offers, in the home folder
    exported = day.home / f"godmode-earnings-day-{dt.date.today():%Y-%m-%d}.csv"
    wait_until(exported.exists, timeout=STEP, what=f"{exported}")
    with exported.open(encoding="utf-8-sig", newline="") as text:
        header, *rows = csv.reader(text)
    assert header[:2] == ["room_id", "platform"]
    assert rows, "yesterday's history is in the report"
    assert rows == report_api(studio, yesterday, zone)
    close_window(screen, reports)  # its close button
    day.window(MAIN)

    # As the administrator: a monitor with two of the live rooms.
    watched = sorted(studio.live_rooms())[1:3]
    keys(screen, "alt+c", "a")  # Account → Administration…
    administration = day.window(ADMIN)
    keys(screen, "alt+a")  # Add user…
    adding = day.window(r"^Add user$")
    type_text(screen, MONITOR)
    keys(screen, "Tab")
    type_text(screen, MONITOR_PASSWORD)
    day.picture("add-user", adding)
    keys(screen, "Return")  # a monitor: the role it offers
    day.window(ADMIN)
    wait_until(lambda: studio.user(MONITOR) is not None, timeout=STEP, what=f"{MONITOR} added")
    # The user just added is selected: their rooms, one per line, then Apply.
    keys(screen, "alt+r")
    for n, room in enumerate(watched):
        if n:
            keys(screen, "Return")
        type_text(screen, room)
    keys(screen, "alt+p")
    wait_until(
        lambda: studio.user(MONITOR) == ("monitor", set(watched)),
        timeout=STEP,
        what=f"{MONITOR}'s rooms",
    )
    day.picture("monitor-added", administration)
    close_window(screen, administration)
    day.window(MAIN)

    # Log out; log in as the monitor: their two rooms, nothing of the others anywhere.
    keys(screen, "alt+g", "l")  # God Mode → Log out
    login(day, None, MONITOR, MONITOR_PASSWORD)
    main = day.window(MAIN)
    day.title(main, r" — Live — rooms: 2$")
    # The grid is theirs to search: nothing typed before (another room's name) is left in
    # the filter, so Enter there selects the first of their rooms.
    keys(screen, "ctrl+f", "Return")
    theirs = "|".join(re.escape(shown_as(room)) for room in watched)
    day.title(main, rf" — Live — rooms: 2 — ({theirs})$")
    others = sorted(studio.rooms() - set(watched))
    for room in (others[0], watched[0]):  # a big tip in a room of theirs and in another
        tokens = studio.tokens(room) + 5_000
        post_tip(studio, room, tokens)
    day.title(main, rf"^God Mode \(unread alerts: [1-9]\d*\) — Live — rooms: 2 — ({theirs})$")
    wait_until(
        lambda: any(f"in {watched[0]} +5000" in line for line in day.this_session()),
        timeout=STEP,
        what="the monitor's big-tip alert in the log",
    )
    keys(screen, "ctrl+l")  # the alerts panel
    day.picture("monitor", main)
    alerted = [line for line in day.this_session() if " alert: " in line]
    assert all(any(room in line for room in watched) for line in alerted), alerted
    assert not any(shown_as(room) in window_name(screen, main) for room in others)

    keys(screen, "ctrl+q")
    assert day.app.wait(timeout=STEP) == 0, day.output.read_text()
