"""``godmode demo``: a dev server, a simulated studio posting to it, and the app logged in.

Everything is the real thing: ``godmode-server run --dev`` in a child process on a free port with
the embedded store and a throw-away database, the simulator posting over HTTP as collectors do,
and the God Mode window following it over its WebSocket.  Closing the window, Quit or Ctrl+C
stops all of it; the server process is terminated and waited for.

``--screenshot PATH`` waits until the grid has filled, numbers are flashing and an alert is up,
saves a PNG of the window and exits: rendered offscreen when there is no display, grabbed from
the screen when there is one (e.g. under xvfb-run, to check the real X11 window).
``--reports-screenshot PATH`` first posts a simulated past week (``godmode-server
simulate-week``: the demo studio is in Europe/Madrid) and saves the Reports window showing it.
``--admin-screenshot PATH`` adds a monitor with two rooms and a collector's key, as an
administrator would, and saves the Administration window with that monitor selected.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx

from godmode_common.launcher import LocalServer, server_command
from godmode_common.platforms import DEFAULT_PLATFORMS

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

    from .app import GodModeApp
    from .board import Room
    from .widgets.rooms_model import Totals


#: The demo studio's calendar, and an archive long enough for a simulated past week.
DEMO_ENV: Mapping[str, str] = {"GODMODE_TIMEZONE": "Europe/Madrid", "GODMODE_HISTORY_DAYS": "400"}


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


#: What a token pays in the demo (Chaturbate's and Stripchat's rate to models).
DEMO_USD_PER_TOKEN = "0.05"


class DemoServer:
    """``godmode-server run --dev`` as a child process (the project's launcher: a database and
    settings folder of its own, nothing shared), and the simulated studio
    (``godmode-server simulate``) posting to it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.server = LocalServer(workdir, env=dict(DEMO_ENV))
        self.simulator: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def pid(self) -> int | None:
        return self.server.proc.pid if self.server.proc else None

    def start(self) -> None:
        """Start the server; :meth:`wait_ready` waits for it (the window starts meanwhile)."""
        self.server.launch()

    def wait_ready(self) -> None:
        """Wait for the server, then give every platform a payout rate, so that the grid and
        the reports can show money (View → Show money)."""
        self.server.wait_ready()
        for platform in DEFAULT_PLATFORMS:
            subprocess.run(
                server_command("rate", "set", platform, DEMO_USD_PER_TOKEN),
                env=self.server.environment(),
                capture_output=True,
                check=True,
                timeout=60,
            )

    def simulate(self, rooms: int, rate: float, seed: int | None) -> None:
        """Post 20 minutes of history (so charts have some), then start the live studio: the
        same seed, so the same rooms, continuing where their history ends."""
        seed = secrets.randbelow(2**31) if seed is None else seed
        args = server_command("simulate", "--server", self.url)
        args += ["--rooms", str(rooms), "--rate", str(rate), "--seed", str(seed), "--quiet"]
        with (self.workdir / "simulator.log").open("ab") as log:
            subprocess.run(
                [*args, "--backfill", "20", "--duration", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=120,
            )
            self.simulator = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        print(f"simulated studio: {rooms} rooms, {rate:g} samples/s (pid {self.simulator.pid})")
        sys.stdout.flush()

    def simulate_week(self, rooms: int = 6) -> tuple[int, int]:
        """Post a simulated past week of ``rooms`` rooms (tens of seconds); its range."""
        truth = self.workdir / "week.json"
        args = server_command("simulate-week", "--server", self.url, "--rooms", str(rooms))
        with (self.workdir / "simulator.log").open("ab") as log:
            subprocess.run(
                [
                    *args,
                    *("--timezone", DEMO_ENV["GODMODE_TIMEZONE"], "--truth", str(truth)),
                    *("--history-days", DEMO_ENV["GODMODE_HISTORY_DAYS"]),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=600,
            )
        week = json.loads(truth.read_text())
        return int(week["from"]), int(week["to"])

    def stop(self) -> None:
        _stop(self.simulator)
        self.server.stop()


def run_demo(
    *,
    rooms: int = 24,
    rate: float = 10.0,
    seed: int | None = None,
    screenshot: Path | None = None,
    duration: float | None = None,
    language: str = "",
    reports_screenshot: Path | None = None,
    scheme: str = "system",
    admin_screenshot: Path | None = None,
) -> int:
    """Run the demo until the window closes (or the screenshots are taken, or ``duration``)."""
    pictures = (screenshot, reports_screenshot, admin_screenshot)
    if any(p is not None for p in pictures) and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen: render in memory
    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from .app import GodModeApp, install_translator
    from .net.session import TokenVault
    from .settings import AppSettings

    # Until the window's loop runs, a stop request unwinds through the ``finally`` below, which
    # stops the server and the simulator (Python's default for SIGTERM would leave them behind).
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _interrupted)
    # Qt first: where it cannot start (no display it can reach) it aborts the process, and a
    # server started before would be left running with nobody to stop it.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory(prefix="godmode-demo-") as tmp:
        workdir = Path(tmp)
        server = DemoServer(workdir)
        try:
            server.start()
            print(f"demo server: {server.url} (pid {server.pid or '?'})")
            sys.stdout.flush()
            # The demo's own settings: it must not change the user's server, user or tiers.
            settings = AppSettings(QSettings(str(workdir / "demo.ini"), QSettings.Format.IniFormat))
            settings.language = language
            settings.scheme = scheme
            settings.close_to_tray = False  # closing the demo's window ends the demo
            install_translator(app, language)
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            # Python sees Ctrl+C only when it runs: wake it up regularly.
            waker = QTimer()
            waker.start(200)
            waker.timeout.connect(lambda: None)
            with loop:
                demo = _Demo(GodModeApp(settings, TokenVault(use_keyring=False)), server)
                # Ctrl+C, a service manager's or a launcher's stop, a closed terminal: all quit
                # the way the window's Quit does, and the server and simulator stop with it.
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                    signal.signal(number, lambda *_: demo.app.quit())
                try:
                    code: int = loop.run_until_complete(
                        demo.run(
                            rooms,
                            rate,
                            seed,
                            screenshot,
                            duration,
                            reports_screenshot,
                            admin_screenshot,
                        )
                    )
                    return code
                except RuntimeError as exc:  # Qt's loop ended under us: the display went away
                    print(f"the demo stopped: {exc}", file=sys.stderr)
                    return 1
        finally:
            server.stop()


def _interrupted(number: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(number).name)


class _Demo:
    def __init__(self, app: GodModeApp, server: DemoServer) -> None:
        self.app = app
        self.server = server

    async def run(
        self,
        rooms: int,
        rate: float,
        seed: int | None,
        screenshot: Path | None,
        duration: float | None,
        reports_screenshot: Path | None = None,
        admin_screenshot: Path | None = None,
    ) -> int:
        await asyncio.to_thread(self.server.wait_ready)
        if not self.app.finished.done():  # not stopped while the server was starting
            await asyncio.to_thread(self.server.simulate, rooms, rate, seed)
        if self.app.finished.done():
            return 0
        if not await self.app.login(self.server.url, "demo", "demo"):
            print("the demo could not log in", file=sys.stderr)
            return 1
        try:
            if reports_screenshot is not None:
                code = await self._reports_screenshot(reports_screenshot)
                if code or (screenshot or admin_screenshot) is None:
                    return code
            if admin_screenshot is not None:
                code = await self._admin_screenshot(admin_screenshot)
                if code or screenshot is None:
                    return code
            if screenshot is not None:
                return await self._screenshot(rooms, screenshot)
            if duration is None:  # the main job: open until the window is closed or Quit
                print("the demo runs until its window is closed, Quit is chosen or Ctrl+C")
                sys.stdout.flush()
                await self.app.finished
                return 0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.app.finished), duration)
            self._report()
            return 0
        finally:
            if not self.app.finished.done():
                self.app.quit()
            await self.app.finished

    def _report(self) -> None:
        print(f"grid: {self.app.model.rowCount()} rooms")
        sys.stdout.flush()

    async def _screenshot(self, rooms: int, path: Path) -> int:
        from PySide6.QtGui import QGuiApplication

        window = self.app.window
        assert window is not None  # as the app placed it: the screen's size at most
        # The totals above the grid follow a few times a second: wait for their first update.
        totals: list[Totals] = []
        self.app.model.totals_changed.connect(totals.append)
        await _until(lambda: self.app.model.rowCount() >= rooms, 60, "the grid to fill")
        # The chart of the busiest room, a big tip in another, and numbers in mid-flash.
        by_tokens = sorted(self.app.board, key=lambda room: room.tokens)
        window.select_room(by_tokens[-1].key)
        await self._big_tip(by_tokens[len(by_tokens) // 2])
        await _until(lambda: window.banner.isVisible(), 30, "the alert")
        await _until(lambda: bool(self.app.model.flashes.lit_rows()), 30, "a flash")
        await _until(lambda: len(window.chart.points) > 1, 30, "the chart")
        await _until(lambda: bool(totals) and totals[-1].live >= rooms, 30, "the totals")
        path.parent.mkdir(parents=True, exist_ok=True)
        if QGuiApplication.platformName() == "offscreen":
            picture = window.grab()  # the window as rendered in memory
        else:  # what is on the screen where the window is, as a user would see it
            handle = window.windowHandle()
            await _until(lambda: handle is not None and handle.isExposed(), 10, "the window")
            frame = window.geometry()  # the window's inside, where it is on the screen
            picture = window.screen().grabWindow(
                0, frame.x(), frame.y(), frame.width(), frame.height()
            )
        if not picture.save(str(path)):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        self._report()
        print(f"screenshot: {path}")
        return 0

    async def _reports_screenshot(self, path: Path) -> int:
        from PySide6.QtCore import QDate, QItemSelectionModel

        from .report_ranges import Preset

        start, end = await asyncio.to_thread(self.server.simulate_week)
        reports = self.app.open_reports()
        assert reports is not None
        await _until(lambda: reports.calendar is not None, 30, "the studio's calendar")
        zone = ZoneInfo(DEMO_ENV["GODMODE_TIMEZONE"])  # the studio's days, not the PC's
        first = dt.datetime.fromtimestamp(start, zone)
        last = dt.datetime.fromtimestamp(end - 1, zone)
        reports.group.setCurrentIndex(reports.group.findData("day"))
        reports.preset.setCurrentIndex(reports.preset.findData(Preset.CUSTOM.value))
        reports.first_day.setDate(QDate(first.year, first.month, first.day))
        reports.last_day.setDate(QDate(last.year, last.month, last.day))

        def shown() -> bool:
            report = reports.report
            if report is None or report.group != "day" or not reports.busy.isHidden():
                return False
            if not report.complete:  # the week's last samples were still being written
                reports.refresh_button.click()
                return False
            return True

        await _until(shown, 60, "the week's report")
        reports.table.selectionModel().select(
            reports.sorted.index(0, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return _save(reports.grab(), path, "reports screenshot")

    async def _admin_screenshot(self, path: Path) -> int:
        api = self.app.api
        assert api is not None
        await _until(lambda: self.app.model.rowCount() >= 2, 60, "two rooms")
        watched = sorted(room.key for room in self.app.board)[:2]
        await api.create_user("shift1", secrets.token_urlsafe(12), "monitor")
        await api.assign_rooms("shift1", watched)
        await api.create_key("front-desk-pc")
        admin = self.app.open_admin()
        assert admin is not None
        users = admin.users_tab
        await _until(lambda: any(u.username == "shift1" for u in users.users), 30, "the users")
        await _until(lambda: len(admin.audit_tab.records) >= 3, 30, "the audit log")
        users.select_user("shift1")
        return _save(admin.grab(), path, "administration screenshot")

    async def _big_tip(self, room: Room) -> None:
        """Post what a collector would after a 580-token tip in ``room``."""
        sample = {
            "room_id": room.room_id,
            "platform": room.platform,
            "tokens_count": room.tokens + 580,
            "tips_count": room.tips + 1,
            "viewers_count": room.viewers,
            "timestamp": max(int(time.time()), room.timestamp),
        }
        async with httpx.AsyncClient(base_url=self.server.url) as http:
            (await http.post("/api/tracking/telemetry", json=sample)).raise_for_status()


def _save(picture: QPixmap, path: Path, what: str) -> int:
    """Write a window's picture as PNG and say where; the exit status (1: not written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(path)):
        print(f"could not write {path}", file=sys.stderr)
        return 1
    print(f"{what}: {path}")
    return 0


async def _until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo timed out waiting for {what}")
        await asyncio.sleep(0.05)
