"""A server that speaks protocol v1 badly on purpose, for the desktop net layer's bounds.

It runs in the test's own event loop (uvicorn on a free loopback port) and does what a broken
or hostile backend could: answers too large or trickled a byte at a time, a snapshot of too many
rooms, a stream that skips a ``seq`` or changes its epoch on every connection, a socket closed
after each first message, a clock that is off.  It counts what the client asks of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import jwt
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from tests.helpers.waiting import Changes

#: Bytes of a trickled answer before the server gives up on its own (the test's bound).
TRICKLE_LIMIT = 300
#: Seconds between the heartbeats it sends (a real server's pace, not a test's wait).
HEARTBEAT_EVERY = 0.5


def room(n: int) -> dict[str, Any]:
    return {
        "room_id": f"room_{n}",
        "platform": "chaturbate",
        "tokens_count": n,
        "tips_count": 1,
        "viewers_count": 1,
        "timestamp": int(time.time()),
    }


def update(seq: int) -> dict[str, Any]:
    now = int(time.time())
    return {
        "event_type": "TELEMETRY_UPDATE",
        "room_id": "room_0",
        "seq": seq,
        "timestamp": now,
        "data": {"platform": "chaturbate", "tokens": 5, "tips": 1, "viewers": 1, "timestamp": now},
    }


@dataclass
class HostileServer:
    #: Rooms in every poll answer (streamed: a million costs the server nothing).
    bulk_rooms: int = 1
    #: Rooms in every WebSocket snapshot.
    snapshot_rooms: int = 1
    #: Answer these paths one byte every ``trickle_every`` seconds.
    trickle: frozenset[str] = frozenset()
    trickle_every: float = 0.1
    #: What the WebSocket does after its SNAPSHOT: "stay" (heartbeats), "close", "skip_seq",
    #: "flip_epoch" (heartbeats of another epoch), "garbage" (100 messages that are not v1).
    after_snapshot: str = "stay"
    #: This server's clock minus the test machine's, seconds (in the tokens it issues).
    clock_offset: int = 0
    #: ``expires_in`` of the tokens it issues.
    token_lifetime: int = 3600
    port: int = 0
    ws_connections: int = 0
    #: Told of every WebSocket connection (await ``changes.until(...)``).
    changes: Changes = field(default_factory=Changes)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None
    _epoch: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> HostileServer:
        # Listening before uvicorn starts: a client that comes early waits in the backlog.
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        app = Starlette(
            routes=[
                Route("/api/auth/login", self._token, methods=["POST"]),
                Route("/api/auth/refresh", self._refresh, methods=["POST"]),
                Route("/api/tracking/telemetry", self._bulk),
                WebSocketRoute("/ws/dashboard", self._dashboard),
            ]
        )
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        return self

    async def close(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)

    # --- HTTP ------------------------------------------------------------------------------------

    def _trickled(self, path: str, body: bytes) -> Response | None:
        if path not in self.trickle:
            return None

        async def drip() -> AsyncIterator[bytes]:
            for byte in body[:TRICKLE_LIMIT]:
                yield bytes([byte])
                await asyncio.sleep(self.trickle_every)

        return StreamingResponse(drip(), media_type="application/json")

    async def _token(self, request: Request) -> Response:
        now = int(time.time()) + self.clock_offset
        claims = {"sub": "ana", "iat": now, "exp": now + self.token_lifetime}
        body = {
            "access_token": jwt.encode(claims, "hostile-" + "k" * 40),
            "token_type": "bearer",
            "expires_in": self.token_lifetime,
        }
        return self._trickled(request.url.path, orjson.dumps(body)) or JSONResponse(body)

    async def _refresh(self, request: Request) -> Response:
        return await self._token(request)

    async def _bulk(self, request: Request) -> Response:
        head = f'{{"seq":1,"epoch":"{self._epoch}","full":true,"timestamp":{int(time.time())},"rooms":['
        trickled = self._trickled(request.url.path, head.encode())
        if trickled is not None:
            return trickled
        count = self.bulk_rooms

        async def rooms() -> AsyncIterator[bytes]:
            yield head.encode()
            for start in range(0, count, 1000):
                chunk = [room(n) for n in range(start, min(count, start + 1000))]
                yield (b"," if start else b"") + orjson.dumps(chunk)[1:-1]
            yield b"]}"

        return StreamingResponse(rooms(), media_type="application/json")

    # --- WebSocket -------------------------------------------------------------------------------

    async def _dashboard(self, websocket: WebSocket) -> None:
        self.ws_connections += 1
        self.changes.changed()
        await websocket.accept()
        epoch = self._epoch
        snapshot = {
            "event_type": "SNAPSHOT",
            "seq": 1,
            "epoch": epoch,
            "rooms": [room(n) for n in range(self.snapshot_rooms)],
            "timestamp": int(time.time()),
        }
        await websocket.send_bytes(orjson.dumps(snapshot))
        if self.after_snapshot == "close":
            await websocket.close()
            return
        if self.after_snapshot == "skip_seq":
            await websocket.send_bytes(orjson.dumps(update(seq=3)))
        if self.after_snapshot == "garbage":
            for n in range(100):
                await websocket.send_text(f'{{"event_type": "NONSENSE", "n": {n}}}')
            await websocket.send_bytes(orjson.dumps(update(seq=2)))
        with contextlib.suppress(Exception):
            while True:  # heartbeats until the client goes
                if self.after_snapshot == "flip_epoch":
                    epoch = uuid.uuid4().hex[:16]
                beat = {
                    "event_type": "HEARTBEAT",
                    "seq": 1,
                    "epoch": epoch,
                    "timestamp": int(time.time()),
                }
                await websocket.send_bytes(orjson.dumps(beat))
                await asyncio.sleep(HEARTBEAT_EVERY)
