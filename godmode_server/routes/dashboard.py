"""``WS /ws/dashboard``: the live feed of one dashboard.

A connection is registered with the hub *before* its first message is computed, and every queued
event at or below the first message's ``seq`` is skipped.  So whatever happens between the two, the
dashboard gets each event exactly once, in order: ``SNAPSHOT`` (or ``RESUME`` + the missed events),
then the live stream, with ``HEARTBEAT`` every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from fastapi import APIRouter, WebSocket
from prometheus_client import Histogram
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketState

from godmode_common.protocol import CLOSE_AUTH_REQUIRED, CLOSE_FORBIDDEN, CLOSE_TOO_SLOW, Resume
from godmode_common.rooms import RoomKey
from godmode_server.accounts.auth import InvalidToken
from godmode_server.context import ServerContext, context
from godmode_server.feed.hub import UNSEQUENCED, Subscriber
from godmode_server.feed.snapshots import scoped_snapshot
from godmode_server.http.authorization import ALLOWED, ROUTES, answer, caller_of
from godmode_server.routes import access
from godmode_server.routes.bodies import is_seq
from godmode_server.serving.ws_protocol import DIRECT_SEND
from godmode_server.stores.base import event_text

router = APIRouter()
log = logging.getLogger(__name__)

PATH = "/ws/dashboard"

#: How long closing a socket may take before the connection is abandoned.
CLOSE_TIMEOUT = 2.0


def _resume_point(websocket: WebSocket) -> tuple[int, str] | None:
    """``since``/``epoch`` from the query string; anything unusable means "start fresh"."""
    since, epoch = websocket.query_params.get("since"), websocket.query_params.get("epoch")
    if since is None or epoch is None or not is_seq(since) or not 0 < len(epoch) <= 64:
        return None
    return int(since), epoch


async def _send_start(
    websocket: WebSocket, ctx: ServerContext, rooms: frozenset[RoomKey] | None
) -> int:
    """Send the first messages and return the ``seq`` the live stream continues after.
    ``rooms``: a monitor's, whose snapshot and replay hold only theirs."""
    resume = _resume_point(websocket)
    entries = await ctx.store.events_since(*resume) if resume else None
    if resume is None or entries is None:
        seq, snapshot, view = await ctx.snapshots.get()  # shared with dashboards meanwhile
        await websocket.send_text(snapshot if rooms is None else scoped_snapshot(view, rooms))
        return seq
    now = int(time.time())
    since, epoch = resume
    await websocket.send_text(event_text(Resume(seq=since, epoch=epoch, timestamp=now)))
    for entry in entries:
        if rooms is None or entry.key in rooms:
            await websocket.send_text(entry.text)
    return entries[-1].seq if entries else since


async def _pump(websocket: WebSocket, subscriber: Subscriber, floor: int, lag: Histogram) -> None:
    """Send what the hub queued; while idle, the hub may write directly (see Subscriber)."""
    queue = subscriber.queue
    subscriber.floor = floor
    while True:
        subscriber.idle = True
        entry = await queue.get()
        subscriber.idle = False
        if entry.seq != UNSEQUENCED and entry.seq <= floor:
            continue  # already sent in the snapshot or the replay
        await websocket.send_text(entry.text)
        if entry.accepted:
            lag.observe(max(0.0, time.time() - entry.accepted))


async def _drain_input(websocket: WebSocket) -> None:
    """Read and ignore whatever the client sends, until it disconnects."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _close(
    websocket: WebSocket, code: int, reason: str, timeout: float = CLOSE_TIMEOUT
) -> None:
    if WebSocketState.DISCONNECTED in (websocket.application_state, websocket.client_state):
        return
    with contextlib.suppress(Exception):
        await asyncio.wait_for(websocket.close(code=code, reason=reason), timeout)


@router.websocket(PATH)
async def dashboard(websocket: WebSocket) -> None:
    ctx = context(websocket)
    try:
        claims = access.claims(ctx, websocket)
        # A token outlives a disabled or deleted account or a changed password: check the
        # account on connect, and again whenever credentials change (see credentials.py).
        account = await ctx.credentials.account(claims)
        if account is None:
            raise InvalidToken(f"account {claims.subject!r} is disabled, gone or changed")
    except InvalidToken as exc:
        # Browsers cannot see an HTTP status on a refused upgrade, so accept and close with a
        # code every client can read.
        log.info("dashboard refused: %s", exc)
        await websocket.accept()
        await _close(websocket, CLOSE_AUTH_REQUIRED, "authentication required")
        return
    caller = caller_of(account.role, can_report=account.can_report)
    if answer(ROUTES[("WS", "/ws/dashboard")], caller, dev=ctx.settings.dev) != ALLOWED:
        log.info("dashboard refused: %r is a %s", claims.subject, caller.value)
        await websocket.accept()
        await _close(websocket, CLOSE_FORBIDDEN, f"a {caller.value} may not follow the feed")
        return

    rooms = None
    if account.role == "monitor":
        rooms = frozenset(await ctx.db.rooms_of(account.username))
    await websocket.accept()
    subscriber = ctx.hub.attach()
    subscriber.rooms = rooms
    # Collectors' status is studio-wide: not for a monitor, who sees only their rooms.
    subscriber.collectors = rooms is None and websocket.query_params.get("collectors") == "1"
    subscriber.direct = websocket.scope.get("extensions", {}).get(DIRECT_SEND)
    ctx.credentials.watch(subscriber, claims)
    tasks: list[asyncio.Task[object]] = []
    try:
        floor = await _send_start(websocket, ctx, rooms)
        tasks = [
            asyncio.create_task(_pump(websocket, subscriber, floor, ctx.metrics.delivery_lag)),
            asyncio.create_task(_drain_input(websocket)),
            asyncio.create_task(subscriber.ended.wait()),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if subscriber.ended.is_set():
            log.info("dashboard closed: %s", subscriber.close_reason)
            for task in tasks:
                task.cancel()
            # A too-slow client's close frame can only be written once its socket drains, i.e.
            # once it reads again: wait longer for it, so a client that catches up learns why
            # (after that the protocol aborts the socket: see ws_protocol.py).
            slow = subscriber.close_code == CLOSE_TOO_SLOW
            await _close(
                websocket,
                subscriber.close_code,
                subscriber.close_reason,
                timeout=ctx.settings.ws_slow_close_timeout if slow else CLOSE_TIMEOUT,
            )
    except Exception as exc:  # the client went away mid-send; nothing to recover
        log.debug("dashboard connection ended: %r", exc)
    finally:
        ctx.credentials.unwatch(subscriber)
        ctx.hub.detach(subscriber)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await _close(websocket, 1000, "")


class DashboardShortcut:
    """ASGI middleware: a dashboard's WebSocket goes to :func:`dashboard` directly.

    An open dashboard keeps the whole call chain that reached its handler alive for as long as
    it stays (hours): down the router, twenty-one coroutine frames, each holding the scope and
    the ASGI callables, every one of which each full garbage collection walks while the event
    loop waits (issue 22; docs/PERFORMANCE.md).  Placed inside the error and telemetry
    middlewares, the connection keeps eight.  Nothing the router adds applies to this route:
    the app-wide dependency (``enforce``) is for HTTP, and the handler answers with close codes
    by the same authorization table.  The route stays declared below, where the table, the
    tests and an app without this middleware find it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == PATH:
            await dashboard(WebSocket(scope, receive, send))
        else:
            await self.app(scope, receive, send)
