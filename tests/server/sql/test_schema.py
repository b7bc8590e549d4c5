"""The schema: built by the migrations exactly as db.py declares it, an old database upgraded
with every row kept, nodes started together on a fresh or an old database all coming up, and
clear refusals (godmode_server/sql/schema.py, godmode_server/sql/migrations/)."""

from __future__ import annotations

import ast
import asyncio
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from godmode_server.settings import Settings
from godmode_server.sql import schema
from godmode_server.sql.schema import head_revision
from godmode_server.sql.tables import Base
from tests.helpers.servers import ServerProcess
from tests.helpers.waiting import until_checked

from . import legacy_schema

#: Nodes started at once, and how many times over: a few real races, beside the deterministic
#: interleavings of the lock (test_a_node_waits_for_the_one_holding_the_migration_lock).
# One round: the interleaving real races hit only sometimes is made to happen in
# test_a_node_waits_for_the_one_holding_the_migration_lock; these show that real processes
# started at once all come up (three rounds took 100 s of a CI worker, for little more).
NODES, ROUNDS = 4, 1
#: How many nodes wait behind the lock's holder in the deterministic interleavings.
WAITERS = 3


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A function giving a fresh, empty database's URL (as an operator writes it)."""
    count = iter(range(1_000_000))
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / f'db{next(count)}.sqlite'}"
    else:
        postgres = request.getfixturevalue("postgres")
        yield postgres.new_database


def engine_url(url: str) -> str:
    return Settings(database_url=url).database_url


async def scalar(url: str, sql: str) -> object:
    engine = create_async_engine(engine_url(url))
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()


async def differences(url: str) -> list[object]:
    """What autogenerate would change to make the database match db.py's tables."""
    engine = create_async_engine(engine_url(url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()


def node(tmp_path: Path, url: str, name: str, **env: str) -> ServerProcess:
    return ServerProcess(tmp_path / name, dev=False, env={"GODMODE_DATABASE_URL": url, **env})


def start_together(servers: list[ServerProcess]) -> None:
    with ThreadPoolExecutor(len(servers)) as pool:
        list(pool.map(ServerProcess.start, servers))


def ready(server: ServerProcess) -> int:
    return httpx.get(server.url + "/readyz", timeout=10).status_code


async def test_the_migrations_build_the_declared_schema(
    new_database: object, tmp_path: Path
) -> None:
    url = new_database()  # type: ignore[operator]
    upgraded = node(tmp_path, url, "cli").cli("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"migrated from an empty database to {head_revision()}" in upgraded.stdout

    assert await differences(url) == []
    current = node(tmp_path, url, "cli").cli("db", "current")
    assert f"database: {head_revision()}" in current.stdout


async def test_a_database_from_before_migrations_upgrades_and_keeps_every_row(
    new_database: object, tmp_path: Path
) -> None:
    url = new_database()  # type: ignore[operator]
    await legacy_schema.create(engine_url(url))
    server = node(tmp_path, url, "node")

    refused = server.cli("run", "--port", "1")
    assert refused.returncode != 0
    assert "behind this server's" in refused.stderr
    assert "godmode-server db upgrade" in refused.stderr

    upgraded = server.cli("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"migrated from 0001 to {head_revision()}" in upgraded.stdout
    assert await differences(url) == []
    assert await scalar(url, "SELECT count(*) FROM samples") == legacy_schema.SAMPLES
    assert await scalar(url, "SELECT last_event_id FROM collector_cursors") == "e-42"

    server.start()
    try:
        assert serves_the_old_rows(server)
    finally:
        server.stop()


def serves_the_old_rows(server: ServerProcess) -> bool:
    """The old user logs in with the old password, reads the archived samples, and the old
    API key is accepted."""
    token = server.login("ana", legacy_schema.PASSWORD)
    history = httpx.get(
        server.url + "/api/tracking/telemetry/old_room/chaturbate/history",
        params={"from": 0},
        headers={"Authorization": f"Bearer {token}"},
    )
    selectors = httpx.get(
        server.url + "/api/collectors/selectors", headers={"X-Api-Key": legacy_schema.API_KEY}
    )
    tokens = [s["tokens_count"] for s in history.json()["samples"]]
    return tokens == [100, 200, 300] and selectors.status_code == 200


def all_come_up(url: str, tmp_path: Path, round_: int, **env: str) -> None:
    """:data:`NODES` nodes started at once on ``url`` all answer /readyz."""
    servers = [node(tmp_path, url, f"r{round_}n{n}", **env) for n in range(NODES)]
    try:
        start_together(servers)
        assert [ready(s) for s in servers] == [200] * NODES, f"round {round_}"
    finally:
        for server in servers:
            server.stop()


async def _waiting_for_the_lock(url: str) -> int:
    """How many sessions wait for the migration lock (PostgreSQL shows them in pg_locks)."""
    waiting = await scalar(
        url,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        f"AND (classid::bigint << 32 | objid::bigint) = {schema.SCHEMA_LOCK}",
    )
    assert isinstance(waiting, int)
    return waiting


@pytest.mark.parametrize("start", ["fresh", "behind"])
async def test_a_node_waits_for_the_one_holding_the_migration_lock(
    new_database: object, start: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interleaving the real races hit only sometimes, made to happen: while one node holds
    the lock and migrates, the others cannot even read the schema's revision; once it is done,
    each finds the schema at this server's revision and changes nothing."""
    url = new_database()  # type: ignore[operator]
    if start == "behind":
        await legacy_schema.create(engine_url(url), rows=False)
    postgresql = url.startswith("postgresql")
    async with schema._locked(engine_url(url)) as holder:
        if not postgresql:  # SQLite shows no waiters: show that a node cannot get in
            with monkeypatch.context() as short:
                short.setattr(schema, "LOCK_WAIT", 0.05)
                with pytest.raises(Exception, match="database is locked"):
                    await schema.prepare(engine_url(url), migrate=True)
        waiters = [
            asyncio.create_task(schema.prepare(engine_url(url), migrate=True))
            for _ in range(WAITERS)
        ]
        if postgresql:

            async def queued() -> bool:
                return await _waiting_for_the_lock(url) >= WAITERS

            await until_checked(queued, timeout=30, what="the waiters queued behind the lock")
        # What prepare does under the lock: read (or recognise) the revision, then migrate.
        assert await holder.run_sync(schema._revision) == (None if start == "fresh" else "0001")
        await holder.run_sync(schema._run, "upgrade", head_revision())
        assert not any(waiter.done() for waiter in waiters), "a node got past the lock"
    states = await asyncio.gather(*waiters)

    assert [s.current for s in states] == [head_revision()] * WAITERS, "each found it done"
    assert await differences(url) == []


def test_nodes_started_together_on_a_fresh_database_all_come_up(
    new_database: object, tmp_path: Path
) -> None:
    for round_ in range(ROUNDS):
        all_come_up(new_database(), tmp_path, round_)  # type: ignore[operator]


def test_nodes_started_together_on_a_database_behind_all_come_up(
    new_database: object, tmp_path: Path
) -> None:
    """With --migrate (GODMODE_MIGRATE), one migrates and the others find it done."""
    for round_ in range(ROUNDS):
        url = new_database()  # type: ignore[operator]
        asyncio.run(legacy_schema.create(engine_url(url), rows=False))
        all_come_up(url, tmp_path, round_, GODMODE_MIGRATE="true")
        revision = asyncio.run(scalar(url, "SELECT version_num FROM alembic_version"))
        assert revision == head_revision()


async def test_an_older_server_refuses_a_newer_schema(new_database: object, tmp_path: Path) -> None:
    url = new_database()  # type: ignore[operator]
    server = node(tmp_path, url, "node")
    assert server.cli("db", "upgrade").returncode == 0
    engine = create_async_engine(engine_url(url))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        await engine.dispose()

    refused = server.cli("run", "--port", "1", "--migrate")

    assert refused.returncode != 0
    assert "revision 9999, newer than this server knows" in refused.stderr


def test_tables_that_are_not_ours_are_left_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    refused = node(tmp_path, url, "node").cli("db", "upgrade")

    assert refused.returncode != 0
    assert "they are not a God Mode schema" in refused.stderr


def test_no_migration_imports_the_servers_code() -> None:
    """A migration must still run after the code it would import changes: each imports only
    Alembic and SQLAlchemy, and work that follows the server's definitions runs after the
    migrations (schema.AFTER_MIGRATIONS)."""
    versions = resources.files("godmode_server.sql") / "migrations" / "versions"
    found: dict[str, set[str]] = {}
    for script in versions.iterdir():
        if not script.name.endswith(".py"):
            continue
        tree = ast.parse(script.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.setdefault(script.name, set()).add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.setdefault(script.name, set()).update(
                    a.name.split(".")[0] for a in node.names
                )
    assert len(found) >= 7
    for name, modules in found.items():
        assert modules <= {"__future__", "alembic", "sqlalchemy"}, (name, modules)
