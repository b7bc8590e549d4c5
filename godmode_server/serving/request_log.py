"""Log lines an operator can follow: a request id on every line a request causes, and JSON.

Each HTTP request and WebSocket connection gets an id: the client's (or the proxy's)
``X-Request-Id`` when it is a short token of safe characters, otherwise one made here (this
node's random prefix and a counter: unique, and cheaper than a UUID on the ingest path).  HTTP
answers carry it back in ``X-Request-Id``, so a user reporting a failure can quote it.

With ``GODMODE_LOG_FORMAT=json`` every line is one JSON object (``time``, ``level``, ``logger``,
``message``, ``request_id`` when there is one, and for uvicorn's access lines ``client``,
``method``, ``path``, ``status``), for log collectors that parse fields rather than text.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import sys
from contextvars import ContextVar
from typing import Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LogFormat = Literal["text", "json"]

#: The id of the request (or WebSocket connection) whose code is running, if any.
request_id: ContextVar[str | None] = ContextVar("godmode_request_id", default=None)

#: What a client's own ``X-Request-Id`` may be; anything else is replaced by our own id
#: (an id lands in every log line of the request: no spaces, quotes or control characters).
_CLIENT_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}\Z")

HEADER = b"x-request-id"


class RequestIds:
    """ASGI middleware: give each request an id, for the log lines and the answer's header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._prefix = secrets.token_hex(4)
        self._counter = itertools.count(1)

    def _id_for(self, scope: Scope) -> str:
        name: bytes
        value: bytes
        for name, value in scope["headers"]:
            if name == HEADER:
                if _CLIENT_ID.match(value):
                    return value.decode()
                break
        return f"{self._prefix}-{next(self._counter):x}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = self._id_for(scope)
        token = request_id.set(rid)
        if kind == "http":
            header = (HEADER, rid.encode())

            async def send_with_id(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", ()), header]}
                await send(message)

            await self.app(scope, receive, send_with_id)
        else:
            await self.app(scope, receive, send)
        # Not in a ``finally``: when the app raises, the server logs the traceback after this
        # returns, and that line should carry the id too.  (uvicorn runs each request in a task
        # of its own, whose context ends with it.)
        request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the running request's id on each record (``record.request_id``, None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class AccessFields(logging.Filter):
    """uvicorn's access line as fields: its arguments are (client, method, path, version,
    status).  A handler's filter, so it sees the path after the logger's redaction."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            record.client, record.method, record.path, _, record.status = args
        return True


class _Json(JsonFormatter):
    def add_fields(
        self,
        log_data: dict[str, object],
        record: logging.LogRecord,
        message_dict: dict[str, object],
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        if log_data.get("request_id") is None:
            log_data.pop("request_id", None)


def json_formatter() -> logging.Formatter:
    return _Json(
        ["asctime", "levelname", "name", "message", "request_id"],
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        # uvicorn's copy of the message with terminal colour codes: noise in a log store.
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


class _GodmodeHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler :func:`configure` installs (and replaces when called again)."""


def configure(level: str, log_format: LogFormat) -> None:
    """Send the process's log lines to stderr, as text or as JSON.

    In JSON, uvicorn's loggers must have no handlers of their own (see :func:`uvicorn_log_config`)
    so that their lines reach this one.
    """
    root = logging.getLogger()
    root.setLevel(level.upper())
    for old in [h for h in root.handlers if isinstance(h, _GodmodeHandler)]:
        root.removeHandler(old)
    handler = _GodmodeHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.addFilter(AccessFields())
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def uvicorn_log_config(log_format: LogFormat) -> dict[str, object] | None:
    """uvicorn's ``log_config``: its own console format for text; none for JSON, so that its
    lines propagate to the JSON handler."""
    from uvicorn.config import LOGGING_CONFIG

    return LOGGING_CONFIG if log_format == "text" else None
