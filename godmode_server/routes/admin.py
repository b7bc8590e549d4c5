"""``/api/admin/*``: users, roles, monitors' rooms, ingest keys and the audit log, for admins.

The authorization table (authorization.py) lets only admins in.  Every change is kept in the
audit log with who made it and from which address, as the command line's are (with
``cli:<user>``).  The last enabled administrator cannot be demoted, disabled or deleted
(db.py), so a studio cannot lock itself out by a click.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from godmode_common.protocol import (
    AuditRecord,
    CollectorHealth,
    CollectorHealthSeen,
    CollectorSelectors,
    CreatedKey,
    ErrorBody,
    KeptOutline,
    KeyRoom,
    KeySummary,
    NewKey,
    NewUser,
    OutlineSummary,
    PageOutline,
    PasswordReset,
    Platform,
    RoomsAssignment,
    ServedSelectors,
    StrategyTrial,
    StrategyTrialRequest,
    UserChange,
    UserSummary,
)
from godmode_common.rooms import RoomKey
from godmode_server.accounts.auth import Claims
from godmode_server.collectors.outline_trial import try_strategies
from godmode_server.collectors.rules import ServedRules
from godmode_server.context import ServerContext, context
from godmode_server.errors import ApiError, JsonResponse
from godmode_server.http.ratelimit import client_address
from godmode_server.routes.access import require_user
from godmode_server.routes.accounts import user_summary
from godmode_server.routes.bodies import json_body_doc, parse_body
from godmode_server.sql.outlines import StaleVersion
from godmode_server.sql.users import AccountError

router = APIRouter(prefix="/api/admin", tags=["administration"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422, 429, 503)
}
Admin = Annotated[Claims, Depends(require_user)]
#: Largest body of a rooms assignment, bytes.
ROOMS_BODY_LIMIT = 160 * 1024
#: Largest reading rules published, bytes (the shipped file is about 3 KiB).
SELECTORS_BODY_LIMIT = 64 * 1024
UserPath = Annotated[str, Path(max_length=64)]


async def _audit(request: Request, admin: Claims, action: str, target: str, detail: str) -> None:
    await context(request).db.record_audit(
        admin.subject, action, target, detail, client_address(request)
    )


async def _account(
    request: Request, admin: Claims, action: str, target: str, awaitable: Any
) -> Any:
    """Await an account change, its refusal as the HTTP answer it calls for -- and in the audit
    log, with the reason (a refused change is an administrative act too)."""
    try:
        return await awaitable
    except AccountError as exc:
        await _audit(request, admin, "refused", target, f"{action}: {exc}")
        raise ApiError(exc.status, str(exc)) from exc


async def _user(ctx: ServerContext, username: str) -> UserSummary:
    user = await ctx.db.get_user(username)
    if user is None:
        raise ApiError(404, f"no user {username!r}")
    return await user_summary(ctx, user)


@router.get("/users", response_model=list[UserSummary], responses=_ERRORS, summary="Every user")
async def list_users(request: Request, _: Admin) -> JsonResponse:
    ctx = context(request)
    users = [await user_summary(ctx, u) for u in await ctx.db.list_users()]
    return JsonResponse([u.model_dump() for u in users])


@router.post(
    "/users",
    response_model=UserSummary,
    status_code=201,
    responses=_ERRORS,
    summary="Create a user",
    openapi_extra=json_body_doc(NewUser),
)
async def create_user(request: Request, admin: Admin) -> JsonResponse:
    ctx = context(request)
    new = await parse_body(request, NewUser)
    async with ctx.password_checks.slot():  # hashing costs what a login does
        await _account(
            request,
            admin,
            "user.add",
            new.username,
            ctx.db.add_user(new.username, new.password, new.role),
        )
    await _audit(request, admin, "user.add", new.username, f"role {new.role}")
    return JsonResponse((await _user(ctx, new.username)).model_dump(), status_code=201)


@router.patch(
    "/users/{username}",
    response_model=UserSummary,
    responses=_ERRORS,
    summary="Change a user's role, disabled state or reports",
    openapi_extra=json_body_doc(UserChange),
)
async def change_user(request: Request, admin: Admin, username: UserPath) -> JsonResponse:
    """A new role or a disable ends the user's sessions (within a second, everywhere); opening
    or closing the reports does not."""
    ctx = context(request)
    change = await parse_body(request, UserChange)
    if await ctx.db.get_user(username) is None:  # 404 before anything changes
        await _audit(request, admin, "refused", username, f"user.change: no user {username!r}")
        raise ApiError(404, f"no user {username!r}")
    if change.role is not None:
        await _account(
            request,
            admin,
            "user.role",
            username,
            ctx.db.set_role(username, change.role, admin.subject),
        )
        await _audit(request, admin, "user.role", username, change.role)
    if change.disabled is not None:
        await _account(
            request,
            admin,
            "user.disable" if change.disabled else "user.enable",
            username,
            ctx.db.set_disabled(username, change.disabled, admin.subject),
        )
        action = "user.disable" if change.disabled else "user.enable"
        await _audit(request, admin, action, username, "")
    if change.reports is not None:
        await _account(
            request,
            admin,
            "user.reports",
            username,
            ctx.db.set_can_report(username, change.reports),
        )
        await _audit(request, admin, "user.reports", username, "on" if change.reports else "off")
    return JsonResponse((await _user(ctx, username)).model_dump())


@router.post(
    "/users/{username}/password",
    status_code=204,
    responses=_ERRORS,
    summary="Reset a user's password (their sessions end)",
    openapi_extra=json_body_doc(PasswordReset),
)
async def reset_password(request: Request, admin: Admin, username: UserPath) -> Response:
    ctx = context(request)
    reset = await parse_body(request, PasswordReset)
    async with ctx.password_checks.slot():
        await _account(
            request, admin, "user.password", username, ctx.db.set_password(username, reset.password)
        )
    await _audit(request, admin, "user.password", username, "reset")
    return Response(status_code=204)


@router.put(
    "/users/{username}/rooms",
    response_model=UserSummary,
    responses=_ERRORS,
    summary="Set the rooms a monitor looks after",
    openapi_extra=json_body_doc(RoomsAssignment),
)
async def assign_rooms(request: Request, admin: Admin, username: UserPath) -> JsonResponse:
    ctx = context(request)
    # 1,000 rooms of up to 64 + 32 characters: more than the usual 16 KiB of a body.
    assignment = await parse_body(request, RoomsAssignment, limit=ROOMS_BODY_LIMIT)
    rooms = sorted({RoomKey(r.room_id, r.platform) for r in assignment.rooms})
    await _account(request, admin, "user.rooms", username, ctx.db.set_rooms(username, rooms))
    detail = " ".join(str(room) for room in rooms)
    await _audit(request, admin, "user.rooms", username, f"{len(rooms)} rooms: {detail}")
    return JsonResponse((await _user(ctx, username)).model_dump())


@router.delete("/users/{username}", status_code=204, responses=_ERRORS, summary="Delete a user")
async def delete_user(request: Request, admin: Admin, username: UserPath) -> Response:
    await _account(
        request,
        admin,
        "user.delete",
        username,
        context(request).db.delete_user(username, admin.subject),
    )
    await _audit(request, admin, "user.delete", username, "")
    return Response(status_code=204)


def _health(kept: tuple[int, str] | None) -> CollectorHealth | None:
    if kept is None:
        return None
    try:
        report = CollectorHealthSeen.model_validate_json(kept[1])
    except ValueError:
        return None  # written by a newer server and no longer readable here: not shown
    return CollectorHealth(received_at=kept[0], report=report)


@router.get("/keys", response_model=list[KeySummary], responses=_ERRORS, summary="Ingest keys")
async def list_keys(request: Request, _: Admin) -> JsonResponse:
    """Each key with when it last posted and for which rooms (written every few seconds)."""
    ctx = context(request)
    db = ctx.db
    activity = await db.key_activity()
    health = await db.collector_health()
    silent_since = time.time() - ctx.settings.collector_silent_after
    summaries = []
    for k in await db.list_keys():
        rooms = [
            KeyRoom(room_id=room_id, platform=platform, last_post=at)
            for platform, room_id, at in activity.get(k.name, [])
        ]
        last_post = rooms[0].last_post if rooms else None
        summaries.append(
            KeySummary(
                name=k.name,
                revoked=k.revoked,
                created_at=k.created_at,
                last_post=last_post,
                silent=not k.revoked and last_post is not None and last_post <= silent_since,
                rooms=rooms,
                health=_health(health.get(k.name)),
            ).model_dump()
        )
    return JsonResponse(summaries)


@router.post(
    "/keys",
    response_model=CreatedKey,
    status_code=201,
    responses=_ERRORS,
    summary="Create an ingest key (shown in this answer only)",
    openapi_extra=json_body_doc(NewKey),
)
async def create_key(request: Request, admin: Admin) -> JsonResponse:
    new = await parse_body(request, NewKey)
    key = await _account(
        request, admin, "key.create", new.name, context(request).db.create_key(new.name)
    )
    await _audit(request, admin, "key.create", new.name, "")
    return JsonResponse(CreatedKey(name=new.name, key=key).model_dump(), status_code=201)


@router.delete(
    "/keys/{name}",
    status_code=204,
    responses=_ERRORS,
    summary="Revoke an ingest key (refused everywhere within a second)",
)
async def revoke_key(
    request: Request, admin: Admin, name: Annotated[str, Path(max_length=64)]
) -> Response:
    await _account(request, admin, "key.revoke", name, context(request).db.revoke_key(name))
    await _audit(request, admin, "key.revoke", name, "")
    return Response(status_code=204)


def _outline(text: str) -> PageOutline | None:
    try:
        return PageOutline.model_validate_json(text)
    except ValueError:
        return None  # written by a newer server and no longer readable here: not shown


@router.get(
    "/outlines",
    response_model=list[OutlineSummary],
    responses=_ERRORS,
    summary="The page outlines collectors sent, newest first",
)
async def list_outlines(request: Request, _: Admin) -> JsonResponse:
    """The latest outline of each key per platform (the extension's *Send page outline*)."""
    summaries = []
    for key, platform, received_at, text in await context(request).db.outlines():
        if (outline := _outline(text)) is not None:
            summaries.append(
                OutlineSummary(
                    key=key,
                    platform=platform,
                    room_id=outline.room_id,
                    page=outline.page,
                    nodes=outline.nodes,
                    truncated=outline.truncated,
                    received_at=received_at,
                ).model_dump()
            )
    return JsonResponse(summaries)


@router.get(
    "/outlines/{key}/{platform}",
    response_model=KeptOutline,
    responses=_ERRORS,
    summary="One key's latest outline of a platform's page",
)
async def read_outline(
    request: Request,
    _: Admin,
    key: Annotated[str, Path(max_length=64)],
    platform: Platform,
) -> JsonResponse:
    kept = await context(request).db.outline(key, platform)
    outline = _outline(kept[1]) if kept is not None else None
    if kept is None or outline is None:
        raise ApiError(404, f"no outline of {platform} from key {key!r}")
    return JsonResponse(
        KeptOutline(key=key, received_at=kept[0], outline=outline).model_dump(exclude_defaults=True)
    )


@router.post(
    "/outlines/{key}/{platform}/try",
    response_model=list[StrategyTrial],
    responses=_ERRORS,
    summary="Try strategies on one key's latest outline of a platform's page",
    openapi_extra=json_body_doc(StrategyTrialRequest),
)
async def try_on_outline(
    request: Request,
    _: Admin,
    key: Annotated[str, Path(max_length=64)],
    platform: Platform,
) -> JsonResponse:
    """What each strategy finds on the outline: a count, an element without one, nothing, or a
    malformed selector (json and state strategies cannot be tried on an outline)."""
    trial = await parse_body(request, StrategyTrialRequest)
    kept = await context(request).db.outline(key, platform)
    outline = _outline(kept[1]) if kept is not None else None
    if outline is None:
        raise ApiError(404, f"no outline of {platform} from key {key!r}")
    return JsonResponse([t.model_dump() for t in try_strategies(outline, trial.strategies)])


def _served(rules: ServedRules) -> dict[str, Any]:
    return ServedSelectors(
        source=rules.source,
        published_at=rules.published_at,
        published_by=rules.published_by,
        selectors=rules.selectors,
    ).model_dump(mode="json", exclude_none=True)


@router.get(
    "/selectors",
    response_model=ServedSelectors,
    responses=_ERRORS,
    summary="The reading rules every collector is served now",
)
async def read_selectors(request: Request, _: Admin) -> JsonResponse:
    return JsonResponse(_served(await context(request).rules.current()))


@router.put(
    "/selectors",
    response_model=ServedSelectors,
    responses=_ERRORS,
    summary="Publish reading rules to every collector (a version above the served one)",
    openapi_extra=json_body_doc(CollectorSelectors),
)
async def publish_selectors(request: Request, admin: Admin) -> JsonResponse:
    """Every extension takes them within 10 minutes (at once on its popup's Save); every node
    serves them within seconds.  A version not above the served one is refused (409), so two
    administrators cannot overwrite each other unknowingly."""
    selectors = await parse_body(request, CollectorSelectors, SELECTORS_BODY_LIMIT)
    try:
        served = await context(request).rules.publish(selectors, admin.subject)
    except StaleVersion as exc:
        raise ApiError(
            409, f"version {exc.newest} is served already: publish a higher version"
        ) from None
    await _audit(request, admin, "selectors.publish", f"version {selectors.version}", "")
    return JsonResponse(_served(served))


@router.get(
    "/audit",
    response_model=list[AuditRecord],
    responses=_ERRORS,
    summary="The latest administrative actions, newest first",
)
async def read_audit(
    request: Request,
    _: Admin,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
) -> JsonResponse:
    entries = await context(request).db.audit_entries(limit)
    return JsonResponse(
        [
            AuditRecord(
                at=e.at,
                actor=e.actor,
                action=e.action,
                target=e.target,
                detail=e.detail,
                address=e.address,
            ).model_dump()
            for e in entries
        ]
    )
