"""The container of one server's services, built by app.py, and how a route finds it.

A route reaches what it needs through :func:`context` (``request.app.state.ctx``).  The services
themselves live in their capability's package and do not know this container: they are given
what they use when app.py builds them, so none of them imports this module.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from godmode_server.accounts.api_keys import KeyNames
from godmode_server.accounts.auth import PasswordChecks, TokenService
from godmode_server.accounts.credentials import CredentialWatch
from godmode_server.accounts.refusals import RefusedAttempts
from godmode_server.collectors.activity import KeyActivity
from godmode_server.collectors.health import CollectorHealthBoard
from godmode_server.collectors.rules import Rules
from godmode_server.collectors.sources import Sources
from godmode_server.collectors.watch import CollectorWatch
from godmode_server.earnings.live import LiveEarnings
from godmode_server.extension.shelf import ExtensionShelf
from godmode_server.feed.hub import Hub
from godmode_server.feed.snapshots import SharedSnapshots
from godmode_server.http.ratelimit import RateLimits
from godmode_server.metrics import Metrics
from godmode_server.settings import Settings
from godmode_server.sql.archive import HistoryArchive
from godmode_server.sql.database import Database
from godmode_server.stores import Store
from godmode_server.tracking.ingest import Ingest


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerContext:
    settings: Settings
    store: Store
    hub: Hub
    db: Database
    archive: HistoryArchive
    tokens: TokenService
    metrics: Metrics
    limits: RateLimits
    password_checks: PasswordChecks
    #: The one way into the store, for posted samples and server-side collectors alike.
    ingest: Ingest
    #: Valid ingest keys' names, cached for a few seconds.
    key_names: KeyNames
    #: What GET /api/collectors/selectors answers (checked at start).
    #: The reading rules served to collectors (the file's, or the newest published).
    rules: Rules
    sources: Sources
    #: Concurrent dashboards' snapshots, read and encoded once (see feed/snapshots.py).
    snapshots: SharedSnapshots
    #: Disabled accounts, changed passwords and revoked keys, as of at most a second ago.
    credentials: CredentialWatch
    #: When each ingest key last posted for each room (the collectors' health).
    key_activity: KeyActivity
    #: Each room's day and shift earnings as they happen (None without an archive).
    live: LiveEarnings | None
    #: Keys that stop posting, told to the dashboards.
    collector_watch: CollectorWatch
    #: The collectors' own latest reports, and their metrics.
    collector_health: CollectorHealthBoard
    #: Users' refused attempts at the administration, in the audit log (bounded).
    refused: RefusedAttempts
    #: The packed collectors served for self-hosted updates.
    extensions: ExtensionShelf
    #: Turns of the earnings reports (routes/reports.py): how many are computed at once.
    report_turns: asyncio.Semaphore


def context(conn: HTTPConnection) -> ServerContext:
    ctx = conn.app.state.ctx
    assert isinstance(ctx, ServerContext)
    return ctx
