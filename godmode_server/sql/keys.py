"""Collectors in SQL: ingest API keys (digests only), each key's activity and health report, and the
server-side collectors' cursors."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import (
    select,
)
from sqlalchemy.exc import IntegrityError

from godmode_server.sql.engine import Engine
from godmode_server.sql.hashing import (
    api_key_digest,
    new_api_key,
)
from godmode_server.sql.tables import (
    ApiKey,
    CollectorCursor,
    CollectorHealthRow,
    KeyActivityRow,
)
from godmode_server.sql.users import AccountConflict, AccountMissing


@dataclass(frozen=True)
class CursorInfo:
    last_event_id: str
    tokens_count: int
    tips_count: int
    media_tokens: int = 0


@dataclass(frozen=True, slots=True)
class KeyInfo:
    name: str
    revoked: bool
    created_at: int


class Keys(Engine):
    """Ingest API keys, the rooms each posts for, collectors' own health reports and the
    server-side collectors' cursors."""

    async def create_key(self, name: str) -> str:
        """Create a key and return it; only its hash is stored, so this is the only chance to
        see it."""
        key = new_api_key()
        async with self._session.begin() as session:
            session.add(
                ApiKey(name=name, key_hash=api_key_digest(key), created_at=int(time.time()))
            )
            try:
                await session.flush()
            except IntegrityError as exc:
                raise AccountConflict(f"a key named {name!r} already exists") from exc
        return key

    async def revoke_key(self, name: str) -> None:
        async with self._session.begin() as session:
            key = await session.scalar(select(ApiKey).where(ApiKey.name == name))
            if key is None:
                raise AccountMissing(f"no key named {name!r}")
            key.revoked = True
            await self._bump(session)

    async def rotate_key(self, name: str) -> str:
        """A new key under the same name (the old one stops working, a revoked one works
        again with the new value); returned once, like :meth:`create_key`."""
        key = new_api_key()
        async with self._session.begin() as session:
            row = await session.scalar(select(ApiKey).where(ApiKey.name == name))
            if row is None:
                raise AccountMissing(f"no key named {name!r}")
            row.key_hash = api_key_digest(key)
            row.revoked = False
            await self._bump(session)
        return key

    async def note_key_activity(self, notes: Mapping[tuple[str, str, str], int]) -> None:
        """(key, platform, room) → time of a post: keep the later of it and what is stored."""
        async with self._session.begin() as session:
            for (key, platform, room_id), at in sorted(notes.items()):
                row = await session.get(KeyActivityRow, (key, platform, room_id))
                if row is None:
                    session.add(
                        KeyActivityRow(
                            key_name=key, platform=platform, room_id=room_id, last_post=at
                        )
                    )
                elif at > row.last_post:
                    row.last_post = at
                await session.flush()

    async def key_activity(self) -> dict[str, list[tuple[str, str, int]]]:
        """Each key's rooms, (platform, room_id, last post), the latest first."""
        query = select(KeyActivityRow).order_by(KeyActivityRow.last_post.desc())
        found: dict[str, list[tuple[str, str, int]]] = {}
        async with self._session() as session:
            for row in await session.scalars(query):
                found.setdefault(row.key_name, []).append(
                    (row.platform, row.room_id, row.last_post)
                )
        return found

    async def save_collector_health(self, key: str, received_at: int, report: str) -> None:
        """Keep ``report`` as the key's latest, unless a later one is already kept."""
        for attempt in (1, 2):
            try:
                async with self._session.begin() as session:
                    row = await session.get(CollectorHealthRow, key)
                    if row is None:
                        session.add(
                            CollectorHealthRow(key_name=key, received_at=received_at, report=report)
                        )
                    elif received_at >= row.received_at:
                        row.received_at, row.report = received_at, report
                return
            except IntegrityError:
                if attempt == 2:
                    raise  # another node inserted the key's first report meanwhile: update it

    async def collector_health(self) -> dict[str, tuple[int, str]]:
        """Each key's latest report: (received at, JSON)."""
        async with self._session() as session:
            rows = await session.scalars(select(CollectorHealthRow))
            return {row.key_name: (row.received_at, row.report) for row in rows}

    async def list_keys(self) -> list[KeyInfo]:
        async with self._session() as session:
            keys = await session.scalars(select(ApiKey).order_by(ApiKey.name))
            return [KeyInfo(k.name, k.revoked, k.created_at) for k in keys]

    async def key_name(self, key: str) -> str | None:
        """The name of a valid, unrevoked key, or ``None``."""
        async with self._session() as session:
            row = await session.scalar(
                select(ApiKey).where(ApiKey.key_hash == api_key_digest(key), ~ApiKey.revoked)
            )
            return row.name if row else None

    # --- collector cursors ----------------------------------------------------------------------

    async def get_cursor(self, source: str) -> CursorInfo | None:
        async with self._session() as session:
            row = await session.get(CollectorCursor, source)
            if row is None:
                return None
            return CursorInfo(row.last_event_id, row.tokens_count, row.tips_count, row.media_tokens)

    async def set_cursor(self, source: str, cursor: CursorInfo) -> None:
        async with self._session.begin() as session:
            row = await session.get(CollectorCursor, source)
            if row is None:
                row = CollectorCursor(source=source)
                session.add(row)
            row.last_event_id = cursor.last_event_id
            row.tokens_count = cursor.tokens_count
            row.tips_count = cursor.tips_count
            row.media_tokens = cursor.media_tokens
            row.updated_at = int(time.time())
