"""What every benchmark needs: servers in child processes, a lean load generator, lean
WebSocket receivers in their own processes, and percentiles.

The measuring side must not eat the server's CPU (the machine has two cores), so the generator
writes pre-encoded HTTP/1.1 requests on a keep-alive socket instead of using an HTTP client
library, and the receivers only note the arrival time and the sample number of each message;
parsing happens after the run.  Times come from ``time.monotonic()``, which is one clock for
every process on Linux, so a receiver's arrival time minus the generator's send time is the
end-to-end latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing as mp
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import httpx

from godmode_common.launcher import LocalServer, free_port

JWT_SECRET = "benchmark-secret-" + "x" * 48


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throw-away ``redis-server`` (no persistence); yields its URL."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is not installed (make bench installs it)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="gm-bench-redis-") as tmp:
        proc = subprocess.Popen(
            [
                *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=0.2),
                ):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextlib.contextmanager
def godmode_server(redis_url: str | None = None, **env: str) -> Iterator[str]:
    """``godmode-server run --dev`` on a free port; yields its URL."""
    with godmode_process(redis_url, **env) as (url, _):
        yield url


@contextlib.contextmanager
def godmode_process(
    redis_url: str | None = None, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``godmode-server run --dev`` on a free port; yields its URL and process."""
    if redis_url:
        env["GODMODE_REDIS_URL"] = redis_url
    with _launched(LocalServer, env, args=("--log-level", "warning")) as served:
        yield served


@contextlib.contextmanager
def module_server(module: str, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``python -m <module> --port P`` (a baseline server of this folder); yields its URL and
    process."""
    with _launched(LocalServer, env, command=("-m", module), dev=False) as served:
        yield served


@contextlib.contextmanager
def _launched(
    launcher: type[LocalServer], env: dict[str, str], **options: Any
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A server of the project's launcher in a throw-away folder, with the benchmarks' JWT
    secret and no rate limits (the load comes from one address at rates no collector sends)
    unless ``env`` says otherwise; yields its URL once it answers, and stops it afterwards."""
    environment = {"GODMODE_JWT_SECRET": JWT_SECRET, "GODMODE_RATE_LIMITS": "false", **env}
    with (
        tempfile.TemporaryDirectory(prefix="gm-bench-") as tmp,
        launcher(Path(tmp), env=environment, **options) as server,
    ):
        assert server.proc is not None
        yield server.url, server.proc


#: The servers a benchmark can compare: God Mode and the two baselines a team would pick
#: instead (docs/PERFORMANCE.md).
SERVERS = ("godmode", "starlette", "node")
NODE_SERVER = Path(__file__).parent / "node_broadcast" / "server.mjs"


@contextlib.contextmanager
def served(
    kind: str, redis_url: str | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """One of :data:`SERVERS` on a free port, or God Mode on Redis with N worker processes
    (``godmode-redis-<N>w``); yields its URL and process."""
    if kind == "godmode":
        with godmode_process(redis_url) as served_:
            yield served_
    elif kind.startswith("godmode-redis-") and kind.endswith("w"):
        workers = kind.removeprefix("godmode-redis-").removesuffix("w")
        with redis_server() as url, godmode_process(url, GODMODE_WORKERS=workers) as served_:
            yield served_
    elif kind == "starlette":
        with module_server("benchmarks.broadcast_server") as served_:
            yield served_
    elif kind == "node":
        with node_server() as served_:
            yield served_
    else:
        raise ValueError(f"unknown server {kind!r}; one of {', '.join(SERVERS)}")


@contextlib.contextmanager
def node_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The bare Node ``ws`` broadcast server (benchmarks/node_broadcast) on a free port."""
    node = shutil.which("node")
    if node is None or not (NODE_SERVER.parent / "node_modules" / "ws").is_dir():
        raise RuntimeError("node or its ws package is missing (make bench installs them)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [node, str(NODE_SERVER), "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the Node server did not start: {log.read()[-2000:]!r}")
                time.sleep(0.05)
            yield url, proc
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def metric(url: str, name: str) -> float:
    """One unlabelled value from a server's /metrics (0 when it is not there yet)."""
    match = re.search(rf"^{name} (\S+)$", httpx.get(url + "/metrics", timeout=5).text, re.M)
    return float(match.group(1)) if match else 0.0


def dev_token(url: str) -> str:
    answer = httpx.post(url + "/api/auth/login", json={"username": "demo", "password": "demo"})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


# --- the load generator ------------------------------------------------------------------------


def post_request(host: str, path: str, body: bytes, extra: bytes = b"") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n".encode()
        + extra
        + b"\r\n"
        + body
    )


#: The rooms the generator posts to, in turn: a big studio's (the rooms of one deployment are
#: hundreds, and the server keeps each for an hour, so a room per sample would measure a heap
#: no studio has -- 30,000 rooms after a minute at 500 samples/s).
ROOMS = 700


def sample_body(n: int, salt: int = 0) -> bytes:
    """Sample number ``n`` (its ``tips_count``, which the receivers read back) for room
    ``bench_<n % ROOMS>``, with a token count no earlier run used, so every sample is applied
    and makes exactly one event."""
    return (
        b'{"room_id":"bench_%d","platform":"chaturbate","tokens_count":%d,"tips_count":%d,'
        b'"viewers_count":1,"timestamp":%d}' % (n % ROOMS, salt + n, n, int(time.time()))
    )


_STATUS = re.compile(rb"HTTP/1\.1 (\d{3})")


async def generate(
    url: str,
    rate: float,
    count: int,
    path: str = "/api/tracking/telemetry",
    connections: int = 1,
) -> tuple[dict[int, float], int]:
    """POST ``count`` samples at ``rate`` per second on ``connections`` keep-alive connections.

    Each connection waits for an answer before its next request, as a collector does, so one
    connection takes at most one sample per round trip; several (sample ``n`` on connection
    ``n % connections``, a room always on the same one when they divide :data:`ROOMS`) measure
    a server's capacity rather than its round trip.  Returns the send time of each sample
    number and how many answers were not 200.
    """
    host, port = url.removeprefix("http://").split(":")
    sent: dict[int, float] = {}
    interval = 1 / rate
    salt = time.time_ns() // 1000 % 10**12  # new counters for every run against one server
    start = time.monotonic()

    async def post(first: int) -> int:
        failures = 0
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for n in range(first, count, connections):
                delay = start + n * interval - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                request = post_request(f"{host}:{port}", path, sample_body(n, salt))
                sent[n] = time.monotonic()
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
                await reader.readexactly(length)
                status = _STATUS.match(head)
                if status is None or status.group(1) != b"200":
                    failures += 1
        finally:
            writer.close()
        return failures

    failures = await asyncio.gather(*(post(k) for k in range(connections)))
    return sent, sum(failures)


# --- receivers ---------------------------------------------------------------------------------

#: The sample number: ``tips`` in God Mode's events, ``tips_count`` in the raw body the
#: baselines forward.
_NUMBER = re.compile(rb'"tips(?:_count)?":\s*(\d+)')


def dashboard(ws_url: str, token: str) -> Any:
    """A lean dashboard's connection (the ``connect()`` context manager): no size limit, no
    pings, no compression, a minute to open when a thousand connect at once."""
    from websockets.asyncio.client import connect

    return connect(
        ws_url,
        additional_headers={"Authorization": f"Bearer {token}"},
        max_size=None,
        ping_interval=None,
        compression=None,
        open_timeout=60,
    )


#: After the last sample is sent, how long receivers keep reading what is still in flight.
DRAIN_SECONDS = 1.0


async def _receive(
    ws_url: str, token: str, clients: int, ready: EventType, stop: EventType
) -> list[list[tuple[int, float]]]:
    logs: list[list[tuple[int, float]]] = [[] for _ in range(clients)]
    opened = [asyncio.Event() for _ in range(clients)]

    async def one(log: list[tuple[int, float]], connected: asyncio.Event) -> None:
        try:
            async with dashboard(ws_url, token) as ws:
                await ws.recv()  # the snapshot
                connected.set()
                while True:
                    raw = await ws.recv(decode=False)  # bytes: no UTF-8 decoding
                    arrived = time.monotonic()
                    log.append((_number(raw), arrived))
        finally:
            connected.set()  # a dashboard that failed must not hold up the others

    tasks = [asyncio.create_task(one(logs[i], opened[i])) for i in range(clients)]
    await asyncio.gather(*(event.wait() for event in opened))
    ready.set()
    await asyncio.get_running_loop().run_in_executor(None, stop.wait)
    await asyncio.sleep(DRAIN_SECONDS)
    failed = [t.exception() for t in tasks if t.done() and not t.cancelled() and t.exception()]
    if failed:
        raise RuntimeError(f"{len(failed)} dashboards failed, e.g. {failed[0]!r}")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return logs


def _number(raw: bytes) -> int:
    match = _NUMBER.search(raw)
    return int(match.group(1)) if match else -1


def _receiver_main(
    ws_url: str,
    token: str,
    clients: int,
    stop: EventType,
    ready: EventType,
    out: Connection,
) -> None:
    # The logs grow by a tuple per delivery (millions in a long run) and nothing here makes
    # cycles worth collecting: a full collection walking them stalled this process's reading
    # by 40-70 ms, which read as the server's latency.
    gc.freeze()
    gc.disable()
    try:
        out.send(asyncio.run(_receive(ws_url, token, clients, ready, stop)))
    except Exception as exc:  # the parent raises it: a benchmark must not hang on a dead pipe
        ready.set()
        out.send(RuntimeError(f"receiver process failed: {exc!r}"))
    out.close()


@dataclass
class Receivers:
    """``clients`` WebSocket dashboards spread over ``processes`` processes."""

    procs: list[BaseProcess]
    pipes: list[Connection]
    stop: EventType

    def results(self) -> list[list[tuple[int, float]]]:
        """Stop reading (after draining what is in flight) and collect the arrival logs."""
        self.stop.set()
        logs = []
        errors = []
        for pipe in self.pipes:
            got = pipe.recv()
            if isinstance(got, Exception):
                errors.append(got)
            else:
                logs.extend(got)
        for proc in self.procs:
            proc.join(timeout=30)
        if errors:
            raise errors[0]
        return logs


def start_receivers(url: str, token: str, clients: int, processes: int = 1) -> Receivers:
    """Connect the dashboards; returns once every one has its snapshot."""
    ws_url = url.replace("http://", "ws://") + "/ws/dashboard"
    stop = mp.get_context("spawn").Event()
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    procs, pipes = spawn_ready(
        _receiver_main, [(ws_url, token, share, stop) for share in shares if share], "receivers"
    )
    return Receivers(procs, pipes, stop)


def spawn_ready(
    target: Callable[..., None], arguments: list[tuple[Any, ...]], what: str
) -> tuple[list[BaseProcess], list[Connection]]:
    """One spawned process per tuple of ``arguments``, each running
    ``target(*arguments, ready, pipe)``; returns them and the parent's end of each pipe once every
    one has set ``ready`` (a process that fails must set it too, and send its error)."""
    ctx = mp.get_context("spawn")
    procs: list[BaseProcess] = []
    pipes: list[Connection] = []
    events = []
    for args in arguments:
        ready = ctx.Event()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=target, args=(*args, ready, child), daemon=True)
        proc.start()
        procs.append(proc)
        pipes.append(parent)
        events.append(ready)
    for ready in events:
        if not ready.wait(120):
            raise RuntimeError(f"the {what} did not connect within 120 s")
    return procs, pipes


# --- figures -----------------------------------------------------------------------------------


@dataclass
class Latency:
    deliveries: int
    expected: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def lost(self) -> int:
        return self.expected - self.deliveries

    def row(self) -> str:
        return (
            f"{self.p50_ms:.2f} | {self.p99_ms:.2f} | {self.max_ms:.2f} | "
            f"{self.deliveries:,} / {self.expected:,}"
        )


def latencies(sent: dict[int, float], logs: list[list[tuple[int, float]]]) -> Latency:
    values = [(arrived - sent[n]) * 1000 for log in logs for n, arrived in log if n in sent]
    values.sort()
    if not values:
        return Latency(0, len(sent) * len(logs), float("nan"), float("nan"), float("nan"))
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return Latency(
        deliveries=len(values),
        expected=len(sent) * len(logs),
        p50_ms=statistics.median(values),
        p99_ms=p99,
        max_ms=values[-1],
    )


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}"
