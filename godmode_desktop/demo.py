"""``godmode demo``: a dev server, a simulated studio posting to it, and the app logged in.

Everything is the real thing: ``godmode-server run --dev`` in a child process on a free port with
the embedded store and a throw-away database, the simulator posting over HTTP as collectors do,
and the God Mode window following it over its WebSocket.  Closing the window, Quit or Ctrl+C
stops all of it; the server process is terminated and waited for.

``--screenshot PATH`` waits until the grid has filled, numbers are flashing and an alert is up,
saves a PNG of the window and exits: rendered offscreen when there is no display, grabbed from
the screen when there is one (e.g. under xvfb-run, to check the real X11 window).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from .app import GodModeApp

#: How long the server may take to answer /healthz.
STARTUP_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DemoServer:
    """``godmode-server run --dev`` as a child process, with a database of its own."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(
            os.environ,
            GODMODE_DATABASE_URL=f"sqlite:///{self.workdir / 'demo.db'}",
            GODMODE_JWT_SECRET=secrets.token_urlsafe(48),
        )
        env.pop("GODMODE_REDIS_URL", None)  # the demo runs on the embedded store
        log = (self.workdir / "server.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "godmode_server", "run", "--dev", "--port", str(self.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def run_demo(
    *,
    rooms: int = 24,
    rate: float = 10.0,
    seed: int | None = None,
    screenshot: Path | None = None,
    duration: float | None = None,
    language: str = "",
) -> int:
    """Run the demo until the window closes (or the screenshot is taken, or ``duration``)."""
    if screenshot is not None and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen: render in memory
    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from .app import GodModeApp, install_translator
    from .net.session import TokenVault
    from .settings import AppSettings

    with tempfile.TemporaryDirectory(prefix="godmode-demo-") as tmp:
        workdir = Path(tmp)
        server = DemoServer(workdir)
        server.start()
        print(f"demo server: {server.url} (pid {server.proc.pid if server.proc else '?'})")
        sys.stdout.flush()
        try:
            app = QApplication.instance() or QApplication(sys.argv[:1])
            assert isinstance(app, QApplication)
            app.setQuitOnLastWindowClosed(False)
            # The demo's own settings: it must not change the user's server, user or tiers.
            settings = AppSettings(QSettings(str(workdir / "demo.ini"), QSettings.Format.IniFormat))
            settings.language = language
            install_translator(app, language)
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            # Python sees Ctrl+C only when it runs: wake it up regularly.
            waker = QTimer()
            waker.start(200)
            waker.timeout.connect(lambda: None)
            with loop:
                demo = _Demo(GodModeApp(settings, TokenVault(use_keyring=False)), server.url)
                signal.signal(signal.SIGINT, lambda *_: demo.app.quit())
                try:
                    return loop.run_until_complete(
                        demo.run(rooms, rate, seed, screenshot, duration)
                    )
                except RuntimeError as exc:  # Qt's loop ended under us: the display went away
                    print(f"the demo stopped: {exc}", file=sys.stderr)
                    return 1
        finally:
            server.stop()


class _Demo:
    def __init__(self, app: GodModeApp, server_url: str) -> None:
        self.app = app
        self.server_url = server_url

    async def run(
        self,
        rooms: int,
        rate: float,
        seed: int | None,
        screenshot: Path | None,
        duration: float | None,
    ) -> int:
        from godmode_server.simulator import Studio, post_one, post_samples

        await _server_ready(self.server_url)
        studio = Studio(rooms, rate=rate, seed=seed)
        # The last 20 minutes first, so charts have a history to show.
        async with httpx.AsyncClient(base_url=self.server_url) as http:
            for sample in studio.backfill(time.time()):
                await http.post("/api/tracking/telemetry", json=sample.model_dump())
        simulator = asyncio.create_task(post_samples(self.server_url, studio))
        try:
            if not await self.app.login(self.server_url, "demo", "demo"):
                print("the demo could not log in", file=sys.stderr)
                return 1
            if screenshot is not None:
                return await self._screenshot(studio, rooms, screenshot, post_one)
            if duration is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(self.app.finished), duration)
                self._report()
                self.app.quit()
            await self.app.finished
            return 0
        finally:
            simulator.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await simulator
            if not self.app.finished.done():
                self.app.quit()
                await self.app.finished

    def _report(self) -> None:
        print(f"grid: {self.app.model.rowCount()} rooms")
        sys.stdout.flush()

    async def _screenshot(self, studio: object, rooms: int, path: Path, post_one: object) -> int:
        from godmode_server.simulator import Studio

        assert isinstance(studio, Studio)
        window = self.app.window
        assert window is not None
        window.resize(1280, 760)
        await _until(lambda: self.app.model.rowCount() >= rooms, 60, "the grid to fill")
        # The chart of the busiest room, a big tip, and numbers in mid-flash.
        busiest = max(self.app.board, key=lambda room: room.tokens)
        window.select_room(busiest.key)
        await post_one(self.server_url, studio.big_tip(time.time()))  # type: ignore[operator]
        await _until(lambda: window.banner.isVisible(), 30, "the alert")
        await _until(lambda: bool(self.app.model.flashes.lit_rows()), 30, "a flash")
        await _until(lambda: len(window.chart.points) > 1, 30, "the chart")
        path.parent.mkdir(parents=True, exist_ok=True)
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.platformName() == "offscreen":
            picture = window.grab()  # the window as rendered in memory
        else:  # what is on the screen where the window is, as a user would see it
            handle = window.windowHandle()
            await _until(lambda: handle is not None and handle.isExposed(), 10, "the window")
            picture = window.screen().grabWindow(0, window.x(), window.y(), 1280, 760)
        if not picture.save(str(path)):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        self._report()
        print(f"screenshot: {path}")
        return 0


async def _server_ready(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(url + "/healthz", timeout=1)).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the demo server at {url} does not answer")


async def _until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo timed out waiting for {what}")
        await asyncio.sleep(0.05)
