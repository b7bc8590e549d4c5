"""HTTP client of the tracking backend (httpx), turning every failure into a typed error."""

from __future__ import annotations

import ssl
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from .errors import (
    BadCredentials,
    ProtocolMismatch,
    RequestRefused,
    ServerError,
    ServerUnreachable,
    TlsFailure,
    TokenExpired,
)
from .protocol import BulkTelemetry, RoomHistory, TokenResponse
from .tls import client_tls

ModelT = TypeVar("ModelT", bound=BaseModel)

DEFAULT_TIMEOUT = 10.0


def normalize_server_url(url: str) -> str:
    """``host:port`` or ``http://host:port/`` → ``http://host:port`` (no trailing slash)."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    return url


def websocket_url(server_url: str) -> str:
    base = normalize_server_url(server_url)
    scheme, rest = base.split("://", 1)
    return ("wss" if scheme == "https" else "ws") + "://" + rest + "/ws/dashboard"


class ApiClient:
    """One server's REST API.  ``token`` is sent as a Bearer header when set."""

    def __init__(
        self,
        server_url: str,
        *,
        token: str | None = None,
        tls: ssl.SSLContext | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.server_url = normalize_server_url(server_url)
        self.token = token
        #: Used for https:// here and for wss:// by the live feed (see net/tls.py).
        self.tls = tls or client_tls()
        self._http = httpx.AsyncClient(base_url=self.server_url, verify=self.tls, timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    # --- endpoints -----------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> TokenResponse:
        answer = await self._send(
            "POST",
            "/api/auth/login",
            json={"username": username, "password": password},
            login=True,
        )
        return self._parse(answer, TokenResponse)

    async def refresh(self) -> TokenResponse:
        return self._parse(await self._send("POST", "/api/auth/refresh"), TokenResponse)

    async def bulk(self, since: int | None = None, epoch: str | None = None) -> BulkTelemetry:
        params: dict[str, Any] = {}
        if since is not None and epoch is not None:
            params = {"since": since, "epoch": epoch}
        answer = await self._send("GET", "/api/tracking/telemetry", params=params)
        return self._parse(answer, BulkTelemetry)

    async def history(self, room_id: str, platform: str, limit: int = 500) -> RoomHistory:
        answer = await self._send(
            "GET",
            f"/api/tracking/telemetry/{room_id}/{platform}/history",
            params={"limit": limit},
            missing_ok=True,
        )
        if answer.status_code == 404:
            return RoomHistory(room_id=room_id, platform=platform, samples=[])
        return self._parse(answer, RoomHistory)

    # --- plumbing ------------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        login: bool = False,
        missing_ok: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token and not login else {}
        try:
            answer = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.ConnectError as exc:
            if _is_tls_error(exc):
                raise TlsFailure(self.server_url, _tls_detail(exc)) from exc
            raise ServerUnreachable(self.server_url, "connection refused or no route") from exc
        except httpx.TimeoutException as exc:
            raise ServerUnreachable(self.server_url, "no answer in time") from exc
        except httpx.TransportError as exc:
            if _is_tls_error(exc):
                raise TlsFailure(self.server_url, _tls_detail(exc)) from exc
            raise ServerUnreachable(self.server_url, type(exc).__name__) from exc
        if answer.status_code == 401:
            raise BadCredentials() if login else TokenExpired()
        if answer.status_code == 404 and missing_ok:
            return answer
        if answer.status_code >= 500:
            raise ServerError(answer.status_code, _error_message(answer))
        if answer.status_code >= 400:
            if answer.status_code == 404 and not _error_message(answer):
                raise ProtocolMismatch(self.server_url, f"{path} not found")
            raise RequestRefused(answer.status_code, _error_message(answer))
        return answer

    def _parse(self, answer: httpx.Response, model: type[ModelT]) -> ModelT:
        try:
            return model.model_validate_json(answer.content)
        except ValidationError as exc:
            raise ProtocolMismatch(self.server_url, f"unexpected {model.__name__}") from exc


def _is_tls_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "SSL" in str(exc) or "CERTIFICATE" in str(exc)


def _tls_detail(exc: BaseException) -> str:
    text = str(exc)
    return "certificate not trusted" if "CERTIFICATE_VERIFY_FAILED" in text else text[:120]


def _error_message(answer: httpx.Response) -> str:
    """The server's own sentence from an error body, if it sent one."""
    try:
        body = answer.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) else ""
