"""A server-side collector for one Chaturbate account, from the official Stats API.

``GET https://chaturbate.com/statsapi/?username=<name>&token=<token>`` answers the account's
figures as JSON, refreshed by Chaturbate every 5 minutes (the shape, and where it is documented,
in docs/COLLECTORS.md).  Two of them are the dashboard's: ``token_balance`` (the same figure the
extension reads on the broadcaster's page) and ``num_viewers`` (everyone in the room, guests
included, where the Events API sees registered users only).

Each poll whose figures differ from the last posts a sample (``samples = true``, the default):
``tokens_count`` the balance, ``viewers_count`` the viewers, and ``tips_count`` as the room's
latest sample has it (the API gives no running count of tips; the extension's or nothing's, 0).
With ``samples = false`` the figures are only kept, for /readyz, /metrics and the reconciliation
with a room that the Events API feeds.

The token is in the query string: no URL of this API is logged or put in an error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from godmode_common.protocol import MAX_COUNTER, TelemetrySample
from godmode_common.retry import Backoff
from godmode_server.collectors.config import ChaturbateStatsRoom
from godmode_server.collectors.redaction import REDACTOR
from godmode_server.collectors.source_health import SourceHealth

log = logging.getLogger(__name__)

PLATFORM = "chaturbate"
#: Seconds one request may take.
REQUEST_TIMEOUT = 30.0
#: The most of an answer read: the documented one is a few hundred bytes.
MAX_ANSWER_BYTES = 64 * 1024

Count = Annotated[int, Field(ge=0, le=MAX_COUNTER)]


class StatsAnswer(BaseModel):
    """The fields used of the Stats API's answer; the others (votes, followers, ...) ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    username: str
    token_balance: Count
    num_viewers: Count
    #: Minutes broadcasting; -1 when not broadcasting.
    time_online: int = -1


Ingest = Callable[[TelemetrySample], Awaitable[None]]
#: The room's latest sample, where there is one (its tips count is carried over).
Latest = Callable[[str, str], Awaitable[TelemetrySample | None]]


class ChaturbateStatsCollector:
    """Polls one account's Stats API until closed, or until its token is refused."""

    def __init__(
        self,
        room: ChaturbateStatsRoom,
        *,
        http: httpx.AsyncClient,
        ingest: Ingest,
        latest: Latest,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.room = room
        self.health = SourceHealth()
        #: The latest figures read, None before the first.
        self.figures: StatsAnswer | None = None
        self._http = http
        self._ingest = ingest
        self._latest = latest
        self._backoff = backoff or Backoff(base=1.0, cap=room.interval)
        self._clock = clock
        self._url = str(room.api_url)
        self._params = {"username": room.username, "token": room.token.get_secret_value()}
        REDACTOR.secrets.add(room.token.get_secret_value())

    @property
    def source(self) -> str:
        return self.room.source

    async def run(self) -> None:
        while True:
            answer = await self._fetch()
            if answer is None:
                self.health.failures += 1
                if self.health.state == "unhealthy":
                    return  # a refused token: report it, do not knock forever
                await asyncio.sleep(self._backoff.next_delay())
                continue
            self._backoff.reset()
            self.health.set("ok")
            self.health.failures, self.health.last_ok = 0, self._clock()
            changed = self.figures is None or (answer.token_balance, answer.num_viewers) != (
                self.figures.token_balance,
                self.figures.num_viewers,
            )
            self.figures = answer
            if changed and self.room.samples:
                await self._ingest(await self._sample(answer))
            await asyncio.sleep(self.room.interval)

    async def _fetch(self) -> StatsAnswer | None:
        """One poll; ``None`` (and the health says why) when it gave no usable answer."""
        try:
            async with self._http.stream(
                "GET", self._url, params=self._params, timeout=REQUEST_TIMEOUT
            ) as response:
                status, retry_after = response.status_code, response.headers.get("retry-after", "")
                body = await _read_at_most(response, MAX_ANSWER_BYTES) if status == 200 else b""
        except httpx.HTTPError as exc:
            self.health.set("retrying", f"unreachable ({type(exc).__name__})")
            log.warning("%s: stats API unreachable: %s", self.source, REDACTOR.redact(str(exc)))
            return None
        if status in (401, 403):
            self.health.set("unhealthy", f"token refused ({status}); fix it and restart")
            log.error("%s: the Stats API refused the token (%s); it stops", self.source, status)
            return None
        if status == 429:
            self.health.set("retrying", "rate limited (429)")
            if retry_after.isdigit():
                await asyncio.sleep(min(int(retry_after), 3600))
            return None
        if status != 200:
            self.health.set("retrying", f"HTTP {status}")
            log.warning("%s: stats API answered %s", self.source, status)
            return None
        if body is None:
            self.health.set("retrying", "answer too large")
            log.warning(
                "%s: the stats API's answer is over %d bytes", self.source, MAX_ANSWER_BYTES
            )
            return None
        try:
            answer = StatsAnswer.model_validate_json(body)
        except ValidationError as exc:
            self.health.set("retrying", "malformed answer")
            fields = sorted({".".join(map(str, e["loc"])) or "(body)" for e in exc.errors()})
            log.warning("%s: the stats API's answer is malformed (%s)", self.source, fields)
            return None
        if answer.username.lower() != self.room.username.lower():
            # Not this account's figures: never post them under this room.
            self.health.set("retrying", "answer for another account")
            log.warning("%s: the stats API answered for another account", self.source)
            return None
        return answer

    async def _sample(self, answer: StatsAnswer) -> TelemetrySample:
        latest = await self._latest(self.room.room, PLATFORM)
        return TelemetrySample(
            room_id=self.room.room,
            platform=PLATFORM,
            tokens_count=answer.token_balance,
            tips_count=latest.tips_count if latest is not None else 0,
            viewers_count=answer.num_viewers,
            timestamp=int(self._clock()),
        )


async def _read_at_most(response: httpx.Response, limit: int) -> bytes | None:
    """The body, or None once it passes ``limit`` bytes (the rest is never read)."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
