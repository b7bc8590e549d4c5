"""What the routes share (settings, store, hub, accounts, metrics) and the checks they reuse."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.requests import HTTPConnection

from godmode_server.accounts.auth import (
    Claims,
    InvalidToken,
    PasswordChecks,
    TokenService,
    bearer_token,
)
from godmode_server.accounts.credentials import CredentialWatch
from godmode_server.accounts.refusals import RefusedAttempts
from godmode_server.collectors.activity import KeyActivity
from godmode_server.collectors.health import CollectorHealthBoard
from godmode_server.collectors.sources import Sources
from godmode_server.collectors.watch import CollectorWatch
from godmode_server.errors import ApiError, from_pydantic
from godmode_server.extension.shelf import ExtensionShelf
from godmode_server.feed.hub import Hub
from godmode_server.feed.snapshots import SharedSnapshots
from godmode_server.http.authorization import ALLOWED, ROUTES, Caller, Need, answer, caller_of
from godmode_server.http.ratelimit import RateLimits, client_address
from godmode_server.metrics import Metrics
from godmode_server.settings import Settings
from godmode_server.sql.archive import HistoryArchive
from godmode_server.sql.database import Database
from godmode_server.sql.users import UserInfo
from godmode_server.stores import Store

ModelT = TypeVar("ModelT", bound=BaseModel)

#: How long a checked API key is trusted before the database is asked again, so ingest does not
#: cost a database query per sample.  A revoked key stops sooner: a change of credentials empties
#: the cache on every node within a second (see credentials.py).
API_KEY_CACHE_SECONDS = 30.0
_API_KEY_CACHE_MAX = 4096

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}


#: Earnings reports computed at once on a node; more wait their turn.  Each one's Python work
#: (summing the rows, building and encoding the answer) runs in a worker thread, and a worker
#: holding the interpreter delays the event loop's next turn: one at a time kept every feed's
#: delivery under 25 ms with 50 year-by-shift reports asked at once (two: under 50 ms, for 20 %
#: more reports answered; benchmarks/report_load.py, docs/PERFORMANCE.md).
REPORTS_AT_ONCE = 1


@dataclass
class ServerContext:
    settings: Settings
    store: Store
    hub: Hub
    db: Database
    archive: HistoryArchive
    tokens: TokenService
    metrics: Metrics
    limits: RateLimits
    password_checks: PasswordChecks
    platforms: frozenset[str]
    #: What GET /api/collectors/selectors answers (checked at start).
    selectors_body: dict[str, object] = field(default_factory=dict)
    sources: Sources | None = None
    #: Concurrent dashboards' snapshots, read and encoded once (see snapshots.py).
    snapshots: SharedSnapshots = field(init=False)
    #: Disabled accounts, changed passwords and revoked keys, as of at most a second ago.
    credentials: CredentialWatch = field(init=False)
    #: When each ingest key last posted for each room (the collectors' health).
    key_activity: KeyActivity = field(init=False)
    #: Keys that stop posting, told to the dashboards.
    collector_watch: CollectorWatch = field(init=False)
    #: The collectors' own latest reports, and their metrics.
    collector_health: CollectorHealthBoard = field(init=False)
    #: Users' refused attempts at the administration, in the audit log (bounded).
    refused: RefusedAttempts = field(init=False)
    #: The packed collectors served for self-hosted updates.
    extensions: ExtensionShelf = field(init=False)
    _key_cache: dict[str, tuple[str, float]] = field(default_factory=dict)
    #: Turns of the earnings reports (reports.py): at most REPORTS_AT_ONCE computed at once.
    report_turns: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(REPORTS_AT_ONCE)
    )

    def __post_init__(self) -> None:
        self.snapshots = SharedSnapshots(
            self.store.snapshot, lambda: (self.store.epoch, self.store.last_seq)
        )
        self.key_activity = KeyActivity(self.db)
        self.refused = RefusedAttempts(self.db)
        self.extensions = ExtensionShelf(self.settings.extension_dir)
        self.collector_health = CollectorHealthBoard(
            self.db,
            self.metrics,
            key_names=self.settings.metrics_key_names or self.settings.dev,
        )
        self.collector_watch = CollectorWatch(
            self.db,
            self.key_activity,
            self.hub,
            silent_after=self.settings.collector_silent_after,
            interval=self.settings.collector_check_interval,
        )
        self.credentials = CredentialWatch(
            self.db, interval=self.settings.credentials_poll, on_change=self._key_cache.clear
        )

    async def api_key_name(self, key: str) -> str | None:
        now = time.monotonic()
        cached = self._key_cache.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        name = await self.db.key_name(key)
        if name is not None:
            if len(self._key_cache) >= _API_KEY_CACHE_MAX:
                self._key_cache.clear()
            self._key_cache[key] = (name, now + API_KEY_CACHE_SECONDS)
        return name

    def claims(self, conn: HTTPConnection) -> Claims:
        """The verified claims of the connection's Bearer token; :class:`InvalidToken` if none."""
        token = bearer_token(conn.headers.get("authorization"))
        if token is None:
            raise InvalidToken("no bearer token")
        return self.tokens.verify(token)


def context(conn: HTTPConnection) -> ServerContext:
    ctx = conn.app.state.ctx
    assert isinstance(ctx, ServerContext)
    return ctx


async def authorize_collector(request: HTTPConnection, ctx: ServerContext) -> str | None:
    """Collectors (ingest, selectors) present an API key; dev mode also lets them in without.

    Each address, and each key, has a request budget (429 with Retry-After beyond it).
    Returns the key's name (None: dev mode, no key)."""
    limits = ctx.limits
    await limits.hit(
        limits.ingest_per_address, "ingest-address", client_address(request), what="this address"
    )
    key = request.headers.get("x-api-key")
    if key is None:
        if ctx.settings.dev:
            return None
        ctx.metrics.samples_rejected.labels("unauthorized").inc()
        raise ApiError(
            401, "an API key is required (X-Api-Key header)", headers=UNAUTHORIZED_HEADERS
        )
    name = await ctx.api_key_name(key)
    if name is None:
        ctx.metrics.samples_rejected.labels("unauthorized").inc()
        raise ApiError(401, "the API key is not valid or was revoked", headers=UNAUTHORIZED_HEADERS)
    await limits.hit(limits.ingest_per_key, "ingest-key", name, what=f"API key {name!r}")
    return name


async def enforce(request: HTTPConnection) -> None:
    """The authorization table (authorization.py) for every HTTP route, before anything else the
    route does: who is calling, and what the table answers for them on this route.

    Cheap where it can be: public routes look at nothing; an API key is checked only on the
    collectors' routes (after their rate limits: a spray of wrong keys costs no database query
    before the limit), elsewhere it is never allowed whatever its value; a token's account is
    read (from the credentials cache) only on the routes that need a user."""
    if request.scope["type"] != "http":
        return  # the WebSocket answers with close codes (dashboard_ws.py), by the same table
    ctx = context(request)
    route = request.scope.get("route")
    need = ROUTES.get((request.scope["method"], getattr(route, "path", "")))
    if need is None:
        raise ApiError(403, "this route is not in the authorization table")
    if need is Need.PUBLIC:
        return
    dev = ctx.settings.dev
    claims: Claims | None = None
    account: UserInfo | None = None
    if "x-api-key" in request.headers and need is Need.COLLECTOR:
        request.state.key_name = await authorize_collector(request, ctx)
        caller = Caller.API_KEY
    elif "x-api-key" in request.headers:
        caller = Caller.API_KEY
    elif (token := bearer_token(request.headers.get("authorization"))) is not None:
        try:
            claims = ctx.tokens.verify(token)
        except InvalidToken as exc:
            raise ApiError(
                401, "a valid bearer token is required", headers=UNAUTHORIZED_HEADERS
            ) from exc
        try:
            account = await ctx.credentials.account(claims)
        except Exception as exc:
            raise ApiError(
                503, "the accounts database does not answer", headers={"Retry-After": "5"}
            ) from exc
        if account is None:
            raise ApiError(
                401,
                "the account is disabled or its password changed; log in again",
                headers=UNAUTHORIZED_HEADERS,
            )
        caller = caller_of(account.role, can_report=account.can_report)
    else:
        if need is Need.COLLECTOR:
            await authorize_collector(request, ctx)  # rate limits; dev mode lets it in
        caller = Caller.ANONYMOUS
    status = answer(need, caller, dev=dev)
    if status == 401:
        raise ApiError(401, _WHO[need], headers=UNAUTHORIZED_HEADERS)
    if status == 403 and need is Need.ADMIN and claims is not None:
        await ctx.refused.note(
            claims.subject,
            f"{request.scope.get('method', 'WEBSOCKET')} {request.url.path}"[:128],
            f"a {caller.value} may not use the administration",
            client_address(request),
        )
    if status != ALLOWED:
        raise ApiError(status, f"a {caller.value} may not do this ({need.value} route)")
    request.state.claims = claims
    request.state.account = account


#: Why a caller without the right credentials is refused, per need.
_WHO = {
    Need.COLLECTOR: "an API key is required (X-Api-Key header)",
    Need.USER: "a valid bearer token is required",
    Need.READER: "a valid bearer token is required",
    Need.REPORTS: "a valid bearer token is required",
    Need.ADMIN: "an administrator's bearer token is required",
}


def claims_of(request: Request) -> Claims | None:
    """The caller's verified token, as :func:`enforce` found it (None: no user)."""
    claims = getattr(request.state, "claims", None)
    return claims if isinstance(claims, Claims) else None


async def scope_of(request: Request) -> frozenset[tuple[str, str]] | None:
    """A monitor's rooms, (room_id, platform) each, for the reads to keep to; None for every
    other caller (they see every room)."""
    account = getattr(request.state, "account", None)
    if not isinstance(account, UserInfo) or account.role != "monitor":
        return None
    return frozenset(await context(request).db.rooms_of(account.username))


async def require_user(request: Request) -> Claims:
    """For routes that need a user (the table made sure there is one)."""
    claims = claims_of(request)
    if claims is None:  # a route the table lets in without a user: a mistake in the table
        raise ApiError(401, "a valid bearer token is required", headers=UNAUTHORIZED_HEADERS)
    return claims


async def require_reader(request: Request) -> Claims | None:
    """For read routes: the user, or None where dev mode lets anyone read."""
    return claims_of(request)


def json_body_doc(model: type[BaseModel]) -> dict[str, object]:
    """OpenAPI ``requestBody`` for routes that parse their body themselves (see
    :func:`parse_body`), so the published document still shows the model."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) anything over ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"the body is larger than {limit} bytes")
    return bytes(body)


def is_seq(raw: str) -> bool:
    """A ``since`` as clients send it: 1-16 ASCII digits (``str.isdigit`` alone would take
    "²", and ``int`` would take " 1_0")."""
    return 0 < len(raw) <= 16 and raw.isascii() and raw.isdigit()


def require_json(request: Request) -> None:
    """JSON bodies come as ``application/json``: anything else is 415.  A browser page can only
    send a "simple" cross-origin POST (text/plain, forms) without asking first; refusing those
    keeps other sites' pages from posting logins or samples through a visitor's browser."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(
            415,
            "the body must be JSON sent as Content-Type: application/json"
            + (f" (got {media_type[:40]!r})" if media_type else " (no Content-Type given)"),
        )


async def parse_body(request: Request, model: type[ModelT], limit: int | None = None) -> ModelT:
    """The JSON body as ``model``; at most ``limit`` bytes (``GODMODE_MAX_BODY_BYTES``)."""
    require_json(request)
    body = await read_body(request, limit or context(request).settings.max_body_bytes)
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise from_pydantic(exc) from None
