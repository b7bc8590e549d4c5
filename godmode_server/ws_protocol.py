"""uvicorn's WebSocket protocol with bounded send buffers for dashboards.

By default the kernel grows a socket's send buffer up to several megabytes, so a dashboard that
stops reading could fall thousands of events behind before the hub noticed, holding that much
memory.  Fixing the kernel buffer and the transport's write buffer to ``send_buffer`` bytes makes
"too slow" mean "about ``send_buffer`` bytes plus the hub queue behind", a bound the operator
chooses (``GODMODE_WS_SEND_BUFFER``), after which the client is closed and resumes with ``since``.

It also offers the application a way to write a message at once, without a task switch or an
``await``, when the socket takes it (scope extension :data:`DIRECT_SEND`): the hub uses it to
hand an event to every idle dashboard in one pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

#: Scope extension: ``send(frame: bytes) -> bool`` writes one ready-made text frame (see
#: :func:`text_frame`) now if it can.
DIRECT_SEND = "godmode.direct_send"


def text_frame(payload: bytes) -> bytes:
    """A complete, unfragmented WebSocket text frame as a server sends it (RFC 6455 5.2).

    A server's frames are not masked, so the bytes are the same for every dashboard: the hub
    builds one per event and writes it to each socket, instead of encoding it once per client.
    """
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


def bounded_protocol(send_buffer: int) -> type[WebSocketsSansIOProtocol]:
    """A protocol class for ``uvicorn.Config(ws=...)`` with buffers of ``send_buffer`` bytes."""

    class BoundedWebSocketProtocol(WebSocketsSansIOProtocol):
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
            if isinstance(transport, asyncio.WriteTransport):
                transport.set_write_buffer_limits(high=send_buffer)

        def handle_connect(self, event: Any) -> None:
            super().handle_connect(event)
            scope = getattr(self, "scope", None)
            if scope is not None:  # the application task has not run yet: it will see this
                scope["extensions"][DIRECT_SEND] = self.send_now

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
