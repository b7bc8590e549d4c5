"""Clients for the server tests: HTTP through httpx, WebSocket through ``websockets``."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import ServerProcess

RECV_TIMEOUT = 5.0
#: The original system's sample fields: POST body, GET answer, bulk and snapshot rooms.
SAMPLE_FIELDS = frozenset(
    {"room_id", "platform", "tokens_count", "tips_count", "viewers_count", "timestamp"}
)


def sample(room_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "room_id": room_id,
        "platform": "chaturbate",
        "tokens_count": 5000,
        "tips_count": 250,
        "viewers_count": 45,
        "timestamp": int(time.time()),
    }
    body.update(overrides)
    return body


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
    marker = sample(room + "_marker", tokens_count=1)
    assert (
        await client.post(server.url + "/api/tracking/telemetry", json=marker)
    ).status_code == 200
    event = await next_event(ws, "TELEMETRY_UPDATE")
    assert event["room_id"] == marker["room_id"], f"unexpected event {event}"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client
