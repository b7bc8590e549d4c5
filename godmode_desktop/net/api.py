"""HTTP client of the tracking backend (httpx), turning every failure into a typed error.

The app trusts no server with its memory or its time: an answer larger than
:data:`MAX_ANSWER_BYTES` is refused as it streams in (compressed answers are not asked for and
not taken, so nothing inflates past the count), a snapshot or poll may hold at most
:data:`MAX_ROOMS` rooms, and a whole request, however slowly a server trickles it, ends after
``deadline`` seconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from godmode_common import keepalive
from godmode_common.rooms import RoomKey

from .errors import (
    BadCredentials,
    ProtocolMismatch,
    RequestRefused,
    ServerError,
    ServerUnreachable,
    TlsFailure,
    TokenExpired,
)
from .protocol import (
    Account,
    AuditRecord,
    BulkTelemetry,
    CreatedKey,
    EarningsReport,
    KeptOutline,
    KeySummary,
    OutlineSummary,
    RatesInfo,
    ReportCalendar,
    ReportGroup,
    RoomHistory,
    ServedSelectors,
    StrategyTrial,
    TokenResponse,
    UserSummary,
)
from .tls import client_tls

ModelT = TypeVar("ModelT", bound=BaseModel)

DEFAULT_TIMEOUT = 10.0
#: Longest a whole request may take, from connecting to the answer's last byte.
REQUEST_DEADLINE = 30.0
#: Largest answer read (a WebSocket message too): about 50,000 rooms of a snapshot.
MAX_ANSWER_BYTES = 8 * 1024 * 1024
#: Most rooms a snapshot or poll answer may hold; a studio has tens to hundreds.
MAX_ROOMS = 20_000


#: Audit entries the Administration window reads (the newest; the API allows 10,000).
AUDIT_ENTRIES = 2000


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
        deadline: float = REQUEST_DEADLINE,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.server_url = normalize_server_url(server_url)
        self.token = token
        #: Used for https:// here and for wss:// by the live feed (see net/tls.py).
        self.tls = tls or client_tls()
        self.deadline = deadline
        self.max_answer_bytes = max_answer_bytes
        self._http = httpx.AsyncClient(
            base_url=self.server_url,
            verify=self.tls,
            timeout=timeout,
            headers={"Accept-Encoding": "identity"},
            limits=httpx.Limits(keepalive_expiry=keepalive.CLIENT_SECONDS),
        )

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
        bulk = self._parse(answer, BulkTelemetry)
        check_room_count(self.server_url, len(bulk.rooms))
        return bulk

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

    async def history_range(
        self, room_id: str, platform: str, start: int, end: int, points: int
    ) -> RoomHistory:
        """The room's archived samples of [start, end], at most ``points`` of them (the server
        keeps each stretch's lowest and highest values); empty when it has none."""
        answer = await self._send(
            "GET",
            f"/api/tracking/telemetry/{room_id}/{platform}/history",
            params={"from": start, "to": end, "points": points},
            missing_ok=True,
        )
        if answer.status_code == 404:
            return RoomHistory(room_id=room_id, platform=platform, samples=[])
        return self._parse(answer, RoomHistory)

    # --- administration (admins) ---------------------------------------------------------

    async def users(self) -> list[UserSummary]:
        answer = await self._send("GET", "/api/admin/users")
        return self._parse_list(answer, UserSummary)

    async def create_user(self, username: str, password: str, role: str) -> UserSummary:
        body = {"username": username, "password": password, "role": role}
        return self._parse(await self._send("POST", "/api/admin/users", json=body), UserSummary)

    async def change_user(self, username: str, **change: object) -> UserSummary:
        answer = await self._send("PATCH", f"/api/admin/users/{username}", json=change)
        return self._parse(answer, UserSummary)

    async def reset_password(self, username: str, password: str) -> None:
        await self._send(
            "POST", f"/api/admin/users/{username}/password", json={"password": password}
        )

    async def assign_rooms(self, username: str, rooms: list[RoomKey]) -> UserSummary:
        body = {"rooms": [{"room_id": r, "platform": p} for r, p in rooms]}
        answer = await self._send("PUT", f"/api/admin/users/{username}/rooms", json=body)
        return self._parse(answer, UserSummary)

    async def delete_user(self, username: str) -> None:
        await self._send("DELETE", f"/api/admin/users/{username}")

    async def keys(self) -> list[KeySummary]:
        return self._parse_list(await self._send("GET", "/api/admin/keys"), KeySummary)

    async def create_key(self, name: str) -> CreatedKey:
        return self._parse(
            await self._send("POST", "/api/admin/keys", json={"name": name}), CreatedKey
        )

    async def revoke_key(self, name: str) -> None:
        await self._send("DELETE", f"/api/admin/keys/{name}")

    async def audit(self, limit: int = AUDIT_ENTRIES) -> list[AuditRecord]:
        """The latest administrative actions, newest first."""
        answer = await self._send("GET", "/api/admin/audit", params={"limit": limit})
        return self._parse_list(answer, AuditRecord)

    async def rates(self) -> RatesInfo:
        """The payout and exchange rates the studio set, and its currency."""
        return self._parse(await self._send("GET", "/api/admin/rates"), RatesInfo)

    async def set_payout_rate(
        self, platform: str, room_id: str | None, usd_per_token: str, start: dt.date | None
    ) -> RatesInfo:
        """What a token of ``platform`` (or of one of its rooms) pays, from ``start`` on."""
        body: dict[str, object] = {"platform": platform, "usd_per_token": usd_per_token}
        if room_id:
            body["room_id"] = room_id
        if start is not None:
            body["from"] = start.isoformat()
        return self._parse(await self._send("POST", "/api/admin/rates", json=body), RatesInfo)

    async def set_currency_rate(
        self, currency: str, units_per_usd: str, start: dt.date | None
    ) -> RatesInfo:
        """How many units of ``currency`` a dollar is worth, from ``start`` on."""
        body: dict[str, object] = {"currency": currency, "units_per_usd": units_per_usd}
        if start is not None:
            body["from"] = start.isoformat()
        answer = await self._send("POST", "/api/admin/rates/currency", json=body)
        return self._parse(answer, RatesInfo)

    async def outlines(self) -> list[OutlineSummary]:
        """The page outlines collectors sent (the extension's *Send page outline*)."""
        return self._parse_list(await self._send("GET", "/api/admin/outlines"), OutlineSummary)

    async def outline(self, key: str, platform: str) -> KeptOutline:
        """``key``'s latest outline of ``platform``'s page."""
        path = f"/api/admin/outlines/{quote(key, safe='')}/{quote(platform, safe='')}"
        return self._parse(await self._send("GET", path), KeptOutline)

    async def try_strategies(
        self, key: str, platform: str, strategies: list[Any]
    ) -> list[StrategyTrial]:
        """Each strategy tried on ``key``'s latest outline of ``platform``'s page."""
        path = f"/api/admin/outlines/{quote(key, safe='')}/{quote(platform, safe='')}/try"
        answer = await self._send("POST", path, json={"strategies": strategies})
        return self._parse_list(answer, StrategyTrial)

    async def served_selectors(self) -> ServedSelectors:
        """The reading rules collectors are served now."""
        return self._parse(await self._send("GET", "/api/admin/selectors"), ServedSelectors)

    async def publish_selectors(self, document: dict[str, Any]) -> ServedSelectors:
        """Publish reading rules to every collector (their version above the served one)."""
        answer = await self._send("PUT", "/api/admin/selectors", json=document)
        return self._parse(answer, ServedSelectors)

    async def me(self) -> Account:
        """Who the token belongs to: role, reports open or not, a monitor's rooms."""
        return self._parse(await self._send("GET", "/api/auth/me"), Account)

    async def change_password(self, old: str, new: str) -> TokenResponse:
        """The user's own password; the answer is the token to go on with (the old one, and
        every other session's, stop working).  A wrong old password: RequestRefused (422)."""
        answer = await self._send(
            "POST", "/api/auth/password", json={"old_password": old, "new_password": new}
        )
        return self._parse(answer, TokenResponse)

    async def report_calendar(self) -> ReportCalendar:
        return self._parse(await self._send("GET", "/api/reports/calendar"), ReportCalendar)

    async def earnings(self, start: int, end: int, group: ReportGroup) -> EarningsReport:
        answer = await self._send(
            "GET", "/api/reports/earnings", params={"from": start, "to": end, "group": group}
        )
        return self._parse(answer, EarningsReport)

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
            async with asyncio.timeout(self.deadline):
                answer = await self._request(method, path, headers=headers, **kwargs)
        except TimeoutError as exc:
            raise ServerUnreachable(
                self.server_url, f"no complete answer in {self.deadline:g} s"
            ) from exc
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

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The answer, read whole unless it grows past ``max_answer_bytes``."""
        async with self._http.stream(method, path, **kwargs) as answer:
            encoding = answer.headers.get("content-encoding", "identity").strip().lower()
            if encoding != "identity":
                raise ProtocolMismatch(self.server_url, f"a {encoding}-encoded answer")
            declared = answer.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_answer_bytes:
                raise self._too_large()
            body = bytearray()
            async for chunk in answer.aiter_raw():
                body += chunk
                if len(body) > self.max_answer_bytes:
                    raise self._too_large()
        return httpx.Response(
            answer.status_code, headers=answer.headers, content=bytes(body), request=answer.request
        )

    def _too_large(self) -> ProtocolMismatch:
        return ProtocolMismatch(
            self.server_url, f"an answer over {self.max_answer_bytes // 1024 // 1024} MiB"
        )

    def _parse(self, answer: httpx.Response, model: type[ModelT]) -> ModelT:
        try:
            return model.model_validate_json(answer.content)
        except ValidationError as exc:
            raise ProtocolMismatch(self.server_url, f"unexpected {model.__name__}") from exc

    def _parse_list(self, answer: httpx.Response, model: type[ModelT]) -> list[ModelT]:
        try:
            return TypeAdapter(list[model]).validate_json(answer.content)  # type: ignore[valid-type]
        except ValidationError as exc:
            raise ProtocolMismatch(self.server_url, f"unexpected {model.__name__} list") from exc


def check_room_count(server_url: str, rooms: int) -> None:
    """Refuse (:class:`ProtocolMismatch`) a snapshot or poll of more than :data:`MAX_ROOMS`."""
    if rooms > MAX_ROOMS:
        raise ProtocolMismatch(server_url, f"{rooms} rooms, more than the {MAX_ROOMS} allowed")


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
