"""How uvicorn serves the app: the guarded HTTP and WebSocket protocols, request ids and redacted
logs, keep-alive and TLS, all from the settings (the command line's ``run``, its workers, and the
tests' and benchmarks' servers use this one configuration)."""

from __future__ import annotations

import uvicorn

from godmode_common import keepalive
from godmode_server.serving import log_redaction, request_log
from godmode_server.serving.http_guard import (
    ConnectionLimits,
    connection_cap,
    guarded_http_protocol,
)
from godmode_server.serving.ws_protocol import SocketLimits, bounded_protocol
from godmode_server.settings import Settings

#: Largest WebSocket message accepted from a dashboard (they send nothing useful).
WS_MAX_MESSAGE = 64 * 1024


def server_config(app: object, settings: Settings, log_level: str = "info") -> uvicorn.Config:
    """How uvicorn serves ``app`` (also used by the benchmarks' variants of the app)."""
    config = uvicorn.Config(
        # Outermost, so that every line a request causes carries its id, tracebacks included.
        request_log.RequestIds(app),  # type: ignore[arg-type]
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        log_config=request_log.uvicorn_log_config(settings.log_format),
        http=guarded_http_protocol(
            ConnectionLimits(
                max_connections=connection_cap(settings.max_connections),
                max_header_bytes=settings.max_header_bytes,
                max_headers=settings.max_headers,
                header_timeout=settings.header_timeout,
                coalesce_writes=settings.coalesce_writes,
            )
        ),
        ws=bounded_protocol(
            SocketLimits(
                send_buffer=settings.ws_send_buffer,
                handshake_timeout=settings.header_timeout,
                client_rate=settings.ws_client_rate,
                direct_send=settings.ws_direct_send,
                coalesce_writes=settings.coalesce_writes,
            )
        ),
        ws_max_size=WS_MAX_MESSAGE,
        # Events are serialized once for all dashboards; compression would redo it per client.
        ws_per_message_deflate=False,
        # Forwarded headers only from the proxies named (uvicorn would trust localhost's).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        server_header=False,
        timeout_keep_alive=keepalive.SERVER_SECONDS,  # clients drop idle ones first
        ssl_certfile=str(settings.tls_certfile) if settings.tls_certfile else None,
        ssl_keyfile=str(settings.tls_keyfile) if settings.tls_keyfile else None,
    )
    log_redaction.install()  # uvicorn has set up its loggers by now
    return config
