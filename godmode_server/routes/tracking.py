"""``/api/tracking/*``: ingest of samples and reads of the latest values and history."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from godmode_common.protocol import (
    DOCTOR_ROOM,
    MAX_COUNTER,
    PLATFORM_PATTERN,
    ROOM_ID_PATTERN,
    BulkTelemetry,
    ErrorBody,
    ErrorItem,
    HistoryPoint,
    LiveRoom,
    RoomHistory,
    TelemetryAccepted,
    TelemetrySample,
)
from godmode_server.context import ServerContext, context
from godmode_server.errors import ApiError, JsonResponse
from godmode_server.reports.downsample import downsample
from godmode_server.routes.access import Reader, scope_of
from godmode_server.routes.bodies import is_seq, json_body_doc, parse_body
from godmode_server.stores import IngestOutcome

router = APIRouter(prefix="/api/tracking", tags=["tracking"])

RoomIdPath = Annotated[str, Path(pattern=ROOM_ID_PATTERN, max_length=64)]
PlatformPath = Annotated[str, Path(pattern=PLATFORM_PATTERN, max_length=32)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 413, 415, 422, 429)
}


async def _accept_posted(
    request: Request, ctx: ServerContext
) -> tuple[IngestOutcome, TelemetrySample, int]:
    try:
        sample = await parse_body(request, TelemetrySample)
    except ApiError as exc:
        ctx.metrics.samples_rejected.labels(
            "too_large" if exc.status_code == 413 else "invalid"
        ).inc()
        raise
    now = int(time.time())
    outcome = await ctx.ingest(sample, now)
    key_name = getattr(request.state, "key_name", None)
    if isinstance(key_name, str) and sample.room_id != DOCTOR_ROOM:
        ctx.key_activity.note(key_name, sample.platform, sample.room_id, now)
    return outcome, sample, now


@router.post(
    "/telemetry",
    response_model=TelemetryAccepted,
    responses=_ERRORS,
    summary="Post one sample of a room's counters",
    openapi_extra=json_body_doc(TelemetrySample),
)
async def post_telemetry(request: Request) -> JsonResponse:
    """Validate and store a sample; a change is logged and pushed to every dashboard.

    A sample older than the stored one, or with the same counters, is answered 200 with
    ``applied: false`` and produces no event.
    """
    ctx = context(request)
    started = time.perf_counter()
    try:
        outcome, sample, now = await _accept_posted(request, ctx)
    finally:
        ctx.metrics.ingest_seconds.observe(time.perf_counter() - started)
    answer = TelemetryAccepted(
        message=f"Telemetría procesada para room {sample.room_id}",
        processed_at=now,
        applied=outcome.applied,
        seq=outcome.seq,
        reason=outcome.reason,
    )
    return JsonResponse(answer.model_dump())


@router.get(
    "/telemetry",
    response_model=BulkTelemetry,
    responses=_ERRORS,
    summary="Every live room, or only the rooms changed since a seq",
)
async def get_all_telemetry(
    request: Request,
    _: Reader,
    since: Annotated[
        int | None, Query(ge=0, le=MAX_COUNTER, description="last seq the client has")
    ] = None,
    epoch: Annotated[str | None, Query(max_length=64, description="epoch of that seq")] = None,
) -> JsonResponse:
    store = context(request).store
    raw_since = request.query_params.get("since")
    if raw_since is not None and not is_seq(raw_since):
        raise ApiError(
            422,
            "invalid request: since: must be a seq (ASCII digits)",
            [ErrorItem(field="since", message="must be ASCII digits", type="int_parsing")],
        )
    if since is not None and epoch is not None:
        view = await store.changes_since(since, epoch)
    else:
        view = await store.snapshot()
    live = context(request).live
    rooms = [live.room(r) for r in view.rooms] if live is not None else view.rooms
    scope = await scope_of(request)
    if scope is not None:
        rooms = [r for r in rooms if (r.room_id, r.platform) in scope]
    body = BulkTelemetry(
        seq=view.seq, epoch=view.epoch, full=view.full, rooms=rooms, timestamp=int(time.time())
    )
    return JsonResponse(body.model_dump(exclude_none=True))


@router.get(
    "/telemetry/{room_id}/{platform}",
    response_model=LiveRoom,
    responses=_ERRORS,
    summary="The latest sample of one room, with what it earned today and this shift",
)
async def get_telemetry(
    request: Request, room_id: RoomIdPath, platform: PlatformPath, _: Reader
) -> JsonResponse:
    scope = await scope_of(request)
    sample = None
    if scope is None or (room_id, platform) in scope:  # a monitor's other rooms: not found
        sample = await context(request).store.latest(room_id, platform)
    if sample is None:
        raise ApiError(404, f"no telemetry for room {room_id} on {platform} in the last hour")
    live = context(request).live
    room = live.room(sample) if live is not None else sample
    return JsonResponse(room.model_dump(exclude_none=True))


@router.get(
    "/telemetry/{room_id}/{platform}/history",
    response_model=RoomHistory,
    responses=_ERRORS,
    summary="Samples of one room, oldest first: recent ones, or a time range from the archive",
)
async def get_history(
    request: Request,
    room_id: RoomIdPath,
    platform: PlatformPath,
    _: Reader,
    limit: Annotated[int, Query(ge=1, le=10_000, description="the latest this many")] = 500,
    start: Annotated[
        int | None,
        Query(
            alias="from",
            ge=0,
            le=MAX_COUNTER,
            description="unix seconds: read the archive from this time",
        ),
    ] = None,
    end: Annotated[
        int | None,
        Query(
            alias="to", ge=0, le=MAX_COUNTER, description="unix seconds: archive up to this time"
        ),
    ] = None,
    points: Annotated[
        int | None,
        Query(
            ge=10,
            le=10_000,
            description="with from/to: at most this many samples over the whole range, keeping "
            "each stretch's lowest and highest values",
        ),
    ] = None,
) -> JsonResponse:
    """Without ``from``/``to``: the room's latest samples, kept by the store (1,000 per room).
    With them: the SQL archive (every sample of the last ``GODMODE_HISTORY_DAYS``), shared by
    every node; samples reach it within about a second.  With ``points`` too: the whole range
    in at most that many samples, chosen so that no spike or drop disappears (each time
    bucket's samples holding a counter's lowest and highest value)."""
    ctx = context(request)
    scope = await scope_of(request)
    if scope is not None and (room_id, platform) not in scope:
        raise ApiError(404, f"no history for room {room_id} on {platform}")
    if start is None and end is None:
        if points is not None:
            raise ApiError(
                422,
                "invalid request: points: needs a range (from, to)",
                [ErrorItem(field="points", message="needs from and to", type="range_required")],
            )
        samples = [
            (s.timestamp, s.tokens_count, s.tips_count, s.viewers_count)
            for s in await ctx.store.history(room_id, platform, limit)
        ]
    else:
        if not ctx.archive.enabled:
            raise ApiError(404, "the archive is off (GODMODE_HISTORY_DAYS=0)")
        start, end = start or 0, end if end is not None else int(time.time()) + 86400
        if start > end:
            raise ApiError(422, f"'from' ({start}) is after 'to' ({end})")
        if points is None:
            samples = [
                (s.timestamp, s.tokens_count, s.tips_count, s.viewers_count)
                for s in await ctx.db.samples_between(room_id, platform, start, end, limit)
            ]
        else:
            series = await ctx.db.series_between(room_id, platform, start, end)
            samples = series.rows(downsample(series, start, end, points))
    if not samples:
        raise ApiError(404, f"no history for room {room_id} on {platform}")
    body = RoomHistory(
        room_id=room_id,
        platform=platform,
        samples=[
            HistoryPoint(tokens_count=tk, tips_count=ti, viewers_count=vw, timestamp=ts)
            for ts, tk, ti, vw in samples
        ],
    )
    return JsonResponse(body.model_dump())
