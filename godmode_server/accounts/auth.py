"""Who a request comes from: HS256 JWTs, and the bound on password checks at once.

How passwords and API keys are *kept* (argon2id hashes, SHA-256 digests) is the storage's part:
:mod:`godmode_server.sql.hashing`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import jwt

from godmode_server.errors import ApiError

JWT_ALGORITHM = "HS256"


class PasswordChecks:
    """At most ``limit`` password checks at once.

    Each Argon2id check takes about 64 MiB and 90 ms of a core: unbounded, a burst of logins
    would take the node's memory and every core.  A check that cannot start within ``wait``
    seconds is answered 503 with ``Retry-After`` instead of queueing without end.
    """

    def __init__(self, limit: int, wait: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._wait = wait

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self._wait):
                await self._slots.acquire()
        except TimeoutError:
            raise ApiError(
                503,
                "too many logins at once; retry in a second",
                headers={"Retry-After": "1"},
            ) from None
        try:
            yield
        finally:
            self._slots.release()


@dataclass(frozen=True, slots=True)
class Claims:
    subject: str
    role: str
    expires_at: int
    #: The account's credential generation when the token was issued (see db.CredentialGeneration).
    generation: int = 0
    #: When the token was issued (Unix seconds, the issuing node's clock).
    issued_at: int = 0


class InvalidToken(Exception):
    """The token is missing, malformed, badly signed, of another algorithm, or expired."""


class TokenService:
    def __init__(self, secret: str, *, lifetime: int, issuer: str, audience: str) -> None:
        self._secret = secret
        self.lifetime = lifetime
        self._issuer = issuer
        self._audience = audience

    def issue(self, subject: str, role: str, generation: int = 0) -> str:
        now = int(time.time())
        payload = {
            "sub": subject,
            "role": role,
            "gen": generation,
            "iat": now,
            "nbf": now,
            "exp": now + self.lifetime,
            "iss": self._issuer,
            "aud": self._audience,
        }
        return jwt.encode(payload, self._secret, algorithm=JWT_ALGORITHM)

    def verify(self, token: str) -> Claims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                # One algorithm only: "none" and algorithm switching are refused by construction.
                algorithms=[JWT_ALGORITHM],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
                leeway=5,
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        subject, role = payload.get("sub"), payload.get("role", "monitor")
        generation, issued_at = payload.get("gen", 0), payload.get("iat", 0)
        if (
            not isinstance(subject, str)
            or not isinstance(role, str)
            or type(generation) is not int
            or not isinstance(issued_at, int | float)
        ):
            raise InvalidToken("malformed claims")
        return Claims(
            subject=subject,
            role=role,
            expires_at=int(payload["exp"]),
            generation=generation,
            issued_at=int(issued_at),
        )


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or ``None``."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
