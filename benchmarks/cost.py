"""How cost grows: server CPU per 1,000 deliveries and memory per dashboard, at 100, 1,000 and
5,000 dashboards.

For each size a fresh server (embedded store, archive on) gets its dashboards (four receiving
processes), then 10 s of samples at the rate that makes 10,000 deliveries a second (100
samples/s for 100 dashboards, 10/s for 1,000, 2/s for 5,000).  Measured from ``/proc``: the
server's resident memory before and after the dashboards connected, and the CPU time it used
during the samples.  The bare Starlette and Node servers are measured the same way, as the
floor of what holding a socket and writing a frame costs.

    python -m benchmarks.cost
    python -m benchmarks.cost --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from .harness import dev_token, generate, latencies, machine, rss_mb, served, start_receivers

SIZES = [100, 1000, 5000]
DELIVERIES_PER_SECOND = 10_000


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(kind: str, dashboards: int, seconds: float) -> str:
    with served(kind) as (url, proc):
        token = dev_token(url)
        time.sleep(1)  # the server settled after its start
        before = rss_mb(proc.pid)
        receivers = start_receivers(url, token, dashboards, min(4, max(1, dashboards // 25)))
        connected = rss_mb(proc.pid)
        rate = DELIVERIES_PER_SECOND / dashboards
        cpu = cpu_seconds(proc.pid)
        sent, failures = asyncio.run(generate(url, rate, max(1, int(rate * seconds))))
        used = cpu_seconds(proc.pid) - cpu
        result = latencies(sent, receivers.results())
    if failures:
        raise RuntimeError(f"{failures} POSTs were refused")
    per_dashboard_kb = (connected - before) * 1024 / dashboards
    per_thousand_ms = used * 1000 / result.deliveries * 1000 if result.deliveries else float("nan")
    return (
        f"{kind} | {dashboards:,} | {rate:g} | {result.deliveries:,} / {result.expected:,} | "
        f"{per_thousand_ms:.1f} | {before:.0f} → {connected:.0f} | {per_dashboard_kb:.1f} | "
        f"{result.p99_ms:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="100 dashboards, 1 s, God Mode")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--servers", default="godmode,starlette,node")
    args = parser.parse_args()
    sizes = [100] if args.smoke else SIZES
    servers = ["godmode"] if args.smoke else args.servers.split(",")
    seconds = 1.0 if args.smoke else args.seconds
    print(f"# How cost grows ({machine()}, {time.strftime('%Y-%m-%d')})")
    print(
        "server | dashboards | samples/s | delivered / expected | CPU ms per 1,000 deliveries "
        "| RSS MB before → with the dashboards | KB per dashboard | p99 ms"
    )
    print("---|---|---|---|---|---|---|---")
    for size in sizes:
        for kind in servers:
            print(measure(kind, size, seconds), flush=True)


if __name__ == "__main__":
    main()
