"""A dashboard's side of the WebSocket feed, for tests against a real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.helpers.bodies import sample_json
from tests.helpers.servers import ServerProcess

RECV_TIMEOUT = 5.0


def ws_connect(
    server: ServerProcess, token: str | None, **query: object
) -> Any:  # the connect() context manager
    url = server.ws_url + (("?" + urlencode(query)) if query else "")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return connect(url, additional_headers=headers, open_timeout=RECV_TIMEOUT)


async def recv(ws: ClientConnection, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
    message = await asyncio.wait_for(ws.recv(), timeout)
    return json.loads(message)


async def next_event(
    ws: ClientConnection, *types: str, timeout: float = RECV_TIMEOUT
) -> dict[str, Any]:
    """The next event of one of ``types`` (heartbeats are skipped unless asked for)."""
    wanted = types or ("TELEMETRY_UPDATE", "SNAPSHOT", "RESUME")
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        event = await recv(ws, max(left, 0.001))
        if event["event_type"] in wanted:
            return event


async def no_update_before(
    ws: ClientConnection, server: ServerProcess, client: httpx.AsyncClient, room: str
) -> None:
    """Assert that nothing was broadcast: post a marker sample, the next update must be it."""
    marker = sample_json(room + "_marker", tokens_count=1)
    assert (
        await client.post(server.url + "/api/tracking/telemetry", json=marker)
    ).status_code == 200
    event = await next_event(ws, "TELEMETRY_UPDATE")
    assert event["room_id"] == marker["room_id"], f"unexpected event {event}"
