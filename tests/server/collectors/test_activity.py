"""Ingest keys' activity (godmode_server/collectors/activity.py): the latest post per key and room,
written in batches, never moved backwards by a node that writes late, kept when a write fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from godmode_server.collectors.activity import KeyActivity
from godmode_server.sql.database import Database


async def test_the_latest_post_wins_whatever_the_order_of_writes(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")
    await db.start()
    try:
        node_a, node_b = KeyActivity(db), KeyActivity(db)
        node_a.note("pc-1", "chaturbate", "luna", at=2000)
        node_a.note("pc-1", "chaturbate", "luna", at=1000)  # a slower request answered later
        node_b.note("pc-1", "chaturbate", "luna", at=1500)
        node_b.note("pc-1", "stripchat", "mia", at=1800)
        await node_a.flush()
        await node_b.flush()  # a node writing an older time does not move it back
        assert await db.key_activity() == {
            "pc-1": [("chaturbate", "luna", 2000), ("stripchat", "mia", 1800)]
        }, "neither a request answered late nor a node writing late moves it back"
    finally:
        await db.close()


async def test_notes_survive_a_failed_write(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")
    await db.start()
    try:
        activity = KeyActivity(db)
        activity.note("pc-1", "chaturbate", "luna", at=1000)
        await db.close()
        broken = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
        activity._db = broken  # the database goes away
        with pytest.raises(OSError, match=r"Connect call failed|refused"):
            await activity.flush()
        activity._db = db = Database(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")
        await activity.flush()
        assert await db.key_activity() == {"pc-1": [("chaturbate", "luna", 1000)]}
    finally:
        await db.close()
