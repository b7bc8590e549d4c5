"""A reconnect storm asks the database once per account, not once per dashboard, and a token
issued after a question began still gets its own answer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from godmode_server.accounts.auth import Claims
from godmode_server.accounts.credentials import CredentialWatch
from godmode_server.sql.database import Database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'accounts.db'}")
    await db.start()
    await db.add_user("cara", "a-long-password", "manager")
    yield db
    await db.close()


def _count_user_reads(db: Database) -> list[str]:
    reads: list[str] = []

    def seen(*args: Any) -> None:
        statement = str(args[2])
        if "FROM users" in statement:
            reads.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", seen)
    return reads


async def test_a_thousand_dashboards_of_one_account_make_one_question(
    database: Database,
) -> None:
    watch = CredentialWatch(database, interval=3600, on_change=lambda: None)
    user = await database.get_user("cara")
    assert user is not None
    reads = _count_user_reads(database)
    token = Claims(
        "cara", "manager", int(time.time()) + 3600, user.generation, int(time.time()) - 60
    )

    answers = await asyncio.gather(*(watch.account(token) for _ in range(1000)))

    assert all(a is not None and a.username == "cara" for a in answers)
    assert len(reads) == 1


async def test_a_token_newer_than_the_question_under_way_asks_again(database: Database) -> None:
    """A question begun before a token was issued cannot know of it (a new password's token,
    say): that token waits for an answer of its own."""
    watch = CredentialWatch(database, interval=3600, on_change=lambda: None)
    user = await database.get_user("cara")
    assert user is not None
    reads = _count_user_reads(database)
    now = int(time.time())
    old = Claims("cara", "manager", now + 3600, user.generation, now - 60)
    new = Claims("cara", "manager", now + 3600, user.generation, now + 5)

    first, second = await asyncio.gather(watch.account(old), watch.account(new))

    assert first is not None
    assert second is not None
    assert len(reads) == 2
