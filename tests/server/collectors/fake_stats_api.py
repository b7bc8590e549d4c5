"""A stand-in for Chaturbate's Stats API on a loopback port.

It answers ``GET /statsapi/?username=&token=`` with every field of the documented answer
(docs/COLLECTORS.md names the documentation and the public clients the shape is taken from),
from figures the test sets.  Failures and odd bodies are scripted per request.  Runs on its own
thread (:class:`~tests.helpers.threaded_app.ThreadedApp`) like the Events API's stand-in.
"""

from __future__ import annotations

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
    username: str | None
    token: str | None


class FakeStatsApi:
    def __init__(self, username: str = "alice", token: str = "stats-token-123456789012") -> None:
        self.username, self.token = username, token
        self.requests: list[Seen] = []
        self.balance = 0
        self.viewers = 0
        #: Minutes broadcasting; -1 off the air (as the API says).
        self.time_online = -1
        self._next: list[Response] = []
        self._lock = threading.Lock()
        self._served = ThreadedApp(Starlette(routes=[Route("/statsapi/", self._stats)]))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._served.port}/statsapi/"

    # --- scripting, from the test's thread ------------------------------------------------------

    def set(self, balance: int, viewers: int, time_online: int = 10) -> None:
        with self._lock:
            self.balance, self.viewers, self.time_online = balance, viewers, time_online

    def fail_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        with self._lock:
            for _ in range(times):
                self._next.append(JSONResponse({"error": "x"}, status, headers=headers))

    def recover(self) -> None:
        """Drop the scripted answers not served yet."""
        with self._lock:
            self._next.clear()

    def answer_next(self, body: bytes | dict[str, Any]) -> None:
        """The next answer's body (200), as given: raw bytes or a JSON object."""
        with self._lock:
            self._next.append(
                JSONResponse(body)
                if isinstance(body, dict)
                else Response(body, media_type="application/json")
            )

    def documented_answer(self) -> dict[str, Any]:
        """Every field of the documented answer, from the current figures."""
        return {
            "username": self.username,
            "token_balance": self.balance,
            "tips_in_last_hour": 3,
            "votes_up": 120,
            "votes_down": 4,
            "satisfaction_score": 97,
            "last_broadcast": "2026-12-07T10:00:00.000000",
            "time_online": self.time_online,
            "num_followers": 2048,
            "num_viewers": self.viewers,
            "num_registered_viewers": max(0, self.viewers - 5),
            "num_tokened_viewers": max(0, self.viewers - 9),
        }

    # --- the API ----------------------------------------------------------------------------------

    async def _stats(self, request: Request) -> Response:
        username, token = request.query_params.get("username"), request.query_params.get("token")
        with self._lock:
            self.requests.append(Seen(time.monotonic(), username, token))
            scripted = self._next.pop(0) if self._next else None
            answer = self.documented_answer()
        if scripted is not None:
            return scripted
        if token != self.token or username != self.username:
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        return JSONResponse(answer)

    # --- life -------------------------------------------------------------------------------------

    def __enter__(self) -> FakeStatsApi:
        self._served.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._served.__exit__(*exc)
