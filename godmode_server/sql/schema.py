"""The database's schema: created, checked and migrated (Alembic), one node at a time.

Several nodes often start together against one database (a supervisor after a deploy).  Each
takes the migration lock first, inside the database itself: an advisory lock on PostgreSQL, an
exclusive transaction on SQLite.  Under it a node reads the schema's revision and then:

* a database with no tables gets the whole schema (every node may do this: a fresh install);
* one at this server's revision is used as it is (the others found the work done);
* one behind is migrated only when asked (``--migrate``, ``--dev``, or ``godmode-server db
  upgrade``), else the node refuses to start and says what to run;
* one ahead (a newer server migrated it) makes this older node refuse to start.

A database made before migrations existed (tables, no ``alembic_version``) is recognised by its
tables and recorded at the revision it matches.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from godmode_server.sql import rollups

#: PostgreSQL advisory lock id held while the schema is checked or changed ("GODMODE" in ASCII).
SCHEMA_LOCK = 0x474F444D4F4445
#: How long a node waits for another one's migration (SQLite's busy timeout), seconds.
LOCK_WAIT = 120.0
#: Tables of a database made before migrations, and the revision each set matches.
_LEGACY = {
    frozenset({"users", "api_keys", "samples", "collector_cursors"}): "0001",
    frozenset(
        {"users", "api_keys", "samples", "collector_cursors", "credential_generations"}
    ): "0002",
}


#: Samples archived before rollups existed are summed with the default online gap (a schema
#: change does not read the deployment's settings).
ONLINE_GAP = 300


def _rebuild_rollups(connection: Connection) -> None:
    rollups.rebuild_all(connection, ONLINE_GAP)


#: Data brought up to date after the migrations, when an upgrade crossed a revision: work that
#: follows this server's own definitions (the earnings rollups), so it lives here and not in a
#: migration, which imports no live code.  Run in the migration's transaction, under its lock.
AFTER_MIGRATIONS = {"0003": _rebuild_rollups}


def _upgrade(connection: Connection, current: str | None, head: str) -> None:
    _run(connection, "upgrade", head)
    if current is None:
        return  # a fresh schema: nothing archived to bring up to date
    for revision, bring_up_to_date in sorted(AFTER_MIGRATIONS.items()):
        if current < revision <= head:
            bring_up_to_date(connection)


class SchemaError(RuntimeError):
    """The schema cannot be used by this server as it is; the message says what to do."""


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: str | None
    head: str


def alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("godmode_server.sql") / "migrations")
    )
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _revision(connection: Connection) -> str | None:
    """The recorded revision; for a database made before migrations, the one its tables match
    (recorded now); ``None`` for an empty database."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None:
        return current
    tables = frozenset(inspect(connection).get_table_names()) - {"alembic_version"}
    if not tables:
        return None
    legacy = _LEGACY.get(tables)
    if legacy is None:
        raise SchemaError(
            f"the database has tables ({', '.join(sorted(tables))}) but no schema revision, and "
            "they are not a God Mode schema: point GODMODE_DATABASE_URL at God Mode's database"
        )
    _run(connection, "stamp", legacy)
    return legacy


def _run(connection: Connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)


@asynccontextmanager
async def _locked(url: str) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction that holds the migration lock, on its own engine."""
    sqlite = url.startswith("sqlite")
    engine = create_async_engine(url, connect_args={"timeout": LOCK_WAIT} if sqlite else {})
    if sqlite:
        # pysqlite would start its transactions itself, and lazily; take the lock explicitly.
        @event.listens_for(engine.sync_engine, "connect")
        def _manual(dbapi_connection: object, _: object) -> None:
            dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

        @event.listens_for(engine.sync_engine, "begin")
        def _exclusive(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")

    try:
        async with engine.begin() as connection:
            if not sqlite:
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK}
                )
            yield connection
    finally:
        await engine.dispose()


async def prepare(url: str, *, migrate: bool) -> SchemaState:
    """Bring the schema to this server's revision, or refuse (:class:`SchemaError`)."""
    head = head_revision()
    async with _locked(url) as connection:
        current = await connection.run_sync(_revision)
        if current is None or (current != head and migrate and _known(current)):
            await connection.run_sync(_upgrade, current, head)
            return SchemaState(current, head)
    if current == head:
        return SchemaState(current, head)
    if not _known(current):
        raise SchemaError(
            f"the database's schema is at revision {current}, newer than this server knows "
            f"(up to {head}): a newer God Mode migrated it. Run that version, or upgrade this one."
        )
    raise SchemaError(
        f"the database's schema is at revision {current}, behind this server's {head}: run "
        "`godmode-server db upgrade` (back the database up first), or start with --migrate"
    )


async def upgrade(url: str) -> SchemaState:
    """``godmode-server db upgrade``: migrate to this server's revision."""
    return await prepare(url, migrate=True)


async def state(url: str) -> SchemaState:
    """``godmode-server db current``: the revision recorded, without changing anything."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()
    return SchemaState(current, head_revision())


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    return any(rev.revision == revision for rev in script.walk_revisions())
