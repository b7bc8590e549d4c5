"""``/api/admin/rates``: the payout rates and the exchange rate tokens are priced with, for
admins; each change in the audit log, as the command line's (``godmode-server rate``)."""

from __future__ import annotations

from collections.abc import Awaitable
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from godmode_common.money import RateError
from godmode_common.protocol import (
    CurrencyRateInfo,
    ErrorBody,
    ErrorItem,
    NewCurrencyRate,
    NewPayoutRate,
    PayoutRateInfo,
    RatesInfo,
)
from godmode_server.accounts.auth import Claims
from godmode_server.context import ServerContext, context
from godmode_server.earnings import rates
from godmode_server.errors import ApiError, JsonResponse
from godmode_server.http.ratelimit import client_address
from godmode_server.routes.access import require_user
from godmode_server.routes.bodies import json_body_doc, parse_body

router = APIRouter(prefix="/api/admin/rates", tags=["administration"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 413, 415, 422, 429)
}
Admin = Annotated[Claims, Depends(require_user)]
#: Largest body of a rate, bytes.
RATE_BODY_LIMIT = 1024


async def _rates(ctx: ServerContext) -> RatesInfo:
    return RatesInfo(
        currency=ctx.settings.currency,
        payout=[
            PayoutRateInfo(
                platform=rate.platform,
                room_id=rate.room_id,
                usd_per_token=str(rate.usd_per_token),
                start=rate.start,
                set_by=by,
                set_at=at,
            )
            for rate, by, at in await ctx.db.payout_rates()
        ],
        exchange=[
            CurrencyRateInfo(
                currency=rate.currency,
                units_per_usd=str(rate.units_per_usd),
                start=rate.start,
                set_by=by,
                set_at=at,
            )
            for rate, by, at in await ctx.db.currency_rates()
        ],
    )


def _refused(exc: RateError) -> ApiError:
    return ApiError(
        422,
        f"invalid request: {exc.field}: {exc.message}",
        [ErrorItem(field=exc.field, message=exc.message, type="rate")],
    )


async def _changed(
    request: Request, admin: Claims, action: str, change: Awaitable[tuple[str, str]]
) -> JsonResponse:
    """Make a change of rates: in the audit log once made, a 422 naming the field if refused;
    answered with every rate."""
    ctx = context(request)
    try:
        target, detail = await change
    except RateError as exc:
        raise _refused(exc) from None
    await ctx.db.record_audit(admin.subject, action, target, detail, client_address(request))
    return JsonResponse((await _rates(ctx)).model_dump(mode="json", by_alias=True))


@router.get("", response_model=RatesInfo, responses=_ERRORS, summary="Every rate set")
async def list_rates(request: Request, _: Admin) -> JsonResponse:
    info = await _rates(context(request))
    return JsonResponse(info.model_dump(mode="json", by_alias=True))


@router.post(
    "",
    response_model=RatesInfo,
    responses=_ERRORS,
    summary="Set a payout rate (dollars per token) for a platform or one of its rooms",
    openapi_extra=json_body_doc(NewPayoutRate),
)
async def set_payout_rate(request: Request, admin: Admin) -> JsonResponse:
    """From ``from`` on (a day of the studio's calendar, at most a year ahead); without it,
    before the first dated rate.  Replaces the rate of the same platform, room and day."""
    ctx = context(request)
    body = await parse_body(request, NewPayoutRate, RATE_BODY_LIMIT)
    change = rates.set_payout_rate(
        ctx.db,
        ctx.settings,
        platform=body.platform,
        room_id=body.room_id,
        usd_per_token=Decimal(body.usd_per_token),
        start=body.start,
        actor=admin.subject,
    )
    return await _changed(request, admin, "rate.set", change)


@router.post(
    "/currency",
    response_model=RatesInfo,
    responses=_ERRORS,
    summary="Set an exchange rate (units of a currency per dollar)",
    openapi_extra=json_body_doc(NewCurrencyRate),
)
async def set_currency_rate(request: Request, admin: Admin) -> JsonResponse:
    """From ``from`` on, as a payout rate.  The reports' ``earned_local`` uses the rate of the
    studio's currency (``GODMODE_CURRENCY``)."""
    ctx = context(request)
    body = await parse_body(request, NewCurrencyRate, RATE_BODY_LIMIT)
    change = rates.set_currency_rate(
        ctx.db,
        ctx.settings,
        currency=body.currency,
        units_per_usd=Decimal(body.units_per_usd),
        start=body.start,
        actor=admin.subject,
    )
    return await _changed(request, admin, "rate.currency", change)
