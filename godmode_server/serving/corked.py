"""A connection's writes of one turn of the event loop, sent in as few system calls as can be.

Under load most of the server's time went into ``send()`` system calls, one per write: two per
HTTP answer (uvicorn writes the head and the body apart) and one per event per dashboard, even
when several events for the same dashboard were written in the same turn of the loop.  A
:class:`CorkedTransport` stands between a protocol and its transport and collects writes until
the end of the turn (one ``call_soon`` per turn for every connection of the loop):

* an HTTP answer's head and body leave in one system call;
* a dashboard's first event of a turn is written at once (no delay is added to a delivery when
  the server is not busy: ``first_at_once``), and the events that follow it in the same turn,
  which only happen under load, leave together at the turn's end.  (Making every event wait
  for the turn's end while the server is busy took 20 % more deliveries a second at saturation
  but added 1-3 ms to the p99 at 300 samples/s; measured in docs/PERFORMANCE.md.)

Order is kept (once anything waits, every later write of the connection waits behind it);
closing flushes first; aborting drops what waits, as the transport's own abort does.  Flow
control is the transport's: it still pauses the protocol when its buffer passes the high-water
mark, one turn later at most.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any


class _Turn:
    """Which turn of one event loop it is, and the connections waiting for its end."""

    __slots__ = ("armed", "loop", "number", "waiting")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.number = 0
        self.armed = False
        self.waiting: list[CorkedTransport] = []

    def arm(self) -> None:
        if not self.armed:
            self.armed = True
            self.loop.call_soon(self.end)

    def end(self) -> None:
        self.number += 1
        self.armed = False
        waiting, self.waiting = self.waiting, []
        for transport in waiting:
            transport.flush()


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Turn] = weakref.WeakKeyDictionary()


def _turn_of(loop: asyncio.AbstractEventLoop) -> _Turn:
    turn = _turns.get(loop)
    if turn is None:
        turn = _turns[loop] = _Turn(loop)
    return turn


class CorkedTransport:
    """Delegates everything to ``transport`` but ``write``, which may wait for the turn's end."""

    __slots__ = ("_pending", "_turn", "_wrote_in", "first_at_once", "inner")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self.inner = transport
        #: Write a turn's first chunk at once (dashboards), or every chunk at the turn's end
        #: (HTTP answers: a head and a body).
        self.first_at_once = False
        self._turn = _turn_of(loop)
        self._pending: list[bytes] = []
        self._wrote_in = -1  # the turn of the last write straight to the transport

    @classmethod
    def around(cls, transport: Any) -> Any:
        """``transport`` corked (once: a corked transport is returned as it is)."""
        if isinstance(transport, cls):
            return transport
        return cls(transport, asyncio.get_running_loop())

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        turn = self._turn
        if self.first_at_once and not self._pending and self._wrote_in != turn.number:
            self._wrote_in = turn.number
            turn.arm()  # so that a second write in this turn knows it is the same turn
            self.inner.write(data)
            return
        if not self._pending:
            turn.waiting.append(self)
            turn.arm()
        # A copy of a mutable buffer: the caller may reuse it once write() returns.
        self._pending.append(data if isinstance(data, bytes) else bytes(data))

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        """Hand what waits to the transport now."""
        pending = self._pending
        if not pending:
            return
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pending.clear()
        if not self.inner.is_closing():
            self.inner.write(data)

    def is_closing(self) -> bool:  # asked before every direct write: not through __getattr__
        return self.inner.is_closing()

    def get_write_buffer_size(self) -> int:
        return self.inner.get_write_buffer_size() + sum(len(chunk) for chunk in self._pending)

    def write_eof(self) -> None:
        self.flush()
        self.inner.write_eof()

    def close(self) -> None:
        self.flush()
        self.inner.close()

    def abort(self) -> None:
        self._pending.clear()
        self.inner.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
