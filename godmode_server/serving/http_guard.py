"""uvicorn's HTTP protocol with the bounds a server on the internet needs.

uvicorn's httptools protocol puts no limit on a request's headers (one connection sending a
150 MB header held that much memory and stalled everyone), no deadline on a request whose
headers never end (slowloris: hundreds of half-open connections held forever), and it refuses
nothing before the process runs out of file descriptors (then every new client fails).  This
subclass adds, per connection:

* a cap on the bytes of a request's head (request line and headers) and on the number of
  headers: 431, and the connection closed, before more is read;
* a deadline to complete the head, from the connection's start or from the first data that
  left a request's head incomplete: 408, and the connection closed (WebSocket upgrade requests
  included: their head is this one);
* a cap on open connections (HTTP and WebSocket alike, below the open-file limit): a connection
  over it is answered 503 with ``Retry-After`` at once and closed, before it reads anything.

These are protocol-level checks with no per-request cost beyond a few comparisons.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from dataclasses import dataclass
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from godmode_server.serving.corked import CorkedTransport

log = logging.getLogger(__name__)

#: File descriptors kept out of the connection cap: the database pool, Redis, logs, listeners.
FD_RESERVE = 64
#: Where the open-file limit is "unlimited", the connection cap stays at this.
_FD_CEILING = 1 << 20

_REASONS = {
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    503: "Service Unavailable",
}


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """What one connection may take (see the module's docstring)."""

    max_connections: int
    max_header_bytes: int
    max_headers: int
    header_timeout: float
    #: An answer's head and body in one system call (corked.py).
    coalesce_writes: bool = True


def open_file_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit; the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = _FD_CEILING if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError) as exc:  # some sandboxes refuse: keep what there is
            log.info("open-file limit stays at %d: %s", soft, exc)
    return _FD_CEILING if soft == resource.RLIM_INFINITY else soft


def connection_cap(configured: int) -> int:
    """``configured``, or (0) what the open-file limit leaves after :data:`FD_RESERVE`."""
    available = max(16, open_file_limit() - FD_RESERVE)
    if configured and configured > available:
        log.warning(
            "GODMODE_MAX_CONNECTIONS=%d is above what the open-file limit allows (%d): "
            "new clients may fail before the cap refuses them",
            configured,
            available,
        )
    return configured or available


def plain_response(status: int, message: str, headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 answer with the API's error body, closing the connection."""
    body = orjson.dumps({"message": message, "errors": []})
    head = [f"HTTP/1.1 {status} {_REASONS.get(status, '')}"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    head += [
        "content-type: application/json",
        f"content-length: {len(body)}",
        "connection: close",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def guarded_http_protocol(limits: ConnectionLimits) -> type[HttpToolsProtocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` that enforces ``limits``."""

    class GuardedHttpProtocol(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None
        #: Bytes received since the current request began, while its head is incomplete.
        _head_bytes: int | None = 0
        _refused = False

        def connection_made(self, transport: Any) -> None:
            if limits.coalesce_writes:
                transport = CorkedTransport.around(transport)
            super().connection_made(transport)
            if len(self.connections) > limits.max_connections:
                log.warning("connection refused: %d open", len(self.connections) - 1)
                self._refuse(503, "the server has too many connections; retry shortly", "5")
                return
            self._head_bytes = 0
            self._start_deadline()

        def _start_deadline(self) -> None:
            if self._deadline is None:
                self._deadline = self.loop.call_later(limits.header_timeout, self._head_too_slow)

        def _end_head(self) -> None:
            self._head_bytes = None
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._head_bytes is None:
                self._head_bytes = 0

        # After a refusal the parser may still call back within the same data: nothing runs.
        def on_headers_complete(self) -> None:
            self._end_head()
            if len(self.headers) > limits.max_headers and not self._refused:
                # Counted once the head is complete: its bytes are bounded all along.
                self._refuse(431, f"the request has more than {limits.max_headers} headers")
            if not self._refused:
                super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self._refused:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if not self._refused:
                super().on_message_complete()

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            super().data_received(data)
            if self._head_bytes is None or self._refused:
                return  # the usual case: each request's head arrived whole
            self._head_bytes += len(data)
            if self._head_bytes > limits.max_header_bytes:
                self._refuse(431, f"the request's headers exceed {limits.max_header_bytes} bytes")
            else:
                # A head left incomplete: from now on it has until the deadline.  (No timer
                # per request otherwise: a head that comes whole never needs one.)
                self._start_deadline()

        def _head_too_slow(self) -> None:
            self._deadline = None
            if self._head_bytes is not None and not self._refused:
                self._refuse(408, f"the request was not sent within {limits.header_timeout:g} s")

        def _refuse(self, status: int, message: str, retry_after: str | None = None) -> None:
            self._refused = True
            self._end_head()
            if self.transport.is_closing():
                return
            headers = {"retry-after": retry_after} if retry_after else None
            self.transport.write(plain_response(status, message, headers))
            self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._end_head()
            super().connection_lost(exc)

    return GuardedHttpProtocol
