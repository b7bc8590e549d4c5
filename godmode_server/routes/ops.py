"""Operational endpoints: liveness, readiness of dependencies, Prometheus metrics."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from starlette.responses import Response

from godmode_common import __version__
from godmode_common.protocol import HealthStatus, ReadyStatus
from godmode_server.context import context
from godmode_server.errors import JsonResponse
from godmode_server.metrics import CONTENT_TYPE_LATEST

router = APIRouter(tags=["operations"])
log = logging.getLogger(__name__)


@router.get("/healthz", response_model=HealthStatus, summary="The process is up")
async def healthz() -> JsonResponse:
    return JsonResponse(HealthStatus(version=__version__).model_dump())


@router.get(
    "/readyz",
    response_model=ReadyStatus,
    responses={503: {"model": ReadyStatus}},
    summary="Whether the store and the database answer (degraded: working without Redis)",
)
async def readyz(request: Request) -> JsonResponse:
    ctx = context(request)
    checks = await ctx.store.check()
    try:
        await ctx.db.ping()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"; say which
        log.warning("database check failed: %s", exc)
        checks["database"] = f"error: {type(exc).__name__}"
    # Degraded (Redis away) still serves: ingest and this node's dashboards keep working, so the
    # node must stay in the load balancer's rotation.  Anything else failing means "not ready".
    failing = [v for v in checks.values() if v != "ok" and not v.startswith("degraded")]
    sources = ctx.sources.health() if ctx.sources else {}
    # A collector that gave up (a refused token) is reported, but the node still serves
    # everything else: degraded, not out of the rotation.
    if failing:
        status = "unavailable"
    elif any(v != "ok" for v in checks.values()) or (ctx.sources and ctx.sources.any_unhealthy()):
        status = "degraded"
    else:
        status = "ready"
    body = ReadyStatus(status=status, store=ctx.store.kind, checks=checks, sources=sources)
    return JsonResponse(body.model_dump(), status_code=503 if failing else 200)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(context(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)
