"""The database's engine: the connection pool, the schema made sure of at start, and the
credential-change counters the account and key tables share.

SQLite in the user's data directory by default; ``GODMODE_DATABASE_URL`` points elsewhere, e.g.
PostgreSQL (asyncpg) for several nodes sharing accounts.  The schema is created and migrated by
schema.py (Alembic), one node at a time.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from sqlalchemy import (
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from godmode_server.sql import schema
from godmode_server.sql.schema import SchemaState
from godmode_server.sql.tables import (
    ANY_CHANGE,
    CredentialGeneration,
)


def _ensure_sqlite_file(url: str) -> None:
    """A SQLite file readable by its owner only (it holds password hashes), in a folder of the
    owner's own when the server makes one.  SQLite gives its journal the file's permissions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database).expanduser()
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)


class Engine:
    """The connection pool, the schema check at start, and the counter of credential changes
    every account and key change bumps (what each node polls, see accounts/credentials.py)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True)
        self._session = async_sessionmaker(self.engine, expire_on_commit=False)

    async def start(self, *, migrate: bool = False) -> SchemaState:
        """Make sure the schema is this server's (see schema.py): a fresh database gets it, one
        behind is migrated when ``migrate``, else :class:`~.schema.SchemaError`.  Returns the
        revision found and the one now in place."""

        await asyncio.to_thread(_ensure_sqlite_file, self.url)
        return await schema.prepare(self.url, migrate=migrate)

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    @staticmethod
    async def _bump(session: AsyncSession, *subjects: str) -> None:
        """Count a change of credentials for each of ``subjects`` and for :data:`ANY_CHANGE`."""
        for subject in (ANY_CHANGE, *subjects):
            changed = await session.execute(
                update(CredentialGeneration)
                .where(CredentialGeneration.subject == subject)
                .values(generation=CredentialGeneration.generation + 1)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                session.add(CredentialGeneration(subject=subject, generation=1))
                await session.flush()

    async def credentials_version(self) -> int:
        """Grows with every change of any account or key (what nodes poll)."""
        async with self._session() as session:
            row = await session.get(CredentialGeneration, ANY_CHANGE)
            return row.generation if row else 0
