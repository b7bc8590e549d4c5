"""The SQL schema exactly as servers made it before migrations existed (``create_all`` of
db.py at commit 23d0595), frozen here so the upgrade from it can be tested forever."""

from __future__ import annotations

import time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    insert,
)
from sqlalchemy.ext.asyncio import create_async_engine

from godmode_server.sql.hashing import api_key_digest, hash_password

metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), unique=True, index=True, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), unique=True, index=True, nullable=False),
    Column("key_hash", String(64), unique=True, index=True, nullable=False),
    Column("revoked", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)
samples = Table(
    "samples",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("room_id", String(64), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("tokens_count", BigInteger, nullable=False),
    Column("tips_count", BigInteger, nullable=False),
    Column("viewers_count", BigInteger, nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    Index("ix_samples_room_time", "platform", "room_id", "timestamp"),
)
collector_cursors = Table(
    "collector_cursors",
    metadata,
    Column("source", String(128), primary_key=True),
    Column("last_event_id", String(128), nullable=False),
    Column("tokens_count", BigInteger, nullable=False),
    Column("tips_count", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

PASSWORD = "old-pass-123"
API_KEY = "gm_" + "k" * 43
SAMPLES = 3


async def create(url: str, *, rows: bool = True) -> None:
    """A database as an old server left it: its tables, and a user, a key, archived samples
    and a collector's cursor in them."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            if not rows:
                return
            now = int(time.time())
            await conn.execute(
                insert(users),
                [
                    {
                        "username": "ana",
                        "password_hash": hash_password(PASSWORD),
                        "role": "admin",
                        "disabled": False,
                        "created_at": now,
                    }
                ],
            )
            await conn.execute(
                insert(api_keys),
                [
                    {
                        "name": "pc-1",
                        "key_hash": api_key_digest(API_KEY),
                        "revoked": False,
                        "created_at": now,
                    }
                ],
            )
            await conn.execute(
                insert(samples),
                [
                    {
                        "room_id": "old_room",
                        "platform": "chaturbate",
                        "tokens_count": 100 * (n + 1),
                        "tips_count": n,
                        "viewers_count": 5,
                        "timestamp": now - 3600 + n,
                    }
                    for n in range(SAMPLES)
                ],
            )
            await conn.execute(
                insert(collector_cursors),
                [
                    {
                        "source": "chaturbate_events:old_room",
                        "last_event_id": "e-42",
                        "tokens_count": 300,
                        "tips_count": 2,
                        "updated_at": now,
                    }
                ],
            )
    finally:
        await engine.dispose()
