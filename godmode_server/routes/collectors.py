"""``/api/collectors/*``: what collectors fetch from the backend."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from godmode_common.protocol import (
    MAX_HEALTH_REPORT_BYTES,
    MAX_OUTLINE_BYTES,
    CollectorHealthReport,
    CollectorSelectors,
    ErrorBody,
    PageOutline,
)
from godmode_server.collectors.health import ANONYMOUS
from godmode_server.context import context
from godmode_server.errors import JsonResponse
from godmode_server.routes.bodies import json_body_doc, parse_body

router = APIRouter(prefix="/api/collectors", tags=["collectors"])


@router.get(
    "/selectors",
    response_model=CollectorSelectors,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
    summary="The extension's selectors for each platform's counters",
)
async def get_selectors(
    request: Request,
    strategies: Annotated[
        bool,
        Query(
            description="Every strategy (extension 1.2 and later); without it, the CSS selectors "
            "only, the form older extensions read."
        ),
    ] = False,
) -> JsonResponse:
    """The extensions refresh their reading rules from here, so a studio that fixes a strategy
    (``PUT /api/admin/selectors``, or ``GODMODE_SELECTORS_FILE``) fixes it for every browser
    within minutes.  Same key as ingest."""
    served = await context(request).rules.current()
    return JsonResponse(served.full_body if strategies else served.css_body)


@router.post(
    "/health",
    status_code=204,
    responses={code: {"model": ErrorBody} for code in (400, 401, 403, 413, 415, 422, 429)},
    summary="A collector's report on itself (the latest per API key is kept)",
    openapi_extra=json_body_doc(CollectorHealthReport),
)
async def post_health(request: Request) -> Response:
    """Its version, the rooms it reads, the counters it could not read (selector misses), the
    samples refused and its queue.  Administrators read it in ``GET /api/admin/keys``; metrics
    show it per key.  A malformed or oversized report is refused and nothing is kept."""
    ctx = context(request)
    report = await parse_body(request, CollectorHealthReport, MAX_HEALTH_REPORT_BYTES)
    key_name = getattr(request.state, "key_name", None)
    await ctx.collector_health.keep(key_name if isinstance(key_name, str) else None, report)
    return Response(status_code=204)


@router.post(
    "/outlines",
    status_code=204,
    responses={code: {"model": ErrorBody} for code in (400, 401, 403, 413, 415, 422, 429)},
    summary="A broadcast page's outline (the latest per key and platform is kept)",
    openapi_extra=json_body_doc(PageOutline),
)
async def post_outline(request: Request) -> Response:
    """The extension's *Send page outline*: the page's tags, ids, classes, data-* names and the
    counts it shows, nothing personal; administrators read it in ``GET /api/admin/outlines`` to
    write a strategy.  At most :data:`MAX_OUTLINE_BYTES` and a few a minute per key."""
    ctx = context(request)
    key_name = getattr(request.state, "key_name", None)
    key = key_name if isinstance(key_name, str) else ANONYMOUS
    await ctx.limits.hit(ctx.limits.outlines_per_key, "outline-key", key, what="page outlines")
    outline = await parse_body(request, PageOutline, MAX_OUTLINE_BYTES)
    await ctx.db.save_outline(
        key, outline.platform, int(time.time()), outline.model_dump_json(exclude_defaults=True)
    )
    return Response(status_code=204)
