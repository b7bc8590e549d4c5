"""A disabled user, a changed password or a revoked key stops working within a second on every
node sharing the database, open WebSockets included (godmode_server/accounts/credentials.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from godmode_common.protocol import CLOSE_AUTH_REQUIRED
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, ws_connect
from tests.helpers.servers import ServerFactory, ServerProcess

#: The promise: a change counts everywhere within this time.
WITHIN = 1.0
PASSWORD = "s3cret-pass"


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        yield request.getfixturevalue("postgres").new_database()


@pytest.fixture
def nodes(make_server: ServerFactory, shared_database: str) -> list[ServerProcess]:
    """Two production nodes on one database, and a user ``cara``."""
    a = make_server(dev=False, GODMODE_DATABASE_URL=shared_database)
    b = make_server(dev=False, GODMODE_DATABASE_URL=shared_database)
    assert a.cli("user", "add", "cara", input=PASSWORD + "\n").returncode == 0
    return [a, b]


def read(server: ServerProcess, token: str) -> int:
    answer = httpx.get(
        server.url + "/api/tracking/telemetry", headers={"Authorization": f"Bearer {token}"}
    )
    return answer.status_code


async def closed_code(ws: ClientConnection, timeout: float) -> int:
    """Read until the server closes (within ``timeout``); its close code."""
    async with asyncio.timeout(timeout):
        try:
            while True:
                await ws.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else 1006


def refresh(server: ServerProcess, token: str) -> int:
    answer = httpx.post(
        server.url + "/api/auth/refresh", headers={"Authorization": f"Bearer {token}"}
    )
    return answer.status_code


def refused_within(servers: list[ServerProcess], token: str, since: float) -> float:
    """Seconds from ``since`` until every node answers a read with ``token`` 401."""
    pending = list(servers)
    while pending:
        pending = [s for s in pending if read(s, token) != 401]
        if time.monotonic() - since > 5:
            pytest.fail(f"reads still answered on {[s.port for s in pending]}")
    return time.monotonic() - since


async def test_disabling_a_user_ends_reads_and_dashboards_on_every_node(
    nodes: list[ServerProcess],
) -> None:
    token = nodes[0].login("cara", PASSWORD)
    assert [read(n, token) for n in nodes] == [200, 200]
    async with ws_connect(nodes[0], token) as wa, ws_connect(nodes[1], token) as wb:
        for ws in (wa, wb):
            await next_event(ws, "SNAPSHOT")

        assert nodes[0].cli("user", "disable", "cara").returncode == 0
        done = time.monotonic()
        codes = await asyncio.gather(closed_code(wa, WITHIN), closed_code(wb, WITHIN))

    assert codes == [CLOSE_AUTH_REQUIRED, CLOSE_AUTH_REQUIRED]
    assert refused_within(nodes, token, done) < WITHIN
    # Enabling the account again does not bring the old token back.
    assert nodes[0].cli("user", "enable", "cara").returncode == 0
    assert read(nodes[1], nodes[1].login("cara", PASSWORD)) == 200
    assert [read(n, token) for n in nodes] == [401, 401]


async def test_a_new_password_ends_the_sessions_of_the_old_one(
    nodes: list[ServerProcess],
) -> None:
    token = nodes[0].login("cara", PASSWORD)
    async with ws_connect(nodes[1], token) as ws:
        await next_event(ws, "SNAPSHOT")

        assert nodes[0].cli("user", "passwd", "cara", input="n3w-pass-456\n").returncode == 0
        done = time.monotonic()
        code = await closed_code(ws, WITHIN)

    assert code == CLOSE_AUTH_REQUIRED
    assert refused_within(nodes, token, done) < WITHIN
    assert refresh(nodes[0], token) == 401
    with pytest.raises(httpx.HTTPStatusError):
        nodes[0].login("cara", PASSWORD)
    assert [read(n, nodes[0].login("cara", "n3w-pass-456")) for n in nodes] == [200, 200]


def test_a_revoked_key_stops_on_every_node_within_a_second(
    nodes: list[ServerProcess], room: str
) -> None:
    key = nodes[0].cli("key", "create", "pc-1").stdout.strip()

    def post(server: ServerProcess, n: int) -> int:
        answer = httpx.post(
            server.url + "/api/tracking/telemetry",
            json=sample_json(room, tokens_count=n),
            headers={"X-Api-Key": key},
        )
        return answer.status_code

    assert [post(n, i) for i, n in enumerate(nodes)] == [200, 200]  # both nodes trust it now
    assert nodes[1].cli("key", "revoke", "pc-1").returncode == 0
    done = time.monotonic()
    pending = list(nodes)
    while pending:
        pending = [s for s in pending if post(s, 9) != 401]
        assert time.monotonic() - done < WITHIN, f"key still accepted on {pending}"


def test_a_deleted_user_is_refused_and_a_new_one_of_that_name_is_not_them(
    nodes: list[ServerProcess],
) -> None:
    token = nodes[0].login("cara", PASSWORD)
    assert nodes[1].cli("user", "delete", "cara", "--yes").returncode == 0
    assert refused_within(nodes, token, time.monotonic()) < WITHIN

    # The name is taken again by someone else: the old token is still nobody's.
    assert nodes[0].cli("user", "add", "cara", input="someone-else\n").returncode == 0
    assert [read(n, token) for n in nodes] == [401, 401]
    assert read(nodes[1], nodes[1].login("cara", "someone-else")) == 200


def test_a_new_role_ends_the_tokens_of_the_old_one(nodes: list[ServerProcess]) -> None:
    token = nodes[0].login("cara", PASSWORD)
    assert nodes[0].cli("user", "role", "cara", "admin").returncode == 0
    assert refused_within(nodes, token, time.monotonic()) < WITHIN
    fresh = nodes[1].login("cara", PASSWORD)
    assert jwt.decode(fresh, options={"verify_signature": False})["role"] == "admin"


def test_a_rotated_key_has_a_new_value_and_the_old_one_stops(
    nodes: list[ServerProcess], room: str
) -> None:
    old = nodes[0].cli("key", "create", "pc-2").stdout.strip()
    rotated = nodes[0].cli("key", "rotate", "pc-2")
    assert rotated.returncode == 0
    new = rotated.stdout.strip()
    assert new.startswith("gm_")
    assert new != old

    def post(key: str) -> int:
        return httpx.post(
            nodes[1].url + "/api/tracking/telemetry",
            json=sample_json(room),
            headers={"X-Api-Key": key},
        ).status_code

    assert post(new) == 200
    done = time.monotonic()
    while post(old) != 401:
        assert time.monotonic() - done < WITHIN, "the old value is still accepted"


def test_a_token_newer_than_what_a_node_knows_is_checked_again(
    make_server: ServerFactory, shared_database: str
) -> None:
    """A node that has not yet seen a change (polls 30 s apart here) still takes a token
    issued after it: enabled again, the user logs in on one node and reads from the other."""
    env = {"GODMODE_DATABASE_URL": shared_database, "GODMODE_CREDENTIALS_POLL": "30"}
    a, b = make_server(dev=False, **env), make_server(dev=False, **env)
    assert a.cli("user", "add", "dan", input=PASSWORD + "\n").returncode == 0
    old = a.login("dan", PASSWORD)
    assert read(b, old) == 200  # b now knows dan as he was

    assert a.cli("user", "disable", "dan").returncode == 0
    assert a.cli("user", "enable", "dan").returncode == 0
    new = a.login("dan", PASSWORD)

    assert read(b, new) == 200
    assert read(b, old) == 401  # and the token from before the disable stays refused
