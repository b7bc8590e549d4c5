"""Fan-out saturation: God Mode against the bare broadcast servers a team would pick instead.

100 dashboards; the sample rate goes up step by step until the deliveries' p99 passes 50 ms,
deliveries are lost, or the server no longer takes the samples as fast as they are sent (four
connections post, each waiting for its answer, as collectors do).  The saturation point is the
last step under that line, in deliveries per second.  The baselines take the same POSTs and send the raw body to every
socket, with no validation, storage, numbering or replay: a Starlette server with a queue and a
sender task per dashboard (benchmarks/broadcast_server.py) and a Node server on npm ``ws``
(benchmarks/node_broadcast/server.mjs).  Targets: God Mode >= 1.0x the Starlette server and
>= 0.7x the Node server.

    python -m benchmarks.fanout
    python -m benchmarks.fanout --servers godmode,node --seconds 10
    python -m benchmarks.fanout --smoke
    python -m benchmarks.fanout --servers godmode-redis-1w,godmode-redis-2w   # workers

``godmode-redis-<N>w``: God Mode on Redis with N worker processes (``run --workers N``).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from .harness import (
    SERVERS,
    Latency,
    dev_token,
    generate,
    latencies,
    machine,
    served,
    start_receivers,
)

DASHBOARDS = 100
#: Samples per second tried, in order; each step runs --seconds.
RATES = [50, 100, 200, 300, 400, 500, 600, 700, 800, 1000, 1200]
LIMIT_P99_MS = 50.0
#: Collectors posting at once (one connection can take only a sample per round trip).
POSTERS = 4
#: A step counts only if the server took at least this share of the asked rate.
KEEP_UP = 0.95
#: God Mode's saturation over each baseline's, at least.
TARGETS = {"starlette": 1.0, "node": 0.7}


def step(url: str, rate: float, seconds: float) -> tuple[Latency, float]:
    """The deliveries' latency, and the sample rate the server actually took: the generator
    waits for each answer, so a server that cannot keep up slows it down."""
    receivers = start_receivers(url, dev_token(url), DASHBOARDS, 4)
    sent, failures = asyncio.run(generate(url, rate, int(rate * seconds), connections=POSTERS))
    result = latencies(sent, receivers.results())
    if failures:
        raise RuntimeError(f"{failures} POSTs were refused")
    times = sorted(sent.values())
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else rate
    return result, achieved


def saturation(kind: str, rates: list[int], seconds: float) -> float:
    """The deliveries per second taken at the last step under the line (a row per step)."""
    best = 0.0
    with served(kind) as (url, _):
        for rate in rates:
            result, achieved = step(url, rate, seconds)
            ok = result.p99_ms <= LIMIT_P99_MS and result.lost == 0 and achieved >= KEEP_UP * rate
            print(
                f"{kind} | {rate} | {achieved:,.0f} | {achieved * DASHBOARDS:,.0f} | "
                f"{result.row()} | {'yes' if ok else 'no'}",
                flush=True,
            )
            if not ok:
                break
            best = achieved * DASHBOARDS
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one short step each")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--servers", default=",".join(SERVERS))
    args = parser.parse_args()
    rates = [10] if args.smoke else RATES
    seconds = 1.0 if args.smoke else args.seconds
    print(
        f"# Fan-out saturation ({machine()}, {time.strftime('%Y-%m-%d')}), {DASHBOARDS} dashboards"
    )
    print(
        "server | samples/s asked | samples/s taken | deliveries/s | p50 ms | p99 ms | max ms "
        "| delivered / expected | under the line"
    )
    print("---|---|---|---|---|---|---|---|---")
    found = {kind: saturation(kind, rates, seconds) for kind in args.servers.split(",")}
    print()
    for kind, at_least in TARGETS.items():
        if "godmode" in found and kind in found:
            ratio = found["godmode"] / found[kind] if found[kind] else float("nan")
            verdict = "met" if ratio >= at_least else "MISSED"
            print(
                f"saturation: God Mode {found['godmode']:,.0f} deliveries/s, {kind} "
                f"{found[kind]:,.0f}: {ratio:.2f}x (target >= {at_least}x: {verdict})"
            )


if __name__ == "__main__":
    main()
