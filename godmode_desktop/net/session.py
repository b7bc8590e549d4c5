"""Who is logged in where, and where the token lives: the OS keyring, or memory only.

The token never goes to a file or to settings.  When no keyring is usable (no backend, a locked
collection, no D-Bus session) the session keeps the token in memory for this run and says so once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import jwt
import keyring
import keyring.backends.fail
import keyring.errors

from .api import ApiClient, normalize_server_url
from .errors import NetError, TokenExpired
from .protocol import TokenResponse

log = logging.getLogger(__name__)

#: Keyring service name under which every God Mode token is stored.
KEYRING_SERVICE = "godmode-desktop"
#: Refresh when this share of the token's lifetime has passed.
REFRESH_AT = 0.8
#: Never refresh more often than this, seconds, whatever the server or the clock say.
MIN_REFRESH_GAP = 5.0
#: A stored token with less life than this left is not worth restoring.
MIN_REMAINING = 30.0
#: After a failed refresh (server unreachable), try again this much later.
REFRESH_RETRY = 10.0


def account_name(username: str, server_url: str) -> str:
    """``user@host:port``: one keyring entry per user and server."""
    parts = urlsplit(normalize_server_url(server_url))
    return f"{username}@{parts.netloc}"


def token_times(token: str) -> tuple[float, float] | None:
    """``(issued_at, expires_at)`` read from the token (not verified: only the server can),
    or ``None`` if it is not a JWT with those claims."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float):
        return None
    return (float(iat) if isinstance(iat, int | float) else time.time(), float(exp))


class TokenVault:
    """The keyring, with an in-memory fallback when it cannot be used."""

    def __init__(self, use_keyring: bool = True) -> None:
        self._memory: dict[str, str] = {}
        self.problem: str | None = None
        if not use_keyring:
            self.problem = "not asked to use the keyring"  # the demo: nothing outlives it
        elif isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring):
            self._fall_back("no keyring backend is available")

    @property
    def persistent(self) -> bool:
        return self.problem is None

    def _fall_back(self, why: str) -> None:
        if self.problem is None:
            self.problem = why
            log.info("token kept in memory only (not saved): %s", why)

    def save(self, account: str, token: str) -> None:
        self._memory[account] = token
        if self.persistent:
            try:
                keyring.set_password(KEYRING_SERVICE, account, token)
            except Exception as exc:  # any backend failure (locked, D-Bus gone): memory only
                self._fall_back(f"the keyring refused to store it ({type(exc).__name__})")

    def load(self, account: str) -> str | None:
        if account in self._memory or not self.persistent:
            return self._memory.get(account)
        try:
            return keyring.get_password(KEYRING_SERVICE, account)
        except Exception as exc:
            self._fall_back(f"the keyring could not be read ({type(exc).__name__})")
            return None

    def delete(self, account: str) -> None:
        self._memory.pop(account, None)
        if self.persistent:
            try:
                keyring.delete_password(KEYRING_SERVICE, account)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored
            except Exception as exc:
                self._fall_back(f"the keyring could not delete it ({type(exc).__name__})")


class Session:
    def __init__(self, server_url: str, username: str, vault: TokenVault) -> None:
        self.server_url = normalize_server_url(server_url)
        self.username = username
        self.vault = vault
        self.token: str | None = None
        #: Called with each new token (login or refresh), e.g. to tell the UI.
        self.on_token: Callable[[str], None] | None = None
        #: When to renew the token (``time.monotonic()``), from the server's ``expires_in``;
        #: ``None`` for a token restored from the keyring, renewed soon after start.
        self._renew_at: float | None = None

    @property
    def account(self) -> str:
        return account_name(self.username, self.server_url)

    def restore(self) -> bool:
        """Use a stored token if it has enough life left (then the login dialog is skipped)."""
        token = self.vault.load(self.account)
        times = token_times(token) if token else None
        if token is None or times is None or times[1] - time.time() < MIN_REMAINING:
            return False
        self.token = token
        return True

    async def login(self, api: ApiClient, password: str) -> None:
        self._adopt(api, await api.login(self.username, password))

    async def change_password(self, api: ApiClient, old: str, new: str) -> None:
        """Change the user's password and go on with the token the server answers."""
        self._adopt(api, await api.change_password(old, new))

    def logout(self) -> None:
        self.vault.delete(self.account)
        self.token = None

    def _adopt(self, api: ApiClient, answer: TokenResponse) -> None:
        self.token = api.token = answer.access_token
        # Timed by the server's own word on the lifetime, counted on this machine's monotonic
        # clock: a wall clock that is off by a minute cannot make the app refresh in a loop.
        self._renew_at = time.monotonic() + REFRESH_AT * answer.expires_in
        self.vault.save(self.account, answer.access_token)
        if self.on_token is not None:
            self.on_token(answer.access_token)

    def refresh_delay(self) -> float:
        """Seconds until the token should be renewed: at 80 % of the lifetime the server gave
        it, at once (well, after :data:`MIN_REFRESH_GAP`) for a token restored from the keyring,
        whose age by the server's clock is unknown here."""
        if self._renew_at is None:
            return MIN_REFRESH_GAP
        return max(MIN_REFRESH_GAP, self._renew_at - time.monotonic())

    async def keep_fresh(self, api: ApiClient) -> None:
        """Renew the token at 80 % of its lifetime, for as long as the server agrees.

        Raises :class:`~.errors.TokenExpired` when it no longer does.
        """
        delay = self.refresh_delay()
        while True:
            await asyncio.sleep(delay)
            api.token = self.token
            try:
                self._adopt(api, await api.refresh())
            except TokenExpired:
                raise
            except NetError as exc:
                log.info("token refresh failed, retrying: %s", exc)
                delay = REFRESH_RETRY
            else:
                delay = self.refresh_delay()
