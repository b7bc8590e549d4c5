"""``/api/auth/*``: log in with a user name and password, renew a token before it expires."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from godmode_desktop.net.protocol import ErrorBody, LoginRequest, TokenResponse

from .auth import Claims
from .context import UNAUTHORIZED_HEADERS, context, json_body_doc, parse_body, require_user
from .errors import ApiError, JsonResponse

router = APIRouter(prefix="/api/auth", tags=["auth"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 413, 422)
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
    credentials = await parse_body(request, LoginRequest)
    user = await ctx.db.authenticate(credentials.username, credentials.password)
    if user is None:
        ctx.metrics.logins.labels("refused").inc()
        raise ApiError(401, "wrong user name or password", headers=UNAUTHORIZED_HEADERS)
    ctx.metrics.logins.labels("ok").inc()
    token = ctx.tokens.issue(user.username, user.role)
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
    user = await ctx.db.get_user(claims.subject)
    if user is None or user.disabled:
        raise ApiError(
            401, "the account no longer exists or is disabled", headers=UNAUTHORIZED_HEADERS
        )
    token = ctx.tokens.issue(user.username, user.role)
    return JsonResponse(
        TokenResponse(access_token=token, expires_in=ctx.tokens.lifetime).model_dump()
    )
