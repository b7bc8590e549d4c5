"""How credentials are kept: argon2id password hashes, and ingest API keys with their digests.

Password hashing is deliberately slow (argon2id), so it runs in a worker thread and never stalls
the event loop.  API keys are 256-bit random strings, so a single SHA-256 is a sound way to store
them (no dictionary to guess from) and cheap enough to check on every ingest.  This module sits
with the storage (the database writes and checks both), below the accounts' services.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from godmode_common.protocol import API_KEY_PREFIX

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so a wrong user name takes as
    long as a wrong password and reveals nothing.  Made on first use, not at import: every
    process that imports this (each command of the CLI) would pay an argon2 hash for it."""
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return (
            _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)


async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
