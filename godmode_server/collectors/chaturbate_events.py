"""A server-side collector for one Chaturbate room, from the official Events API.

The Events API is a long-poll feed: a GET on ``.../events/<username>/<token>/`` answers with the
latest events and a ``nextUrl``, which is loaded next, and so on; its ``timeout`` parameter makes
the server hold the request until events arrive (at most 90 s).  The rate limit is 2,000
requests a minute.

Samples are built from the events: every ``tip`` adds its tokens to ``tokens_count`` and one to
``tips_count``; ``viewers_count`` counts the users who entered and have not left (``userEnter``,
``userLeave``; a ``broadcastStop`` empties the room).  Each tip is its own sample, so a dashboard
sees each tip jump as it was.  The totals and the last event id are saved in the database before
the samples are ingested, so a restart neither counts an event twice nor starts from zero.

What the API really answers, beside the documented page (the shapes are in docs/COLLECTORS.md,
with where each was seen), and what the collector does so that none of it stalls the feed:

* the long poll's timeout as HTTP 400 ``{"status": "waited too long for events", "events": [],
  "nextUrl": ...}``: an empty page, and its ``nextUrl`` followed;
* an event that does not parse (no ``method``, an ``object`` that is not an object, ...): skipped
  and counted in the health, the rest of its page kept;
* ``nextUrl`` relative, with the default port, or with the host in capitals: resolved against
  the URL asked and followed; absent or null: the same URL again; on another host: never sent
  the token, the collector stops and says so (like a refused token);
* no ``events`` key: an empty page;
* the first start (no cursor) replays the room's recent events: those from before the collector
  started are its starting point, not counted;
* the ``timeout`` a URL asks for sets that request's deadline.

The token is part of every URL: no URL of this feed is ever logged or put in an error.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
from aiolimiter import AsyncLimiter
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from godmode_common.protocol import MAX_COUNTER, TelemetrySample
from godmode_common.retry import Backoff
from godmode_server.collectors.config import ChaturbateEventsRoom
from godmode_server.collectors.redaction import REDACTOR
from godmode_server.collectors.source_health import SourceHealth
from godmode_server.sql.database import Database
from godmode_server.sql.keys import CursorInfo

log = logging.getLogger(__name__)

PLATFORM = "chaturbate"
#: Seconds a request may take beyond the long-poll timeout before it counts as failed.
REQUEST_GRACE = 15.0
#: The longest long poll the API holds (its documented maximum ``timeout``).
LONGEST_POLL = 90
_EVENT_ID = re.compile(r"^(\d+)-(\d+)$")

# --- the Events API's documented answer -------------------------------------------------------


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CbTip(_Lenient):
    tokens: int = Field(ge=0, le=MAX_COUNTER)


class CbMedia(_Lenient):
    tokens: int = Field(ge=0, le=MAX_COUNTER)


class CbUser(_Lenient):
    username: str


class CbEvent(_Lenient):
    method: str
    id: str
    object: dict[str, Any] = Field(default_factory=dict)


class CbEventsPage(_Lenient):
    """A page as the API sends it, each event still raw: one bad event must not cost the page."""

    events: list[Any] = Field(default_factory=list)
    nextUrl: str | None = None


_PAGE = TypeAdapter(CbEventsPage)


def event_order(event_id: str) -> tuple[int, int] | None:
    """Event ids look like ``1625274862454-0`` (time in ms, then a counter): their order; None
    for an id of any other shape (then only equality can be trusted)."""
    match = _EVENT_ID.match(event_id)
    return (int(match[1]), int(match[2])) if match else None


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port as compared: the host in any case, the port the scheme's default
    when none is written."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    try:
        port = parts.port or default
    except ValueError:
        port = -1  # not a port: matches nothing
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _timeout_of(url: str, default: int) -> int:
    """The long-poll timeout a URL asks for (bounded by the API's longest)."""
    values = parse_qs(urlsplit(url).query).get("timeout", [])
    try:
        return max(0, min(int(values[-1]), LONGEST_POLL)) if values else default
    except ValueError:
        return default


Ingest = Callable[[TelemetrySample], Awaitable[None]]


class ChaturbateEventsCollector:
    """Polls one room's Events API feed until closed, or until its token is refused."""

    def __init__(
        self,
        room: ChaturbateEventsRoom,
        *,
        http: httpx.AsyncClient,
        limiter: AsyncLimiter,
        db: Database,
        ingest: Ingest,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.room = room
        self.health = SourceHealth()
        self._http = http
        self._limiter = limiter
        self._db = db
        self._ingest = ingest
        self._backoff = backoff or Backoff(base=1.0, cap=60.0)
        self._clock = clock
        self._tokens = 0
        self._tips = 0
        #: Tokens paid for media (``mediaPurchase``): a figure of their own, not in the samples.
        self.media_tokens = 0
        self._present: set[str] = set()
        self._last_id = ""
        #: Events from before this (ms: when the collector was made, at the server's start) are a
        #: first start's backlog; None once there is a cursor.
        self._counting_from: int | None = int(clock() * 1000)
        self._first_url = (
            f"{str(room.api_url).rstrip('/')}/{room.username}/"
            f"{room.token.get_secret_value()}/?timeout={room.timeout}"
        )
        self._origin = _origin(self._first_url)
        REDACTOR.secrets.add(room.token.get_secret_value())

    @property
    def source(self) -> str:
        return self.room.source

    async def run(self) -> None:
        cursor = await self._db.get_cursor(self.source)
        if cursor is not None:
            self._last_id, self._tokens, self._tips, self.media_tokens = (
                cursor.last_event_id,
                cursor.tokens_count,
                cursor.tips_count,
                cursor.media_tokens,
            )
            self._counting_from = None
        url = self._first_url
        while True:
            page = await self._fetch(url)
            if page is None:
                self.health.failures += 1
                if self.health.state == "unhealthy":
                    return  # a refused token or a foreign nextUrl: report it, do not knock forever
                await asyncio.sleep(self._backoff.next_delay())
                continue
            self._backoff.reset()
            self.health.set("ok")
            self.health.failures, self.health.last_ok = 0, self._clock()
            await self._apply(self._events_of(page))
            url = self._next_url(url, page.nextUrl) or url
            if self.health.state == "unhealthy":
                return

    def _next_url(self, asked: str, given: str | None) -> str | None:
        """Where to ask next: ``given`` resolved against the URL ``asked``; None to ask ``asked``
        again (no nextUrl); the collector stops (unhealthy) rather than send the token to
        another host."""
        if given is None or not given.strip():
            return None
        resolved = urljoin(asked, given.strip())
        if _origin(resolved) != self._origin:
            # nextUrl carries the token: never send it to another host.
            self.health.set("unhealthy", "nextUrl points to another host; not followed")
            log.error("%s: nextUrl points to another host; this collector stops", self.source)
            return None
        return resolved

    def _events_of(self, page: CbEventsPage) -> list[CbEvent]:
        """The page's events that parse; the others skipped, counted and logged (by id)."""
        events = []
        for raw in page.events:
            try:
                events.append(CbEvent.model_validate(raw))
            except ValidationError:
                self.health.skipped_events += 1
                event_id = raw.get("id") if isinstance(raw, dict) else None
                log.warning("%s: skipped a malformed event (id %r)", self.source, event_id)
        return events

    async def _fetch(self, url: str) -> CbEventsPage | None:
        """One long poll; ``None`` (and the health says why) when it gave no usable page."""
        deadline = _timeout_of(url, self.room.timeout) + REQUEST_GRACE
        async with self._limiter:
            try:
                response = await self._http.get(url, timeout=deadline)
            except httpx.HTTPError as exc:
                self.health.set("retrying", f"unreachable ({type(exc).__name__})")
                log.warning(
                    "%s: events API unreachable: %s", self.source, REDACTOR.redact(str(exc))
                )
                return None
        status = response.status_code
        if status in (401, 403):
            self.health.set("unhealthy", f"token refused ({status}); fix it and restart")
            log.error(
                "%s: the Events API refused the token (%s); this collector stops",
                self.source,
                status,
            )
            return None
        if status == 429:
            retry_after = response.headers.get("retry-after", "")
            self.health.set("retrying", "rate limited (429)")
            if retry_after.isdigit():
                await asyncio.sleep(int(retry_after))
            return None
        if status == 400:
            # The long poll's timeout, as the API answers it: an empty page and where to go on.
            page = self._page(response.content)
            if page is not None and page.nextUrl:
                return CbEventsPage(events=[], nextUrl=page.nextUrl)
        if status != 200:
            self.health.set("retrying", f"HTTP {status}")
            log.warning("%s: events API answered %s", self.source, status)
            return None
        page = self._page(response.content)
        if page is None:
            self.health.set("retrying", "malformed answer")
            log.warning("%s: the events API's answer is not a page of events", self.source)
        return page

    @staticmethod
    def _page(body: bytes) -> CbEventsPage | None:
        try:
            return _PAGE.validate_json(body)
        except ValidationError:
            return None

    async def _apply(self, events: list[CbEvent]) -> None:
        samples: list[TelemetrySample] = []
        ids = [event.id for event in events]
        # Resumed after the cursor's event: where the page holds it, everything up to it was
        # counted; otherwise ids are compared by their order where both have the usual shape.
        start = ids.index(self._last_id) + 1 if self._last_id in ids else 0
        last = event_order(self._last_id)
        for event in events[start:]:
            order = event_order(event.id)
            if last is not None and order is not None and order <= last:
                continue  # counted before a restart
            start_ms = self._counting_from
            if start_ms is not None and order is not None and order[0] < start_ms:
                self._last_id, last = event.id, order
                continue  # a first start's backlog: the starting point, not counted
            if self._apply_one(event):
                samples.append(self._sample())
            self._last_id, last = event.id, order
        if not events:
            return
        # The cursor first: a crash after it loses no total (the next sample carries it),
        # while a crash before it would count these events again.
        await self._db.set_cursor(
            self.source, CursorInfo(self._last_id, self._tokens, self._tips, self.media_tokens)
        )
        self._counting_from = None
        for sample in samples:
            await self._ingest(sample)

    def _apply_one(self, event: CbEvent) -> bool:
        """Fold one event into the counters; whether they changed."""
        try:
            if event.method == "tip":
                tip = CbTip.model_validate(event.object.get("tip"))
                self._tokens = min(self._tokens + tip.tokens, MAX_COUNTER)
                self._tips = min(self._tips + 1, MAX_COUNTER)
                return True
            if event.method == "mediaPurchase":
                media = CbMedia.model_validate(event.object.get("media"))
                self.media_tokens = min(self.media_tokens + media.tokens, MAX_COUNTER)
                return False  # not a tip: the samples' counters do not move
            if event.method in ("userEnter", "userLeave"):
                user = CbUser.model_validate(event.object.get("user"))
                before = len(self._present)
                if event.method == "userEnter":
                    self._present.add(user.username)
                else:
                    self._present.discard(user.username)
                return len(self._present) != before
            if event.method == "broadcastStop" and self._present:
                self._present.clear()
                return True
        except ValidationError:
            log.warning("%s: skipped a malformed %s event %s", self.source, event.method, event.id)
        return False

    def _sample(self) -> TelemetrySample:
        return TelemetrySample(
            room_id=self.room.room,
            platform=PLATFORM,
            tokens_count=self._tokens,
            tips_count=self._tips,
            viewers_count=len(self._present),
            timestamp=int(self._clock()),
        )
