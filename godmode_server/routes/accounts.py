"""``/api/auth/*``: log in with a user name and password, renew a token before it expires, say
who the token belongs to, change one's own password."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from godmode_common.protocol import (
    Account,
    ErrorBody,
    ErrorItem,
    LoginRequest,
    PasswordChange,
    RoomRef,
    TokenResponse,
    UserSummary,
)
from godmode_server.accounts.auth import Claims
from godmode_server.context import ServerContext, context
from godmode_server.errors import ApiError, JsonResponse
from godmode_server.http.authorization import ROLES
from godmode_server.http.ratelimit import client_address
from godmode_server.routes.access import UNAUTHORIZED_HEADERS, require_user
from godmode_server.routes.bodies import json_body_doc, parse_body
from godmode_server.sql.users import UserInfo

router = APIRouter(prefix="/api/auth", tags=["auth"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 413, 415, 422, 429, 503)
}


@router.post(
    "/login",
    response_model=TokenResponse,
    responses=_ERRORS,
    summary="Exchange a user name and password for a bearer token",
    openapi_extra=json_body_doc(LoginRequest),
)
async def login(request: Request) -> JsonResponse:
    ctx = context(request)
    await _address_budget(request)
    credentials = await parse_body(request, LoginRequest)
    user = await _password_attempt(
        ctx,
        credentials.username,
        lambda: ctx.db.authenticate(credentials.username, credentials.password),
    )
    if user is None:
        ctx.metrics.logins.labels("refused").inc()
        raise ApiError(401, "wrong user name or password", headers=UNAUTHORIZED_HEADERS)
    ctx.metrics.logins.labels("ok").inc()
    token = ctx.tokens.issue(user.username, user.role, user.generation)
    return JsonResponse(
        TokenResponse(access_token=token, expires_in=ctx.tokens.lifetime).model_dump()
    )


@router.post(
    "/refresh",
    response_model=TokenResponse,
    responses=_ERRORS,
    summary="Renew a valid token (the account must still exist and be enabled)",
)
async def refresh(
    request: Request, claims: Annotated[Claims, Depends(require_user)]
) -> JsonResponse:
    ctx = context(request)
    await _address_budget(request)
    user = await ctx.db.get_user(claims.subject)
    if user is None or user.disabled or user.generation != claims.generation:
        raise ApiError(
            401,
            "the account no longer exists, is disabled or its password changed",
            headers=UNAUTHORIZED_HEADERS,
        )
    token = ctx.tokens.issue(user.username, user.role, user.generation)
    return JsonResponse(
        TokenResponse(access_token=token, expires_in=ctx.tokens.lifetime).model_dump()
    )


@router.get(
    "/me",
    response_model=Account,
    responses=_ERRORS,
    summary="Who the token belongs to, their role and what they may see",
)
async def me(request: Request, claims: Annotated[Claims, Depends(require_user)]) -> JsonResponse:
    ctx = context(request)
    user = await ctx.db.get_user(claims.subject)
    if user is None:
        raise ApiError(401, "the account no longer exists", headers=UNAUTHORIZED_HEADERS)
    summary = await user_summary(ctx, user)
    account = Account(
        username=summary.username, role=summary.role, reports=summary.reports, rooms=summary.rooms
    )
    return JsonResponse(account.model_dump())


async def user_summary(ctx: ServerContext, user: UserInfo) -> UserSummary:
    """A user as the API shows them: role, reports open or not, a monitor's rooms."""
    monitor = user.role == "monitor"
    rooms = await ctx.db.rooms_of(user.username) if monitor else []
    return UserSummary(
        username=user.username,
        role=user.role if user.role in ROLES else "monitor",
        disabled=user.disabled,
        reports=user.can_report or not monitor,
        rooms=[RoomRef(room_id=r, platform=p) for r, p in rooms],
    )


@router.post(
    "/password",
    response_model=TokenResponse,
    responses=_ERRORS,
    summary="Change one's own password (the old one is required); a new token is returned",
    openapi_extra=json_body_doc(PasswordChange),
)
async def change_password(
    request: Request, claims: Annotated[Claims, Depends(require_user)]
) -> JsonResponse:
    """Every other session of the user ends (their tokens stop working on every node within a
    second, open dashboards included); this one goes on with the token answered.  Wrong old
    passwords count like wrong logins (the same lock-out)."""
    ctx = context(request)
    await _address_budget(request)
    change = await parse_body(request, PasswordChange)
    user = await _password_attempt(
        ctx,
        claims.subject,
        lambda: ctx.db.change_password(claims.subject, change.old_password, change.new_password),
    )
    if user is None:  # not 401: the token is good, and a client must not log out over this
        raise ApiError(
            422,
            "invalid request: old_password: not the current password",
            [ErrorItem(field="old_password", message="not the current password", type="wrong")],
        )
    token = ctx.tokens.issue(user.username, user.role, user.generation)
    return JsonResponse(
        TokenResponse(access_token=token, expires_in=ctx.tokens.lifetime).model_dump()
    )


async def _address_budget(request: Request) -> None:
    """Logins, refreshes and password changes share a budget per address (429 beyond it)."""
    limits = context(request).limits
    await limits.hit(
        limits.login_per_address, "login-address", client_address(request), what="this address"
    )


async def _password_attempt(
    ctx: ServerContext, username: str, check: Callable[[], Awaitable[UserInfo | None]]
) -> UserInfo | None:
    """Run ``check`` (a password check for ``username``) as one counted attempt.

    Guessing one user's password: after too many wrong ones the name is locked for a while,
    whatever address the guesses come from.  The attempt is counted *before* the password is
    checked, so concurrent guesses cannot all slip past the lock while the hashes run; a good
    one clears the count.  Waiting for a free password check comes first, so a request that is
    turned away (503) spends none of the user's attempts."""
    limits = ctx.limits
    failures = (limits.login_failures_per_user, "login-failures", username)
    async with ctx.password_checks.slot():
        await limits.hit(*failures, what=f"wrong passwords for {username!r}")
        user = await check()
    if user is not None:
        await limits.clear(*failures)
    return user
