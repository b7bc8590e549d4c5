"""Fixtures shared by the whole suite: real servers on loopback ports (their helpers live in
tests/helpers/ and are imported from there, never from a conftest)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.helpers.databases import PostgresProcess, RedisProcess
from tests.helpers.servers import ServerFactory, ServerProcess

# Qt draws into memory: the suite runs without a display (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with slow tests first, each file's tests in their order: pytest-xdist hands the
    files to its workers in this order (make test: --dist loadfile), and a long file handed out
    last keeps one core busy after the others have finished."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    """A Redis of the test's own, stopped at its end."""
    server = RedisProcess(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresProcess]:
    """One PostgreSQL for the run; each user of it takes a database of its own."""
    server = PostgresProcess().start()
    yield server
    server.close()


@pytest.fixture
def own_postgres() -> Iterator[PostgresProcess]:
    """A PostgreSQL the test may stop and start."""
    server = PostgresProcess().start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One ``--dev`` server for the whole session; tests use their own room ids."""
    server = ServerProcess(tmp_path_factory.mktemp("dev-server")).start()
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's report kept on the test (``item.stash[PHASES]``), for fixtures that say more
    when the test failed."""
    report = yield
    item.stash.setdefault(PHASES, {})[report.when] = report
    return report


PHASES = pytest.StashKey[dict[str, pytest.TestReport]]()

#: The end of each server's log shown under a failed test (its whole log stays in tmp_path).
LOG_TAIL = 4000


@pytest.fixture
def make_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerFactory]:
    """Start a server with particular settings; stopped at the end of the test, and the end of
    its log printed when the test failed (pytest shows it under the failure)."""
    started: list[ServerProcess] = []

    def start(*, dev: bool = True, unset: tuple[str, ...] = (), **env: str) -> ServerProcess:
        workdir = tmp_path / f"server{len(started)}"
        server = ServerProcess(workdir, dev=dev, env=env, unset=unset).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    call = request.node.stash.get(PHASES, {}).get("call")
    if call is not None and call.failed:
        for server in started:
            print(f"--- {server.log_path} (exit {server.proc and server.proc.returncode}) ---")
            print(server.log()[-LOG_TAIL:])


@pytest.fixture(scope="session")
def demo_token(dev_server: ServerProcess) -> str:
    return dev_server.login()


@pytest.fixture
def room() -> str:
    """A room id no other test uses, so tests can share one server."""
    return "room_" + uuid.uuid4().hex[:12]
