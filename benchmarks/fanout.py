"""Fan-out saturation: God Mode against a bare broadcast server, same framework, same machine.

100 dashboards; the sample rate goes up step by step until the deliveries' p99 passes 50 ms,
deliveries are lost, or the server no longer takes the samples as fast as they are sent (the
generator waits for each answer).  The saturation point is the last step under that line, in deliveries per
second.  The baseline (benchmarks/broadcast_server.py) takes the same POSTs and sends the raw
body to every socket, with no validation, storage, numbering or per-dashboard queue.
Target: God Mode >= 0.8x the baseline's saturation point.

    python -m benchmarks.fanout
    python -m benchmarks.fanout --smoke
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
    module_server,
    start_receivers,
)

DASHBOARDS = 100
#: Samples per second tried, in order; each step runs --seconds.
RATES = [50, 100, 120, 140, 160, 180, 200, 250, 300, 400]
LIMIT_P99_MS = 50.0
#: A step counts only if the server took at least this share of the asked rate.
KEEP_UP = 0.95
TARGET_RATIO = 0.8


@contextlib.contextmanager
def server(kind: str) -> Iterator[str]:
    if kind == "godmode":
        with godmode_server() as url:
            yield url
    else:
        with module_server("benchmarks.broadcast_server") as (url, _):
            yield url


def step(url: str, rate: float, seconds: float) -> tuple[Latency, float]:
    """The deliveries' latency, and the sample rate the server actually took: the generator
    waits for each answer, so a server that cannot keep up slows it down."""
    receivers = start_receivers(url, dev_token(url), DASHBOARDS, 4)
    sent, failures = asyncio.run(generate(url, rate, int(rate * seconds)))
    result = latencies(sent, receivers.results())
    if failures:
        raise RuntimeError(f"{failures} POSTs were refused")
    times = sorted(sent.values())
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else rate
    return result, achieved


def saturation(kind: str, rates: list[int], seconds: float) -> float:
    """The deliveries per second taken at the last step under the line (a row per step)."""
    best = 0.0
    with server(kind) as url:
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
    baseline = saturation("baseline", rates, seconds)
    ours = saturation("godmode", rates, seconds)
    ratio = ours / baseline if baseline else float("nan")
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(
        f"\nsaturation: God Mode {ours:,.0f} deliveries/s, baseline {baseline:,.0f}: "
        f"{ratio:.2f}x (target >= {TARGET_RATIO}x: {verdict})"
    )


if __name__ == "__main__":
    main()
