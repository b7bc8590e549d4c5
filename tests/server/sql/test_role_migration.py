"""Migration 0004 (roles): earlier ``viewer`` accounts become managers, nothing else moves."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy.engine import Connection

from godmode_server.sql import schema
from godmode_server.sql.database import Database


async def test_viewers_become_managers_when_roles_arrive(tmp_path: Path) -> None:
    """Migration 0004: a viewer saw every room and still does, as a manager."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'roles.db'}"
    old = Database(url)
    await old.start()

    def to_0003(connection: Connection) -> None:
        config = schema.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")

    async with old.engine.begin() as connection:
        await connection.run_sync(to_0003)
        await connection.exec_driver_sql(
            "INSERT INTO users (username, password_hash, role, disabled, created_at) "
            "VALUES ('ana', 'x', 'viewer', 0, 0), ('root', 'x', 'admin', 0, 0)"
        )
    await old.close()

    migrated = Database(url)
    await migrated.start(migrate=True)
    try:
        roles = {u.username: (u.role, u.can_report) for u in await migrated.list_users()}
        assert roles == {"ana": ("manager", False), "root": ("admin", False)}
        assert await migrated.rooms_of("ana") == []
    finally:
        await migrated.close()
