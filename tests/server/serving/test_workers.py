"""``godmode-server run --workers N``: N processes on one port acting as one server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, ws_connect
from tests.helpers.databases import RedisProcess
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow

DASHBOARDS = 16
#: Rounds of DASHBOARDS connections at once, at most, for both workers to take some.
ROUNDS = 5


def _workers(server: ServerProcess) -> list[int]:
    assert server.proc is not None
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def _workers_serving(server: ServerProcess) -> list[int]:
    """The workers (the parent's children that are not multiprocessing's helper) started."""
    return [pid for pid in _workers(server) if "spawn_main" in _cmdline(pid)]


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def _connections(pid: int, port: int) -> int:
    """The established TCP connections to ``port`` that process ``pid`` holds: its sockets
    (``/proc/PID/fd``) looked up in the kernel's table (``/proc/net/tcp``).  A count of all its
    sockets would also move with its own Redis connections and closing HTTP ones."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            link = os.readlink(fd)
            if link.startswith("socket:["):
                inodes.add(link[len("socket:[") : -1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rpartition(":")[2], 16)
            established = fields[3] == "01"
            count += local_port == port and established and fields[9] in inodes
    return count


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def two_workers(redis_server: RedisProcess, make_server: ServerFactory) -> ServerProcess:
    server = make_server(GODMODE_REDIS_URL=redis_server.url, GODMODE_WORKERS="2")
    wait_until(lambda: len(_workers_serving(server)) == 2, what="two workers")
    return server


async def test_two_workers_serve_one_port_as_one_server(two_workers: ServerProcess) -> None:
    """Dashboards land on both workers, and every dashboard gets every sample in order,
    whichever worker took the POST."""
    server = two_workers
    workers = _workers_serving(server)
    token = server.login()  # signed by one worker, good on the other
    async with contextlib.AsyncExitStack() as stack:
        # Which worker accepts a connection is the kernel's choice (the first awake): one at a
        # time, an idle worker can take them all.  Connecting several at once, a few rounds
        # at most, both must get some.
        dashboards: list[Any] = []
        for _ in range(ROUNDS):
            batch = await asyncio.gather(
                *(stack.enter_async_context(ws_connect(server, token)) for _ in range(DASHBOARDS))
            )
            for ws in batch:
                assert (await next_event(ws, "SNAPSHOT"))["event_type"] == "SNAPSHOT"
            dashboards += batch
            held = {pid: _connections(pid, server.port) for pid in workers}
            if all(n > 0 for n in held.values()):
                break
        assert all(n > 0 for n in held.values()), held  # each worker holds some of them
        assert sum(held.values()) >= len(dashboards), held

        seqs = []
        for n in range(20):  # a new connection each, so the POSTs too land on both
            async with httpx.AsyncClient() as http:
                answer = await http.post(
                    server.url + "/api/tracking/telemetry",
                    json=sample_json(f"worker_room_{n % 3}", tokens_count=n + 1),
                )
            assert answer.status_code == 200, answer.text
            seqs.append(answer.json()["seq"])
        for ws in dashboards:
            got = [(await next_event(ws))["seq"] for _ in seqs]
            assert got == seqs


def test_more_than_one_worker_needs_redis(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "alone", env={"GODMODE_WORKERS": "2"})
    result = server.cli("run", "--dev", "--port", "0")
    assert result.returncode == 1
    assert "--workers 2 needs GODMODE_REDIS_URL" in result.stderr


def test_no_workers_is_a_clear_error(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "none")
    result = server.cli("run", "--dev", "--port", "0", "--workers", "0")
    assert result.returncode == 1
    assert "GODMODE_WORKERS" in result.stderr
    assert "greater than or equal to 1" in result.stderr


def test_a_stop_ends_every_worker(two_workers: ServerProcess) -> None:
    workers = _workers_serving(two_workers)
    two_workers.stop()
    assert two_workers.proc is not None
    assert two_workers.proc.returncode == 0
    wait_until(lambda: not any(_alive(pid) for pid in workers), what="the workers gone")


def test_a_worker_that_dies_takes_the_server_down_for_a_restart(
    two_workers: ServerProcess,
) -> None:
    """Half a server would go on unnoticed: the service manager restarts the whole."""
    first, second = _workers_serving(two_workers)
    os.kill(first, signal.SIGKILL)
    assert two_workers.proc is not None
    try:
        two_workers.proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        pytest.fail("the server went on with one worker")
    assert two_workers.proc.returncode != 0
    wait_until(lambda: not _alive(second), what="the other worker gone")
