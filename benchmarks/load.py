"""Load: 60 s of dashboards and samples against one node, and against two nodes sharing Redis.

Two loads, each 5,000 deliveries a second: 1,000 dashboards at 5 samples/s, and 100 dashboards
at 50 samples/s.  With two nodes, the samples are posted to the first and the dashboards are
split between both (so every event crosses Redis to reach half of them).  Reported: deliveries
lost (must be 0 for dashboards that keep up), p99 latency, each node's resident memory before
and after, and how many dashboards a node closed as too slow.

    python -m benchmarks.load                # 60 s per run, four runs
    python -m benchmarks.load --smoke        # 1 s, 20 dashboards
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections.abc import Iterator

from .harness import (
    dev_token,
    generate,
    godmode_process,
    latencies,
    machine,
    metric,
    redis_server,
    rss_mb,
    start_receivers,
)

LOADS = [(1000, 5), (100, 50)]
DROPPED_SLOW = "godmode_dashboards_dropped_slow_total"


@contextlib.contextmanager
def nodes(count: int) -> Iterator[list[tuple[str, int]]]:
    """``count`` nodes (two share a Redis); yields each one's URL and pid."""
    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server()) if count > 1 else None
        started = []
        for _ in range(count):
            url, proc = stack.enter_context(godmode_process(redis_url))
            started.append((url, proc.pid))
        yield started


def run(node_count: int, clients: int, rate: float, seconds: float) -> str:
    with nodes(node_count) as started:
        token = dev_token(started[0][0])
        before = [rss_mb(pid) for _, pid in started]
        share = clients // node_count
        processes = max(1, min(4 // node_count, share // 25))
        receivers = [start_receivers(url, token, share, processes) for url, _ in started]
        sent, failures = asyncio.run(generate(started[0][0], rate, int(rate * seconds)))
        logs = []
        for group in receivers:
            logs.extend(group.results())
        result = latencies(sent, logs)
        after = [rss_mb(pid) for _, pid in started]
        closed = sum(int(metric(url, DROPPED_SLOW)) for url, _ in started)
    memory = ", ".join(f"{b:.0f} → {a:.0f}" for b, a in zip(before, after, strict=True))
    where = "1 node" if node_count == 1 else f"{node_count} nodes + Redis"
    return (
        f"{where} | {clients:,} × {rate:g}/s | {result.deliveries:,} / {result.expected:,} | "
        f"{result.lost:,} | {result.p99_ms:.1f} | {memory} | {closed} | {failures}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1 s, 20 dashboards, one node")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    runs = [(1, 20, 10.0)] if args.smoke else [(n, c, r) for n in (1, 2) for c, r in LOADS]
    seconds = 1.0 if args.smoke else args.seconds
    print(f"# Load ({machine()}, {time.strftime('%Y-%m-%d')}), {seconds:g} s per run")
    print(
        "nodes | load | delivered / expected | lost | p99 ms | node RSS MB before → after "
        "| closed as slow | POSTs refused"
    )
    print("---|---|---|---|---|---|---|---")
    for node_count, clients, rate in runs:
        print(run(node_count, clients, rate, seconds), flush=True)


if __name__ == "__main__":
    main()
