"""The authorization table (godmode_server/http/authorization.py), walked whole against a real
server: every route it publishes, by every kind of caller — each role, a monitor granted
reports, an ingest API key, nobody, a disabled user, an expired token — gets what the table
says; in dev mode, the dev column; and no route is missing from the table."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed

from godmode_common.protocol import CLOSE_AUTH_REQUIRED, CLOSE_FORBIDDEN
from godmode_server.http.authorization import (
    ALLOWED,
    DEV_ANONYMOUS,
    ROUTES,
    TABLE,
    Caller,
    Need,
    declare,
)
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import recv, ws_connect
from tests.helpers.servers import JWT_SECRET, ServerProcess

PASSWORD = "s3cret-pass"
#: Routes served outside the API's description (FastAPI's own pages), and the WebSocket.
UNDESCRIBED = {
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("WS", "/ws/dashboard"),
}
#: Users of the production server: name → role (``reporter`` is a monitor granted reports).
USERS = {
    "root": "admin",
    "boss": "manager",
    "eve": "monitor",
    "reporter": "monitor",
    "gone": "manager",
}


@pytest.fixture(scope="module")
def prod(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServerProcess, dict[Any, Any]]]:
    """A production server, and the headers each kind of caller sends."""
    server = ServerProcess(tmp_path_factory.mktemp("authz"), dev=False)
    for name, role in USERS.items():
        assert (
            server.cli("user", "add", name, "--role", role, input=PASSWORD + "\n").returncode == 0
        )
    assert server.cli("user", "reports", "reporter", "on").returncode == 0
    assert server.cli("user", "rooms", "eve", "r1@chaturbate").returncode == 0
    key = server.cli("key", "create", "collector").stdout.strip()
    server.start()

    def token(name: str) -> str:
        answer = httpx.post(
            server.url + "/api/auth/login", json={"username": name, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    bearer = {name: {"Authorization": f"Bearer {token(name)}"} for name in USERS}
    assert server.cli("user", "disable", "gone").returncode == 0
    now = int(time.time())
    expired = jwt.encode(
        {
            "sub": "boss",
            "role": "manager",
            "iat": now - 7200,
            "exp": now - 3600,
            "iss": "godmode",
            "aud": "godmode-dashboard",
        },
        JWT_SECRET,
        algorithm="HS256",
    )
    callers = {
        Caller.ADMIN: bearer["root"],
        Caller.MANAGER: bearer["boss"],
        Caller.MONITOR: bearer["eve"],
        Caller.REPORTING_MONITOR: bearer["reporter"],
        Caller.API_KEY: {"X-Api-Key": key},
        Caller.ANONYMOUS: {},
        "disabled user": bearer["gone"],
        "expired token": {"Authorization": f"Bearer {expired}"},
    }
    yield server, callers
    server.stop()


def _request(
    server: ServerProcess,
    method: str,
    path: str,
    headers: dict[str, str],
    login: tuple[str, str] = ("boss", PASSWORD),
) -> int:
    """A request a caller with ``headers`` could make on the route (its parameters filled in
    with plausible values: an allowed caller may still get a 404 or a 422, never 401/403)."""
    url = server.url + path.replace("{room_id}", "r1").replace("{platform}", "chaturbate")
    now = int(time.time()) // 60 * 60
    bodies = {
        "/api/auth/login": {"username": login[0], "password": login[1]},
        "/api/auth/password": {"old_password": "wrong", "new_password": "long-enough"},
        "/api/tracking/telemetry": sample_json("r1"),
    }
    params: dict[str, str | int] = {
        "from": now - 3600,
        "to": now,
        "room_id": "r1",
        "platform": "chaturbate",
    }
    answer = httpx.request(
        method, url, headers=headers, params=params, json=bodies.get(path), timeout=10
    )
    return answer.status_code


def _routes(server: ServerProcess) -> set[tuple[str, str]]:
    described = httpx.get(server.url + "/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, methods in described.items() for method in methods}


def test_every_route_is_in_the_table(prod: tuple[ServerProcess, dict[Any, Any]]) -> None:
    server, _ = prod
    assert _routes(server) | UNDESCRIBED == set(ROUTES)


@pytest.mark.parametrize(
    "route", sorted(r for r in ROUTES if r not in UNDESCRIBED), ids=lambda r: f"{r[0]} {r[1]}"
)
def test_every_caller_gets_what_the_table_says(
    prod: tuple[ServerProcess, dict[Any, Any]], route: tuple[str, str]
) -> None:
    server, callers = prod
    need = ROUTES[route]
    found, expected = {}, {}
    for caller, headers in callers.items():
        status = _request(server, *route, headers)
        if caller in ("disabled user", "expired token"):
            want = ALLOWED if need is Need.PUBLIC else 401
        else:
            want = TABLE[need][caller]
        found[str(caller)] = "allowed" if status not in (401, 403) else status
        expected[str(caller)] = "allowed" if want == ALLOWED else want
    assert found == expected


@pytest.mark.parametrize(
    "route", sorted(r for r in ROUTES if r not in UNDESCRIBED), ids=lambda r: f"{r[0]} {r[1]}"
)
def test_in_dev_mode_nobody_gets_the_dev_column(
    dev_server: ServerProcess, route: tuple[str, str]
) -> None:
    status = _request(dev_server, *route, {}, login=("demo", "demo"))
    want = DEV_ANONYMOUS[ROUTES[route]]
    assert ("allowed" if status not in (401, 403) else status) == (
        "allowed" if want == ALLOWED else want
    )


def test_the_feed_follows_the_table(prod: tuple[ServerProcess, dict[Any, Any]]) -> None:
    server, callers = prod

    async def outcome(headers: dict[str, str]) -> str:
        token = headers.get("Authorization", "").removeprefix("Bearer ") or None
        try:
            async with ws_connect(server, token) as ws:
                return str((await recv(ws))["event_type"])
        except ConnectionClosed as closed:
            return f"closed {closed.rcvd.code if closed.rcvd else None}"

    found = {str(c): asyncio.run(outcome(h)) for c, h in callers.items()}
    row = TABLE[ROUTES[("WS", "/ws/dashboard")]]
    codes = {
        ALLOWED: "SNAPSHOT",
        401: f"closed {CLOSE_AUTH_REQUIRED}",
        403: f"closed {CLOSE_FORBIDDEN}",
    }
    expected = {str(c): codes[row[c]] for c in callers if isinstance(c, Caller)}
    expected |= {"disabled user": codes[401], "expired token": codes[401]}
    assert found == expected


def test_a_user_token_never_ingests(prod: tuple[ServerProcess, dict[Any, Any]]) -> None:
    server, callers = prod
    answer = httpx.post(
        server.url + "/api/tracking/telemetry",
        json=sample_json("r1"),
        headers=callers[Caller.ADMIN],
    )
    assert answer.status_code == 403
    assert "may not" in answer.json()["message"]


def test_a_route_already_in_the_table_keeps_its_need() -> None:
    with pytest.raises(ValueError, match="already in the table"):
        declare("POST", "/api/tracking/telemetry", Need.PUBLIC)
    assert ROUTES[("POST", "/api/tracking/telemetry")] is Need.COLLECTOR
