"""Who is calling, checked before every route runs: the authorization table (http/authorization.py)
applied to the request's credentials, and what the routes then ask of the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from godmode_common.rooms import RoomKey
from godmode_server.accounts.auth import Claims, InvalidToken, bearer_token
from godmode_server.context import ServerContext, context
from godmode_server.errors import ApiError
from godmode_server.http.authorization import ALLOWED, ROUTES, Caller, Need, answer, caller_of
from godmode_server.http.ratelimit import client_address
from godmode_server.sql.users import UserInfo

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}


def claims(ctx: ServerContext, conn: HTTPConnection) -> Claims:
    """The verified claims of the connection's Bearer token; :class:`InvalidToken` if none."""
    token = bearer_token(conn.headers.get("authorization"))
    if token is None:
        raise InvalidToken("no bearer token")
    return ctx.tokens.verify(token)


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
    name = await ctx.key_names.name(key)
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


async def scope_of(request: Request) -> frozenset[RoomKey] | None:
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


#: A read route's caller: the user, or None where dev mode lets anyone read.
Reader = Annotated[Claims | None, Depends(require_reader)]
