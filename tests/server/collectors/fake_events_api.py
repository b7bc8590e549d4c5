"""A stand-in for Chaturbate's Events API on a loopback port, serving its documented answers.

It runs uvicorn on its own thread and event loop, so synchronous tests (a server process) and
asynchronous ones (a collector in the test's loop) can both use it.  Every request is recorded
with its arrival time; failures are scripted per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.helpers.waiting import POLL_INTERVAL


@dataclass(frozen=True)
class Seen:
    at: float  # time.monotonic()
    username: str
    token: str
    last_id: str | None
    timeout: int


class FakeEventsApi:
    def __init__(self, username: str = "alice", token: str = "tok-secret-1234567890") -> None:
        self.username, self.token = username, token
        self.requests: list[Seen] = []
        self._events: list[dict[str, Any]] = []
        self._failures: list[tuple[int, dict[str, str]]] = []
        self._next_id = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._arrived: asyncio.Event | None = None
        self.port = 0
        app = Starlette(routes=[Route("/events/{username}/{token}/", self._feed)])
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        )
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/events/"

    # --- scripting, from the test's thread ------------------------------------------------------

    def push(self, method: str, **obj: Any) -> str:
        """Queue an event (its id grows like the real ones: milliseconds, then a counter)."""
        with self._lock:
            self._next_id += 1
            event_id = f"{1_700_000_000_000 + self._next_id}-0"
            self._events.append({"method": method, "id": event_id, "object": obj})
        if self._loop is not None and self._arrived is not None:
            self._loop.call_soon_threadsafe(self._arrived.set)
        return event_id

    def tip(self, user: str, tokens: int) -> str:
        return self.push(
            "tip",
            broadcaster=self.username,
            tip={"tokens": tokens, "isAnon": False, "message": ""},
            user={
                "username": user,
                "inFanclub": False,
                "gender": "m",
                "hasTokens": True,
                "recentTips": "none",
                "isMod": False,
            },
        )

    def enter(self, user: str) -> str:
        return self.push("userEnter", broadcaster=self.username, user={"username": user})

    def leave(self, user: str) -> str:
        return self.push("userLeave", broadcaster=self.username, user={"username": user})

    def fail_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        with self._lock:
            self._failures.extend([(status, headers or {})] * times)

    # --- the feed ---------------------------------------------------------------------------------

    async def _feed(self, request: Request) -> Response:
        username, token = request.path_params["username"], request.path_params["token"]
        last_id = request.query_params.get("i")
        timeout = min(int(request.query_params.get("timeout", "10")), 90)
        self.requests.append(Seen(time.monotonic(), username, token, last_id, timeout))
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return JSONResponse({"status": "error"}, status_code=failure[0], headers=failure[1])
        if token != self.token or username != self.username:
            return JSONResponse({"status": "Unauthorized"}, status_code=401)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                start = 0
                if last_id is not None:
                    ids = [e["id"] for e in self._events]
                    start = ids.index(last_id) + 1 if last_id in ids else 0
                events = self._events[start:]
            if events or time.monotonic() >= deadline:
                break
            assert self._arrived is not None
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
        newest = events[-1]["id"] if events else last_id
        next_url = f"{self.base_url}{username}/{token}/?timeout={timeout}"
        if newest:
            next_url += f"&i={newest}"
        return JSONResponse({"events": events, "nextUrl": next_url})

    # --- life -------------------------------------------------------------------------------------

    def _serve(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._arrived = asyncio.Event()
        await self._server.serve()

    def __enter__(self) -> FakeEventsApi:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not (self._server.started and self._server.servers):
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Events API did not start")
            time.sleep(POLL_INTERVAL)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
