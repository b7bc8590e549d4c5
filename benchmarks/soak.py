"""Soak: the fault drills one after another under load, with one exactly-once count at the end.

Two nodes share a persistent Redis.  Samples are posted at a steady rate, alternately to each
node; a sample its node does not answer 200 is posted to the other one (then again, until one
answers), as a collector behind a load balancer would.  Every sample is a room of its own, so
each one is one event and can be counted.  Dashboards follow the nodes as the desktop app does:
whenever they are closed they reconnect with ``since``/``epoch``, to their own node or, while it
is down, to the other.  Some reach node B through a TCP proxy; a few stop reading for a while.

While the load runs, in turn:

1. node A is killed (SIGKILL) and started again;
2. Redis is stopped, and started again;
3. the network between the proxied dashboards and node B is cut, then restored;
4. a few dashboards stop reading until node B lets go of them: as too slow (4429) when their
   buffers fill, or by its keep-alive ping when the rate is too low to fill them; then they
   read on.

Then, for every dashboard: every sample answered 200 must be on its board with its counters;
no update may arrive twice within an epoch, nor skip a ``seq``.  Across an epoch change the
dashboard is sent a ``SNAPSHOT`` that replaces its board (the protocol's rule); an update that
arrives after that snapshot for a sample the dashboard had already been sent is counted and
shown ("again after a snapshot"), not hidden.

    python -m benchmarks.soak                 # 60 s of load, 100 dashboards, 50 samples/s
    python -m benchmarks.soak --dashboards 1000 --rate 5
    python -m benchmarks.soak --smoke         # the same drills, shorter and smaller (make test)

The servers, Redis and the proxy are the test suite's own (``tests/conftest.py``,
``tests/desktop/proxy.py``): the drills here are the suite's drills, combined.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from godmode_common.protocol import (
    DashboardEvent,
    Resume,
    Snapshot,
    TelemetryUpdate,
    parse_dashboard_event,
)
from tests.helpers.databases import RedisProcess
from tests.helpers.servers import ServerProcess
from tests.helpers.tcp_proxy import TcpProxy

from .harness import machine, metric, spawn_ready

#: Node settings for the soak: a smaller queue and send buffer than the defaults, so that a
#: dashboard that stops reading is closed within seconds at these rates (the defaults hold
#: about ten times more).
NODE_ENV = {
    "GODMODE_REDIS_TIMEOUT": "1",
    "GODMODE_WS_QUEUE_SIZE": "64",
    "GODMODE_WS_SEND_BUFFER": "4096",
}
#: How long dashboards get, after the last sample, to show every sample answered 200.
SETTLE_SECONDS = 60.0
RECONNECT_DELAY = 0.1
PAUSED = "paused on B"
ROLES = ("on A", "on B", "via proxy to B", PAUSED)


def _room(number: int) -> str:
    return f"soak_{number}"


def _number(room_id: str) -> int | None:
    return int(room_id[5:]) if room_id.startswith("soak_") else None


# --- dashboards (in child processes) -----------------------------------------------------------


@dataclass
class Spec:
    role: str
    urls: list[str]  # WebSocket URLs, the dashboard's own node first


@dataclass
class Outcome:
    role: str
    missing: int = 0
    twice: int = 0
    again_after_snapshot: int = 0
    gaps: int = 0
    snapshots: int = 0
    resumes: int = 0
    closes: Counter[int] = field(default_factory=Counter)


class Follower:
    """A dashboard that keeps a board of the soak's rooms and reconnects like the app does."""

    def __init__(
        self, spec: Spec, token: str, reading: asyncio.Event | None, changed: asyncio.Event
    ) -> None:
        self.spec = spec
        self.token = token
        self.reading = reading  # only the ones that will pause have one
        self.changed = changed
        self.board: dict[int, int] = {}
        self.seq: int | None = None
        self.epoch: str | None = None
        self.in_epoch: set[int] = set()  # samples sent as updates since the last snapshot
        self.ever: set[int] = set()  # ... and since the start
        self.outcome = Outcome(spec.role)
        self.ready = asyncio.Event()

    async def run(self) -> None:
        failures = 0
        while True:
            url = self.spec.urls[failures % len(self.spec.urls)]
            if self.epoch is not None:
                url += f"?since={self.seq}&epoch={self.epoch}"
            try:
                async with await self._connect(url) as ws:
                    failures = 0
                    with contextlib.suppress(ConnectionClosed):
                        async for raw in ws:
                            if self.reading is not None:
                                await self.reading.wait()
                            self._apply(parse_dashboard_event(raw))  # the wire models
                            self.changed.set()
                    self.outcome.closes[ws.close_code or 1006] += 1
            except (OSError, TimeoutError, InvalidHandshake):  # down or cut: try the next node
                failures += 1
            await asyncio.sleep(RECONNECT_DELAY)

    async def _connect(self, url: str) -> Any:
        from websockets.asyncio.client import connect

        options: dict[str, Any] = {
            "additional_headers": {"Authorization": f"Bearer {self.token}"},
            "max_size": None,
            "open_timeout": 5,
            "ping_interval": None,
        }
        if self.reading is not None:
            # A small receive buffer and queue: while it does not read, its node notices soon.
            host, port = url.split("/")[2].split(":")
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
            options.update(sock=sock, max_queue=1)
        return connect(url, **options)

    def _apply(self, event: DashboardEvent) -> None:
        if isinstance(event, TelemetryUpdate):
            if self.seq is not None and event.seq != self.seq + 1:
                self.outcome.gaps += 1
            self.seq = event.seq
            number = _number(event.room_id)
            if number is None:
                return
            if number in self.in_epoch:
                self.outcome.twice += 1
            elif number in self.ever:
                self.outcome.again_after_snapshot += 1
            self.in_epoch.add(number)
            self.ever.add(number)
            self.board[number] = event.data.tokens
        elif isinstance(event, Snapshot):
            self.outcome.snapshots += 1
            self.seq, self.epoch = event.seq, event.epoch
            self.in_epoch = set()
            self.board = {}
            for room in event.rooms:
                number = _number(room.room_id)
                if number is not None:
                    self.board[number] = room.tokens_count
            self.ready.set()
        elif isinstance(event, Resume):
            self.outcome.resumes += 1
            if event.seq != self.seq:
                self.outcome.gaps += 1

    def missing(self, expected: dict[int, int]) -> int:
        return sum(1 for number, tokens in expected.items() if self.board.get(number) != tokens)


async def _dashboards(
    specs: list[Spec], token: str, ready: EventType, pipe: Connection
) -> list[Outcome]:
    """Run the dashboards; obey the parent's "pause"/"read"; given the samples answered 200,
    wait (up to SETTLE_SECONDS) until every board has them, and return what each one saw."""
    reading, changed = asyncio.Event(), asyncio.Event()
    reading.set()
    followers = [
        Follower(spec, token, reading if spec.role == PAUSED else None, changed) for spec in specs
    ]
    tasks = [asyncio.create_task(f.run()) for f in followers]
    await asyncio.gather(*(f.ready.wait() for f in followers))
    ready.set()
    loop = asyncio.get_running_loop()
    while True:
        command = await loop.run_in_executor(None, pipe.recv)
        if command == "pause":
            reading.clear()
        elif command == "read":
            reading.set()
        else:
            expected: dict[int, int] = command
            break
    deadline = loop.time() + SETTLE_SECONDS
    while any(f.missing(expected) for f in followers) and loop.time() < deadline:
        changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), deadline - loop.time())
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    outcomes = []
    for follower in followers:
        follower.outcome.missing = follower.missing(expected)
        outcomes.append(follower.outcome)
    return outcomes


def _dashboards_main(specs: list[Spec], token: str, ready: EventType, pipe: Connection) -> None:
    try:
        pipe.send(asyncio.run(_dashboards(specs, token, ready, pipe)))
    except Exception as exc:  # the parent raises it rather than waiting on a dead pipe
        ready.set()
        pipe.send(RuntimeError(f"dashboard process failed: {exc!r}"))


@dataclass
class Dashboards:
    procs: list[BaseProcess]
    pipes: list[Connection]

    def command(self, what: str) -> None:
        """``"pause"``: the dashboards meant to stop reading stop; ``"read"``: they read on."""
        for pipe in self.pipes:
            pipe.send(what)

    def outcomes(self, expected: dict[int, int]) -> list[Outcome]:
        for pipe in self.pipes:
            pipe.send(expected)
        results: list[Outcome] = []
        for pipe in self.pipes:
            got = pipe.recv()
            if isinstance(got, Exception):
                raise got
            results.extend(got)
        for proc in self.procs:
            proc.join(timeout=30)
        return results


def start_dashboards(specs: list[Spec], token: str, processes: int) -> Dashboards:
    """Start the dashboards in ``processes`` processes; returns once each has its snapshot."""
    shares = [specs[i::processes] for i in range(processes)]
    procs, pipes = spawn_ready(
        _dashboards_main, [(share, token) for share in shares if share], "dashboards"
    )
    return Dashboards(procs, pipes)


# --- the load and the drills (in this process) -------------------------------------------------


class Timeline:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.lines: list[str] = []

    def note(self, what: str) -> None:
        self.lines.append(f"{time.monotonic() - self.start:6.1f} s  {what}")


@dataclass
class Load:
    answered: dict[int, int] = field(default_factory=dict)  # sample number -> tokens
    retries: int = 0
    seconds: float = 0.0  # how long it ran (the drills may outlast the asked duration)


async def post_samples(
    nodes: list[ServerProcess], rate: float, stop: asyncio.Event, load: Load
) -> None:
    """Post sample after sample at ``rate`` per second until ``stop``; each one until some node
    answers 200 for it."""
    salt = time.time_ns() // 1000 % 10**12
    start = time.monotonic()
    async with httpx.AsyncClient(timeout=5) as http:
        number = 0
        while not stop.is_set():
            delay = start + number / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            body = {
                "room_id": _room(number),
                "platform": "chaturbate",
                "tokens_count": salt + number,
                "tips_count": 1,
                "viewers_count": 1,
                "timestamp": int(time.time()),
            }
            attempt = 0
            while True:
                node = nodes[(number + attempt) % len(nodes)]
                with contextlib.suppress(httpx.HTTPError):
                    answer = await http.post(node.url + "/api/tracking/telemetry", json=body)
                    if answer.status_code == 200:
                        break
                attempt += 1
                load.retries += 1
                if attempt % len(nodes) == 0:
                    await asyncio.sleep(0.05)
            load.answered[number] = salt + number
            number += 1
    load.seconds = time.monotonic() - start


async def _until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.1)


def _ready(node: ServerProcess) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return bool(httpx.get(node.url + "/readyz", timeout=2).json()["status"] == "ready")
    return False


async def drills(
    a: ServerProcess,
    b: ServerProcess,
    redis: RedisProcess,
    proxy: TcpProxy,
    dashboards: Dashboards,
    pausers: int,
    seconds: float,
    timeline: Timeline,
) -> None:
    step = seconds / 10
    await asyncio.sleep(step)
    assert a.proc is not None
    a.proc.kill()
    timeline.note("node A killed (SIGKILL)")
    await asyncio.sleep(max(1.0, step / 2))
    await asyncio.to_thread(a.start)
    timeline.note("node A started again")

    await asyncio.sleep(step)
    await asyncio.to_thread(redis.stop)
    timeline.note("Redis stopped")
    await asyncio.sleep(max(2.0, step))
    await asyncio.to_thread(redis.start)
    timeline.note("Redis started again")
    await _until(lambda: _ready(a) and _ready(b), 60, "both nodes to be ready again")
    timeline.note("both nodes ready (back on Redis)")

    await asyncio.sleep(step)
    proxy.block_websockets = True
    proxy.cut_websockets()
    timeline.note("network to node B cut for the proxied dashboards")
    await asyncio.sleep(max(1.5, step * 0.7))
    proxy.block_websockets = False
    timeline.note("network restored")

    await asyncio.sleep(step / 2)
    connected, dropped = "godmode_dashboards_connected", "godmode_dashboards_dropped_slow_total"
    before = {name: await asyncio.to_thread(metric, b.url, name) for name in (connected, dropped)}
    dashboards.command("pause")
    timeline.note(f"{pausers} dashboards stop reading")

    # Node B lets go of them when their buffers fill (4429, counted as dropped), or when they
    # leave its keep-alive ping unanswered for 20 s after 20 s of quiet (uvicorn's defaults;
    # seen as fewer connected, unless other dashboards were still coming back meanwhile).
    def let_go() -> bool:
        return (
            metric(b.url, dropped) >= before[dropped] + pausers
            or metric(b.url, connected) <= before[connected] - pausers
        )

    try:
        await _until(let_go, 60, "")
        timeline.note("node B let go of them")
    except TimeoutError:  # the table's close codes say what happened to them
        timeline.note("node B was not seen letting go of them within 60 s")
    finally:
        dashboards.command("read")
    timeline.note("they read again")


def _specs(
    dashboards: int, pausers: int, a: ServerProcess, b: ServerProcess, proxy: int
) -> list[Spec]:
    proxied = f"ws://127.0.0.1:{proxy}/ws/dashboard"
    others = dashboards - pausers
    specs = [Spec(PAUSED, [b.ws_url, a.ws_url]) for _ in range(pausers)]
    for i in range(others):
        if i % 5 == 4:
            specs.append(Spec("via proxy to B", [proxied]))
        elif i % 2:
            specs.append(Spec("on B", [b.ws_url, a.ws_url]))
        else:
            specs.append(Spec("on A", [a.ws_url, b.ws_url]))
    return specs


@dataclass
class Result:
    timeline: Timeline
    load: Load
    outcomes: list[Outcome]
    seconds: float

    @property
    def exactly_once(self) -> bool:
        return not any(o.missing or o.twice or o.gaps for o in self.outcomes)

    def report(self) -> str:
        rows = [
            "role | dashboards | missing | twice in an epoch | again after a snapshot | "
            "seq gaps | snapshots | resumes | closed (code × times)",
            "---|---|---|---|---|---|---|---|---",
        ]
        for role in ROLES:
            group = [o for o in self.outcomes if o.role == role]
            closes: Counter[int] = Counter()
            for outcome in group:
                closes.update(outcome.closes)
            rows.append(
                f"{role} | {len(group)} | {sum(o.missing for o in group)} | "
                f"{sum(o.twice for o in group)} | "
                f"{sum(o.again_after_snapshot for o in group)} | "
                f"{sum(o.gaps for o in group)} | {sum(o.snapshots for o in group)} | "
                f"{sum(o.resumes for o in group)} | "
                + (", ".join(f"{code} × {n}" for code, n in sorted(closes.items())) or "none")
            )
        answered = len(self.load.answered)
        verdict = "yes" if self.exactly_once else "NO"
        return "\n".join(
            [
                *self.timeline.lines,
                "",
                f"samples answered 200: {answered:,} in {self.seconds:.0f} s "
                f"({self.load.retries} posts retried on the other node)",
                "",
                *rows,
                "",
                f"every sample answered 200 on every dashboard exactly once: {verdict}",
            ]
        )


async def soak(dashboards: int, rate: float, seconds: float, pausers: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="gm-soak-") as tmp:
        work = Path(tmp)
        redis = RedisProcess(work / "redis", persistent=True).start()
        a = ServerProcess(work / "a", env={"GODMODE_REDIS_URL": redis.url, **NODE_ENV})
        b = ServerProcess(work / "b", env={"GODMODE_REDIS_URL": redis.url, **NODE_ENV})
        proxy = TcpProxy(0)
        try:
            await asyncio.to_thread(a.start)
            await asyncio.to_thread(b.start)
            proxy.target_port = b.port
            await proxy.start()
            token = a.login()
            specs = _specs(dashboards, pausers, a, b, proxy.port)
            processes = max(1, min(4, dashboards // 25))
            followers = await asyncio.to_thread(start_dashboards, specs, token, processes)

            timeline = Timeline()
            timeline.note(f"{dashboards} dashboards connected; load starts")
            load, stop = Load(), asyncio.Event()
            posting = asyncio.create_task(post_samples([a, b], rate, stop, load))
            await drills(a, b, redis, proxy, followers, pausers, seconds, timeline)
            await asyncio.sleep(max(0.0, seconds - (time.monotonic() - timeline.start)))
            stop.set()
            await posting
            timeline.note(f"load stops: {len(load.answered):,} samples answered 200")
            outcomes = await asyncio.to_thread(followers.outcomes, load.answered)
            timeline.note("every dashboard checked")
            return Result(timeline, load, outcomes, load.seconds)
        finally:
            await proxy.close()
            for process in (a, b, redis):
                process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="20 s, 16 dashboards, 40 samples/s")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs")
    parser.add_argument("--dashboards", type=int, default=100)
    parser.add_argument("--rate", type=float, default=50.0, help="samples per second")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.dashboards, args.rate = 20.0, 16, 40.0
    print(
        f"# Soak ({machine()}, {time.strftime('%Y-%m-%d')}): two nodes + Redis, "
        f"{args.dashboards} dashboards, {args.rate:g} samples/s, {args.seconds:g} s"
    )
    result = asyncio.run(soak(args.dashboards, args.rate, args.seconds, pausers=2))
    print(result.report(), flush=True)
    raise SystemExit(0 if result.exactly_once else 1)


if __name__ == "__main__":
    main()
