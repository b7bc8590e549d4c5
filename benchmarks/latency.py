"""End-to-end latency: POST accepted → event received by N WebSocket dashboards.

A lean generator POSTs samples at a fixed rate (each its own room, so each makes one event)
while N dashboards, in separate processes, note when each event arrives.  Reported: p50, p99
and max of arrival minus send time over every delivery, and any delivery lost.  Run with the
embedded store and with Redis.  Target: p99 <= 10 ms at 50 samples/s with 100 dashboards.

    python -m benchmarks.latency                 # the recorded configurations
    python -m benchmarks.latency --smoke         # one second, a few dashboards
    python -m benchmarks.latency --scoped        # half the dashboards monitors, against none
    python -m benchmarks.latency --tail          # 100 dashboards x 300/s against the baselines

``--scoped``: the cost of monitors' feeds (each dashboard's events filtered by its rooms at the
fan-out).  100 dashboards at 50 samples/s, alternately all managers (the baseline) and half of
them a monitor whose rooms are every room posted to (so every dashboard still gets every event
and the two runs deliver the same), three times each.  Target: p99 within 10 % of the baseline.

Against the baselines (benchmarks/broadcast_server.py, a bare Starlette broadcast with a queue
per dashboard, and benchmarks/node_broadcast, a bare Node ``ws`` one), the servers taking turns
with the same generator and receivers, three runs each: at 100 dashboards x 50/s God Mode's p99
is at most 1.25x the Node server's; ``--tail``, at 100 x 300/s on one node with the archive on,
max <= 20 ms and p99 <= 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from collections.abc import Iterator

import httpx

from .harness import (
    ROOMS,
    SERVERS,
    Latency,
    dev_token,
    generate,
    godmode_server,
    latencies,
    machine,
    redis_server,
    served,
    start_receivers,
)

#: (dashboards, samples per second) measured by default; the target is the middle one.
CONFIGS = [(1, 50), (100, 50), (1000, 5)]
#: God Mode's p99 over the bare Node server's at 100 x 50/s, at most.
NODE_RATIO = 1.25
#: The tail: 100 dashboards x 300 samples/s, max and p99 at most (ms).
TAIL = (100, 300)
TAIL_MAX_MS = 20.0
TAIL_P99_MS = 10.0


@contextlib.contextmanager
def server(store: str) -> Iterator[str]:
    if store == "redis":
        with redis_server() as redis_url, godmode_server(redis_url) as url:
            yield url
    else:
        with godmode_server() as url:
            yield url


def measure(
    url: str, clients: int, rate: float, seconds: float, monitor: str | None = None
) -> Latency:
    """``monitor``: a monitor's token, for half the dashboards (the others are the demo
    admin's)."""
    token = dev_token(url)
    groups = (
        [(token, clients)]
        if monitor is None
        else [(token, clients // 2), (monitor, clients - clients // 2)]
    )
    # One receiver process per 25 dashboards (at most 4) keeps them from falling behind.
    receivers = [
        start_receivers(url, t, n, max(1, min(4 // len(groups), n // 25))) for t, n in groups
    ]
    sent, failures = asyncio.run(generate(url, rate, int(rate * seconds)))
    if failures:
        raise RuntimeError(f"{failures} POSTs were refused")
    return latencies(sent, [log for r in receivers for log in r.results()])


def monitor_token(url: str, rooms: int) -> str:
    """A monitor (made through the administration API, as the demo admin) whose rooms are the
    ``rooms`` rooms the generator posts to; their token."""
    admin = {"Authorization": f"Bearer {dev_token(url)}"}
    with httpx.Client(base_url=url, headers=admin, timeout=30) as http:
        made = http.post(
            "/api/admin/users",
            json={"username": "bench-monitor", "password": "bench-monitor", "role": "monitor"},
        )
        if made.status_code not in (201, 409):
            made.raise_for_status()
        assigned = http.put(
            "/api/admin/users/bench-monitor/rooms",
            json={
                "rooms": [{"room_id": f"bench_{n}", "platform": "chaturbate"} for n in range(rooms)]
            },
        )
        assigned.raise_for_status()
    answer = httpx.post(
        url + "/api/auth/login", json={"username": "bench-monitor", "password": "bench-monitor"}
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def scoped(
    stores: list[str], seconds: float, runs: int, clients: int = 100, rate: float = 50
) -> None:
    print(f"# Monitors' scoped feeds ({machine()}, {time.strftime('%Y-%m-%d')})")
    print("store | run | dashboards | samples/s | p50 ms | p99 ms | max ms | delivered / expected")
    print("---|---|---|---|---|---|---|---")
    for store in stores:
        with server(store) as url:
            monitor = monitor_token(url, ROOMS)
            p99: dict[str, list[float]] = {"all managers": [], "half monitors": []}
            for _ in range(runs):
                for label, token in (("all managers", None), ("half monitors", monitor)):
                    result = measure(url, clients, rate, seconds, token)
                    p99[label].append(result.p99_ms)
                    print(f"{store} | {label} | {clients} | {rate:g} | {result.row()}", flush=True)
            base, scoped_ = (statistics.median(v) for v in p99.values())
            print(
                f"{store}: median p99 {base:.2f} ms all managers, {scoped_:.2f} ms half monitors ({scoped_ / base:.2f}x)"
            )


def against_baselines(clients: int, rate: float, seconds: float, runs: int) -> dict[str, Latency]:
    """Each server in turn, ``runs`` times (one server at a time, so none shares the cores
    with another); a row per run, and each server's run with the median p99."""
    found: dict[str, list[Latency]] = {kind: [] for kind in SERVERS}
    for _ in range(runs):
        for kind in SERVERS:
            with served(kind) as (url, _):
                result = measure(url, clients, rate, seconds)
            found[kind].append(result)
            print(f"{kind} | {clients} | {rate:g} | {result.row()}", flush=True)
    return {
        kind: sorted(results, key=lambda r: r.p99_ms)[len(results) // 2]
        for kind, results in found.items()
    }


def baselines(seconds: float, runs: int, tail: bool) -> None:
    clients, rate = TAIL if tail else (100, 50)
    print(f"# Against the baselines ({machine()}, {time.strftime('%Y-%m-%d')})")
    print("server | dashboards | samples/s | p50 ms | p99 ms | max ms | delivered / expected")
    print("---|---|---|---|---|---|---")
    median = against_baselines(clients, rate, seconds, runs)
    ours, node = median["godmode"], median["node"]
    print()
    for kind, result in median.items():
        print(f"{kind}: median p99 {result.p99_ms:.2f} ms (max in that run {result.max_ms:.2f} ms)")
    ratio = ours.p99_ms / node.p99_ms
    print(f"God Mode's p99 / the Node server's: {ratio:.2f}x")
    if tail:
        verdict = "met" if ours.p99_ms <= TAIL_P99_MS and ours.max_ms <= TAIL_MAX_MS else "MISSED"
        print(f"tail target (p99 <= {TAIL_P99_MS:g} ms, max <= {TAIL_MAX_MS:g} ms): {verdict}")
    else:
        verdict = "met" if ratio <= NODE_RATIO else "MISSED"
        print(f"target (<= {NODE_RATIO}x the Node server's p99): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one second, five dashboards")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stores", default="embedded,redis")
    parser.add_argument("--scoped", action="store_true", help="half the dashboards monitors")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baselines", action="store_true", help="100 x 50/s against them")
    parser.add_argument("--tail", action="store_true", help="100 x 300/s against the baselines")
    args = parser.parse_args()
    if args.baselines or args.tail:
        baselines(1.0 if args.smoke else args.seconds, 1 if args.smoke else args.runs, args.tail)
        return
    if args.scoped:
        scoped(
            args.stores.split(","),
            1.0 if args.smoke else args.seconds,
            1 if args.smoke else args.runs,
            *((10, 20) if args.smoke else ()),
        )
        return
    configs = [(5, 20)] if args.smoke else CONFIGS
    seconds = 1.0 if args.smoke else args.seconds
    print(f"# End-to-end latency ({machine()}, {time.strftime('%Y-%m-%d')})")
    print("store | dashboards | samples/s | p50 ms | p99 ms | max ms | delivered / expected")
    print("---|---|---|---|---|---|---")
    for store in args.stores.split(","):
        with server(store) as url:
            for clients, rate in configs:
                result = measure(url, clients, rate, seconds)
                print(f"{store} | {clients} | {rate:g} | {result.row()}", flush=True)


if __name__ == "__main__":
    main()
