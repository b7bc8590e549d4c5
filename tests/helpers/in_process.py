"""The real app served on a loopback port from the test's own process, for the tests that look
inside the server while it serves (what its open connections hold, what it builds)."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from godmode_server.app import create_app
from godmode_server.serving.config import server_config
from godmode_server.settings import Settings
from tests.helpers.servers import JWT_SECRET
from tests.helpers.waiting import until


@asynccontextmanager
async def serving(tmp_path: Path, **settings_overrides: Any) -> AsyncIterator[str]:
    """A dev-mode server with its SQLite archive in ``tmp_path`` (and any other settings
    given); yields its base URL."""
    settings = Settings(
        dev=True,
        jwt_secret=JWT_SECRET,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'in-process.db'}",
        **settings_overrides,
    ).resolved()
    before = set(threading.enumerate())
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(settings), settings, "warning"))
    task = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        await until(lambda: server.started, what="the server")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        gc.unfreeze()  # the app froze this process's heap as it started
        # A database connection closed as the server stopped finishes in its own thread a moment
        # later, and hands its answer to this event loop: the loop must outlive it, or the
        # thread dies on "Event loop is closed" during whatever test runs next.
        await until(lambda: not _threads_since(before), what="the server's threads to end")


def _threads_since(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since ``before`` still running, but the event loop's own executor's
    (``asyncio_N``), which lives as long as the loop."""
    return [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.name.startswith("asyncio_")
    ]


async def login(url: str, username: str = "demo", password: str = "demo") -> str:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{url}/api/auth/login", json={"username": username, "password": password}
        )
    answer.raise_for_status()
    return str(answer.json()["access_token"])
