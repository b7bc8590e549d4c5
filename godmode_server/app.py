"""The FastAPI application: every service built and wired here, then the routes mounted."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.engine import make_url
from starlette.types import Message, Scope

from godmode_common import __version__
from godmode_server import openapi
from godmode_server.accounts.api_keys import KeyNames
from godmode_server.accounts.auth import PasswordChecks, TokenService
from godmode_server.accounts.credentials import CredentialWatch
from godmode_server.accounts.refusals import RefusedAttempts
from godmode_server.collectors.activity import KeyActivity
from godmode_server.collectors.config import load_collectors
from godmode_server.collectors.health import CollectorHealthBoard
from godmode_server.collectors.lease import Leases
from godmode_server.collectors.rules import Rules
from godmode_server.collectors.selectors import load_selectors
from godmode_server.collectors.sources import Sources
from godmode_server.collectors.watch import CollectorWatch
from godmode_server.context import ServerContext
from godmode_server.earnings.live import LiveEarnings
from godmode_server.errors import install_error_handlers
from godmode_server.extension.shelf import ExtensionShelf
from godmode_server.feed.hub import Hub
from godmode_server.feed.snapshots import SharedSnapshots
from godmode_server.http.ratelimit import RateLimits
from godmode_server.metrics import Metrics
from godmode_server.reports.earnings import parse_shifts
from godmode_server.routes import (
    accounts,
    admin,
    collectors,
    dashboard,
    extension,
    ops,
    rates,
    reports,
    tracking,
)
from godmode_server.routes.access import enforce
from godmode_server.settings import ConfigError, Settings
from godmode_server.sql.archive import HistoryArchive
from godmode_server.sql.database import Database
from godmode_server.stores import StateView, create_store
from godmode_server.tracking.ingest import Ingest

log = logging.getLogger("godmode_server")

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"


def settle_heap() -> None:
    """Move everything built at start-up (modules, classes, the app, its routes and models:
    about 100,000 objects) out of the garbage collector's reach.

    A full collection walks every tracked object while the event loop waits: with the
    start-up heap in the walk, each one stalled every dashboard's deliveries by 20-60 ms,
    more as the heap grew (issue 22; docs/PERFORMANCE.md).  What start-up built lives as long
    as the process, so the collector has nothing to find in it.
    """
    gc.collect()
    gc.freeze()


async def warm_routes(app: FastAPI) -> None:
    """Have the framework prepare now what it would prepare on the first requests.

    FastAPI (0.16x) builds each route's models on the first request that reaches the route's
    router: about 2,500 objects, taking 50 ms of the event loop from whoever came first, and
    left for every full garbage collection to walk for the life of the process, unless built
    before :func:`settle_heap` freezes the start-up heap (issue 22).  A request for a path no
    route has is compared with every route, so it builds them all; it is answered 404 to
    nobody.  (Older FastAPI builds them with the app: then this changes nothing.)
    """
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/.godmode-warm-up",
        "raw_path": b"/.godmode-warm-up",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: Message) -> None:
        return None

    await app(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    """Build the application; ``settings`` must already be :meth:`Settings.resolved`.

    Raises :class:`ConfigError` when the selectors or collectors file is unusable, or the
    extension folder is not one.
    """
    assert settings.jwt_secret, "call Settings.resolved() first"
    if settings.extension_dir is not None and not settings.extension_dir.is_dir():
        raise ConfigError(f"GODMODE_EXTENSION_DIR={settings.extension_dir}: no such folder")
    selectors = load_selectors(settings.selectors_file)
    collectors_config = load_collectors(settings.collectors_file)
    metrics = Metrics()
    store = create_store(settings, metrics)
    hub = Hub(
        store,
        metrics,
        queue_size=settings.ws_queue_size,
        heartbeat_interval=settings.heartbeat_interval,
    )
    db = Database(settings.database_url)
    archive = HistoryArchive(
        db,
        metrics,
        retention_days=settings.history_days,
        rollup_days=settings.rollup_days,
        online_gap=settings.online_gap,
        max_pending=settings.archive_queue,
    )
    # The rooms' day and shift figures, from the archive and the events (none without one).
    live = (
        LiveEarnings(
            db.earned_now,
            zone=ZoneInfo(settings.timezone),
            shifts=parse_shifts(settings.shifts),
            every=settings.live_earnings_every,
            read_rates=lambda: db.rate_book(settings.currency),
        )
        if archive.enabled
        else None
    )
    if live is not None:
        store.set_earnings(live.on_event)
        store.on_epoch_change(lambda _: live.new_epoch())

    async def snapshot() -> StateView:
        view = await store.snapshot()
        return live.view(view) if live is not None else view

    ingest = Ingest(
        store,
        archive,
        metrics,
        platforms=frozenset(settings.platforms),
        max_clock_skew=settings.max_clock_skew,
    )
    key_names = KeyNames(db)
    sources = Sources(
        collectors_config,
        db=db,
        metrics=metrics,
        ingest=lambda sample: ingest(sample, int(time.time())),
        latest=store.latest,
        leases=(
            Leases(
                settings.redis_url,
                settings.redis_prefix,
                ttl=settings.collector_lease_ttl,
                timeout=settings.redis_timeout,
            )
            if settings.redis_url
            and (collectors_config.chaturbate_events or collectors_config.chaturbate_stats)
            else None
        ),
    )
    key_activity = KeyActivity(db)
    ctx = ServerContext(
        settings=settings,
        store=store,
        hub=hub,
        db=db,
        archive=archive,
        tokens=TokenService(
            settings.jwt_secret,
            lifetime=settings.jwt_lifetime,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        ),
        metrics=metrics,
        limits=RateLimits(settings, metrics),
        password_checks=PasswordChecks(settings.max_password_checks, settings.password_check_wait),
        ingest=ingest,
        key_names=key_names,
        rules=Rules(selectors, db),
        sources=sources,
        snapshots=SharedSnapshots(snapshot, lambda: (store.epoch, store.last_seq)),
        live=live,
        credentials=CredentialWatch(
            db, interval=settings.credentials_poll, on_change=key_names.forget
        ),
        key_activity=key_activity,
        collector_watch=CollectorWatch(
            db,
            key_activity,
            hub,
            silent_after=settings.collector_silent_after,
            interval=settings.collector_check_interval,
            sources=sources,
        ),
        collector_health=CollectorHealthBoard(
            db, metrics, key_names=settings.metrics_key_names or settings.dev
        ),
        refused=RefusedAttempts(db),
        extensions=ExtensionShelf(settings.extension_dir),
        report_turns=asyncio.Semaphore(reports.REPORTS_AT_ONCE),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await ctx.db.start(migrate=settings.migrate or settings.dev)
        await ctx.credentials.start()
        await store.start()
        hub.start()
        ctx.archive.start()
        ctx.key_activity.start()
        ctx.collector_health.start()
        ctx.collector_watch.start()
        sources.start()
        live_task = None
        if live is not None:
            try:  # known from the first request on, when the database answers now
                await live.read()
            except Exception as exc:
                log.warning("live earnings: the archive could not be read yet: %s", exc)
            live_task = asyncio.create_task(live.run(), name="live earnings")
        if settings.dev:
            await ctx.db.ensure_user(DEMO_USER, DEMO_PASSWORD, "admin")
            log.warning(
                "DEV MODE: anonymous ingest and reads are allowed; log in as user %r, password %r",
                DEMO_USER,
                DEMO_PASSWORD,
            )
        log.info("store: %s (epoch %s); database: %s", store.kind, store.epoch, _safe_url(ctx.db))
        await warm_routes(app)
        settle_heap()
        try:
            yield
        finally:
            if live_task is not None:
                live_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await live_task
            await sources.close()
            await hub.stop()
            await ctx.archive.close()
            await ctx.key_activity.close()
            await ctx.collector_health.close()
            await ctx.collector_watch.close()
            await store.close()
            await ctx.credentials.close()
            await ctx.db.close()
            await ctx.limits.close()

    # The interactive pages load their scripts from a CDN, which a studio's network may not
    # reach and which a production server should not make its clients fetch: dev mode (or
    # GODMODE_API_DOCS) only.  The OpenAPI document itself is always at /openapi.json.
    docs = settings.dev or settings.api_docs
    app = FastAPI(
        title="God Mode tracking backend",
        version=__version__,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        summary="Live counters of webcam rooms: ingest, latest values, history, dashboard feed.",
        lifespan=lifespan,
        # The authorization table (authorization.py), for every HTTP route.
        dependencies=[Depends(enforce)],
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    app.add_middleware(dashboard.DashboardShortcut)  # the innermost: see its docstring
    if settings.cors_origins:
        # Browser pages of these origins only (a studio's own web tools); nobody else's page
        # may use a logged-in browser's credentials here.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Api-Key"],
            max_age=600,
        )
    app.include_router(tracking.router)
    app.include_router(reports.router)
    app.include_router(collectors.router)
    app.include_router(extension.router)
    app.include_router(accounts.router)
    app.include_router(admin.router)
    app.include_router(rates.router)
    app.include_router(ops.router)
    app.include_router(dashboard.router)
    openapi.install(app, dev=settings.dev, platforms=settings.platforms)
    return app


def _safe_url(db: Database) -> str:
    return make_url(db.url).render_as_string(hide_password=True)
