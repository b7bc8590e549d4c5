"""``godmode watch`` against a real server, as a script would run it."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

import httpx

from tests.helpers.bodies import sample_json
from tests.helpers.servers import ServerProcess

LINE_TIMEOUT = 10.0


async def _watch(server: ServerProcess, *args: str, password: str = "demo") -> Any:
    env = dict(os.environ)
    env.update(
        {
            "GODMODE_PASSWORD": password,
            # No keyring on this path: the token must stay in memory.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "godmode_desktop",
        "watch",
        "--server",
        server.url,
        "--user",
        "demo",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _next_json(proc: Any, event_type: str) -> dict[str, Any]:
    while True:
        line = await asyncio.wait_for(proc.stdout.readline(), LINE_TIMEOUT)
        assert line, f"watch ended before a {event_type} line"
        obj = json.loads(line)
        if obj["event_type"] == event_type:
            return obj


async def test_watch_json_prints_the_events_of_a_real_server(
    dev_server: ServerProcess, room: str
) -> None:
    proc = await _watch(dev_server, "--json")
    try:
        state = await _next_json(proc, "STATE")
        snapshot = await _next_json(proc, "SNAPSHOT")
        live = await _next_json(proc, "STATE")
        async with httpx.AsyncClient() as http:
            posted = await http.post(
                dev_server.url + "/api/tracking/telemetry", json=sample_json(room, tokens_count=321)
            )
        update = await _next_json(proc, "TELEMETRY_UPDATE")
    finally:
        proc.terminate()
        await proc.wait()
    stderr = (await proc.stderr.read()).decode()

    assert state["state"] == "CONNECTING"
    assert snapshot["epoch"]
    assert live["state"] == "LIVE"
    assert update["room_id"] == room
    assert update["data"]["tokens"] == 321
    assert update["seq"] == posted.json()["seq"]
    assert "memory only" in stderr


async def test_watch_with_a_wrong_password_fails_clearly(dev_server: ServerProcess) -> None:
    proc = await _watch(dev_server, "--json", password="wrong")
    _, stderr = await asyncio.wait_for(proc.communicate(), LINE_TIMEOUT * 2)
    assert proc.returncode == 1
    assert b"Wrong user name or password" in stderr
