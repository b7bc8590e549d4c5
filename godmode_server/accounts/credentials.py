"""Which tokens are still good: a disable, a password change or a revoked key counts within a
second on every node, open WebSockets included (and a monitor whose rooms changed gets a fresh
start: their feed closes with CLOSE_SCOPE_CHANGED).

A token is signed for hours, so its signature alone cannot tell that its account was disabled
since.  Each node therefore keeps what it learnt about users (asked once per user, not once per
request) and polls one database row, :data:`~.db.ANY_CHANGE`, which every change of an account
or key increments, whether made by this node, another one or the command line.  When it moves,
the node forgets what it knew, forgets the API keys it had checked, and checks every open
dashboard again: one whose account was disabled, or whose password changed after its token was
issued, is closed with :data:`~godmode_common.protocol.CLOSE_AUTH_REQUIRED`.

What a node knows may be up to a poll behind in the other direction too: a user enabled again,
or with a new password, logs in on one node and at once reads from another that still knows the
old state.  A token issued after what the node knows of its account is therefore checked
against the database before it is refused (a refused token issued before cannot be good).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from godmode_common.protocol import CLOSE_AUTH_REQUIRED, CLOSE_SCOPE_CHANGED
from godmode_common.tasks import cancel_and_wait
from godmode_server.accounts.auth import Claims
from godmode_server.feed.hub import Subscriber
from godmode_server.sql.database import Database
from godmode_server.sql.users import UserInfo

log = logging.getLogger(__name__)

#: Users remembered at most (past it the memory starts again, like a cache).
_MAX_USERS = 4096


class CredentialWatch:
    def __init__(self, db: Database, *, interval: float, on_change: Callable[[], None]) -> None:
        self._db = db
        self._interval = interval
        self._on_change = on_change
        self._version: int | None = None
        #: user name → what the database said, and when it was asked (Unix seconds)
        self._users: dict[str, tuple[UserInfo | None, float]] = {}
        #: user name → the question to the database under way, and when it was asked
        self._asking: dict[str, tuple[asyncio.Future[UserInfo | None], float]] = {}
        self._dashboards: dict[Subscriber, Claims] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._version = await self._db.credentials_version()
        self._task = asyncio.get_running_loop().create_task(self._poll())

    async def close(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def allows(self, claims: Claims) -> bool:
        """The token's account exists, is enabled, and its credentials have not changed since
        the token was issued.  Raises what the database raises when it must be asked."""
        return await self.account(claims) is not None

    async def account(self, claims: Claims) -> UserInfo | None:
        """The token's account (its role and grants as of at most a poll ago) when the token
        is still good (see :meth:`allows`), else None."""
        user, asked_at = self._users.get(claims.subject, (None, 0.0))
        if asked_at and _good(user, claims):
            return user
        # Not known, or known as refusing it: ask, unless what is known is newer than the token.
        if not asked_at or claims.issued_at >= asked_at - 1:
            user = await self._ask_once(claims)
        return user if _good(user, claims) else None

    async def _ask_once(self, claims: Claims) -> UserInfo | None:
        """What the database says of the token's account; one question for every request
        about that account meanwhile (a reconnect storm: a thousand dashboards of one user,
        one query instead of a thousand), when it was asked after the token was issued --
        a question asked before cannot tell a token issued since (a new password's)."""
        asking = self._asking.get(claims.subject)
        if asking is not None and claims.issued_at < asking[1] - 1:
            return await asyncio.shield(asking[0])
        future = asyncio.ensure_future(self._ask(claims.subject))
        future.add_done_callback(_retrieve)  # every waiter may have gone (cancelled)
        self._asking[claims.subject] = (future, time.time())
        try:
            return await asyncio.shield(future)
        finally:
            if self._asking.get(claims.subject, (None, 0.0))[0] is future:
                del self._asking[claims.subject]

    async def _ask(self, username: str) -> UserInfo | None:
        version, asked_at = self._version, time.time()
        user = await self._db.get_user(username)
        # Read before a change the poll has already seen: stale, so not worth remembering.
        if version == self._version:
            if len(self._users) >= _MAX_USERS:
                self._users.clear()
            self._users[username] = (user, asked_at)
        return user

    def watch(self, dashboard: Subscriber, claims: Claims) -> None:
        """Close ``dashboard`` once ``claims`` are no longer good."""
        self._dashboards[dashboard] = claims

    def unwatch(self, dashboard: Subscriber) -> None:
        self._dashboards.pop(dashboard, None)

    async def _poll(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(self._interval)
            try:
                version = await self._db.credentials_version()
            except Exception as exc:  # the database is away: keep what is known, say so once
                if not failing:
                    log.warning("credential changes not checked: %s", type(exc).__name__)
                failing = True
                continue
            failing = False
            if version != self._version:
                self._version = version
                self._users.clear()
                self._on_change()
                await self._check_dashboards()

    async def _check_dashboards(self) -> None:
        for dashboard, claims in list(self._dashboards.items()):
            try:
                allowed = await self.allows(claims)
                rooms = None
                if allowed and dashboard.rooms is not None:
                    rooms = frozenset(await self._db.rooms_of(claims.subject))
            except Exception:  # the database went away meanwhile: the next change looks again
                return
            if not allowed:
                log.info("dashboard of %r closed: its credentials changed", claims.subject)
                self.unwatch(dashboard)
                dashboard.end(CLOSE_AUTH_REQUIRED, "credentials changed; log in again")
            elif rooms is not None and rooms != dashboard.rooms:
                log.info("dashboard of %r closed: their rooms changed", claims.subject)
                self.unwatch(dashboard)
                dashboard.end(CLOSE_SCOPE_CHANGED, "your rooms changed; reconnect without since")


def _retrieve(future: asyncio.Future[UserInfo | None]) -> None:
    if not future.cancelled():
        future.exception()


def _good(user: UserInfo | None, claims: Claims) -> bool:
    return user is not None and not user.disabled and user.generation == claims.generation
