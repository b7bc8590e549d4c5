"""uvicorn's WebSocket protocol with bounded send buffers for dashboards.

By default the kernel grows a socket's send buffer up to several megabytes, so a dashboard that
stops reading could fall thousands of events behind before the hub noticed, holding that much
memory.  Fixing the kernel buffer and the transport's write buffer to ``send_buffer`` bytes makes
"too slow" mean "about ``send_buffer`` bytes plus the hub queue behind", a bound the operator
chooses (``GODMODE_WS_SEND_BUFFER``), after which the client is closed and resumes with ``since``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


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

    return BoundedWebSocketProtocol
