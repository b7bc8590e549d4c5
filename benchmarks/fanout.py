"""Fan-out saturation: God Mode against a bare broadcast server, same framework, same machine.

100 dashboards; the sample rate goes up step by step until the deliveries' p99 passes 50 ms (or
deliveries are lost).  The saturation point is the last step under that line, in deliveries per
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
RATES = [25, 50, 75, 100, 150, 200, 300, 400, 600]
LIMIT_P99_MS = 50.0
TARGET_RATIO = 0.8


@contextlib.contextmanager
def server(kind: str) -> Iterator[str]:
    if kind == "godmode":
        with godmode_server() as url:
            yield url
    else:
        with module_server("benchmarks.broadcast_server") as (url, _):
            yield url


def step(url: str, rate: float, seconds: float) -> Latency:
    receivers = start_receivers(url, dev_token(url), DASHBOARDS, 4)
    sent, failures = asyncio.run(generate(url, rate, int(rate * seconds)))
    result = latencies(sent, receivers.results())
    if failures:
        raise RuntimeError(f"{failures} POSTs were refused")
    return result


def saturation(kind: str, rates: list[int], seconds: float) -> tuple[float, list[str]]:
    """The deliveries per second at the last step under the line, and a table row per step."""
    best = 0.0
    rows = []
    with server(kind) as url:
        for rate in rates:
            result = step(url, rate, seconds)
            ok = result.p99_ms <= LIMIT_P99_MS and result.lost == 0
            rows.append(
                f"{kind} | {rate} | {rate * DASHBOARDS:,} | {result.row()} | {'yes' if ok else 'no'}"
            )
            print(rows[-1], flush=True)
            if not ok:
                break
            best = rate * DASHBOARDS
    return best, rows


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
        "server | samples/s | deliveries/s | p50 ms | p99 ms | max ms | delivered / expected | under 50 ms"
    )
    print("---|---|---|---|---|---|---|---")
    baseline, _ = saturation("baseline", rates, seconds)
    ours, _ = saturation("godmode", rates, seconds)
    ratio = ours / baseline if baseline else float("nan")
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(
        f"\nsaturation: God Mode {ours:,.0f} deliveries/s, baseline {baseline:,.0f}: "
        f"{ratio:.2f}x (target >= {TARGET_RATIO}x: {verdict})"
    )


if __name__ == "__main__":
    main()
