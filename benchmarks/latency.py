"""End-to-end latency: POST accepted → event received by N WebSocket dashboards.

A lean generator POSTs samples at a fixed rate (each its own room, so each makes one event)
while N dashboards, in separate processes, note when each event arrives.  Reported: p50, p99
and max of arrival minus send time over every delivery, and any delivery lost.  Run with the
embedded store and with Redis.  Target: p99 <= 10 ms at 50 samples/s with 100 dashboards.

    python -m benchmarks.latency                 # the recorded configurations
    python -m benchmarks.latency --smoke         # one second, a few dashboards
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections.abc import Iterator

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


def measure(url: str, clients: int, rate: float, seconds: float) -> Latency:
    # One receiver process per 25 dashboards (at most 4) keeps them from falling behind.
    receivers = start_receivers(url, dev_token(url), clients, max(1, min(4, clients // 25)))
    sent, failures = asyncio.run(generate(url, rate, int(rate * seconds)))
    if failures:
        raise RuntimeError(f"{failures} POSTs were refused")
    return latencies(sent, receivers.results())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one second, five dashboards")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stores", default="embedded,redis")
    args = parser.parse_args()
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
