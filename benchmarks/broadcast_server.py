"""The Python baseline: a bare Starlette broadcast server with a queue per client.

``POST /api/tracking/telemetry`` reads the body and puts it, as is, in every connected
dashboard's queue; each dashboard has a task that sends what its queue holds.  Nothing is
validated, stored, numbered or replayed.  This is what a team would write in Python instead of
God Mode (the per-client queue keeps a slow socket from holding up the POST and the others),
on the same uvicorn settings as God Mode's server, so the benchmarks compare what God Mode does
per sample and per delivery, not the framework.

    python -m benchmarks.broadcast_server --port 3000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from godmode_server.serving.config import server_config
from godmode_server.settings import Settings


def create_app() -> Starlette:
    queues: set[asyncio.Queue[str]] = set()

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def login(_: Request) -> JSONResponse:  # the receivers log in first; anything goes
        return JSONResponse({"access_token": "-", "token_type": "bearer", "expires_in": 3600})

    async def telemetry(request: Request) -> JSONResponse:
        text = (await request.body()).decode()
        for queue in queues:
            queue.put_nowait(text)
        return JSONResponse({"status": "success"})

    async def dashboard(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text("{}")  # the receivers wait for a first message (God Mode's snapshot)
        queue: asyncio.Queue[str] = asyncio.Queue()

        async def send() -> None:
            while True:
                await ws.send_text(await queue.get())

        queues.add(queue)
        sender = asyncio.create_task(send())
        try:
            while True:
                await ws.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            queues.discard(queue)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/api/auth/login", login, methods=["POST"]),
            Route("/api/tracking/telemetry", telemetry, methods=["POST"]),
            WebSocketRoute("/ws/dashboard", dashboard),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(dev=True, port=args.port).resolved()
    uvicorn.Server(server_config(create_app(), settings, "warning")).run()


if __name__ == "__main__":
    main()
