"""An ASGI app served by uvicorn on a loopback port, on its own thread and event loop: the
stand-ins of outside APIs (Chaturbate's Events and Stats APIs) use it, so that synchronous tests
(a server process) and asynchronous ones (a collector in the test's loop) can both call them."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from tests.helpers.waiting import POLL_INTERVAL


class ThreadedApp:
    """``with ThreadedApp(app) as served:`` — ``served.port`` answers until the block ends."""

    def __init__(self, app: ASGIApp, *, on_loop: Callable[[], None] | None = None) -> None:
        #: Called on the app's loop before it serves (to make that loop's asyncio objects).
        self._on_loop = on_loop
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port = 0
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        )
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        if self._on_loop is not None:
            self._on_loop()
        await self._server.serve()

    def __enter__(self) -> ThreadedApp:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not (self._server.started and self._server.servers):
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the stand-in server did not start")
            time.sleep(POLL_INTERVAL)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
