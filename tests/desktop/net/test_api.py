"""The REST client's typed errors, against a real server, a closed port and a stranger."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from godmode_common.launcher import free_port
from godmode_common.rooms import RoomKey
from godmode_desktop.net.api import ApiClient, normalize_server_url, websocket_url
from godmode_desktop.net.errors import (
    BadCredentials,
    ProtocolMismatch,
    RequestRefused,
    ServerUnreachable,
    TokenExpired,
)
from tests.helpers.servers import ServerFactory, ServerProcess


async def test_login_returns_a_token(dev_server: ServerProcess) -> None:
    async with ApiClient(dev_server.url) as api:
        answer = await api.login("demo", "demo")
    assert answer.token_type == "bearer"
    assert answer.access_token


async def test_bad_password_is_bad_credentials(dev_server: ServerProcess) -> None:
    async with ApiClient(dev_server.url) as api:
        with pytest.raises(BadCredentials, match="Wrong user name or password"):
            await api.login("demo", "nope")


async def test_server_down_is_unreachable() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with ApiClient(url) as api:
        with pytest.raises(ServerUnreachable, match="Cannot reach the server"):
            await api.login("demo", "demo")


async def test_refused_token_is_token_expired(dev_server: ServerProcess) -> None:
    async with ApiClient(dev_server.url, token="not-a-token") as api:
        with pytest.raises(TokenExpired):
            await api.bulk()


async def test_bulk_refresh_and_history(dev_server: ServerProcess, demo_token: str) -> None:
    async with ApiClient(dev_server.url, token=demo_token) as api:
        bulk = await api.bulk()
        again = await api.bulk(bulk.seq, bulk.epoch)
        renewed = await api.refresh()
        empty = await api.history("never_seen_room", "chaturbate")
    assert bulk.full is True
    assert again.full is False
    assert renewed.access_token
    assert empty.samples == []


@pytest.fixture
async def stranger() -> AsyncIterator[str]:
    """An HTTP server that is not God Mode: it answers every request with an HTML page."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        body = b"<html>router login</html>"
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    server.close()
    await server.wait_closed()


async def test_a_server_that_is_not_god_mode_is_a_protocol_mismatch(stranger: str) -> None:
    async with ApiClient(stranger) as api:
        with pytest.raises(ProtocolMismatch, match="does not answer like a God Mode server"):
            await api.login("demo", "demo")


def test_urls_are_normalized() -> None:
    assert normalize_server_url("localhost:3000/") == "http://localhost:3000"
    assert websocket_url("https://gm.example:8443") == "wss://gm.example:8443/ws/dashboard"
    assert websocket_url("127.0.0.1:3000") == "ws://127.0.0.1:3000/ws/dashboard"


async def test_the_administration_calls_against_a_real_server(make_server: ServerFactory) -> None:
    server = make_server()  # dev mode: demo is an admin
    async with ApiClient(server.url, token=server.login()) as api:
        made = await api.create_user("mo", "mo-pass-123", "monitor")
        assert (made.username, made.role, made.reports) == ("mo", "monitor", False)
        assigned = await api.assign_rooms(
            "mo", [RoomKey("luna", "chaturbate"), RoomKey("luna", "chaturbate")]
        )
        assert [(r.room_id, r.platform) for r in assigned.rooms] == [("luna", "chaturbate")]
        granted = await api.change_user("mo", reports=True, disabled=True)
        assert (granted.reports, granted.disabled) == (True, True)
        await api.reset_password("mo", "new-pass-456")
        assert {u.username for u in await api.users()} == {"demo", "mo"}
        created = await api.create_key("pc-1")
        assert created.key.startswith("gm_")
        assert [(k.name, k.revoked, k.last_post) for k in await api.keys()] == [
            ("pc-1", False, None)
        ]
        await api.revoke_key("pc-1")
        assert (await api.keys())[0].revoked
        with pytest.raises(RequestRefused, match="last enabled administrator"):
            await api.delete_user("demo")
        await api.delete_user("mo")
        assert [u.username for u in await api.users()] == ["demo"]
