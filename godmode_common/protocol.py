"""Wire protocol v1: every HTTP body and WebSocket event, defined once.

Both the server (``godmode_server``) and the desktop client import these models, so a field can
only ever be spelled one way (the app through ``godmode_desktop.net.protocol``).  The field names of the original Rust/Flutter system
(``tokens_count``, ``data.tokens``, ``event_type`` ...) are a contract with collectors already in
the field: new fields may be added, none may be renamed or removed.

Models that the server *receives* forbid unknown fields and use strict types, so a collector bug
("5000" instead of 5000, a float, a typo in a field name) is answered with a clear 422 instead of
being silently coerced.  Models that the client receives ignore unknown fields, so a newer server
can add fields without breaking older dashboards.

This module must stay importable with pydantic alone: no Qt, no server dependencies.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from godmode_common.money import (
    MAX_RATE_TEXT,
    MAX_UNITS_PER_USD,
    MAX_USD_PER_TOKEN,
    RateError,
    parse_rate,
)
from godmode_common.rooms import PLATFORM_PATTERN, ROOM_ID_PATTERN, RoomKey

__all__ = [
    "API_KEY_PREFIX",
    "CLOSE_AUTH_REQUIRED",
    "CLOSE_FORBIDDEN",
    "CLOSE_SCOPE_CHANGED",
    "CLOSE_TOO_MANY_MESSAGES",
    "CLOSE_TOO_SLOW",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_SERVER_URL",
    "DOCTOR_ROOM",
    "MAX_COUNTER",
    "MAX_HEALTH_REPORT_BYTES",
    "MAX_OUTLINE_BYTES",
    "MAX_OUTLINE_NODES",
    "PLATFORM_PATTERN",
    "PROTOCOL_VERSION",
    "ROOM_ID_PATTERN",
    "Account",
    "AssignedRoom",
    "AuditRecord",
    "BroadcastSession",
    "BulkTelemetry",
    "CollectorHealth",
    "CollectorHealthReport",
    "CollectorHealthSeen",
    "CollectorSelectors",
    "CollectorStatus",
    "Counter",
    "CounterSelectors",
    "CreatedKey",
    "CssStrategy",
    "CurrencyCode",
    "CurrencyRateInfo",
    "DashboardEvent",
    "Day",
    "Delta",
    "EarningsFigures",
    "EarningsReport",
    "EarningsRow",
    "ErrorBody",
    "ErrorItem",
    "HealthStatus",
    "Heartbeat",
    "HistoryPoint",
    "JsonStrategy",
    "KeptOutline",
    "KeyRoom",
    "KeySummary",
    "LiveRoom",
    "LoginRequest",
    "Money",
    "NewCurrencyRate",
    "NewKey",
    "NewPayoutRate",
    "NewUser",
    "OutlineNode",
    "OutlineSummary",
    "PageOutline",
    "PasswordChange",
    "PasswordReset",
    "PayoutRateInfo",
    "Platform",
    "PlatformSelectors",
    "RatesInfo",
    "ReadyStatus",
    "ReportCalendar",
    "ReportGap",
    "ReportGroup",
    "Resume",
    "Role",
    "RoomHistory",
    "RoomId",
    "RoomLocator",
    "RoomRef",
    "RoomsAssignment",
    "SeenRoom",
    "SelectorList",
    "SelectorMiss",
    "Seq",
    "ServedSelectors",
    "SessionsReport",
    "Snapshot",
    "StateStrategy",
    "Strategy",
    "StrategyTrial",
    "StrategyTrialRequest",
    "StrategyUse",
    "TelemetryAccepted",
    "TelemetryData",
    "TelemetrySample",
    "TelemetryUpdate",
    "TokenResponse",
    "UnitsPerUsd",
    "UnixSeconds",
    "UsdPerToken",
    "UserChange",
    "UserName",
    "UserSummary",
    "dashboard_event_adapter",
    "parse_dashboard_event",
]

PROTOCOL_VERSION = 1

#: Where a server listens unless told otherwise (the original system's port), and so where the
#: app, the simulators and the self-check look first.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3000
DEFAULT_SERVER_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"

#: Largest counter value accepted: the largest integer a JavaScript number holds exactly, so the
#: extension and any browser-based consumer see the same value the server stored.
MAX_COUNTER = 2**53 - 1


#: How every API key the server makes begins (so that logs and diagnostics can blank one).
API_KEY_PREFIX = "gm_"

#: The room ``godmode doctor`` posts its test sample for.  Served like any room (the self-check
#: reads it back live and by GET) but kept out of everything a manager sees: the server does not
#: archive it (no report counts it) nor count it as a collector's room (no "collector silent"
#: after a check), and the app leaves it out of the grid, the totals and the alerts.
DOCTOR_ROOM = "godmode-doctor"

#: WebSocket close code for a missing, malformed, badly signed or expired token.
CLOSE_AUTH_REQUIRED = 4401
#: WebSocket close code for a user whose role may not follow the feed.
CLOSE_FORBIDDEN = 4403
#: WebSocket close code when a monitor's rooms changed: reconnect *without* ``since`` (the new
#: rooms' state comes in a fresh ``SNAPSHOT``).
CLOSE_SCOPE_CHANGED = 4409
#: WebSocket close code for a dashboard whose send queue overflowed because it did not read fast
#: enough.  It loses nothing: it reconnects with ``since``/``epoch`` and gets what it missed.
CLOSE_TOO_SLOW = 4429
#: WebSocket close code (RFC 6455 "policy violation") for a dashboard that sent more messages,
#: pings included, than the server's small budget (``GODMODE_WS_CLIENT_RATE`` a second).
#: Dashboards have nothing to say; reconnecting with ``since`` loses nothing.
CLOSE_TOO_MANY_MESSAGES = 1008

RoomId = Annotated[
    str,
    Field(pattern=ROOM_ID_PATTERN, min_length=1, max_length=64, examples=["room_123"]),
]
Platform = Annotated[
    str,
    Field(pattern=PLATFORM_PATTERN, min_length=1, max_length=32, examples=["chaturbate"]),
]
Counter = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNTER)]
Delta = Annotated[int, Field(strict=True)]
UnixSeconds = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNTER, examples=[1699564800])]
Seq = Annotated[int, Field(strict=True, ge=0)]
#: A JSON true or false, nothing else: "false" or 0 would otherwise be taken as false.
Flag = Annotated[bool, Field(strict=True)]
#: An amount of money as the server sends it: an exact decimal string, never a float
#: (docs/PROTOCOL.md, "Money").
Money = Annotated[str, Field(pattern=r"^[0-9]{1,30}(\.[0-9]{1,6})?$", examples=["1234.50"])]
#: A day of the studio's calendar, ``YYYY-MM-DD``.
Day = Annotated[dt.date, Field(strict=True, examples=["2026-12-01"])]
#: An ISO 4217 currency code (which ones the server knows is its own check).
CurrencyCode = Annotated[str, Field(pattern="^[A-Z]{3}$", examples=["USD"])]


def _number_text(value: object) -> object:
    # A JSON number is taken as the text it was written as (pydantic parsed it to a float or
    # an int first: 0.05 stays "0.05"); a bool is not a number.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return value


def _rate(maximum: Decimal) -> AfterValidator:
    def check(text: str) -> str:
        try:
            return str(parse_rate(text, "rate", maximum))
        except RateError as exc:  # said under the field's own name
            raise ValueError(exc.message) from None

    return AfterValidator(check)


#: A payout rate, dollars per token, as a decimal string (or a JSON number).
UsdPerToken = Annotated[
    str, BeforeValidator(_number_text), Field(max_length=MAX_RATE_TEXT), _rate(MAX_USD_PER_TOKEN)
]
#: An exchange rate, units of a currency per dollar.
UnitsPerUsd = Annotated[
    str, BeforeValidator(_number_text), Field(max_length=MAX_RATE_TEXT), _rate(MAX_UNITS_PER_USD)
]


class _Inbound(BaseModel):
    """A body the server receives: strict, and unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class _Outbound(BaseModel):
    """A body the server sends: readers ignore fields they do not know yet."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# --- Telemetry -------------------------------------------------------------------------------


class TelemetrySample(_Inbound):
    """One reading of a room's counters, as a collector posts it and as GET returns it."""

    room_id: RoomId
    platform: Platform
    tokens_count: Counter
    tips_count: Counter
    viewers_count: Counter
    timestamp: UnixSeconds

    @property
    def key(self) -> RoomKey:
        return RoomKey(self.room_id, self.platform)


class LiveRoom(TelemetrySample):
    """A room as the server sends it (``SNAPSHOT``, the bulk and latest reads): its latest
    sample and, additively, what it earned in the studio's current day and shift by the
    earnings reports' rules (docs/PROTOCOL.md, "Live earnings"); absent while not known (no
    archive).  Unknown fields are ignored, as in every answer; a plain sample is taken for one
    with its figures unknown."""

    model_config = ConfigDict(extra="ignore", frozen=True, from_attributes=True)

    day_tokens: Counter | None = None
    day_tips: Counter | None = None
    shift_tokens: Counter | None = None
    shift_tips: Counter | None = None
    #: The day's and the shift's tokens in dollars at the payout rates (absent while no rate
    #: is set for the room; docs/PROTOCOL.md, "Money").
    day_usd: Money | None = None
    shift_usd: Money | None = None


class TelemetryAccepted(_Outbound):
    """The 200 answer to ``POST /api/tracking/telemetry``.

    ``status``, ``message`` and ``processed_at`` are the original's.  ``applied`` says whether the
    sample changed the stored state: a sample older than the stored one (``reason: "stale"``) or
    with the same counters (``reason: "duplicate"``) is answered but produces no event.
    """

    status: Literal["success"] = "success"
    message: str
    processed_at: UnixSeconds
    applied: bool = True
    seq: Seq | None = None
    reason: Literal["stale", "duplicate"] | None = None


class ErrorItem(_Outbound):
    field: str
    message: str
    type: str


class ErrorBody(_Outbound):
    """Every 4xx/5xx answer: what went wrong, worded for a person, and per field where known."""

    status: Literal["error"] = "error"
    message: str
    errors: list[ErrorItem] = Field(default_factory=list)


class BulkTelemetry(_Outbound):
    """``GET /api/tracking/telemetry``: every live room, or only what changed since ``since``.

    ``full`` is true when ``rooms`` is the complete set (no ``since`` given, the events since it
    are no longer held, or ``epoch`` differs): the reader must then replace, not merge.
    """

    seq: Seq
    epoch: str
    full: bool
    rooms: list[LiveRoom]
    timestamp: UnixSeconds


class HistoryPoint(_Outbound):
    tokens_count: Counter
    tips_count: Counter
    viewers_count: Counter
    timestamp: UnixSeconds


class RoomHistory(_Outbound):
    """``GET /api/tracking/telemetry/{room_id}/{platform}/history``: oldest first."""

    room_id: RoomId
    platform: Platform
    samples: list[HistoryPoint]


# --- Earnings reports (GET /api/reports/*) -------------------------------------------------------

#: How a report divides its range: the studio's calendar days, its shifts, or not at all.
ReportGroup = Literal["day", "shift", "total"]


class EarningsFigures(_Outbound):
    """What one room (or all of them) did in a period; see docs/PROTOCOL.md, "Earnings"."""

    tokens_earned: Counter
    tips_earned: Counter
    online_seconds: Counter
    #: Broadcasts with a sample in the period (one that began before it included).
    sessions: Counter
    peak_viewers: Counter
    #: ``tokens_earned`` in dollars at the payout rates, and in the studio's currency at its
    #: exchange rate, each token at the rates of the day it was earned (docs/PROTOCOL.md,
    #: "Money"); null when a token was earned on a day without a rate.  A total is the sum
    #: of its rows' rounded amounts (null if any is).
    earned_usd: Money | None = None
    earned_local: Money | None = None


class EarningsRow(EarningsFigures):
    room_id: RoomId
    platform: Platform
    period_start: UnixSeconds
    period_end: UnixSeconds
    #: The currency of ``earned_local`` (``GODMODE_CURRENCY``).
    currency: CurrencyCode | None = None


class ReportGap(_Outbound):
    """Why a report may not be final: samples of [from, to) that it could not count yet."""

    #: ``dropped``: the archive's queue was full and they were lost (``samples`` says how
    #: many); ``too_old``: refused at ingest, older than the server keeps (``samples`` says how
    #: many: a collector sent them late, or a simulation posted a past beyond the archive);
    #: ``waiting``: queued for the database on the node that answered; ``open``: the range
    #: reaches the last seconds, whose samples may still be on their way.
    reason: Literal["dropped", "too_old", "waiting", "open"]
    start: UnixSeconds
    end: UnixSeconds
    samples: Counter | None = None


class EarningsReport(_Outbound):
    """``GET /api/reports/earnings``: one row per room per period, in period then room order."""

    start: UnixSeconds = Field(alias="from")
    end: UnixSeconds = Field(alias="to")
    timezone: str
    group: ReportGroup
    rows: list[EarningsRow]
    #: Every room together: the sums, and the highest ``peak_viewers``.
    totals: EarningsFigures
    complete: bool
    gaps: list[ReportGap] = []
    #: The currency of every ``earned_local`` (``GODMODE_CURRENCY``).
    currency: CurrencyCode | None = None

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class ReportCalendar(_Outbound):
    """``GET /api/reports/calendar``: how the studio's reports count time, so that a client
    offers the same days and shifts as the server sums."""

    timezone: str
    #: Local start times of the shifts, ``HH:MM``, in order.
    shifts: list[str]
    online_gap: Counter
    #: The oldest ``from`` a report accepts now.
    oldest: UnixSeconds


class BroadcastSession(_Outbound):
    """One broadcast of a room within the range asked for."""

    start: UnixSeconds  #: its first sample in the range
    end: UnixSeconds  #: its last sample in the range
    duration_seconds: Counter
    tokens_earned: Counter
    tips_earned: Counter
    peak_viewers: Counter
    #: It began before the range (its earnings before ``from`` are not counted here).
    began_before: bool = False


class SessionsReport(_Outbound):
    """``GET /api/reports/sessions``: a room's broadcasts, oldest first."""

    room_id: RoomId
    platform: Platform
    start: UnixSeconds = Field(alias="from")
    end: UnixSeconds = Field(alias="to")
    sessions: list[BroadcastSession]

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


# --- Dashboard events (WS /ws/dashboard) -------------------------------------------------------


class TelemetryData(_Outbound):
    """``data`` of a TELEMETRY_UPDATE: the original's fields plus the change since the previous
    sample of the room, computed once by the server so every dashboard agrees on a "tip jump".
    The first sample of a room (or the first after it expired) has deltas of 0."""

    platform: Platform
    tokens: Counter
    tips: Counter
    viewers: Counter
    timestamp: UnixSeconds
    tokens_delta: Delta = 0
    tips_delta: Delta = 0
    viewers_delta: Delta = 0
    #: What the room earned in the studio's current day and shift, as in :class:`LiveRoom`
    #: (additive; absent while not known).
    day_tokens: Counter | None = None
    day_tips: Counter | None = None
    shift_tokens: Counter | None = None
    shift_tips: Counter | None = None
    day_usd: Money | None = None
    shift_usd: Money | None = None


class TelemetryUpdate(_Outbound):
    event_type: Literal["TELEMETRY_UPDATE"] = "TELEMETRY_UPDATE"
    room_id: RoomId
    data: TelemetryData
    #: When the server processed the sample (Unix seconds).
    timestamp: UnixSeconds
    seq: Seq


class RoomRef(_Outbound):
    room_id: RoomId
    platform: Platform


class Snapshot(_Outbound):
    """The whole live state: sent first on a fresh connection, or instead of a replay that is no
    longer possible.  A client replaces its board with ``rooms`` and continues after ``seq``."""

    event_type: Literal["SNAPSHOT"] = "SNAPSHOT"
    seq: Seq
    epoch: str
    rooms: list[LiveRoom]
    timestamp: UnixSeconds
    #: A monitor's feed: the rooms it is limited to (absent for everyone else).  Its events
    #: are those rooms' only, so their ``seq`` has gaps, which are not losses.
    scope: list[RoomRef] | None = None


class Resume(_Outbound):
    """Sent first on a reconnect with a usable ``since``/``epoch``: the events after ``seq``
    follow, in order, then the live stream continues with no gap and no duplicate."""

    event_type: Literal["RESUME"] = "RESUME"
    seq: Seq
    epoch: str
    timestamp: UnixSeconds


class Heartbeat(_Outbound):
    """Sent every few seconds with the newest ``seq``: a client that hears nothing for about
    three intervals treats the link as dead, and one that sees a ``seq`` it has not reached knows
    it missed something."""

    event_type: Literal["HEARTBEAT"] = "HEARTBEAT"
    seq: Seq
    epoch: str
    timestamp: UnixSeconds


class CollectorStatus(_Outbound):
    """An ingest key's collector stopped posting (``silent``: nothing for ``silent_after``
    seconds after it had been posting) or started again (``posting``).  Decided by the server,
    which sees every post, so every dashboard agrees; sent only to dashboards that ask for it
    (``?collectors=1``) and are not monitors.  Not in the event log (``seq`` does not move)."""

    event_type: Literal["COLLECTOR_STATUS"] = "COLLECTOR_STATUS"
    key: str
    state: Literal["silent", "posting"]
    #: The key's latest post (Unix seconds): the same on every node.
    last_post: UnixSeconds
    silent_after: Annotated[int, Field(strict=True, ge=1)]
    #: The rooms it posts for.
    rooms: list[RoomRef] = []
    timestamp: UnixSeconds


DashboardEvent = Annotated[
    TelemetryUpdate | Snapshot | Resume | Heartbeat | CollectorStatus,
    Field(discriminator="event_type"),
]
dashboard_event_adapter: TypeAdapter[DashboardEvent] = TypeAdapter(DashboardEvent)


def parse_dashboard_event(raw: str | bytes) -> DashboardEvent:
    """Parse one WebSocket message; raises ``pydantic.ValidationError`` on anything else."""
    return dashboard_event_adapter.validate_json(raw)


# --- Accounts ----------------------------------------------------------------------------------


class LoginRequest(_Inbound):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class PasswordChange(_Inbound):
    """``POST /api/auth/password``: a user changes their own password."""

    old_password: str = Field(min_length=1, max_length=1024)
    #: At least 8 characters; at most 1,024 (the hash's cost must not be the caller's choice).
    new_password: str = Field(min_length=8, max_length=1024)


class Account(_Outbound):
    """``GET /api/auth/me``: who the token belongs to and what they may see."""

    username: str
    role: Literal["admin", "manager", "monitor"]
    #: Whether the earnings reports are open to them.
    reports: bool
    #: A monitor's rooms (empty for the other roles, who see every room).
    rooms: list[RoomRef]


# --- Administration (/api/admin/*, admins only) ---------------------------------------------

UserName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@\-]{1,64}$", examples=["carla"])]
Role = Literal["admin", "manager", "monitor"]


class UserSummary(_Outbound):
    username: str
    role: Role
    disabled: bool
    #: Whether the earnings reports are open to them (always for admins and managers).
    reports: bool
    #: A monitor's rooms.
    rooms: list[RoomRef]


class NewUser(_Inbound):
    username: UserName
    password: str = Field(min_length=8, max_length=1024)
    role: Role = "monitor"


class UserChange(_Inbound):
    """What to change; what is left out stays as it is."""

    role: Role | None = None
    disabled: Flag | None = None
    reports: Flag | None = None


class PasswordReset(_Inbound):
    password: str = Field(min_length=8, max_length=1024)


class AssignedRoom(_Inbound):
    room_id: RoomId
    platform: Platform


class RoomsAssignment(_Inbound):
    #: The monitor's rooms from now on (at most 1,000; each counts once; a room need not have
    #: posted anything yet).
    rooms: list[AssignedRoom] = Field(max_length=1000)


class KeyRoom(_Outbound):
    room_id: RoomId
    platform: Platform
    #: When the key last posted for the room.
    last_post: UnixSeconds


#: Largest collector health report accepted (a full one is about 15 KiB).
MAX_HEALTH_REPORT_BYTES = 16 * 1024
_ShortText = Annotated[str, Field(max_length=300)]
_Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNTER)]


class SeenRoom(_Outbound):
    """A room the collector read lately."""

    platform: Platform
    room_id: RoomId
    last_read_at: UnixSeconds


class SelectorMiss(_Outbound):
    """A counter the collector could not read on a platform's page since its previous report."""

    platform: Platform
    #: The counter (``tokens_count``, ``tips_count``, ``viewers``) or ``room_id``.
    field: Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]
    #: ``missing``: no strategy read it; ``malformed``: what was found is not a count;
    #: ``disagree``: two strategies read different counts (the first one's was sent).
    kind: Literal["missing", "malformed", "disagree"]
    #: How many times the counter went missing (a page read again and again counts once).
    count: Annotated[int, Field(strict=True, ge=1, le=MAX_COUNTER)]
    last_at: UnixSeconds


class StrategyUse(_Outbound):
    """Which strategy gave a counter on a platform in the collector's latest reading of it."""

    platform: Platform
    field: Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]
    #: The strategy's name (its ``name``, its CSS selector, or its kind, url and path).
    strategy: Annotated[str, Field(min_length=1, max_length=200)]
    last_at: UnixSeconds


class _HealthFields(BaseModel):
    """What a collector (the extension) says about itself, every few minutes and when a
    selector first misses.  Nested items ignore fields they do not know (a newer collector)."""

    #: The collector's version (the extension's manifest version).
    version: Annotated[str, Field(pattern=r"^\d{1,5}(\.\d{1,5}){0,3}$")]
    #: Its browser (user agent), for support.
    browser: Annotated[str, Field(max_length=300)] = ""
    #: Settings set by the organization's policy (``backendUrl``, ``apiKey``, ``roomId``).
    managed: Annotated[list[Literal["backendUrl", "apiKey", "roomId"]], Field(max_length=3)] = []
    rooms: Annotated[list[SeenRoom], Field(max_length=50)] = []
    selector_misses: Annotated[list[SelectorMiss], Field(max_length=50)] = []
    #: The strategy each counter came from, per platform (``selectors.json``'s order says which
    #: is tried first).
    strategies: Annotated[list[StrategyUse], Field(max_length=30)] = []
    #: Samples the backend refused since the previous report, and the latest refusal's words.
    refused_posts: _Count = 0
    last_refusal: _ShortText | None = None
    #: Samples waiting in its queue now, and dropped from it (full) since it was installed.
    queue_length: _Count = 0
    dropped: _Count = 0
    #: Its clock minus the backend's, seconds (learnt from answers; corrected when posting).
    clock_offset: Annotated[int, Field(strict=True, ge=-(10**9), le=10**9)] = 0


class CollectorHealthReport(_HealthFields, _Inbound):
    """``POST /api/collectors/health``; the latest per API key is kept."""


#: Largest page outline accepted (``POST /api/collectors/outlines``), and its elements.
MAX_OUTLINE_BYTES = 512 * 1024
MAX_OUTLINE_NODES = 4000
MAX_OUTLINE_DEPTH = 65
_OutlineToken = Annotated[str, Field(pattern=r"^[A-Za-z_{][\w{}:.-]{0,63}$")]


class OutlineNode(_Inbound):
    """One element of a page outline (``extension/src/outline.js``): its tag, id, classes and
    data-* attribute names, the count its own text shows (the number only), whether its inside
    was left out (``o``: a chat, a user list, a profile), and its children."""

    t: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")]
    i: _OutlineToken | None = None
    c: Annotated[list[_OutlineToken], Field(max_length=20)] = []
    d: Annotated[
        list[Annotated[str, Field(pattern=r"^data-[a-z0-9_.-]{1,40}$")]], Field(max_length=20)
    ] = []
    x: Annotated[str, Field(pattern=r"^\d[\d.,\u00a0\u202f ]{0,30}(\s*[kKmM])?$")] | None = None
    o: bool = False
    k: Annotated[list[OutlineNode], Field(max_length=300)] = []


def _outline_size(node: OutlineNode, depth: int = 1) -> tuple[int, int]:
    """(elements, depth) of an outline, without recursing (a deep one must not blow the stack)."""
    count, deepest, stack = 0, 0, [(node, depth)]
    while stack:
        current, level = stack.pop()
        count, deepest = count + 1, max(deepest, level)
        stack.extend((kid, level + 1) for kid in current.k)
    return count, deepest


class PageOutline(_Inbound):
    """``POST /api/collectors/outlines``: the shape of a broadcast page, for an administrator
    fixing a strategy — no text but counts, no attribute values, the room's name as ``{room}``."""

    platform: Platform
    room_id: RoomId | None = None
    #: The page's path, the room's name as ``{room}``; ``/`` when the room is not known.
    page: Annotated[str, Field(pattern=r"^/[^\s]{0,199}$")]
    truncated: bool = False
    nodes: Annotated[int, Field(strict=True, ge=1, le=MAX_OUTLINE_NODES)]
    root: OutlineNode

    @model_validator(mode="after")
    def _bounded(self) -> PageOutline:
        count, depth = _outline_size(self.root)
        if count != self.nodes:
            raise ValueError(f"nodes says {self.nodes}, the outline has {count}")
        if depth > MAX_OUTLINE_DEPTH:
            raise ValueError(f"the outline is {depth} levels deep; at most {MAX_OUTLINE_DEPTH}")
        return self


class OutlineSummary(_Outbound):
    """A kept outline, as ``GET /api/admin/outlines`` lists them."""

    key: str
    platform: Platform
    room_id: RoomId | None
    page: str
    nodes: int
    truncated: bool
    received_at: UnixSeconds


class KeptOutline(_Outbound):
    """``GET /api/admin/outlines/{key}/{platform}``: the outline and when it came."""

    key: str
    received_at: UnixSeconds
    outline: PageOutline


class StrategyTrialRequest(_Inbound):
    """``POST /api/admin/outlines/{key}/{platform}/try``: strategies to try on that outline."""

    strategies: SelectorList


class StrategyTrial(_Outbound):
    """One strategy tried on a stored outline: ``reads`` (``shown`` is the count it finds),
    ``no count`` (an element, but no count in it), ``missing``, ``malformed selector``, or
    ``untestable`` (json and state strategies: an outline does not carry what they read)."""

    strategy: str
    result: Literal["reads", "no count", "missing", "malformed selector", "untestable"]
    shown: str | None = None


class ServedSelectors(_Outbound):
    """``GET``/``PUT /api/admin/selectors``: the reading rules collectors are served now, and
    whether they are the file's or an administrator's publication."""

    source: Literal["file", "published"]
    published_at: UnixSeconds | None = None
    published_by: str | None = None
    selectors: CollectorSelectors


class CollectorHealthSeen(_HealthFields, _Outbound):
    """A kept report as the administration API answers it."""


class CollectorHealth(_Outbound):
    """A key's latest health report, as the server received it."""

    received_at: UnixSeconds
    report: CollectorHealthSeen


class KeySummary(_Outbound):
    name: str
    revoked: bool
    created_at: UnixSeconds
    #: Its latest post (None: never used); a collector silent for long shows here.
    last_post: UnixSeconds | None = None
    #: Not revoked, and nothing posted for ``GODMODE_COLLECTOR_SILENT_AFTER`` seconds after it
    #: had been posting: what the dashboards were told as a COLLECTOR_STATUS ``silent``.
    silent: bool = False
    #: The rooms it posts for, the latest first.
    rooms: list[KeyRoom] = []
    #: The collector's own latest report (None: it never sent one, e.g. a server-side poller).
    health: CollectorHealth | None = None


class NewKey(_Inbound):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]{1,64}$", examples=["studio-pc-3"])]


class CreatedKey(_Outbound):
    """The key itself: shown this once (only its digest is stored)."""

    name: str
    key: str


class AuditRecord(_Outbound):
    at: UnixSeconds
    actor: str
    action: str
    target: str
    detail: str
    address: str


class PayoutRateInfo(_Outbound):
    """A payout rate: dollars per token for a platform, or one of its rooms (which overrides
    the platform's), from a day of the studio's calendar on (none: before the first dated one)."""

    platform: Platform
    room_id: RoomId | None = None
    usd_per_token: str
    start: Day | None = Field(default=None, alias="from")
    set_by: str
    set_at: UnixSeconds

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class CurrencyRateInfo(_Outbound):
    """An exchange rate: units of a currency per dollar, from a day on (none: before the
    first dated one)."""

    currency: CurrencyCode
    units_per_usd: str
    start: Day | None = Field(default=None, alias="from")
    set_by: str
    set_at: UnixSeconds

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class RatesInfo(_Outbound):
    """``GET /api/admin/rates``: the studio's currency and every rate set, in scope then date
    order."""

    currency: CurrencyCode
    payout: list[PayoutRateInfo]
    exchange: list[CurrencyRateInfo]


class NewPayoutRate(_Inbound):
    """``POST /api/admin/rates``: set a payout rate (replacing the one of the same platform,
    room and day)."""

    platform: Platform
    room_id: RoomId | None = None
    usd_per_token: UsdPerToken
    start: Day | None = Field(default=None, alias="from")


class NewCurrencyRate(_Inbound):
    """``POST /api/admin/rates/currency``: set an exchange rate (replacing the one of the same
    currency and day)."""

    currency: Annotated[str, Field(pattern="^[A-Za-z]{3}$", examples=["COP"])]
    units_per_usd: UnitsPerUsd
    start: Day | None = Field(default=None, alias="from")


class TokenResponse(_Outbound):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    #: Seconds until the token expires.
    expires_in: Annotated[int, Field(ge=1)]


# --- Operations --------------------------------------------------------------------------------


class HealthStatus(_Outbound):
    status: Literal["ok"] = "ok"
    version: str


class ReadyStatus(_Outbound):
    """``/readyz``: ``ready`` when every dependency answers; ``degraded`` (still 200) while the node
    works without Redis; ``unavailable`` (503) when anything else fails."""

    status: Literal["ready", "degraded", "unavailable"]
    store: str
    checks: dict[str, str]
    #: Server-side collectors by name (``chaturbate_events:<room>``): ``ok``, ``starting``,
    #: ``retrying: ...`` or ``unhealthy: ...``.  An unhealthy source makes the node ``degraded``,
    #: not unavailable: everything else it serves still works.  *New.*
    sources: dict[str, str] = Field(default_factory=dict)


# --- Collectors ------------------------------------------------------------------------------

_Path = Annotated[str, Field(min_length=1, max_length=200)]
_Name = Annotated[str, Field(min_length=1, max_length=100)]


class CssStrategy(_Outbound):
    """A counter's element on the page: the first one the CSS selector matches, its text."""

    kind: Literal["css"]
    selector: Annotated[str, Field(min_length=1, max_length=300)]
    name: _Name | None = None


class JsonStrategy(_Outbound):
    """A counter in a JSON answer of the site itself, which the page's scripts load too: fetched
    by the extension from the page's origin, with the broadcaster's session.

    ``url`` is a path on the page's origin (never another host), ``{room}`` the room id;
    ``path`` walks the answer: names, array indexes, ``[key=value]`` for the first item whose
    ``key`` is ``value``."""

    kind: Literal["json"]
    url: Annotated[str, Field(pattern=r"^/[^/\s][^\s]{0,298}$")]
    path: _Path
    name: _Name | None = None


class StateStrategy(_Outbound):
    """A counter in the state object an inline script of the page assigns to a global
    (``window.__PRELOADED_STATE__ = {...}``); ``path`` as for :class:`JsonStrategy`."""

    kind: Literal["state"]
    variable: Annotated[str, Field(pattern=r"^[A-Za-z_$][\w$]{0,63}$")]
    path: _Path
    name: _Name | None = None


Strategy = Annotated[CssStrategy | JsonStrategy | StateStrategy, Field(discriminator="kind")]
#: One way of reading a counter: a CSS selector (a plain string), or a strategy object.
StrategyEntry = Annotated[str, Field(min_length=1, max_length=300)] | Strategy
SelectorList = Annotated[list[StrategyEntry], Field(min_length=1, max_length=20)]


class RoomLocator(_Outbound):
    """Where a platform's page names the room: elements first, then a pattern on the path."""

    selectors: list[str] = Field(default_factory=list)
    #: A regular expression on the page's path whose first group is the room id.
    path: str | None = None


class CounterSelectors(_Outbound):
    """For each counter, the ways of reading it, tried in order (the sturdiest first): the
    first that reads gives the count; another that reads a different count is reported."""

    tokens_count: SelectorList
    tips_count: SelectorList
    viewers_count: SelectorList

    def css_only(self) -> dict[str, list[str]]:
        """The counters as collectors before strategies read them: CSS selectors only."""
        return {
            name: [
                e if isinstance(e, str) else e.selector
                for e in getattr(self, name)
                if isinstance(e, str | CssStrategy)
            ]
            for name in ("tokens_count", "tips_count", "viewers_count")
        }


class PlatformSelectors(_Outbound):
    hosts: list[str] = Field(default_factory=list)
    room: RoomLocator = Field(default_factory=RoomLocator)
    counters: CounterSelectors


class CollectorSelectors(_Outbound):
    """``GET /api/collectors/selectors``: the extension's scraping rules (``selectors.json``).

    Served by the backend so that a studio fixes a selector once, centrally; every extension
    picks the new ``version`` up within minutes.
    """

    version: Annotated[int, Field(strict=True, ge=1)]
    platforms: dict[Platform, PlatformSelectors]

    def css_only(self) -> dict[str, object]:
        """This data as an extension older than strategies (1.1) reads it: every entry a CSS
        selector, the others left out (it would refuse the whole file otherwise)."""
        body = self.model_dump(mode="json", exclude_none=True)
        for name, platform in self.platforms.items():
            body["platforms"][name]["counters"] = platform.counters.css_only()
        return body
