"""``godmode doctor``: the operator's self-check of a deployment, one ✓/✗ line per check.

In the spirit of the original system's five checks: the backend answers, a user can log in, the
WebSocket answers with the token and delivers a posted sample live, the POST is accepted, GET
returns it, and Redis holds it with its TTL when the deployment uses Redis.  A test sample is
posted for the room ``godmode-doctor`` (:data:`~godmode_common.protocol.DOCTOR_ROOM`), which no
manager sees: the app leaves it out of the grid, the totals and the alerts, and the server out
of the reports and of its key's rooms; its latest value expires after an hour like any room's.
A check that cannot run (no API key for the POST, nothing posted to read back) is marked "–",
skipped, with why -- not "✗".
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from pydantic import ValidationError
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from .net.api import ApiClient, normalize_server_url, websocket_url
from .net.errors import NetError
from .net.protocol import (
    DOCTOR_ROOM,
    HealthStatus,
    LiveRoom,
    ReadyStatus,
    Snapshot,
    TelemetrySample,
    TelemetryUpdate,
    parse_dashboard_event,
)
from .net.tls import client_tls

ROOM = DOCTOR_ROOM
PLATFORM = "chaturbate"
TIMEOUT = 5.0


@dataclass
class Report:
    lines: list[tuple[str, str]] = field(default_factory=list)
    print_line: Callable[[str], None] = print

    @property
    def ok(self) -> bool:
        return all(mark != "✗" for mark, _ in self.lines)

    def add(self, mark: str, text: str) -> None:
        self.lines.append((mark, text))
        self.print_line(f"{mark} {text}")

    def passed(self, text: str) -> None:
        self.add("✓", text)

    def failed(self, text: str) -> None:
        self.add("✗", text)

    def skipped(self, text: str) -> None:
        self.add("–", text)


async def run_doctor(
    server: str,
    user: str,
    password: str,
    *,
    api_key: str | None = None,
    redis_url: str | None = None,
    redis_prefix: str = "godmode:",
    print_line: Callable[[str], None] = print,
) -> Report:
    report = Report(print_line=print_line)
    server = normalize_server_url(server)
    async with httpx.AsyncClient(base_url=server, timeout=TIMEOUT, verify=client_tls()) as http:
        # 1. the backend answers
        try:
            answer = await http.get("/healthz")
            health = HealthStatus.model_validate_json(answer.content)
        except httpx.HTTPError as exc:
            report.failed(f"backend unreachable at {server}: {_reason(exc)}")
            report.skipped("nothing else can be checked")
            return report
        except ValidationError:
            report.failed(f"{server} answers, but not like a God Mode server")
            return report
        report.passed(f"backend reachable at {server} (God Mode {health.version})")

        # 2. log in
        async with ApiClient(server, timeout=TIMEOUT) as api:
            try:
                token = (await api.login(user, password)).access_token
            except NetError as exc:
                report.failed(f"login as {user!r} refused: {exc}")
                token = None
            else:
                report.passed(f"logged in as {user!r}")

        # 3-5. the WebSocket with the token, the POST, and the live delivery of that POST
        sample = TelemetrySample(
            room_id=ROOM,
            platform=PLATFORM,
            tokens_count=int(time.time()) % 100_000,
            tips_count=1,
            viewers_count=1,
            timestamp=int(time.time()),
        )
        if token is None:
            report.skipped("WebSocket not checked (no token)")
            posted = await _check_post(http, sample, api_key, report) is not None
        else:
            posted = await _check_live(server, token, http, sample, api_key, report)

        # 6. GET returns it
        if token is not None:
            http.headers["Authorization"] = f"Bearer {token}"
        if posted:
            await _check_get(http, sample, report)
        else:
            report.skipped("GET not checked: nothing was posted to read back")

        # 7. Redis, when the deployment uses it; 8. the server-side collectors, if any
        try:
            ready = ReadyStatus.model_validate_json((await http.get("/readyz")).content)
        except (httpx.HTTPError, ValidationError) as exc:
            report.failed(f"/readyz unreadable: {_reason(exc)}")
            return report
        await _check_redis(ready, redis_url, redis_prefix, report)
        for source, state in sorted(ready.sources.items()):
            if state.startswith("unhealthy"):
                report.failed(f"collector {source}: {state}")
            else:
                report.passed(f"collector {source}: {state}")
    return report


def _sample_of(room: LiveRoom) -> TelemetrySample:
    """The sample a room read carries (without the live earnings a newer server adds)."""
    return TelemetrySample.model_validate(
        room.model_dump(include=set(TelemetrySample.model_fields))
    )


async def _check_get(http: httpx.AsyncClient, sample: TelemetrySample, report: Report) -> None:
    try:
        got = await http.get(f"/api/tracking/telemetry/{ROOM}/{PLATFORM}")
        if got.status_code != 200:
            report.failed(f"GET of the posted sample answered HTTP {got.status_code}")
        elif _sample_of(LiveRoom.model_validate_json(got.content)) != sample:
            report.failed("GET returns another sample than the one posted")
        else:
            report.passed("GET returns the posted sample")
    except (httpx.HTTPError, ValidationError) as exc:
        report.failed(f"GET of the posted sample failed: {_reason(exc)}")


async def _check_post(
    http: httpx.AsyncClient, sample: TelemetrySample, api_key: str | None, report: Report
) -> int | None:
    headers = {"X-Api-Key": api_key} if api_key else {}
    try:
        answer = await http.post(
            "/api/tracking/telemetry", json=sample.model_dump(), headers=headers
        )
    except httpx.HTTPError as exc:
        report.failed(f"POST failed: {_reason(exc)}")
        return None
    if answer.status_code == 401 and not api_key:
        report.skipped("POST not checked: this server takes samples with an API key (--api-key)")
        return None
    if answer.status_code == 401:
        report.failed("POST refused: the API key was refused")
        return None
    if answer.status_code != 200:
        report.failed(f"POST refused (HTTP {answer.status_code}): {answer.text[:200]}")
        return None
    seq = answer.json().get("seq")
    report.passed(f"POST accepted (seq {seq})")
    return int(seq) if seq is not None else None


async def _check_live(
    server: str,
    token: str,
    http: httpx.AsyncClient,
    sample: TelemetrySample,
    api_key: str | None,
    report: Report,
) -> bool:
    """The WebSocket answers with the token, and delivers the sample posted meanwhile; whether
    the sample was posted (accepted)."""
    headers = {"Authorization": f"Bearer {token}"}
    posted = False
    try:
        url = websocket_url(server)
        async with connect(
            url,
            additional_headers=headers,
            open_timeout=TIMEOUT,
            ssl=client_tls() if url.startswith("wss://") else None,
        ) as ws:
            first = parse_dashboard_event(await asyncio.wait_for(ws.recv(), TIMEOUT))
            if not isinstance(first, Snapshot):
                report.failed(f"WebSocket's first message is {first.event_type}, not SNAPSHOT")
                return await _check_post(http, sample, api_key, report) is not None
            report.passed(
                f"WebSocket answers with the token ({len(first.rooms)} live rooms, "
                f"epoch {first.epoch})"
            )
            posted = await _check_post(http, sample, api_key, report) is not None
            if not posted:
                report.skipped("live delivery not checked: nothing was posted")
                return False
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(ws.recv(), deadline - time.monotonic())
                event = parse_dashboard_event(raw)
                if isinstance(event, TelemetryUpdate) and event.room_id == ROOM:
                    report.passed(f"the live feed delivered it (seq {event.seq})")
                    return True
            report.failed("the live feed did not deliver the posted sample")
    except (TimeoutError, OSError, WebSocketException, ValidationError) as exc:
        report.failed(f"WebSocket check failed: {_reason(exc)}")
    return posted


async def _check_redis(
    ready: ReadyStatus, redis_url: str | None, prefix: str, report: Report
) -> None:
    if ready.store != "redis":
        report.skipped(f"Redis not configured ({ready.store} store)")
        return
    state = ready.checks.get("redis", "missing")
    if state != "ok":
        report.failed(f"the server works without Redis: {state}")
    if redis_url is None:
        if state == "ok":
            report.passed("Redis in use (set GODMODE_REDIS_URL here to check the stored key)")
        return
    try:
        import redis.asyncio as aioredis
    except ImportError:
        report.failed("GODMODE_REDIS_URL is set but redis-py is not installed")
        return
    key = f"{prefix}latest:{PLATFORM}:{ROOM}"
    client = aioredis.Redis.from_url(redis_url, socket_timeout=TIMEOUT)
    try:
        ttl = await client.ttl(key)
    except Exception as exc:  # any redis-py error: report it, the other checks stand
        report.failed(f"Redis at {redis_url} does not answer: {_reason(exc)}")
        return
    finally:
        await client.aclose()
    if ttl == -2:
        report.failed(f"Redis has no {key}")
    elif ttl < 0:
        report.failed(f"{key} has no TTL")
    else:
        report.passed(f"Redis holds {key} (TTL {ttl} s)")


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def redis_settings_from_env() -> tuple[str | None, str]:
    return os.environ.get("GODMODE_REDIS_URL") or None, os.environ.get(
        "GODMODE_REDIS_PREFIX", "godmode:"
    )
