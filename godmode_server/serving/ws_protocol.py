"""uvicorn's WebSocket protocol with bounded send buffers for dashboards.

By default the kernel grows a socket's send buffer up to several megabytes, so a dashboard that
stops reading could fall thousands of events behind before the hub noticed, holding that much
memory.  Fixing the kernel buffer and the transport's write buffer to ``send_buffer`` bytes makes
"too slow" mean "about ``send_buffer`` bytes plus the hub queue behind", a bound the operator
chooses (``GODMODE_WS_SEND_BUFFER``), after which the client is closed and resumes with ``since``.

What a dashboard may make the server do is bounded too (:class:`SocketLimits`): the handshake
has a deadline; control frames count against the same write buffer (a pong is not written to a
client whose buffer is full: a peer that pings and never reads cannot grow it); a client that
sends more than a few messages a second, pings included, is closed with
:data:`~godmode_common.protocol.CLOSE_TOO_MANY_MESSAGES`; and once the application is done
with a connection, its closing handshake gets ``close_grace`` seconds before the socket is
aborted, so a stalled client cannot hold it open.

It also offers the application a way to write a message at once, without a task switch or an
``await``, when the socket takes it (scope extension :data:`DIRECT_SEND`): the hub uses it to
hand an event to every idle dashboard in one pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

from godmode_common.protocol import CLOSE_TOO_MANY_MESSAGES
from godmode_server.serving.corked import CorkedTransport

log = logging.getLogger(__name__)

#: Scope extension: ``send(frame: bytes) -> bool`` writes one ready-made text frame (see
#: :func:`text_frame`) now if it can.
DIRECT_SEND = "godmode.direct_send"


def text_frame(payload: bytes) -> bytes:
    """A complete, unfragmented WebSocket text frame as a server sends it (RFC 6455 5.2), made by
    the websockets library's own encoder.

    A server's frames are not masked, so the bytes are the same for every dashboard: the hub
    builds one per event and writes it to each socket, instead of encoding it once per client.
    """
    return Frame(Opcode.TEXT, payload).serialize(mask=False)


#: What the direct send and the bounds read of uvicorn's protocol beyond its public interface.
#: uvicorn is pinned below its next minor version, and :func:`direct_send_supported` checks
#: these at the first connection anyway: without them, events go the ordinary way.
PROTOCOL_INTERNALS = (
    "handshake_complete",
    "close_sent",
    "initial_response",
    "writable",
    "conn",
    "transport",
)


def direct_send_supported(protocol: object) -> bool:
    """Whether ``protocol`` (a connected uvicorn WebSocket protocol) has what
    :meth:`send_now` reads, including write flow control (``pause_writing`` clearing
    ``writable``: without it a full socket would look writable and the direct writes would
    pile up unbounded)."""
    return all(hasattr(protocol, name) for name in PROTOCOL_INTERNALS) and (
        getattr(type(protocol), "pause_writing", None) is not asyncio.BaseProtocol.pause_writing
    )


def reset(transport: asyncio.Transport) -> None:
    """Drop a connection at once, unsent data and all.

    A plain abort closes the descriptor, but the kernel still holds the socket with its unsent
    data for as long as the peer keeps its window shut; lingering 0 s makes it a reset, which
    frees everything now."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


@dataclass(frozen=True, slots=True)
class SocketLimits:
    #: Bytes a socket may hold unsent, in the kernel and in the transport each.
    send_buffer: int
    #: Seconds from the upgrade request to the accepted handshake.
    handshake_timeout: float = 15.0
    #: Messages a client may send per second (data and control frames), twice that in a burst.
    client_rate: float = 10.0
    #: Seconds a connection may take to close once the application is done with it.
    close_grace: float = 5.0
    #: Offer the application :data:`DIRECT_SEND` (when uvicorn's internals allow it).
    direct_send: bool = True
    #: A connection's writes of one turn of the loop in one system call (corked.py).
    coalesce_writes: bool = True


def bounded_protocol(limits: SocketLimits) -> type[WebSocketsSansIOProtocol]:
    """A protocol class for ``uvicorn.Config(ws=...)`` that enforces ``limits``."""
    send_buffer = limits.send_buffer
    burst = 2 * limits.client_rate

    class BoundedWebSocketProtocol(WebSocketsSansIOProtocol):
        _allowance = burst
        _allowance_at = 0.0
        #: Whether this uvicorn has what the direct send reads (known at the first connection).
        direct_send: ClassVar[bool | None] = None if limits.direct_send else False

        def connection_made(self, transport: Any) -> None:
            if limits.coalesce_writes:
                transport = CorkedTransport.around(transport)
                transport.first_at_once = True  # an event waits for nothing on an idle server
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
            inner = transport.inner if isinstance(transport, CorkedTransport) else transport
            if isinstance(inner, asyncio.WriteTransport):
                inner.set_write_buffer_limits(high=send_buffer)
            self._allowance_at = self.loop.time()
            self.loop.call_later(limits.handshake_timeout, self._handshake_deadline)

        def _handshake_deadline(self) -> None:
            if not self.handshake_complete and not self.disconnected:
                log.info("WebSocket handshake not completed in %g s", limits.handshake_timeout)
                reset(self.transport)

        def handle_connect(self, event: Any) -> None:
            super().handle_connect(event)
            cls = type(self)
            if cls.direct_send is None:
                cls.direct_send = direct_send_supported(self)
                if not cls.direct_send:
                    log.warning(
                        "this uvicorn's WebSocket protocol lacks what the direct send reads; "
                        "dashboards are sent events the ordinary way (slower under load)"
                    )
            scope = getattr(self, "scope", None)
            if scope is not None and cls.direct_send:
                # The application task has not run yet: it will see this.
                scope["extensions"][DIRECT_SEND] = self.send_now

        # --- what the client sends: a budget of messages -----------------------------------

        def _within_budget(self) -> bool:
            """Count one message from the client; ``False`` (and the connection failed) when it
            is over the budget of ``client_rate`` a second."""
            now = self.loop.time()
            self._allowance = min(
                burst, self._allowance + (now - self._allowance_at) * limits.client_rate
            )
            self._allowance_at = now
            if self._allowance >= 1:
                self._allowance -= 1
                return True
            if not self.close_sent and not self.transport.is_closing():
                log.info("dashboard closed: more than %g messages a second", limits.client_rate)
                self.conn.fail(CLOSE_TOO_MANY_MESSAGES, "too many messages")
                self.close_sent = True
                self._half_close(b"".join(self.conn.data_to_send()))
            return False

        def handle_text(self, event: Any) -> None:
            if self._within_budget():
                super().handle_text(event)

        def handle_bytes(self, event: Any) -> None:
            if self._within_budget():
                super().handle_bytes(event)

        def handle_cont(self, event: Any) -> None:
            if self._within_budget():
                super().handle_cont(event)

        def handle_pong(self, event: Any) -> None:
            if self._within_budget():
                super().handle_pong(event)

        def handle_ping(self) -> None:
            pong = b"".join(self.conn.data_to_send())
            # A full buffer means the client does not read: a pong would only add to it.
            if self._within_budget() and self.writable.is_set():
                self.transport.write(pong)

        # --- closing ---------------------------------------------------------------------------

        def on_task_complete(self, task: asyncio.Task[None]) -> None:
            super().on_task_complete(task)
            # The application is done; a client that stopped reading would hold the closing
            # handshake (and the socket) open for as long as it likes.
            self.loop.call_later(limits.close_grace, self._abort_if_open)

        def _half_close(self, last: bytes) -> None:
            """Write ``last`` and end the sending side, but go on reading (and discarding) until
            the client closes or ``close_grace`` passes: closing outright would answer the
            client's next message with a reset, which destroys the close frame unread."""
            self.transport.write(last)
            if self.transport.can_write_eof():
                self.transport.write_eof()
            else:
                self.transport.close()
            if self.read_paused:
                self.read_paused = False
                self.transport.resume_reading()
            self.loop.call_later(limits.close_grace, self._abort_if_open)

        def _abort_if_open(self) -> None:
            if not self.disconnected:
                reset(self.transport)

        def send_now(self, frame: bytes) -> bool:
            """Write a ready-made text frame if the connection is open and its buffer has room;
            ``False`` means "not now" (the caller queues it and sends it the usual way).

            The frame goes to the transport as is: the connection's state machine has nothing
            to track for a complete data frame, and nothing else writes between two calls (one
            event loop, whole frames only)."""
            if (
                not self.handshake_complete
                or self.close_sent
                or self.initial_response is not None
                or self.transport.is_closing()
                or not self.writable.is_set()
                or self.conn.state is not State.OPEN
            ):
                return False
            self.transport.write(frame)
            return True

    return BoundedWebSocketProtocol
