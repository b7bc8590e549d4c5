"""A connection's writes of a turn of the loop leave together, in order, and none is lost."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from godmode_server.serving.corked import CorkedTransport


class Counted:
    """A real transport, with the writes that reached it counted."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self.transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


async def _connected() -> tuple[asyncio.Transport, socket.socket]:
    """A transport on one end of a connected socket pair, and the other end to read."""
    ours, theirs = socket.socketpair()
    transport, _ = await asyncio.get_running_loop().create_connection(asyncio.Protocol, sock=ours)
    theirs.setblocking(False)
    return transport, theirs


@pytest.fixture
async def pair() -> AsyncIterator[tuple[Counted, socket.socket]]:
    transport, theirs = await _connected()
    yield Counted(transport), theirs
    transport.abort()
    theirs.close()


async def _received(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    data = b""
    while len(data) < size:
        data += await asyncio.wait_for(loop.sock_recv(sock, size - len(data)), 5)
    return data


async def _next_turns() -> None:
    """Return once every callback scheduled so far has run (the end of the turn among them:
    callbacks run in the order they were scheduled)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(done.set_result, None)
    await done


async def test_an_answers_head_and_body_leave_in_one_write(
    pair: tuple[Counted, socket.socket],
) -> None:
    inner, other = pair
    corked = CorkedTransport.around(inner)
    corked.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    corked.write(bytearray(b"ok"))
    assert inner.writes == []  # nothing before the turn ends
    await _next_turns()
    assert inner.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]
    assert await _received(other, 40) == inner.writes[0]


async def test_a_dashboards_first_event_of_a_turn_waits_for_nothing(
    pair: tuple[Counted, socket.socket],
) -> None:
    inner, other = pair
    corked = CorkedTransport.around(inner)
    corked.first_at_once = True
    corked.write(b"one")
    assert inner.writes == [b"one"]  # at once
    corked.write(b"two")
    corked.write(memoryview(b"three"))
    assert inner.writes == [b"one"]  # the rest of the turn waits
    await _next_turns()
    corked.write(b"four")  # a new turn: at once again
    assert inner.writes == [b"one", b"twothree", b"four"]
    assert await _received(other, 15) == b"onetwothreefour"


async def test_closing_sends_what_waits_and_aborting_drops_it(
    pair: tuple[Counted, socket.socket],
) -> None:
    inner, other = pair
    corked = CorkedTransport.around(inner)
    corked.write(b"last words")
    corked.close()
    assert await _received(other, 10) == b"last words"

    transport, theirs = await _connected()
    aborted = CorkedTransport.around(Counted(transport))
    aborted.write(b"never")
    aborted.abort()
    await _next_turns()
    assert aborted.inner.writes == []
    theirs.close()


async def test_corking_twice_is_corking_once(pair: tuple[Counted, socket.socket]) -> None:
    inner, _ = pair
    corked = CorkedTransport.around(inner)
    assert CorkedTransport.around(corked) is corked
    assert corked.get_extra_info("socket") is inner.get_extra_info("socket")


def test_each_event_loop_has_its_own_turns() -> None:
    """A loop that ended with writes waiting leaves nothing stuck for the next one."""

    async def run() -> bytes:
        transport, theirs = await _connected()
        corked = CorkedTransport.around(transport)
        corked.first_at_once = True
        corked.write(b"a")
        corked.write(b"b")
        await _next_turns()
        got = await _received(theirs, 2)
        transport.abort()
        theirs.close()
        return got

    assert asyncio.run(run()) == b"ab"
    assert asyncio.run(run()) == b"ab"
