"""The fan-out baseline: a bare broadcast server on the same framework and uvicorn settings.

``POST /api/tracking/telemetry`` reads the body and sends it, as is, to every connected
WebSocket; nothing is validated, stored, numbered or queued.  This is the textbook FastAPI
broadcast (a list of sockets, one ``send_text`` each), what a team would write first; the
benchmark compares God Mode's fan-out against it.

    python -m benchmarks.broadcast_server --port 3000
"""

from __future__ import annotations

import argparse
import contextlib

import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect

from godmode_server.cli import server_config
from godmode_server.errors import JsonResponse
from godmode_server.settings import Settings


def create_app() -> FastAPI:
    app = FastAPI()
    sockets: set[WebSocket] = set()

    @app.get("/healthz")
    async def healthz() -> JsonResponse:
        return JsonResponse({"status": "ok"})

    @app.post("/api/auth/login")
    async def login() -> JsonResponse:  # the receivers log in first; anything goes here
        return JsonResponse({"access_token": "-", "token_type": "bearer", "expires_in": 3600})

    @app.post("/api/tracking/telemetry")
    async def telemetry(request: Request) -> JsonResponse:
        text = (await request.body()).decode()
        for ws in list(sockets):
            with contextlib.suppress(Exception):  # a socket that went away
                await ws.send_text(text)
        return JsonResponse({"status": "success"})

    @app.websocket("/ws/dashboard")
    async def dashboard(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text("{}")  # the receivers wait for a first message (God Mode's snapshot)
        sockets.add(ws)
        try:
            while True:
                await ws.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            sockets.discard(ws)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(dev=True, port=args.port).resolved()
    uvicorn.Server(server_config(create_app(), settings, "warning")).run()


if __name__ == "__main__":
    main()
