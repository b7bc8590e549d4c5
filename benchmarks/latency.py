"""End-to-end latency: POST accepted → event received by N WebSocket dashboards.

A lean generator POSTs samples at a fixed rate (each its own room, so each makes one event)
while N dashboards, in separate processes, note when each event arrives.  Reported: p50, p99
and max of arrival minus send time over every delivery, and any delivery lost.  Run with the
embedded store and with Redis.  Target: p99 <= 10 ms at 50 samples/s with 100 dashboards.

    python -m benchmarks.latency                 # the recorded configurations
    python -m benchmarks.latency --smoke         # one second, a few dashboards
    python -m benchmarks.latency --scoped        # half the dashboards monitors, against none

``--scoped``: the cost of monitors' feeds (each dashboard's events filtered by its rooms at the
fan-out).  100 dashboards at 50 samples/s, alternately all managers (the baseline) and half of
them a monitor whose rooms are every room posted to (so every dashboard still gets every event
and the two runs deliver the same), three times each.  Target: p99 within 10 % of the baseline.
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
    Latency,
    dev_token,
    generate,
    godmode_server,
    latencies,
    machine,
    redis_server,
    start_receivers,
)

#: (dashboards, samples per second) measured by default; the target is the middle one.
CONFIGS = [(1, 50), (100, 50), (1000, 5)]


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
            monitor = monitor_token(url, int(rate * seconds))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one second, five dashboards")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stores", default="embedded,redis")
    parser.add_argument("--scoped", action="store_true", help="half the dashboards monitors")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
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
