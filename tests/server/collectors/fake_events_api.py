"""A stand-in for Chaturbate's Events API on a loopback port, serving its documented answers and
the undocumented ones seen in public clients' tests (docs/COLLECTORS.md says where each is from).

It runs on its own thread and event loop (:class:`~tests.helpers.threaded_app.ThreadedApp`), so
synchronous tests (a server process) and asynchronous ones (a collector in the test's loop) can
both use it.  Every request is recorded
with its arrival time; failures are scripted per request, and the form of the answers by
attribute: ``idle_status`` (200, or 400 with ``"status": "waited too long for events"`` as the
real API answers an idle long poll), ``next_url`` (``"absolute"``, ``"relative"``, ``"null"``,
``"missing"`` or any other string, sent as it is), ``omit_events`` (no ``events`` key when
idle).  Event ids are the real ones' shape: the time in milliseconds, then a counter.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.helpers.threaded_app import ThreadedApp


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
        self._counter = 0
        self._last_ms = 0
        self.idle_status = 200
        self.next_url = "absolute"
        self.omit_events = False
        self._lock = threading.Lock()
        self._arrived: asyncio.Event | None = None
        self._served = ThreadedApp(
            Starlette(routes=[Route("/events/{username}/{token}/", self._feed)]),
            on_loop=self._make_event,
        )

    def _make_event(self) -> None:
        self._arrived = asyncio.Event()

    @property
    def port(self) -> int:
        return self._served.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/events/"

    # --- scripting, from the test's thread ------------------------------------------------------

    def push(self, method: str, **obj: Any) -> str:
        """Queue an event (its id grows like the real ones: milliseconds, then a counter)."""
        return self.push_raw({"method": method, "object": obj})

    def push_raw(self, event: dict[str, Any]) -> str:
        """Queue an event as given (malformed ones too), with an id unless it has one."""
        with self._lock:
            ms = max(int(time.time() * 1000), self._last_ms)
            self._counter = self._counter + 1 if ms == self._last_ms else 0
            self._last_ms = ms
            event = {"id": f"{ms}-{self._counter}", **event}
            self._events.append(event)
        loop = self._served.loop
        if loop is not None and self._arrived is not None:
            loop.call_soon_threadsafe(self._arrived.set)
        return str(event["id"])

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
        path = f"/events/{username}/{token}/?timeout={timeout}" + (f"&i={newest}" if newest else "")
        body: dict[str, Any] = {"events": events}
        if self.next_url == "absolute":
            body["nextUrl"] = f"http://127.0.0.1:{self.port}{path}"
        elif self.next_url == "relative":
            body["nextUrl"] = path
        elif self.next_url == "null":
            body["nextUrl"] = None
        elif self.next_url != "missing":
            body["nextUrl"] = self.next_url
        if not events and self.omit_events:
            del body["events"]
        if not events and self.idle_status == 400:
            return JSONResponse({"status": "waited too long for events", **body}, status_code=400)
        return JSONResponse(body)

    # --- life -------------------------------------------------------------------------------------

    def __enter__(self) -> FakeEventsApi:
        self._served.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._served.__exit__(*exc)
